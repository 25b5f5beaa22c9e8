"""Export from the editor: the dialog writes the project as `graphgan export` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton

from graphgan.editor import edits
from graphgan.editor.document import Document
from graphgan.editor.export_dialog import ExportDialog
from graphgan.editor.window import EditorWindow
from graphgan.graph import dumps
from graphgan.graph.files import graph_from_data
from tests.training.gan import TINY_GAN


def export_dialog(qtbot: Any, tmp_path: Path, graph: Any = None) -> ExportDialog:
    """The dialog opened from File > Export..., its folder picked by a stand-in chooser."""
    document = Document(graph or graph_from_data(TINY_GAN), tmp_path / "tiny_gan.json")
    window = EditorWindow(document)
    qtbot.addWidget(window)
    action = next(a for a in window.menus.menus["&File"].actions() if a.text() == "&Export...")
    action.trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.chooser = lambda _parent, _start: tmp_path / "project"
    return dialog


def click(dialog: ExportDialog, text: str) -> None:
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == text)
    button.click()


def export(qtbot: Any, dialog: ExportDialog) -> None:
    """Press Export and wait for the worker to finish, as the user watches the dialog."""
    click(dialog, "Export")
    assert dialog.busy and not dialog.export_button.isEnabled()
    assert dialog.report.toPlainText().startswith("Exporting to ")
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert dialog.export_button.isEnabled()


def test_the_dialog_exports_the_graph_and_opens_the_folder(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = export_dialog(qtbot, tmp_path)
    assert dialog.folder.text() == str(tmp_path / "tiny_gan_project")
    assert not dialog.open_button.isEnabled()
    click(dialog, "Choose...")
    assert dialog.folder.text() == str(tmp_path / "project")

    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        export(qtbot, dialog)
    project = tmp_path / "project"
    names = {"models.py", "train.py", "recipe.json", "graph.json", "README.md", "data.npz"}
    assert {path.name for path in project.iterdir()} == names
    assert (project / "graph.json").read_text(encoding="utf-8") == dumps(dialog.document.graph)
    assert dialog.report.toPlainText().startswith(
        "Exported models.py, recipe.json, train.py, data.npz"
    )

    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    click(dialog, "Open folder")
    assert [url.toLocalFile() for url in opened] == [str(project)]


def test_a_folder_with_files_is_replaced_only_when_the_user_agrees(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "notes.txt").write_text("mine", encoding="utf-8")
    dialog = export_dialog(qtbot, tmp_path)
    dialog.folder.setText(str(project))
    dialog.embed.setChecked(False)
    answers = [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No]
    asked: list[str] = []

    def answer(_parent: Any, title: str, *args: Any) -> Any:
        asked.append(title)
        return answers.pop()

    monkeypatch.setattr(QMessageBox, "question", answer)
    export(qtbot, dialog)
    assert sorted(p.name for p in project.iterdir()) == ["notes.txt"]
    assert "holds files already" in dialog.report.toPlainText()
    assert dialog.result_ is None

    export(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)  # the replacing export
    assert dialog.result_ is not None and "data.npz" not in dialog.result_.files
    assert (project / "models.py").is_file() and (project / "notes.txt").is_file()
    assert asked == ["Replace the earlier export?"] * 2


def test_an_invalid_graph_shows_its_validation_report(qtbot: Any, tmp_path: Path) -> None:
    graph = edits.remove(graph_from_data(TINY_GAN), "generator", ["g_fc"])
    dialog = export_dialog(qtbot, tmp_path, graph)
    click(dialog, "Choose...")
    export(qtbot, dialog)

    report = dialog.report.toPlainText().splitlines()
    assert report[0].startswith("Not exported: the graph has ")
    assert any("g_tanh" in line and "not connected" in line for line in report[1:])
    assert not (tmp_path / "project").exists()
    assert not dialog.open_button.isEnabled()
