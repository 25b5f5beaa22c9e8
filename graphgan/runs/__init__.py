"""Runs: the run store (SQLite), the queue of worker processes and each run's event stream.

Shared by the server and the editor, so both see the same runs of a workspace.
"""

from graphgan.runs.events import EVENT_KINDS, StoreSink
from graphgan.runs.queue import RunQueue, default_concurrency
from graphgan.runs.store import (
    ACTIVE,
    FINAL_EVENTS,
    EventRecord,
    RunNotFoundError,
    RunRecord,
    RunStateError,
    RunStore,
)
from graphgan.runs.workspace import Workspace, WorkspacePathError, check_name

__all__ = [
    "ACTIVE",
    "EVENT_KINDS",
    "FINAL_EVENTS",
    "EventRecord",
    "RunNotFoundError",
    "RunQueue",
    "RunRecord",
    "RunStateError",
    "RunStore",
    "StoreSink",
    "Workspace",
    "WorkspacePathError",
    "check_name",
    "default_concurrency",
]
