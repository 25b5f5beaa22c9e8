"""`graphgan edit` without a file: the start page with templates and recent files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from graphgan.editor.launch import open_window
from graphgan.editor.recent import LIMIT, recent_files, remember
from graphgan.editor.start_page import NAME_ROLE
from graphgan.graph import Graph, save
from graphgan.templates import template_names


def test_without_a_file_the_start_page_offers_the_templates(qtbot: Any) -> None:
    window = open_window(None)
    qtbot.addWidget(window)
    page = window.start_page
    assert window.central.currentWidget() is page
    assert window.current_canvas() is None
    # The empty document's analysis can arrive behind the page (in a fresh process it comes
    # after the window is drawn): it has nothing to report there.
    window.document.replace(window.document.graph)
    window.document.settle()
    QApplication.processEvents()
    assert window.status.text() == ""
    names = [page.templates.item(i).data(NAME_ROLE) for i in range(page.templates.count())]
    assert names == template_names()

    page.templates.itemActivated.emit(page.templates.item(names.index("cgan")))
    assert window.central.currentWidget() is window.tabs
    assert window.document.graph.name == "Conditional GAN" and window.document.path is None
    window.document.settle()
    QApplication.processEvents()
    assert window.status.text().startswith("valid")


def test_files_opened_or_saved_become_recent(
    qtbot: Any, tiny: Graph, tmp_path: Path, autosave_folder: Path
) -> None:
    state = autosave_folder.parent
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    save(tiny, first)
    window = open_window(None)
    qtbot.addWidget(window)
    assert window.open_file(first)
    assert window.save_as(second)
    assert recent_files(state) == [second, first]

    window.show_start()
    page = window.start_page
    assert page.recent.item(0).text().startswith("second.json")
    page.recent.itemActivated.emit(page.recent.item(1))
    assert window.document.path == first


def test_the_recent_list_is_short_and_skips_missing_files(tiny: Graph, tmp_path: Path) -> None:
    state = tmp_path / "state"
    for index in range(LIMIT + 3):
        path = tmp_path / f"g{index}.json"
        save(tiny, path)
        remember(state, path)
    files = recent_files(state)
    assert len(files) == LIMIT and files[0].name == f"g{LIMIT + 2}.json"
    files[0].unlink()
    assert recent_files(state)[0].name == f"g{LIMIT + 1}.json"


def test_a_template_with_a_samples_picture_shows_it(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QColor, QImage

    from graphgan.editor import start_page

    picture = QImage(280, 280, QImage.Format.Format_RGB32)
    picture.fill(QColor("#3080d0"))
    assert picture.save(str(tmp_path / "cgan.png"))
    (tmp_path / "infogan.png").write_bytes(b"not a png")  # unreadable: no picture
    monkeypatch.setattr(start_page, "PICTURES_DIR", tmp_path)

    window = open_window(None)
    qtbot.addWidget(window)
    templates = window.start_page.templates
    icons = {
        templates.item(i).data(NAME_ROLE): templates.item(i).icon()
        for i in range(templates.count())
    }
    assert not icons["cgan"].isNull()
    shown = icons["cgan"].pixmap(start_page.SAMPLE_SIZE).toImage()
    assert shown.pixelColor(shown.width() // 2, shown.height() // 2) == QColor("#3080d0")
    assert [name for name, icon in icons.items() if not icon.isNull()] == ["cgan"]
