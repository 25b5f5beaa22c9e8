"""The event stream of a run: what the training loop reports, recorded in the run store.

A `StoreSink` turns the loop's metric and event calls into store rows: `started`, `metrics`
every N steps, `sample`, `checkpoint`, `finished`, `failed` with the reason, `interrupted`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graphgan.runs.store import RunStore, State
from graphgan.training.sinks import MetricSink, json_number

# Every kind of event a run's stream may carry, in the order a run usually emits them.
EVENT_KINDS = (
    "queued",
    "started",
    "metrics",
    "sample",
    "checkpoint",
    "finished",
    "failed",
    "interrupted",
)


class StoreSink(MetricSink):
    """Records one run's progress and events in the store, for the server's stream."""

    def __init__(self, store: RunStore, run_id: str, every: int) -> None:
        self.store, self.run_id, self.every = store, run_id, max(1, every)
        self.total = 0
        self.failed = False

    def log(self, step: int, metrics: Mapping[str, float]) -> None:
        if step % self.every != 0 and step != self.total:
            return
        values = {name: json_number(value) for name, value in metrics.items()}
        self.store.progress(self.run_id, step, values)
        self.store.add_event(self.run_id, "metrics", step, {"metrics": values})

    def event(self, kind: str, step: int, **data: Any) -> None:
        if kind == "started":
            self.total = int(data.get("total_steps", 0))
            self.store.set_state(self.run_id, "running", total_steps=self.total)
            self.store.add_event(self.run_id, kind, step, {"total_steps": self.total})
        elif kind in ("sample", "checkpoint"):
            # Clients fetch files by name through the server, never by a path on its disk.
            name = Path(str(data.get("path", ""))).name
            self.store.add_event(self.run_id, kind, step, {"file": name})
        elif kind == "failed":
            self.failed = True
            self.record_failure(step, str(data.get("reason", "")))
        elif kind == "finished":
            self._end(step, "finished", "")
        elif kind == "interrupted":
            self._end(step, "interrupted", "stopped with a checkpoint; resume it to continue")

    def record_failure(self, step: int, reason: str) -> None:
        self.store.set_state(self.run_id, "failed", reason)
        self.store.add_event(self.run_id, "failed", step, {"reason": reason})

    def _end(self, step: int, state: State, message: str) -> None:
        self.store.progress(self.run_id, step, self.store.get(self.run_id).metrics)
        self.store.set_state(self.run_id, state, message)
        self.store.add_event(self.run_id, state, step, {})
