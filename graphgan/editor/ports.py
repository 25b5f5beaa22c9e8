"""Ports on the canvas: one socket per port, coloured by the kind of tensor it carries."""

# Qt and the node editor library name their virtual methods and attributes in camelCase;
# an override must use the same name, so pep8-naming's rules cannot apply here.
# ruff: noqa: N802

from __future__ import annotations

from typing import Any, cast

from nodeeditor.node_graphics_socket import QDMGraphicsSocket
from nodeeditor.node_socket import Socket
from PySide6.QtGui import QColor

from graphgan.tensors import TensorKind

# Kinds of one family (image and feature map; vector, text embedding and code) get related
# hues, so a user sees at a glance which ports can be wired together.
KIND_COLOURS = {
    TensorKind.IMAGE: "#5ec8f2",
    TensorKind.FEATURE_MAP: "#2f86d6",
    TensorKind.VECTOR: "#7ccf4a",
    TensorKind.TEXT_EMBEDDING: "#c2d64a",
    TensorKind.CODE: "#3fbf8f",
    TensorKind.LABEL: "#f5a142",
    TensorKind.TOKENS: "#e07bd0",
    TensorKind.ANY: "#b4b4b4",
}

_KINDS = list(TensorKind)


def socket_type(kind: TensorKind) -> int:
    """The library identifies socket types by integers: a kind's place in TensorKind."""
    return _KINDS.index(kind)


def kind_colour(kind: TensorKind) -> QColor:
    return QColor(KIND_COLOURS[kind])


class PortGraphics(QDMGraphicsSocket):
    """A socket drawn in its tensor kind's colour."""

    def getSocketColor(self, key: Any) -> QColor:
        kind = _KINDS[key] if isinstance(key, int) and 0 <= key < len(_KINDS) else TensorKind.ANY
        return kind_colour(kind)


class PortSocket(Socket):
    """A socket that knows the name and kind of the graphgan port it stands for."""

    Socket_GR_Class = PortGraphics

    port_name: str = ""
    kind: TensorKind = TensorKind.ANY


def port_of(socket: Socket) -> PortSocket:
    """The library hands back its base `Socket` type; every socket on a canvas is a PortSocket."""
    return cast(PortSocket, socket)
