"""Starting the editor: the Qt application, the first document, and screenshots of the window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from graphgan.editor.document import Document
from graphgan.editor.window import EditorWindow
from graphgan.registry import default_registry_loaded
from graphgan.templates import graph_dir, resolve_document

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (1920, 1080)


def application() -> QApplication:
    """The running QApplication, created on first use."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("graphgan editor")
    return app


def open_window(name_or_path: str | None = None, recover: bool = True) -> EditorWindow:
    """A window showing a file, a shipped template (as an unsaved copy) or a new document.

    With `recover`, changes autosaved before a crash are offered back. In a fresh process
    the window draws the document first and analyses it once drawn: the analysis loads the
    plugin packs, which import torch and take a second or more. With the packs loaded, the
    analysis takes milliseconds, so the first drawing already shows it.
    """
    application()
    document = None
    if name_or_path is not None:
        path = resolve_document(name_or_path)
        document = Document.open(path, deferred=True)
        if default_registry_loaded():
            document.settle()
        if path.resolve().parent == graph_dir().resolve():
            # A template is a starting point: saving asks for a new file, never overwrites it.
            document.path = None
    window = EditorWindow(document)
    if document is None:
        window.show_start()
    if recover:
        window.offer_recovery()
    return window


def screenshot(window: EditorWindow, path: Path) -> Path:
    """Draw the window at its documented size, fit every canvas, and save it as a PNG."""
    app = application()
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    window.document.settle()  # the picture shows the analysed graph: shapes, counts, problems
    # Let the docks settle at their sizes before fitting the canvases and drawing.
    for _ in range(3):
        app.processEvents()
    window.zoom_all()
    app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path), "PNG"):
        raise OSError(f"cannot write the screenshot {path}")
    log.info("screenshot written to %s", path)
    return path


def run(name_or_path: str | None, screenshot_path: Path | None = None) -> int:
    """Open the editor; with a screenshot path, save a picture of the window and return."""
    app = application()
    window = open_window(name_or_path, recover=screenshot_path is None)
    if screenshot_path is not None:
        screenshot(window, screenshot_path)
        window.hide()
        return 0
    window.show()
    return int(app.exec())
