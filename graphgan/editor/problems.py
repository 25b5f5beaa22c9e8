"""The problems panel: every diagnostic of the current analysis; clicking one jumps to its node."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from graphgan.diagnostics import Diagnostic, Severity
from graphgan.editor.document import Document

COLOURS = {Severity.ERROR: QColor("#ff6b6b"), Severity.WARNING: QColor("#ffb52e")}
WHERE_ROLE = Qt.ItemDataRole.UserRole


class ProblemsPanel(QTreeWidget):
    jump = Signal(str, str)  # network, node

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setColumnCount(4)
        self.setHeaderLabels(["", "code", "where", "message"])
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.itemActivated.connect(self._jump)
        self.itemClicked.connect(self._jump)
        self.refresh()

    def set_document(self, document: Document) -> None:
        self.document = document
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        report = self.document.analysis.report
        for diagnostic in report:
            self.addTopLevelItem(self._item(diagnostic))
        if not len(report):
            self.addTopLevelItem(QTreeWidgetItem(["", "", "", str(report)]))
        for column in range(3):
            self.resizeColumnToContents(column)

    def _item(self, diagnostic: Diagnostic) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            [diagnostic.severity.value, diagnostic.code, diagnostic.where(), diagnostic.message]
        )
        item.setForeground(0, QBrush(COLOURS[diagnostic.severity]))
        item.setToolTip(3, str(diagnostic))
        item.setData(0, WHERE_ROLE, (diagnostic.network, diagnostic.node))
        return item

    def _jump(self, item: QTreeWidgetItem) -> None:
        network, node = item.data(0, WHERE_ROLE)
        if not node:
            return
        if network not in self.document.graph.networks:
            # Training-section problems name the node but not its network; ids are unique.
            network = next(
                (
                    name
                    for name, net in self.document.graph.networks.items()
                    if any(n.id == node for n in net.nodes)
                ),
                None,
            )
        if network is not None:
            self.jump.emit(network, node)
