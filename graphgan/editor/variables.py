"""The variables panel: the graph's variables in one table, each value editable and undoable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTableWidget, QTableWidgetItem, QWidget

from graphgan.editor import edits
from graphgan.editor.document import Document
from graphgan.errors import DocumentError
from graphgan.graph.document import VariableValue
from graphgan.graph.variables import parse_value


class VariablesPanel(QTableWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.document = document
        self.setHorizontalHeaderLabels(["variable", "value", "description"])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self._filling = False
        self.itemChanged.connect(self._commit)
        self.refresh()

    def set_document(self, document: Document) -> None:
        self.document = document
        self.refresh()

    def refresh(self) -> None:
        self._filling = True
        try:
            variables = self.document.graph.variables
            shown = [self._text_at(row, 0) for row in range(self.rowCount())]
            if shown == list(variables):
                # Same variables: change the values in place, never the item being edited.
                for row, variable in enumerate(variables.values()):
                    cell = self.item(row, 1)
                    if cell is not None:
                        cell.setText(_text(variable.value))
                    self._show_choice(row, variable.value)
                return
            self.setRowCount(len(variables))
            for row, (name, variable) in enumerate(variables.items()):
                cells = [name, _text(variable.value), variable.description]
                for column, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    if column != 1:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.setItem(row, column, item)
                self.removeCellWidget(row, 1)
                if variable.choices is not None:
                    self._add_choices(row, name, variable.choices, variable.value)
            self.resizeColumnsToContents()
        finally:
            self._filling = False

    def _add_choices(
        self, row: int, name: str, choices: list[VariableValue], value: VariableValue
    ) -> None:
        """A variable with choices is picked from a list, so only an allowed value is set."""
        box = QComboBox(self)
        for choice in choices:
            box.addItem(_text(choice), choice)
        box.setCurrentIndex(max(box.findData(value), 0))
        box.activated.connect(lambda index: self._choose(name, box.itemData(index)))
        self.setCellWidget(row, 1, box)

    def _show_choice(self, row: int, value: VariableValue) -> None:
        box = self.cellWidget(row, 1)
        if isinstance(box, QComboBox):
            box.setCurrentIndex(max(box.findData(value), 0))

    def _choose(self, name: str, value: VariableValue) -> None:
        graph = edits.set_variable(self.document.graph, name, value)
        self.document.edit(f"Set variable {name}", graph, merge_key=f"variable/{name}")

    def _commit(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 1:
            return
        name = self._text_at(item.row(), 0)
        try:
            value = parse_value(item.text())
        except DocumentError:
            self.refresh()
            return
        graph = edits.set_variable(self.document.graph, name, value)
        self.document.edit(f"Set variable {name}", graph, merge_key=f"variable/{name}")

    def _text_at(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""


def _text(value: bool | int | float | str) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
