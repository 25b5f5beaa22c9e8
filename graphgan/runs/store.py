"""The run store: every run and every event it emitted, in one SQLite file in the workspace.

The server and each worker process open their own connection; SQLite's write-ahead log lets
them write while a client replays a run's event stream.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from graphgan.errors import GraphganError

State = Literal["queued", "running", "finished", "failed", "interrupted"]
ACTIVE: tuple[State, ...] = ("queued", "running")
# A run in one of these states may be queued again; a finished one only to run longer.
RESUMABLE: tuple[State, ...] = ("interrupted", "failed")
# The last event of a run's stream, until the run is queued again.
FINAL_EVENTS = ("finished", "failed", "interrupted")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    graph_name TEXT NOT NULL,
    graph TEXT NOT NULL,
    options TEXT NOT NULL,
    mode TEXT NOT NULL DEFAULT 'train',
    state TEXT NOT NULL,
    step INTEGER NOT NULL DEFAULT 0,
    total_steps INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    metrics TEXT NOT NULL DEFAULT '{}',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    step INTEGER NOT NULL,
    data TEXT NOT NULL,
    time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_run ON events (run_id, seq);
"""


class RunNotFoundError(GraphganError, KeyError):
    """A run id the store does not hold."""

    code = "run-unknown"

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.code


class RunStateError(GraphganError, ValueError):
    """An action the run's state does not allow (deleting a running run, resuming a queued one)."""

    code = "run-state"


@dataclass(frozen=True)
class RunRecord:
    """One run as the store holds it; `options` are the training options it was started with."""

    id: str
    graph_name: str
    graph: str
    options: dict[str, Any]
    mode: Literal["train", "resume"]
    state: State
    step: int
    total_steps: int
    message: str
    metrics: dict[str, Any]
    created: datetime
    updated: datetime

    @property
    def resumable(self) -> bool:
        return self.state in RESUMABLE


@dataclass(frozen=True)
class EventRecord:
    """One event of a run's stream; `seq` orders all events of the store."""

    seq: int
    run_id: str
    kind: str
    step: int
    data: dict[str, Any]
    time: datetime


def now() -> datetime:
    return datetime.now(timezone.utc)


