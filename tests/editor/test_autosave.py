"""Autosave and recovery after a crash."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from graphgan.editor import autosave, edits
from graphgan.editor.document import Document
from graphgan.editor.window import EditorWindow
from graphgan.graph import Graph, load, save


def test_unsaved_changes_are_autosaved_and_removed_on_save(
    qtbot: Any, tiny: Graph, tmp_path: Path, autosave_folder: Path
) -> None:
    path = tmp_path / "tiny.json"
    save(tiny, path)
    window = EditorWindow(Document.open(path))
    qtbot.addWidget(window)
    assert window.autosave() is None  # nothing unsaved yet

    window.document.edit("add", edits.add_node(tiny, "generator", "nn.Tanh", (0, 0))[0])
    copy = window.autosave()
    assert copy is not None and copy.parent == autosave_folder
    assert [n.id for n in load(copy).networks["generator"].nodes][-1] == "g_tanh_1"

    assert window.save()
    assert not copy.exists()


def test_a_crashed_sessions_changes_are_offered_back(
    qtbot: Any, tiny: Graph, tmp_path: Path, autosave_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tiny.json"
    save(tiny, path)
    changed, _ = edits.add_node(tiny, "generator", "nn.Tanh", (0, 0))
    copy = autosave.write(autosave_folder, path, changed)
    assert copy is not None
    os.utime(copy, (path.stat().st_mtime + 5, path.stat().st_mtime + 5))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    window = EditorWindow()
    qtbot.addWidget(window)
    assert window.open_file(path)
    assert window.document.graph == changed and window.isWindowModified()
    window.undo()
    assert window.document.graph == load(path)
    window.document.undo_stack.setClean()


def test_declining_recovery_removes_the_copy(
    qtbot: Any, tiny: Graph, tmp_path: Path, autosave_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = autosave.write(autosave_folder, None, tiny)
    assert copy is not None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window = EditorWindow()
    qtbot.addWidget(window)
    assert not window.offer_recovery()
    assert not copy.exists()


def test_an_older_copy_than_the_file_is_not_offered(
    tiny: Graph, tmp_path: Path, autosave_folder: Path
) -> None:
    path = tmp_path / "tiny.json"
    copy = autosave.write(autosave_folder, path, tiny)
    assert copy is not None
    save(tiny, path)
    os.utime(copy, (path.stat().st_mtime - 5, path.stat().st_mtime - 5))
    assert autosave.recovery(autosave_folder, path) is None
