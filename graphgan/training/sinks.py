"""Metric sinks: where the loop's numbers go (JSONL file, progress bar, TensorBoard).

Training metrics never go into the log; the loop hands them to a sink, and `FanOut`
hands them to several at once.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol

from tqdm import tqdm

from graphgan.training.files import write_bytes_atomic

log = logging.getLogger(__name__)

# The kinds of event the loop emits; a sink may ignore any of them.
EVENTS = ("started", "sample", "checkpoint", "finished", "failed", "interrupted")

# JSON has no NaN or infinity; a diverged loss is worth keeping, so as a string.
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class MetricSink:
    """Receives metrics and events from the loop; each method is a no-op by default."""

    def log(self, step: int, metrics: Mapping[str, float]) -> None:
        """Record one step's metrics (loss terms, `lr/<optimizer>`, `step_time`)."""

    def event(self, kind: str, step: int, **data: Any) -> None:
        """Note something that happened at `step`; `kind` is one of `EVENTS`."""

    def close(self) -> None:
        """Flush and release what the sink holds; called once, at the end of a run."""

    def __enter__(self) -> MetricSink:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


# JSONL file -------------------------------------------------------------------


class JsonlSink(MetricSink):
    """Appends `{"step": ..., **metrics}` a line per `log` call, flushed at once.

    Each line reaches the operating system before `log` returns, so a crashed
    process loses nothing it logged. With `resume_from`, lines of later steps
    (written after the checkpoint being resumed) are dropped first, so a resumed
    run's file equals an uninterrupted one's.
    """

    def __init__(self, path: Path, resume_from: int | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _rewrite_complete_lines(self.path, resume_from)
        self._file: IO[str] | None = self.path.open("a", encoding="utf-8")

    def log(self, step: int, metrics: Mapping[str, float]) -> None:
        if self._file is None:
            raise ValueError(f"metrics file {self.path} is closed")
        values = {name: json_number(value) for name, value in metrics.items()}
        record = {"step": step, **values}
        self._file.write(json.dumps(record, allow_nan=False) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def json_number(value: float) -> float | str:
    """A metric as strict JSON can carry it: a number, or "NaN" / "Infinity" / "-Infinity"."""
    value = float(value)
    if math.isfinite(value):
        return value
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def _rewrite_complete_lines(path: Path, resume_from: int | None) -> None:
    """Drop a torn last line, and with `resume_from` every record of a later step."""
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if line.endswith("\n")]
    if resume_from is not None:
        kept = [line for line in kept if _step_of(line, default=0) <= resume_from]
    if len(kept) != len(lines):
        write_bytes_atomic(path, "".join(kept).encode("utf-8"))


def _step_of(line: str, default: int) -> int:
    record = _parse(line)
    step = record.get("step") if record else None
    return step if isinstance(step, int) else default


def _parse(line: str) -> dict[str, Any] | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(record, dict):
        return None
    return {k: _NON_FINITE.get(v, v) if isinstance(v, str) else v for k, v in record.items()}


def read_metrics(path: Path) -> list[dict[str, Any]]:
    """Every record in a metrics file, oldest first; [] when there is no file yet.

    A torn last line (the process died mid-write) is skipped quietly; other
    unreadable lines are skipped with a warning.
    """
    path = Path(path)
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines.pop()
    records = [_parse(line) for line in lines if line.strip()]
    bad = sum(record is None for record in records)
    if bad:
        log.warning("%s: skipped %s unreadable lines", path, bad)
    return [record for record in records if record is not None]


def read_last_metrics(path: Path, tail_bytes: int = 65536) -> dict[str, Any] | None:
    """The last complete record of a metrics file (read from its end), or None."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            file.seek(max(0, size - tail_bytes))
            tail = file.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    for line in reversed(tail.splitlines(keepends=True)):
        record = _parse(line) if line.endswith("\n") else None
        if record is not None:
            return record
    return None


# Progress bar -----------------------------------------------------------------


class ProgressSink(MetricSink):
    """A tqdm bar on stderr: step rate, time left, latest losses (`d=0.693 g=0.712`).

    When the stream is not a terminal (CI logs) the bar redraws at most every
    `quiet_interval` seconds, since each redraw there is a new line. A total of 0
    disables it.
    """

    def __init__(
        self,
        total_steps: int,
        initial_step: int = 0,
        stream: IO[str] | None = None,
        *,
        quiet_interval: float = 30.0,
    ) -> None:
        stream = stream if stream is not None else sys.stderr
        interactive = bool(getattr(stream, "isatty", lambda: False)())
        self._bar = tqdm(
            total=total_steps,
            initial=initial_step,
            file=stream,
            unit="step",
            dynamic_ncols=interactive,
            mininterval=0.1 if interactive else quiet_interval,
            disable=total_steps <= 0,
        )

    def log(self, step: int, metrics: Mapping[str, float]) -> None:
        self._bar.set_postfix_str(short_metrics(metrics), refresh=False)
        self._bar.update(step - self._bar.n)

    def close(self) -> None:
        self._bar.close()


def short_metrics(metrics: Mapping[str, float]) -> str:
    """The two networks' losses in a few characters each; `d_loss` shows as `d`.

    Only totals (names ending in `loss`) fit on a progress bar; every term is in the
    metrics file.
    """
    parts = []
    for name, value in metrics.items():
        if not name.endswith("loss"):
            continue
        short = name.removesuffix("_loss")
        parts.append(f"{short}={_short_number(float(value))}")
    return " ".join(parts)


def _short_number(value: float) -> str:
    if value == 0 or (math.isfinite(value) and 1e-3 <= abs(value) < 1e4):
        return f"{value:.3f}"
    return f"{value:.2e}"


# TensorBoard ------------------------------------------------------------------


class ScalarWriter(Protocol):
    """The part of TensorBoard's `SummaryWriter` the sink uses."""

    def add_scalar(self, tag: str, scalar_value: float, global_step: int) -> Any: ...

    def add_text(self, tag: str, text_string: str, global_step: int) -> Any: ...

    def flush(self) -> Any: ...

    def close(self) -> Any: ...


class TensorBoardSink(MetricSink):
    """Writes each metric as a TensorBoard scalar, each event as a line of text."""

    def __init__(self, log_dir: Path, writer: ScalarWriter | None = None) -> None:
        if writer is None:
            # Imported here: it fails to import when tensorboard is missing.
            from torch.utils.tensorboard import SummaryWriter

            writer = SummaryWriter(log_dir=str(log_dir))
        self._writer = writer

    def log(self, step: int, metrics: Mapping[str, float]) -> None:
        for name, value in metrics.items():
            self._writer.add_scalar(name, float(value), step)

    def event(self, kind: str, step: int, **data: Any) -> None:
        details = ", ".join(f"{key}={value}" for key, value in data.items())
        self._writer.add_text("events", f"{kind} {details}".strip(), step)
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()


def make_tensorboard_sink(log_dir: Path) -> MetricSink | None:
    """A `TensorBoardSink`, or None when the optional `tensorboard` is missing."""
    if importlib.util.find_spec("tensorboard") is None:
        log.debug("tensorboard is not installed; no TensorBoard sink")
        return None
    return TensorBoardSink(log_dir)


# Several at once --------------------------------------------------------------


class FanOut(MetricSink):
    """Forwards to several sinks; `close` closes all even when one of them fails."""

    def __init__(self, sinks: Iterable[MetricSink]) -> None:
        self.sinks = list(sinks)

    def log(self, step: int, metrics: Mapping[str, float]) -> None:
        for sink in self.sinks:
            sink.log(step, metrics)

    def event(self, kind: str, step: int, **data: Any) -> None:
        for sink in self.sinks:
            sink.event(kind, step, **data)

    def close(self) -> None:
        first: BaseException | None = None
        for sink in self.sinks:
            try:
                sink.close()
            except Exception as error:  # the rest must still close
                log.debug("closing %s failed: %s", type(sink).__name__, error)
                first = first or error
        if first is not None:
            raise first
