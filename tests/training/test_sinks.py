"""Metric sinks: the JSONL file and its resume rule, the progress bar, TensorBoard, fan-out."""

from __future__ import annotations

import importlib.util
import io
import logging
import math
from pathlib import Path
from typing import Any

import pytest

from graphgan.training import sinks
from graphgan.training.sinks import (
    FanOut,
    JsonlSink,
    MetricSink,
    ProgressSink,
    TensorBoardSink,
    make_tensorboard_sink,
    read_last_metrics,
    read_metrics,
    short_metrics,
)


def losses(step: int) -> dict[str, float]:
    return {"d_loss": 1.0 / step, "g_loss": float(step), "lr/g": 2e-4, "step_time": 0.01}


def write_steps(path: Path, steps: range, resume_from: int | None = None) -> None:
    with JsonlSink(path, resume_from=resume_from) as sink:
        for step in steps:
            sink.log(step, losses(step))


def test_jsonl_writes_one_record_per_step(tmp_path: Path) -> None:
    path = tmp_path / "metrics.jsonl"
    write_steps(path, range(1, 4))
    records = read_metrics(path)
    assert records == [{"step": s, **losses(s)} for s in range(1, 4)]
    assert read_last_metrics(path) == {"step": 3, **losses(3)}


def test_each_line_is_on_disk_before_close(tmp_path: Path) -> None:
    path = tmp_path / "metrics.jsonl"
    sink = JsonlSink(path)
    sink.log(1, {"d_loss": 0.5})
    assert read_metrics(path) == [{"step": 1, "d_loss": 0.5}]
    sink.close()


def test_non_finite_values_round_trip_as_strict_json(tmp_path: Path) -> None:
    path = tmp_path / "metrics.jsonl"
    with JsonlSink(path) as sink:
        sink.log(1, {"d_loss": math.nan, "g_loss": math.inf, "x": -math.inf})
    assert "NaN" in path.read_text() and "Infinity" in path.read_text()
    (record,) = read_metrics(path)
    assert math.isnan(record["d_loss"])
    assert record["g_loss"] == math.inf and record["x"] == -math.inf


def test_resumed_file_equals_uninterrupted(tmp_path: Path) -> None:
    straight, resumed = tmp_path / "straight.jsonl", tmp_path / "resumed.jsonl"
    write_steps(straight, range(1, 9))
    write_steps(resumed, range(1, 7))  # ran to step 6, last checkpoint at step 4
    write_steps(resumed, range(5, 9), resume_from=4)
    assert resumed.read_bytes() == straight.read_bytes()


def test_torn_last_line_is_skipped_and_dropped(tmp_path: Path) -> None:
    path = tmp_path / "metrics.jsonl"
    write_steps(path, range(1, 3))
    with path.open("a") as file:
        file.write('{"step": 3, "d_lo')  # killed mid-write
    assert [r["step"] for r in read_metrics(path)] == [1, 2]
    assert read_last_metrics(path) == {"step": 2, **losses(2)}
    write_steps(path, range(3, 4))
    assert [r["step"] for r in read_metrics(path)] == [1, 2, 3]


def test_unreadable_lines_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "metrics.jsonl"
    path.write_text('{"step": 1}\nnot json\n[1]\n{"step": 2}\n')
    with caplog.at_level(logging.WARNING, logger=sinks.__name__):
        assert read_metrics(path) == [{"step": 1}, {"step": 2}]
    assert "skipped 2 unreadable lines" in caplog.text


def test_missing_file_reads_as_no_metrics(tmp_path: Path) -> None:
    assert read_metrics(tmp_path / "none.jsonl") == []
    assert read_last_metrics(tmp_path / "none.jsonl") is None


def test_short_metrics_shows_losses_only() -> None:
    metrics = {"d_loss": 0.6931, "g_loss": 12345.0, "g_l1": 0.2, "lr/d": 1e-4, "step_time": 1}
    assert short_metrics(metrics) == "d=0.693 g=1.23e+04"


def test_progress_bar_shows_losses_and_stays_quiet_off_a_terminal() -> None:
    stream = io.StringIO()
    sink = ProgressSink(total_steps=200, initial_step=100, stream=stream)
    for step in range(101, 201):
        sink.log(step, {"d_loss": 0.693, "g_loss": 0.712})
    sink.close()
    text = stream.getvalue()
    assert "200/200" in text
    assert "d=0.693 g=0.712" in text
    assert text.count("\r") <= 3  # a CI log gets a line or two, not one per step


def test_progress_bar_with_no_steps_draws_nothing() -> None:
    stream = io.StringIO()
    with ProgressSink(total_steps=0, stream=stream) as sink:
        sink.log(1, {"d_loss": 0.5})
    assert stream.getvalue() == ""


class FakeWriter:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def add_scalar(self, tag: str, scalar_value: float, global_step: int) -> None:
        self.calls.append(("scalar", tag, scalar_value, global_step))

    def add_text(self, tag: str, text_string: str, global_step: int) -> None:
        self.calls.append(("text", tag, text_string, global_step))

    def flush(self) -> None:
        self.calls.append(("flush",))

    def close(self) -> None:
        self.calls.append(("close",))


def test_tensorboard_sink_writes_scalars_and_events() -> None:
    writer = FakeWriter()
    with TensorBoardSink(Path("unused"), writer=writer) as sink:
        sink.log(5, {"d_loss": 0.5, "lr/d": 1e-4})
        sink.event("checkpoint", 5, path="step-00000005")
    assert writer.calls == [
        ("scalar", "d_loss", 0.5, 5),
        ("scalar", "lr/d", 1e-4, 5),
        ("text", "events", "checkpoint path=step-00000005", 5),
        ("flush",),
        ("close",),
    ]


def test_no_tensorboard_means_no_sink(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "tensorboard" else real(name)
    )
    with caplog.at_level(logging.DEBUG, logger=sinks.__name__):
        assert make_tensorboard_sink(tmp_path) is None
    assert "tensorboard is not installed" in caplog.text


class Recorder(MetricSink):
    def __init__(self, fail_close: bool = False) -> None:
        self.seen: list[Any] = []
        self.closed = False
        self.fail_close = fail_close

    def log(self, step: int, metrics: Any) -> None:
        self.seen.append((step, dict(metrics)))

    def event(self, kind: str, step: int, **data: Any) -> None:
        self.seen.append((kind, step, data))

    def close(self) -> None:
        self.closed = True
        if self.fail_close:
            raise OSError("disk gone")


def test_fan_out_forwards_and_closes_every_sink() -> None:
    first, broken, last = Recorder(), Recorder(fail_close=True), Recorder()
    fan = FanOut([first, broken, last])
    fan.log(1, {"d_loss": 0.5})
    fan.event("sample", 1, path="samples/step-1.png")
    with pytest.raises(OSError, match="disk gone"):
        fan.close()
    assert first.closed and broken.closed and last.closed
    assert last.seen == [(1, {"d_loss": 0.5}), ("sample", 1, {"path": "samples/step-1.png"})]


def test_base_sink_ignores_everything() -> None:
    with MetricSink() as sink:
        sink.log(1, {"d_loss": 0.5})
        sink.event("started", 0)
