"""`graphgan edit`: the screenshot mode, and the message when the editor is not installed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from graphgan.cli import edit_commands
from graphgan.cli.main import main
from graphgan.editor.document import unanalysed
from graphgan.editor.launch import open_window
from graphgan.graph import save
from graphgan.templates import open_document, template_names


def test_screenshot_of_a_template_writes_a_png(qtbot: Any, tmp_path: Path, capsys: Any) -> None:
    picture = tmp_path / "shots" / "cgan.png"
    assert main(["edit", "cgan", "--screenshot", str(picture)]) == 0

    image = QImage(str(picture))
    assert (image.width(), image.height()) == (1920, 1080)
    assert capsys.readouterr().out == f"screenshot: {picture}\n"


def test_a_template_opens_as_an_unsaved_copy(qtbot: Any) -> None:
    window = open_window("cgan")
    qtbot.addWidget(window)
    assert window.document.path is None
    assert list(window.canvases) == ["generator", "discriminator"]
    assert len(window.canvases["generator"].nodes) == 16
    assert window.document.analysis.valid


def test_a_file_opens_with_its_path(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    save(open_document("cgan"), path)
    window = open_window(str(path))
    qtbot.addWidget(window)
    assert window.document.path == path
    assert "mine.json" in window.windowTitle()


def test_an_unknown_document_is_reported(capsys: Any) -> None:
    assert main(["edit", "no_such_template", "--screenshot", "x.png"]) == 2
    assert "no template named 'no_such_template'" in capsys.readouterr().err


def test_without_qt_the_command_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setattr(edit_commands, "find_spec", lambda name: None)
    assert main(["edit", "cgan"]) == 2
    assert "pip install graphgan[editor]" in capsys.readouterr().err


@pytest.mark.parametrize("name", template_names())
def test_every_template_opens_and_draws(qtbot: Any, name: str) -> None:
    window = open_window(name)
    qtbot.addWidget(window)
    window.show()
    image = window.grab()
    assert not image.isNull()
    graph = window.document.graph
    assert list(window.canvases) == list(graph.networks)
    drawn = unanalysed(graph).networks  # without the nodes the variables leave out
    for network, canvas in window.canvases.items():
        assert set(canvas.nodes) == set(drawn[network].nodes)
        assert len(canvas.wires) == len(drawn[network].edges)


def test_the_cli_and_the_editor_package_import_no_qt() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from graphgan.cli.main import build_parser\n"
        "build_parser().parse_args(['edit', 'cgan'])\n"
        "import graphgan.editor\n"
        "qt = [m for m in sys.modules if m.startswith(('PySide6', 'qtpy', 'nodeeditor'))]\n"
        "print(qt)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