class RunStore:
    """Runs and their events; safe to share between threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        with self._write() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._db:
            yield self._db

    def _rows(self, query: str, *args: Any) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(query, args).fetchall()

    # Runs --------------------------------------------------------------------------------

    def create(self, run_id: str, graph_name: str, graph: str, options: dict[str, Any]) -> None:
        """Record a new run, queued, with its `queued` event."""
        stamp = now().isoformat()
        with self._write() as db:
            db.execute(
                "INSERT INTO runs (id, graph_name, graph, options, state, created, updated) "
                "VALUES (?, ?, ?, ?, 'queued', ?, ?)",
                (run_id, graph_name, graph, json.dumps(options), stamp, stamp),
            )
            _insert_event(db, run_id, "queued", 0, {})

    def get(self, run_id: str) -> RunRecord:
        rows = self._rows("SELECT * FROM runs WHERE id = ?", run_id)
        if not rows:
            raise RunNotFoundError(f"no run with id '{run_id}' in this workspace")
        return _run(rows[0])

    def runs(self) -> list[RunRecord]:
        """Every run, newest first."""
        return [_run(row) for row in self._rows("SELECT * FROM runs ORDER BY created DESC, id")]

    def next_queued(self, busy: Collection[str] = ()) -> RunRecord | None:
        """The run queued longest, other than `busy` ones (whose last worker is still ending)."""
        rows = self._rows("SELECT * FROM runs WHERE state = 'queued' ORDER BY updated")
        return next((_run(row) for row in rows if row["id"] not in busy), None)

    def claim(self, run_id: str) -> bool:
        """Mark a queued run running; False if another scheduler took it first."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE runs SET state = 'running', updated = ? WHERE id = ? AND state = 'queued'",
                (now().isoformat(), run_id),
            )
            return cursor.rowcount == 1

    def set_state(
        self, run_id: str, state: State, message: str = "", total_steps: int | None = None
    ) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE runs SET state = ?, message = ?, updated = ?, "
                "total_steps = COALESCE(?, total_steps) WHERE id = ?",
                (state, message, now().isoformat(), total_steps, run_id),
            )

    def progress(self, run_id: str, step: int, metrics: dict[str, Any]) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE runs SET step = ?, metrics = ?, updated = ? WHERE id = ?",
                (step, json.dumps(metrics), now().isoformat(), run_id),
            )

    def requeue(self, run_id: str, options: dict[str, Any]) -> None:
        """Queue a stopped run again, to continue from its latest checkpoint."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE runs SET state = 'queued', mode = 'resume', options = ?, message = '', "
                "updated = ? WHERE id = ? AND state NOT IN ('queued', 'running')",
                (json.dumps(options), now().isoformat(), run_id),
            )
            if cursor.rowcount != 1:
                raise RunStateError(f"run '{run_id}' is queued or running; stop it first")
            _insert_event(db, run_id, "queued", 0, {"resume": True})

    def delete(self, run_id: str) -> None:
        with self._write() as db:
            cursor = db.execute(
                "DELETE FROM runs WHERE id = ? AND state NOT IN ('queued', 'running')", (run_id,)
            )
            if cursor.rowcount != 1:
                raise RunStateError(f"run '{run_id}' is queued or running; stop it first")

    def recover(self) -> list[str]:
        """After a restart: runs left running are marked interrupted, and so resumable."""
        message = "the server stopped while this run trained; resume it to continue"
        with self._write() as db:
            ids = [row[0] for row in db.execute("SELECT id FROM runs WHERE state = 'running'")]
            for run_id in ids:
                db.execute(
                    "UPDATE runs SET state = 'interrupted', message = ?, updated = ? WHERE id = ?",
                    (message, now().isoformat(), run_id),
                )
                _insert_event(db, run_id, "interrupted", -1, {"reason": message})
        return ids

    # Events ------------------------------------------------------------------------------

    def add_event(self, run_id: str, kind: str, step: int, data: dict[str, Any]) -> int:
        with self._write() as db:
            return _insert_event(db, run_id, kind, step, data)

    def events(self, run_id: str, after: int = 0, limit: int = 1000) -> list[EventRecord]:
        rows = self._rows(
            "SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            run_id,
            after,
            limit,
        )
        return [_event(row) for row in rows]


def _insert_event(
    db: sqlite3.Connection, run_id: str, kind: str, step: int, data: dict[str, Any]
) -> int:
    if step < 0:  # the run's last known step, for events the store itself writes
        found = db.execute("SELECT step FROM runs WHERE id = ?", (run_id,)).fetchone()
        step = int(found[0]) if found else 0
    cursor = db.execute(
        "INSERT INTO events (run_id, kind, step, data, time) VALUES (?, ?, ?, ?, ?)",
        (run_id, kind, step, json.dumps(data), now().isoformat()),
    )
    return int(cursor.lastrowid or 0)


def _run(row: sqlite3.Row) -> RunRecord:
    return RunRecord(
        id=row["id"],
        graph_name=row["graph_name"],
        graph=row["graph"],
        options=json.loads(row["options"]),
        mode=row["mode"],
        state=row["state"],
        step=row["step"],
        total_steps=row["total_steps"],
        message=row["message"],
        metrics=json.loads(row["metrics"]),
        created=datetime.fromisoformat(row["created"]),
        updated=datetime.fromisoformat(row["updated"]),
    )


def _event(row: sqlite3.Row) -> EventRecord:
    return EventRecord(
        seq=row["seq"],
        run_id=row["run_id"],
        kind=row["kind"],
        step=row["step"],
        data=json.loads(row["data"]),
        time=datetime.fromisoformat(row["time"]),
    )
