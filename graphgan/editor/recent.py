"""Recent files: the documents opened or saved lately, newest first, for the start page."""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

LIMIT = 8


def _store(folder: Path) -> Path:
    return folder / "recent.json"


def recent_files(folder: Path) -> list[Path]:
    """The remembered files that still exist, newest first."""
    try:
        names = json.loads(_store(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(names, list):
        return []
    return [Path(name) for name in names if isinstance(name, str) and Path(name).is_file()]


def remember(folder: Path, path: Path) -> None:
    """Put `path` first in the list; a list that cannot be written is only logged."""
    entry = path.resolve()
    kept = [p for p in recent_files(folder) if p != entry][: LIMIT - 1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _store(folder).write_text(json.dumps([str(p) for p in [entry, *kept]]), encoding="utf-8")
    except OSError as error:
        log.warning("cannot record %s as a recent file: %s", path, error)
