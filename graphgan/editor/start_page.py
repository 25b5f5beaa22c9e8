"""The start page: what `graphgan edit` shows without a file: templates, recent files, new.

Each template shows a picture of what it generates (`templates/pictures/NAME.png`, shipped
with the templates: samples from its quality run); a template without one shows its text alone.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from graphgan.templates import list_templates, templates_dir

NAME_ROLE = Qt.ItemDataRole.UserRole
SAMPLE_SIZE = QSize(112, 112)

PICTURES_DIR = templates_dir() / "pictures"


def sample_picture(name: str) -> QPixmap | None:
    """The picture of what template `name` generates, if there is a readable one."""
    path = PICTURES_DIR / f"{name}.png"
    if not path.is_file():
        return None
    pixmap = QPixmap(str(path))
    if pixmap.isNull():
        return None
    return pixmap.scaled(SAMPLE_SIZE, Qt.AspectRatioMode.KeepAspectRatio)


class StartPage(QWidget):
    template_chosen = Signal(str)
    file_chosen = Signal(object)  # a Path
    new_chosen = Signal()
    open_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.templates = QListWidget(self)
        self.templates.setStyleSheet("QListWidget::item { padding: 6px; }")
        self.templates.setWordWrap(True)
        self.templates.setSpacing(4)
        self.templates.setIconSize(SAMPLE_SIZE)
        for info in list_templates():
            item = QListWidgetItem(f"{info.title}  ({info.name})\n{info.description}")
            item.setData(NAME_ROLE, info.name)
            item.setToolTip(info.description)
            picture = sample_picture(info.name)
            if picture is not None:
                item.setIcon(QIcon(picture))
            self.templates.addItem(item)
        self.recent = QListWidget(self)
        new, open_ = QPushButton("New empty graph", self), QPushButton("Open a file...", self)

        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addWidget(open_)
        buttons.addStretch(1)
        column = QWidget(self)
        column.setMaximumWidth(960)
        outer = QHBoxLayout(self)
        outer.addWidget(column)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addWidget(_heading("Start from a template"))
        layout.addWidget(self.templates, 3)
        layout.addWidget(_heading("Recent files"))
        layout.addWidget(self.recent, 1)
        layout.addLayout(buttons)

        self.templates.itemActivated.connect(
            lambda item: self.template_chosen.emit(item.data(NAME_ROLE))
        )
        self.recent.itemActivated.connect(lambda item: self.file_chosen.emit(item.data(NAME_ROLE)))
        new.clicked.connect(lambda: self.new_chosen.emit())
        open_.clicked.connect(lambda: self.open_chosen.emit())

    def show_recent(self, files: list[Path]) -> None:
        self.recent.clear()
        for path in files:
            item = QListWidgetItem(f"{path.name}    {path.parent}")
            item.setData(NAME_ROLE, path)
            self.recent.addItem(item)
        if not files:
            placeholder = QListWidgetItem("Files you open or save appear here.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)


def _heading(text: str) -> QLabel:
    label = QLabel(f"<h3>{html.escape(text)}</h3>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label
