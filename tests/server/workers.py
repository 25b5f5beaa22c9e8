"""Stand-ins for the worker entry point, run in spawned processes by the queue tests."""

from __future__ import annotations

import os
from typing import Any


def die(database: str, run_dir: str, run_id: str, stop: Any, gpu: int | None) -> None:
    """A worker that crashes as native code would: no exception, no cleanup."""
    os._exit(3)
