"""Crash-safe file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any


def fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable; a no-op where folders cannot be opened."""
    if os.name == "nt":
        return  # Windows cannot open a folder for fsync; its renames are journaled.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a hidden sibling, fsync it, then rename it over `path`."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    fsync_dir(path.parent)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write `data` as indented, strict JSON (no NaN) with `write_bytes_atomic`."""
    text = json.dumps(data, indent=2, allow_nan=False, ensure_ascii=False) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"))
