"""Autosave: a copy of unsaved work written every little while, offered back after a crash.

The copy lives apart from the document (in the user's cache folder), so it never overwrites a
file the user has not saved; saving the document, or closing without saving, removes it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from graphgan.graph import Graph, save

log = logging.getLogger(__name__)

INTERVAL_MS = 30_000


def state_folder() -> Path:
    """Where the editor keeps its own files: $GRAPHGAN_EDITOR_STATE, else the user's cache."""
    setting = os.environ.get("GRAPHGAN_EDITOR_STATE")
    if setting:
        return Path(setting)
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "graphgan" / "editor"


def default_folder() -> Path:
    return state_folder() / "autosave"


def copy_path(folder: Path, document: Path | None) -> Path:
    """Where the autosaved copy of `document` goes; one per file, one for unsaved work."""
    if document is None:
        return folder / "unsaved.json"
    digest = hashlib.sha256(str(document.resolve()).encode("utf-8")).hexdigest()[:12]
    return folder / f"{document.stem}-{digest}.json"


def write(folder: Path, document: Path | None, graph: Graph) -> Path | None:
    """Write the copy; None (logged) if the cache folder cannot be written."""
    target = copy_path(folder, document)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        save(graph, target)
    except OSError as error:
        log.warning("cannot autosave to %s: %s", target, error)
        return None
    return target


def discard(folder: Path, document: Path | None) -> None:
    copy_path(folder, document).unlink(missing_ok=True)


def recovery(folder: Path, document: Path | None) -> Path | None:
    """An autosaved copy newer than the document's file, left behind by a crash."""
    copy = copy_path(folder, document)
    if not copy.is_file():
        return None
    saved_later = (
        document is not None
        and document.is_file()
        and copy.stat().st_mtime <= document.stat().st_mtime
    )
    return None if saved_later else copy
