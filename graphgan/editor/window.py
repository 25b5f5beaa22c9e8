"""The editor window: a canvas per network in tabs, the palette, inspector, problems and
variables around it, and the menus and shortcuts that act on the open document.
"""

# Qt and the node editor library name their virtual methods and attributes in camelCase;
# an override must use the same name, so pep8-naming's rules cannot apply here.
# ruff: noqa: N802

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from graphgan.editor import autosave, edits, layout
from graphgan.editor.canvas import Canvas
from graphgan.editor.document import Document
from graphgan.editor.export_dialog import ExportDialog
from graphgan.editor.inspector import Inspector
from graphgan.editor.labels import parameter_text
from graphgan.editor.layout import arrange
from graphgan.editor.menus import Menus
from graphgan.editor.palette import Palette
from graphgan.editor.problems import ProblemsPanel
from graphgan.editor.recent import recent_files, remember
from graphgan.editor.start_page import StartPage
from graphgan.editor.train_panel import TrainPanel
from graphgan.editor.variables import VariablesPanel
from graphgan.errors import GraphganError
from graphgan.graph import Graph, Network, load
from graphgan.graph.variables import with_preset
from graphgan.registry import Registry, default_registry
from graphgan.templates import open_document

log = logging.getLogger(__name__)

MIME_FRAGMENT = "application/x-graphgan-fragment"
FILE_FILTER = "graphgan documents (*.json);;All files (*)"


def _tabs(parent: QWidget, pages: list[tuple[str, QWidget]]) -> QTabWidget:
    tabs = QTabWidget(parent)
    for title, page in pages:
        tabs.addTab(page, title)
    return tabs


def empty_graph() -> Graph:
    """A new document: an empty generator and discriminator to build on."""
    return Graph(
        name="untitled",
        networks={
            "generator": Network(role="generator"),
            "discriminator": Network(role="discriminator"),
        },
    )


