"""A run on a graphgan server as the train panel follows it: each look returns what is new.

Nothing here imports Qt. Every call waits on the network, so the panel makes them on a worker
thread and draws what they return on the window's thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphgan.client import ServerClient
from graphgan.graph import Graph
from graphgan.graph.files import to_data

ACTIVE = ("queued", "running")  # states in which the server is still working on the run


@dataclass(frozen=True)
class Progress:
    """A run's state after one look, and what it logged since the look before."""

    state: str
    step: int
    total_steps: int
    message: str
    resumable: bool
    metrics: tuple[dict[str, Any], ...]
    sample: bytes | None  # the newest sample grid (PNG) when it is newer than the last one

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


class RemoteRun:
    """One run on the server at `client`, and how far the panel has read it."""

    def __init__(self, client: ServerClient, run_id: str) -> None:
        self.client = client
        self.id = run_id
        self._after = 0  # the last metrics step read
        self._sample = ""  # the name of the last sample grid fetched

    @classmethod
    def start(cls, client: ServerClient, graph: Graph, steps: int = 0) -> RemoteRun:
        """Queue a run of `graph` on the server; `steps` (when not 0) overrides its length."""
        options = {"steps": steps} if steps else {}
        info = client.start_run(to_data(graph), options)
        return cls(client, str(info["id"]))

    def look(self) -> Progress:
        """The run's state, the metrics logged since the last look, and a newer sample grid."""
        detail = self.client.run(self.id)
        records = self.client.metrics(self.id, self._after)
        if records:
            self._after = int(records[-1]["step"])
        return Progress(
            state=str(detail["state"]),
            step=int(detail["step"]),
            total_steps=int(detail["total_steps"]),
            message=str(detail.get("message", "")),
            resumable=bool(detail.get("resumable")),
            metrics=tuple(records),
            sample=self._newer_sample(detail.get("samples", [])),
        )

    def _newer_sample(self, names: list[str]) -> bytes | None:
        # Grids are named by step (step-00000120.png), so the greatest name is the newest.
        steps = sorted(name for name in names if name.startswith("step-"))
        if not steps or steps[-1] == self._sample:
            return None
        picture = self.client.sample(self.id, steps[-1])
        self._sample = steps[-1]
        return picture

    def stop(self) -> None:
        """Ask the server to stop the run after its current step, with a checkpoint."""
        self.client.stop(self.id)

    def resume(self, steps: int = 0) -> None:
        """Queue the stopped run again from its checkpoint; `steps` (not 0) is its new total."""
        self.client.resume(self.id, steps or None)
