"""The workspace: the one folder a server reads and writes, and the checks that keep it so.

Every path a client names is checked here before it is opened: a plain name (no separators,
no dot files, no `..`), resolved inside the workspace, and never through a symbolic link.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from graphgan.errors import GraphganError, UnknownNameError

# A name a client may give a graph, a run or a file in a run: no separators, no leading dot.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


class WorkspacePathError(GraphganError, ValueError):
    """A name or path that would leave the workspace, or pass through a symbolic link."""

    code = "path-outside-workspace"


@dataclass(frozen=True)
class Workspace:
    """The folder that holds `graphs/`, `runs/` and the run store `runs.sqlite`."""

    root: Path

    @classmethod
    def open(cls, folder: str | Path) -> Workspace:
        root = Path(folder).expanduser().resolve()
        if not root.is_dir():
            raise WorkspacePathError(f"workspace {root} is not a folder; create it first")
        workspace = cls(root)
        for sub in (workspace.graphs, workspace.runs):
            sub.mkdir(exist_ok=True)
            workspace.check_inside(sub)
        return workspace

    @property
    def graphs(self) -> Path:
        return self.root / "graphs"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def database(self) -> Path:
        return self.root / "runs.sqlite"

    def child(self, folder: Path, name: str, suffix: str = "") -> Path:
        """`folder/name+suffix`, once `name` is a plain name and the result stays inside."""
        check_name(name)
        path = folder / f"{name}{suffix}"
        self.check_inside(path)
        return path

    def check_inside(self, path: Path) -> Path:
        """`path` itself, if it and every folder above it up to the root are real, inside."""
        path = Path(os.path.abspath(path))
        try:
            relative = path.relative_to(self.root)
        except ValueError:
            raise WorkspacePathError(f"{path} is outside the workspace {self.root}") from None
        current = self.root
        for part in relative.parts:
            current = current / part
            if current.is_symlink():
                raise WorkspacePathError(
                    f"{current} is a symbolic link; the server follows none inside the workspace"
                )
        return path

    def data_path(self, text: str) -> Path:
        """An existing dataset folder, named relative to the workspace (or absolute inside)."""
        candidate = Path(text)
        if not candidate.is_absolute():
            candidate = self.root / candidate
        if ".." in candidate.parts:
            raise WorkspacePathError(f"dataset path {text!r} uses '..'; name a folder inside")
        folder = self.check_inside(candidate)
        if not folder.is_dir():
            raise UnknownNameError(
                f"{text!r} is neither an installed dataset nor a folder in the workspace"
            )
        return folder


def check_name(name: str) -> str:
    """`name` unchanged if it is a plain name; otherwise a WorkspacePathError saying why."""
    if not NAME.fullmatch(name) or ".." in name:
        raise WorkspacePathError(
            f"{name!r} is not a plain name: use letters, digits, '.', '_' and '-', starting "
            "with a letter or digit, at most 128 characters"
        )
    return name
