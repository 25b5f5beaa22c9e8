"""Stand-ins for the worker entry point, run in spawned processes by the queue tests."""

from __future__ import annotations

import os
from typing import Any


def die(
    database: str, run_dir: str, run_id: str, stop: Any, gpu: int | None, threads: int | None
) -> None:
    """A worker that crashes as native code would: no exception, no cleanup."""
    os._exit(3)


def report_threads(
    database: str, run_dir: str, run_id: str, stop: Any, gpu: int | None, threads: int | None
) -> None:
    """A worker that writes down the CPU threads it was given, then crashes as `die` does."""
    os.makedirs(run_dir, exist_ok=True)
    with open(os.path.join(run_dir, "threads.txt"), "w", encoding="utf-8") as file:
        file.write(str(threads))
    os._exit(3)