class EditorWindow(QMainWindow):
    def __init__(
        self, document: Document | None = None, autosave_folder: Path | None = None
    ) -> None:
        super().__init__()
        self.autosave_folder = autosave_folder or autosave.default_folder()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(autosave.INTERVAL_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.document = document or Document(empty_graph())
        self.canvases: dict[str, Canvas] = {}
        self.tabs = QTabWidget(self)
        self.tabs.currentChanged.connect(lambda _index: self._show_selection())
        self.start_page = StartPage(self)
        self.start_page.template_chosen.connect(self.new_from_template)
        self.start_page.file_chosen.connect(self.open_file)
        self.start_page.new_chosen.connect(self.new_document)
        self.start_page.open_chosen.connect(self.open_file)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.tabs)
        self.central.addWidget(self.start_page)
        self.setCentralWidget(self.central)
        self._build_panels()
        self.status = QLabel(self)
        self.statusBar().addPermanentWidget(self.status)
        self.menus = Menus(self)
        self.undo_action, self.redo_action = self.menus.undo, self.menus.redo
        self.set_document(self.document)
        self.resize(1500, 900)

    def _build_panels(self) -> None:
        self.node_palette = Palette(self)
        self.inspector = Inspector(self.document, self)
        self.problems = ProblemsPanel(self.document, self)
        self.variables = VariablesPanel(self.document, self)
        self.train = TrainPanel(self.document, self)
        palette = self._dock("Palette", self.node_palette, Qt.DockWidgetArea.LeftDockWidgetArea)
        # Panels that share a dock are tabs inside it: with two groups of tabified docks, Qt
        # 6.12 draws a second, stray tab bar over the palette.
        self.side_tabs = _tabs(self, [("Inspector", self.inspector), ("Variables", self.variables)])
        self.bottom_tabs = _tabs(self, [("Problems", self.problems), ("Train", self.train)])
        inspector = self._dock("Inspector", self.side_tabs, Qt.DockWidgetArea.RightDockWidgetArea)
        problems = self._dock("Problems", self.bottom_tabs, Qt.DockWidgetArea.BottomDockWidgetArea)
        for dock in (inspector, problems):
            dock.setTitleBarWidget(QWidget(dock))  # the tabs name what the dock holds
        self._docks: tuple[QDockWidget, ...] = (palette, inspector, problems)
        self.panels = (palette, inspector, problems)
        self.node_palette.chosen.connect(self.add_kind)
        self.problems.jump.connect(self.focus_node)
        self.inspector.renamed.connect(self.focus_node)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._docks:
            # The canvas gets the room: narrow side panels, a few rows of problems. Docks
            # take sizes only once the window is laid out, so this waits for the first show.
            palette, inspector, problems = self._docks
            self.resizeDocks([palette, inspector], [200, 290], Qt.Orientation.Horizontal)
            self.resizeDocks([problems], [150], Qt.Orientation.Vertical)
            self._docks = ()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # The document.

    def set_document(self, document: Document) -> None:
        """Show `document` in every part of the window, replacing the one shown before."""
        old = self.document
        if old is not document:
            old.changed.disconnect(self._on_changed)
            old.saved.disconnect(self._update_title)
        self.document = document
        self.central.setCurrentWidget(self.tabs)
        for panel in self.panels:
            panel.show()
        self.tabs.clear()
        for canvas in self.canvases.values():
            canvas.deleteLater()
        self.canvases = {}
        for name, network in document.graph.networks.items():
            canvas = Canvas(document, name, self)
            canvas.selection_changed.connect(self._show_selection)
            # A document opened in a fresh process is drawn first and analysed after.
            canvas.view.first_drawn.connect(self._start_analysis)
            canvas.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
            self.canvases[name] = canvas
            title = name if name == network.role else f"{name} ({network.role})"
            self.tabs.addTab(canvas, title)
            self.tabs.setTabToolTip(self.tabs.count() - 1, network.description or network.role)
        self.inspector.set_document(document)
        self.problems.set_document(document)
        self.variables.set_document(document)
        self.train.set_document(document)
        document.changed.connect(self._on_changed)
        document.saved.connect(self._update_title)
        self._rebind_history()
        self._on_changed()
        self.zoom_all()

    def _start_analysis(self) -> None:
        # After the paint, not inside it: the worker loading the plugin packs holds the
        # interpreter for most of a second, which would stall the rest of this first frame.
        QTimer.singleShot(0, self.document.start)

    @property
    def registry(self) -> Registry:
        """The installed plugin packs (loaded by the first analysis, or now if it is not done)."""
        return default_registry()

    def _on_changed(self) -> None:
        if self.document.analysed and not self.node_palette.filled:
            # The packs are loaded now: the first analysis needed them.
            self.node_palette.fill(self.registry)
        self.node_palette.set_blocks(self.document.graph.blocks)
        self.inspector.refresh()
        self.problems.refresh()
        count = len(self.document.analysis.report)
        self.bottom_tabs.setTabText(0, f"Problems ({count})" if count else "Problems")
        self.variables.refresh()
        self._update_title()
        self._update_status()

    def _update_title(self) -> None:
        where = self.document.path.name if self.document.path else "unsaved"
        self.setWindowTitle(f"{self.document.graph.name} - {where}[*] - graphgan editor")
        self.setWindowModified(self.document.modified)

    def _update_status(self) -> None:
        if self.central.currentWidget() is self.start_page:
            return  # the empty document behind the page has nothing to report
        if self.document.pending:
            self._show_pending()
            return
        report = self.document.analysis.report
        verdict = "valid" if report.valid else f"{len(report.errors)} error(s)"
        if report.warnings:
            verdict += f", {len(report.warnings)} warning(s)"
        sizes = []
        for name in self.document.analysis.networks:
            counts = [label.parameters or 0 for label in self.document.labels(name).values()]
            sizes.append(f"{name} {parameter_text(sum(counts))}")
        ms = self.document.analysis_seconds * 1000
        self.status.setText(f"{verdict} · {' · '.join(sizes)} · analysed in {ms:.0f} ms")

    def _show_pending(self) -> None:
        # A big graph's analysis arrives after the edit; until then the status says so.
        if self.document.pending:
            self.status.setText("analysing...")

    def show_start(self) -> None:
        """Show the start page (templates, recent files) in place of the canvases."""
        self.start_page.show_recent(recent_files(autosave.state_folder()))
        self.central.setCurrentWidget(self.start_page)
        for panel in self.panels:
            panel.hide()  # they would show the empty document behind the page
        self.status.setText("")

    def current_canvas(self) -> Canvas | None:
        if self.central.currentWidget() is not self.tabs:
            return None
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, Canvas) else None

    def _show_selection(self) -> None:
        canvas = self.current_canvas()
        selected = canvas.selected_ids() if canvas else []
        node = selected[0] if len(selected) == 1 else None
        self.inspector.show_node(canvas.network if canvas else None, node)

    def focus_node(self, network: str, node_id: str) -> None:
        canvas = self.canvases.get(network)
        if canvas is not None:
            self.tabs.setCurrentWidget(canvas)
            canvas.focus(node_id)

    def _rebind_history(self) -> None:
        stack = self.document.undo_stack
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.indexChanged.connect(lambda _index: self._show_pending())
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())

    def undo(self) -> None:
        self.document.undo_stack.undo()

    def redo(self) -> None:
        self.document.undo_stack.redo()

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", self.shortcut_text())

    def shortcut_text(self) -> str:
        return self.menus.shortcut_text()

    # Editing the current network.

    def add_kind(self, kind: str) -> None:
        canvas = self.current_canvas()
        if canvas is not None:
            canvas.add_kind(kind, canvas.centre())
            canvas.view.setFocus()

    def delete(self) -> None:
        if (canvas := self.current_canvas()) is not None:
            canvas.delete_selected()

    def select_all(self) -> None:
        if (canvas := self.current_canvas()) is not None:
            canvas.select_all()

    def copy(self) -> bool:
        canvas = self.current_canvas()
        if canvas is None or not canvas.selected_ids():
            return False
        data = edits.fragment(self.document.graph, canvas.network, canvas.selected_ids())
        mime = QMimeData()
        text = json.dumps(data)
        mime.setData(MIME_FRAGMENT, text.encode("utf-8"))
        mime.setText(text)
        QGuiApplication.clipboard().setMimeData(mime)
        return True

    def cut(self) -> None:
        if self.copy() and (canvas := self.current_canvas()) is not None:
            canvas.delete_selected()

    def paste(self) -> None:
        canvas = self.current_canvas()
        mime = QGuiApplication.clipboard().mimeData()
        if canvas is None or mime is None:
            return
        raw = (
            bytes(mime.data(MIME_FRAGMENT).data()).decode() if mime.hasFormat(MIME_FRAGMENT) else ""
        )
        try:
            data = json.loads(raw or mime.text())
            graph, ids = edits.paste(self.document.graph, canvas.network, data)
        except (ValueError, TypeError, AttributeError) as error:
            self.statusBar().showMessage(f"nothing to paste: {error}", 8000)
            return
        if ids and self.document.edit(f"Paste {len(ids)} node(s)", graph):
            canvas.select(ids)

    def duplicate(self) -> None:
        canvas = self.current_canvas()
        if canvas is None or not canvas.selected_ids():
            return
        graph, ids = edits.duplicate(self.document.graph, canvas.network, canvas.selected_ids())
        if self.document.edit(f"Duplicate {len(ids)} node(s)", graph):
            canvas.select(ids)

    def add_standard_training(self) -> bool:
        """Give a graph built without a training section the usual adversarial one.

        One undoable step; False, with the reason in the status bar, where the graph already
        has a section or is not the plain game the standard section wires.
        """
        from graphgan.training.standard import StandardTrainingError, standard_training

        if self.document.graph.training:
            self.statusBar().showMessage("this graph has a training section already", 8000)
            return False
        self.document.settle()  # the section is read from the graph as it is now
        try:
            section = standard_training(self.document.analysis)
        except StandardTrainingError as error:
            self.statusBar().showMessage(f"no standard training section: {error}", 15000)
            return False
        graph = self.document.graph.model_copy(update={"training": section})
        return self.document.edit("Add standard training", graph)

    def apply_preset(self, name: str) -> bool:
        """Set every variable a preset names, in one undoable step (e.g. the cGAN's `conv`)."""
        graph = with_preset(self.document.graph, name)
        if not self.document.edit(f"Apply preset {name}", graph):
            return False
        self.statusBar().showMessage(f"preset '{name}' applied", 8000)
        return True

    def arrange(self) -> None:
        canvas = self.current_canvas()
        if canvas is None:
            return
        # Only what is drawn: nodes the variables leave out keep their places for their turn.
        positions = arrange(edits.drawn(self.document.graph, canvas.network))
        graph = edits.move(self.document.graph, canvas.network, positions)
        if self.document.edit(f"Arrange {canvas.network}", graph):
            canvas.zoom_to_fit()

    def align(self, side: str) -> None:
        """Line the selected nodes up on their left ("left") or top ("top") edges."""
        canvas = self.current_canvas()
        if canvas is not None:
            net = edits.network(self.document.graph, canvas.network)
            self._place(canvas, layout.align(net, canvas.selected_ids(), side), f"Align {side}")

    def distribute(self, axis: str) -> None:
        """Space the selected nodes evenly along "x" or "y"."""
        canvas = self.current_canvas()
        if canvas is not None:
            net = edits.network(self.document.graph, canvas.network)
            self._place(canvas, layout.distribute(net, canvas.selected_ids(), axis), "Distribute")

    def _place(self, canvas: Canvas, positions: dict[str, tuple[float, float]], what: str) -> None:
        if positions:
            graph = edits.move(self.document.graph, canvas.network, positions)
            self.document.edit(f"{what} {len(positions)} nodes", graph)

    def zoom_to_fit(self) -> None:
        if (canvas := self.current_canvas()) is not None:
            canvas.zoom_to_fit()

    def zoom_all(self) -> None:
        for canvas in self.canvases.values():
            canvas.zoom_to_fit()

    def zoom(self, factor: float) -> None:
        if (canvas := self.current_canvas()) is not None:
            canvas.view.zoom_by(factor)

    # Files.

    def new_document(self) -> None:
        if self.may_discard():
            self.set_document(Document(empty_graph()))

    def new_from_template(self, name: str) -> bool:
        """A new, unsaved document copied from a shipped template."""
        if not self.may_discard():
            return False
        self.set_document(Document(open_document(name)))
        return True

    def open_file(self, path: Path | None = None) -> bool:
        if not self.may_discard():
            return False
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Open graph", "", FILE_FILTER)
            if not chosen:
                return False
            path = Path(chosen)
        try:
            document = Document.open(path)
        except GraphganError as error:
            QMessageBox.critical(self, "Cannot open", f"{path}\n\n{error}")
            return False
        self.set_document(document)
        remember(autosave.state_folder(), path)
        self.offer_recovery()
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self, path: Path | None = None) -> bool:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Save graph", "", FILE_FILTER)
            if not chosen:
                return False
            path = Path(chosen)
        return self._write(path)

    def _write(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except OSError as error:
            QMessageBox.critical(self, "Cannot save", f"{path}\n\n{error}")
            return False
        self.statusBar().showMessage(f"saved {path}", 5000)
        remember(autosave.state_folder(), path)
        autosave.discard(self.autosave_folder, path)
        autosave.discard(self.autosave_folder, None)  # the unsaved work now has a file
        return True

    def export(self) -> ExportDialog:
        """Open the export dialog for the document as it is now (it does not block)."""
        dialog = ExportDialog(self.document, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # Autosave and recovery.

    def autosave(self) -> Path | None:
        """Write a copy of unsaved changes to the autosave folder; its path, if written."""
        if not self.document.modified:
            return None
        return autosave.write(self.autosave_folder, self.document.path, self.document.graph)

    def offer_recovery(self) -> bool:
        """After a crash, offer the autosaved changes of this document; True if taken back."""
        copy = autosave.recovery(self.autosave_folder, self.document.path)
        if copy is None:
            return False
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            "Recover unsaved changes",
            f"graphgan found changes to '{self.document.graph.name}' that were never saved "
            f"(autosaved in {copy}). Recover them?",
            buttons.Yes | buttons.No,
            buttons.Yes,
        )
        if answer != buttons.Yes:
            copy.unlink(missing_ok=True)
            return False
        try:
            recovered = load(copy)
        except GraphganError as error:
            QMessageBox.critical(self, "Cannot recover", f"{copy}\n\n{error}")
            return False
        # One undoable step: undo returns to the file as it was last saved.
        return self.document.edit("Recover autosaved changes", recovered)

    def may_discard(self) -> bool:
        """Whether the open document may be replaced or closed: saved, or the user agrees."""
        if not self.document.modified:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to '{self.document.graph.name}' first?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.may_discard():
            self.train.shutdown()
            autosave.discard(self.autosave_folder, self.document.path)
            event.accept()
        else:
            event.ignore()
