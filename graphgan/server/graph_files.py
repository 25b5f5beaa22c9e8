"""Graph files in the workspace's `graphs/` folder, each write checked against a version.

The version is a hash of the file's text, so two clients that read the same version cannot
both write: the second gets a conflict and re-reads, whichever process changed the file.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from graphgan.graph import Graph, dumps
from graphgan.runs import Workspace, WorkspacePathError
from graphgan.server.errors import ConflictError, GraphNotFoundError


@dataclass(frozen=True)
class GraphFile:
    name: str
    text: str
    version: str
    updated: datetime


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class GraphFiles:
    """Read, create, update and delete `graphs/<name>.json`, one writer at a time."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._lock = threading.Lock()

    def path(self, name: str) -> Path:
        return self.workspace.child(self.workspace.graphs, name, ".json")

    def names(self) -> list[str]:
        found = []
        for path in sorted(self.workspace.graphs.glob("*.json")):
            try:
                self.path(path.stem)
            except WorkspacePathError:
                continue  # a symbolic link or an odd name: not the server's to serve
            if path.is_file():
                found.append(path.stem)
        return found

    def read(self, name: str) -> GraphFile:
        path = self.path(name)
        try:
            text = path.read_text(encoding="utf-8")
            stamp = path.stat().st_mtime
        except (FileNotFoundError, IsADirectoryError):
            raise GraphNotFoundError(f"no graph named '{name}' in the workspace") from None
        updated = datetime.fromtimestamp(stamp, timezone.utc)
        return GraphFile(name, text, version_of(text), updated)

    def create(self, name: str, graph: Graph) -> GraphFile:
        path, text = self.path(name), dumps(graph)
        with self._lock:
            try:
                # O_EXCL: an existing file, or a link planted under this name, is refused.
                handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                raise ConflictError(f"a graph named '{name}' exists; update it instead") from None
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
        return self.read(name)

    def update(self, name: str, version: str, graph: Graph) -> GraphFile:
        text = dumps(graph)
        with self._lock:
            current = self.read(name)
            _check_version(current, version)
            _write_atomic(self.path(name), text)
        return self.read(name)

    def delete(self, name: str, version: str | None) -> None:
        with self._lock:
            current = self.read(name)
            if version is not None:
                _check_version(current, version)
            self.path(name).unlink()


def _check_version(current: GraphFile, version: str) -> None:
    if current.version != version:
        raise ConflictError(
            f"graph '{current.name}' changed since version {version} was read (now "
            f"{current.version}); read it again and reapply the change"
        )


def _write_atomic(path: Path, text: str) -> None:
    staging = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)
