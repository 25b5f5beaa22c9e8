"""The palette: every node kind of the installed plugin packs, by category, with search.

Drag a kind onto a canvas to add it where it is dropped; or type to filter and press Enter (or
double-click) to add the first match in the middle of the canvas.
"""

# Qt and the node editor library name their virtual methods and attributes in camelCase;
# an override must use the same name, so pep8-naming's rules cannot apply here.
# ruff: noqa: N802

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from graphgan.editor.canvas_view import MIME_KIND
from graphgan.editor.wiring import BLOCK_ONLY
from graphgan.graph.document import Block
from graphgan.registry import BLOCK_PREFIX, Registry

KIND_ROLE = Qt.ItemDataRole.UserRole


class KindTree(QTreeWidget):
    """The categories and kinds; a dragged kind carries its name as MIME_KIND data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)

    def mimeTypes(self) -> list[str]:
        return [MIME_KIND]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        data = QMimeData()
        kinds = [item.data(0, KIND_ROLE) for item in items if item.data(0, KIND_ROLE)]
        if kinds:
            data.setData(MIME_KIND, kinds[0].encode("utf-8"))
            data.setText(kinds[0])
        return data


class Palette(QWidget):
    chosen = Signal(str)  # a kind to add in the middle of the current canvas

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search kinds  ( / )")
        self.search.setClearButtonEnabled(True)
        self.tree = KindTree(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.filled = False  # the plugin packs load with the first analysis, then fill it
        self._blocks: QTreeWidgetItem | None = None
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self._choose_first)
        self.tree.itemActivated.connect(self._choose_item)

    def fill(self, registry: Registry) -> None:
        """List the kinds of `registry` by category, below the graph's own blocks."""
        categories: dict[str, QTreeWidgetItem] = {}
        for spec in registry:
            if spec.kind in BLOCK_ONLY:
                continue
            parent = categories.get(spec.category)
            if parent is None:
                parent = QTreeWidgetItem(self.tree, [spec.category])
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                categories[spec.category] = parent
            item = QTreeWidgetItem(parent, [spec.kind])
            item.setData(0, KIND_ROLE, spec.kind)
            item.setToolTip(0, spec.description)
            item.setData(0, Qt.ItemDataRole.StatusTipRole, spec.description)
        self.filled = True
        self.filter(self.search.text())

    def set_blocks(self, blocks: Mapping[str, Block]) -> None:
        """List the open graph's own blocks, as kinds `block.<name>`, under their own heading."""
        kinds = [(f"{BLOCK_PREFIX}{name}", block.description) for name, block in blocks.items()]
        shown = [] if self._blocks is None else [c.text(0) for c in _children(self._blocks)]
        if shown == [kind for kind, _ in kinds] and (self._blocks is not None or not kinds):
            return
        if self._blocks is not None:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(self._blocks))
            self._blocks = None
        if kinds:
            self._blocks = QTreeWidgetItem(["blocks of this graph"])
            self._blocks.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.insertTopLevelItem(0, self._blocks)
            for kind, description in kinds:
                item = QTreeWidgetItem(self._blocks, [kind])
                item.setData(0, KIND_ROLE, kind)
                item.setToolTip(0, description or "a reusable block defined in this graph")
        self.filter(self.search.text())

    def filter(self, text: str) -> None:
        """Show the kinds whose name, category or description holds every word typed."""
        words = text.lower().split()
        for category in self._categories():
            shown = 0
            for item in _children(category):
                haystack = f"{item.text(0)} {category.text(0)} {item.toolTip(0)}".lower()
                match = all(word in haystack for word in words)
                item.setHidden(not match)
                shown += match
            category.setHidden(shown == 0)
        self.tree.expandAll()

    def visible_kinds(self) -> list[str]:
        return [
            item.data(0, KIND_ROLE)
            for category in self._categories()
            for item in _children(category)
            if not item.isHidden() and not category.isHidden()
        ]

    def _categories(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def item_for(self, kind: str) -> QTreeWidgetItem | None:
        found = self.tree.findItems(kind, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return found[0] if found else None

    def _choose_first(self) -> None:
        kinds = self.visible_kinds()
        if kinds:
            self.chosen.emit(kinds[0])

    def _choose_item(self, item: QTreeWidgetItem) -> None:
        kind = item.data(0, KIND_ROLE)
        if kind:
            self.chosen.emit(kind)


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = (item.child(row) for row in range(item.childCount()))
    return [child for child in children if child is not None]
