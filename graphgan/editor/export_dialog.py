"""The export dialog: writes the open graph as a standalone project, as `graphgan export` does.

The project is written by `graphgan.export.project.export_project`, the CLI's own function, so
the editor and `graphgan export` give the same files; it runs on a worker thread, so the
window stays live while a dataset is embedded. A folder that holds files already is
replaced only once the user agrees; a graph with errors is not exported, and its whole
validation report is shown instead.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from graphgan.editor import background
from graphgan.editor.document import Document
from graphgan.errors import GraphganError, GraphInvalidError

if TYPE_CHECKING:
    from graphgan.export import ExportResult

log = logging.getLogger(__name__)

_jobs_started = itertools.count(1)


def choose_folder(parent: QWidget, start: Path) -> Path | None:
    """Ask for the project folder with Qt's folder dialog; None if the user cancels."""
    chosen = QFileDialog.getExistingDirectory(parent, "Export to folder", str(start))
    return Path(chosen) if chosen else None


def default_folder(document: Document) -> Path:
    """Where the project goes unless the user picks elsewhere: beside the document's file."""
    slug = re.sub(r"[^a-z0-9]+", "_", document.graph.name.lower()).strip("_") or "graph"
    base = document.path.parent if document.path else Path.cwd()
    return base / f"{slug}_project"


class ExportDialog(QDialog):
    """The folder to write, whether to embed the dataset, and what the export did."""

    exported = Signal(object)  # the ExportResult

    def __init__(
        self,
        document: Document,
        parent: QWidget | None = None,
        chooser: Callable[[QWidget, Path], Path | None] = choose_folder,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export {document.graph.name}")
        self.document = document
        self.chooser = chooser  # tests give their own, so no real file dialog opens
        self.result_: ExportResult | None = None
        self._job: tuple[int, Path, bool] | None = None  # the export running: number, out, force
        self._queue = background.jobs("export")
        self._queue.finished.connect(self._finished)
        self._build()
        self.folder.setText(str(default_folder(document)))

    def _build(self) -> None:
        self.folder = QLineEdit(self)
        browse = QPushButton("Choose...", self)
        self.embed = QCheckBox("Embed the dataset (data.npz)", self)
        self.embed.setChecked(True)
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setToolTip("The seed the dataset is prepared with, as `graphgan train --seed`")
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(
            "models.py, train.py, recipe.json, the data and the graph, in a folder you own."
        )
        self.export_button = QPushButton("Export", self)
        self.export_button.setDefault(True)
        self.open_button = QPushButton("Open folder", self)
        self.open_button.setEnabled(False)
        close = QPushButton("Close", self)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(QLabel("Project folder", self), folder_row)
        form.addRow("", self.embed)
        form.addRow(QLabel("Data seed", self), self.seed)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.export_button, self.open_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.report, 1)
        layout.addLayout(buttons)
        self.resize(640, 380)

        browse.clicked.connect(self.browse)
        self.export_button.clicked.connect(self.export)
        self.open_button.clicked.connect(self.open_folder)
        close.clicked.connect(self.reject)

    def browse(self) -> None:
        chosen = self.chooser(self, Path(self.folder.text() or Path.cwd()))
        if chosen is not None:
            self.folder.setText(str(chosen))

    @property
    def busy(self) -> bool:
        return self._job is not None

    def export(self) -> bool:
        """Start writing the project; False, with the reason shown, if it cannot start."""
        text = self.folder.text().strip()
        if not text:
            self._show("Choose a folder to export to.")
            return False
        if self.busy:
            return False
        self._start(Path(text).expanduser(), force=False)
        return True

    def _start(self, out: Path, force: bool) -> None:
        # The export runs on a worker: embedding a dataset can take seconds. graphgan.export
        # (and its templating) loads on the first export, not with the window.
        from graphgan.export import ExportOptions, export_project

        options = ExportOptions(force=force, data=self.embed.isChecked(), seed=self.seed.value())
        self._job = (next(_jobs_started), out, force)
        self._queue.submit(self._job, export_project, self.document.graph, out, options)
        self.export_button.setEnabled(False)
        self._show(f"Exporting to {out} ...")

    def _finished(self, token: object, future: Future[ExportResult]) -> None:
        from graphgan.export import OutputFolderError

        if token != self._job or self._job is None:
            return  # another dialog's export
        _, out, force = self._job
        self._job = None
        self.export_button.setEnabled(True)
        try:
            result = future.result()
        except OutputFolderError:
            # Validated and rendered: only the folder is in the way.
            if not force and self._may_replace(out):
                self._start(out, force=True)
            else:
                self._show(f"Not exported: {out} holds files already; choose another folder.")
            return
        except (GraphganError, OSError) as error:
            self._failed(error)
            return
        self.result_ = result
        self.open_button.setEnabled(True)
        self._show(f"Exported {', '.join(result.files)} to {result.out}")
        log.info("exported %s from the editor", result.out)
        self.exported.emit(result)

    def _may_replace(self, out: Path) -> bool:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            "Replace the earlier export?",
            f"{out} is not empty. Replace the project files there? Files an export never "
            "writes are left alone.",
            buttons.Yes | buttons.No,
            buttons.No,
        )
        return answer == buttons.Yes

    def _failed(self, error: GraphganError | OSError) -> None:
        if not isinstance(error, GraphInvalidError):
            self._show(f"Not exported: {error}")
            return
        # Every problem, as `graphgan validate` lists them, so all can be fixed in one go.
        lines = [str(diagnostic) for diagnostic in error.report]
        count = len(error.report.errors)
        self._show("\n".join([f"Not exported: the graph has {count} error(s).", *lines]))

    def _show(self, text: str) -> None:
        self.report.setPlainText(text)

    def open_folder(self) -> bool:
        """Show the exported project in the desktop's file manager."""
        if self.result_ is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_.out)))
