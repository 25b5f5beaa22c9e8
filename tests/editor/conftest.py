"""Editor tests: a real window on Qt's offscreen platform, driven with mouse and keyboard events."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("nodeeditor")

from PySide6.QtWidgets import QMessageBox

from graphgan.editor import document as document_module
from graphgan.editor import edits
from graphgan.editor.document import Document
from graphgan.editor.layout import arrange
from graphgan.editor.window import EditorWindow
from graphgan.graph import Graph


def laid_out(graph: Graph) -> Graph:
    """The graph with every network arranged, so nodes do not overlap on the canvas."""
    for name, net in graph.networks.items():
        graph = edits.move(graph, name, arrange(net))
    return graph


@pytest.fixture(autouse=True)
def autosave_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Autosaved copies and recent files go to the test's own folder, never the user's."""
    monkeypatch.setenv("GRAPHGAN_EDITOR_STATE", str(tmp_path / "editor-state"))
    return tmp_path / "editor-state" / "autosave"


@pytest.fixture(autouse=True)
def analysis_within_the_edit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every edit waits for its analysis, so a test checks the result right after the edit.

    On a busy machine a tiny graph's analysis can miss the window's few milliseconds and
    arrive a moment later; test_background.py covers that path, waiting as a user would.
    """
    monkeypatch.setattr(document_module, "WAIT_S", 30.0)


@pytest.fixture(autouse=True)
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog would hang a test; a test that expects one patches it itself."""

    def unexpected(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("question", "critical", "information", "warning"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture
def window(qtbot: Any, tiny: Graph) -> Iterator[EditorWindow]:
    """The editor showing the shared tiny graph, laid out."""
    shown = EditorWindow(Document(laid_out(tiny)))
    shown.resize(1200, 800)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.document.undo_stack.setClean()  # closing must not ask to save
    shown.close()
    shown.deleteLater()
