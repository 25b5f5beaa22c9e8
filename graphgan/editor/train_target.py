"""Where the train panel trains: this computer, or a graphgan server given by URL and token."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from graphgan.client import ServerClient

LOCAL, SERVER = "this computer", "a graphgan server"


class TrainTarget(QWidget):
    """A choice of where to train; for a server, its address and token."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.where = QComboBox(self)
        self.where.addItems([LOCAL, SERVER])
        self.where.setToolTip("Train in a process on this computer, or queue the run on a server")
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("http://127.0.0.1:8765")
        self.url.setToolTip("The address `graphgan serve` listens on")
        self.token = QLineEdit(self)
        self.token.setPlaceholderText("token, if the server has one")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.where)
        layout.addWidget(self.url, 2)
        layout.addWidget(self.token, 1)
        self.where.currentTextChanged.connect(lambda _text: self._show_fields())
        self._show_fields()

    @property
    def remote(self) -> bool:
        return self.where.currentText() == SERVER

    def use_server(self, url: str, token: str = "") -> None:
        """Choose to train on the server at `url` (as a user would by typing it)."""
        self.where.setCurrentText(SERVER)
        self.url.setText(url)
        self.token.setText(token)

    def client(self) -> ServerClient:
        """A client of the chosen server; `ServerAddressError` if the address is not a URL."""
        return ServerClient(self.url.text() or self.url.placeholderText(), self.token.text())

    def _show_fields(self) -> None:
        for field in (self.url, self.token):
            field.setVisible(self.remote)
