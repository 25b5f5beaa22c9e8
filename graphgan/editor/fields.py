"""Fields: one editor per param, generated from the param's type, range, choices and default.

Every field can also hold a reference to graph variables (`=latent_dim`, `=8 * base_width`):
the `=` button switches between a literal value and an expression.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from graphgan.graph.expressions import is_expression

INT_LIMIT = 2**31 - 1
UNSET_INT = "auto"  # the text an optional integer shows when it is left unset


class ParamField(QWidget):
    """Edits one param; emits `committed(value)` with the new raw value, None to unset it."""

    committed = Signal(object)

    def __init__(self, row: dict[str, Any], variables: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.row = row
        self.literal = _literal_editor(row, self)
        self.expression = QComboBox(self)
        self.expression.setEditable(True)
        self.expression.addItems([f"={name}" for name in variables])
        self.expression.setToolTip("An expression of graph variables, e.g. =latent_dim")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.literal)
        self.stack.addWidget(self.expression)
        self.toggle = QToolButton(self)
        self.toggle.setText("=")
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("Use a graph variable instead of a value")
        self.toggle.setVisible(not _is_list(row))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.toggle)
        self.setToolTip(row["description"])
        self._connect()

    def _connect(self) -> None:
        editor = self.literal
        if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            editor.valueChanged.connect(lambda _v: self._commit_literal())
        elif isinstance(editor, QCheckBox):
            editor.toggled.connect(lambda _v: self._commit_literal())
        elif isinstance(editor, QComboBox):
            editor.activated.connect(lambda _i: self._commit_literal())
        elif isinstance(editor, QLineEdit):
            editor.editingFinished.connect(self._commit_literal)
        line = self.expression.lineEdit()
        if line is not None:  # always, for an editable combo box
            line.editingFinished.connect(self._commit_expression)
        self.expression.activated.connect(lambda _i: self._commit_expression())
        self.toggle.toggled.connect(self._switch)

    def show_value(self, raw: Any) -> None:
        """Display the document's raw value (None: the param is not set) without committing."""
        expression = is_expression(raw)
        widgets = (self.literal, self.expression, self.toggle)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.toggle.setChecked(expression)
            self.stack.setCurrentIndex(1 if expression else 0)
            if expression:
                self.expression.setEditText(str(raw))
            else:
                _set_literal(self.literal, self.row, raw)
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _switch(self, to_expression: bool) -> None:
        self.stack.setCurrentIndex(1 if to_expression else 0)
        if to_expression:
            # Start empty: leaving the field before typing must not commit the first variable.
            self.expression.setEditText("")
            self.expression.setFocus()
        else:
            self._commit_literal()

    def _commit_literal(self) -> None:
        try:
            value = _get_literal(self.literal, self.row)
        except ValueError:
            self.literal.setStyleSheet("color: #ff6b6b")
            return
        self.literal.setStyleSheet("")
        self.committed.emit(value)

    def _commit_expression(self) -> None:
        text = self.expression.currentText().strip()
        if not text:
            return
        self.committed.emit(text if text.startswith("=") else f"={text}")


def _is_list(row: dict[str, Any]) -> bool:
    return row["type"].startswith("array")


def _optional(row: dict[str, Any]) -> bool:
    return "None" in row["type"] or row["required"]


def _literal_editor(row: dict[str, Any], parent: QWidget) -> QWidget:
    kind = row["type"].replace(" | None", "")
    low, high = row["minimum"], row["maximum"]
    if kind == "integer":
        spin = QSpinBox(parent)
        bottom = int(low) if low is not None else -INT_LIMIT + 1
        top = int(high) if high is not None else INT_LIMIT
        # One step below the range stands for "unset": inferred, or required and missing.
        spin.setRange(bottom - 1 if _optional(row) else bottom, min(top, INT_LIMIT))
        if _optional(row):
            spin.setSpecialValueText("required" if row["required"] else UNSET_INT)
        return spin
    if kind == "number":
        number = QDoubleSpinBox(parent)
        number.setDecimals(6)
        number.setRange(low if low is not None else -1e12, high if high is not None else 1e12)
        number.setSingleStep(0.1 if high is not None and high <= 1 else 1.0)
        return number
    if kind == "boolean":
        return QCheckBox(parent)
    if kind == "choice" and row["choices"]:
        combo = QComboBox(parent)
        combo.addItems([str(choice) for choice in row["choices"]])
        return combo
    line = QLineEdit(parent)
    line.setPlaceholderText("JSON list, e.g. [1, 28, 28]" if _is_list(row) else "")
    return line


def _set_literal(editor: QWidget, row: dict[str, Any], raw: Any) -> None:
    value = row["default"] if raw is None else raw
    if isinstance(editor, QSpinBox):
        editor.setValue(editor.minimum() if value is None else int(value))
    elif isinstance(editor, QDoubleSpinBox):
        editor.setValue(float(value or 0.0))
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QComboBox):
        editor.setCurrentText(str(value))
    elif isinstance(editor, QLineEdit):
        shown = "" if value is None else value if isinstance(value, str) else json.dumps(value)
        editor.setText(shown)


def _get_literal(editor: QWidget, row: dict[str, Any]) -> Any:
    """The editor's value as a document param; ValueError when it does not parse."""
    if isinstance(editor, QSpinBox):
        unset = _optional(row) and editor.value() == editor.minimum()
        return None if unset else editor.value()
    if isinstance(editor, QDoubleSpinBox):
        return editor.value()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QComboBox):
        return editor.currentText()
    if isinstance(editor, QLineEdit):
        text = editor.text().strip()
        if not text:
            return None
        if not _is_list(row):
            return text
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(str(error)) from None
        if not isinstance(value, list):
            raise ValueError("expected a JSON list")
        return value
    raise ValueError(f"no value from {type(editor).__name__}")
