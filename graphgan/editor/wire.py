"""A wire on the canvas: an edge of the document, labelled with the shape it carries."""

# Qt and the node editor library name their virtual methods and attributes in camelCase;
# an override must use the same name, so pep8-naming's rules cannot apply here.
# ruff: noqa: N802

from __future__ import annotations

from typing import Any

from nodeeditor.node_edge import EDGE_TYPE_BEZIER, Edge
from nodeeditor.node_graphics_edge import QDMGraphicsEdge
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont

from graphgan.editor.ports import kind_colour
from graphgan.tensors import TensorKind

LABEL_COLOUR = QColor("#d8dde2")
# A wire longer than this skips over nodes (a U-Net's skip connection, a residual path); its
# label goes this far before its end instead of midway, where such wires cross and their labels
# would pile up on one spot.
LONG_WIRE = 440.0
LABEL_BEFORE_END = 100.0


class WireGraphics(QDMGraphicsEdge):
    def initAssets(self) -> None:
        super().initAssets()
        font = QFont()
        font.setPointSize(7)
        self.setLabelFont(font)
        self.setLabelColor(LABEL_COLOUR)
        self.setLabelOffset(0, -9)

    def updateLabelPosition(self) -> None:
        path = self.path()
        length = path.length()
        if length <= LONG_WIRE or not self.labelItem.isVisible():
            super().updateLabelPosition()
            return
        at = path.pointAtPercent(path.percentAtLength(length - LABEL_BEFORE_END))
        rect = self.labelItem.boundingRect()
        self.labelItem.setPos(
            at + self._label_offset - QPointF(rect.width() / 2, rect.height() / 2)
        )


class Wire(Edge):
    """Created by the canvas from a document edge, or while the user drags a new one."""

    key: str = ""  # the document edge, 'node.port -> node.port'

    def __init__(self, scene: Any, start: Any = None, end: Any = None, *args: Any, **kw: Any):
        super().__init__(scene, start, end, EDGE_TYPE_BEZIER)

    def getGraphicsEdgeClass(self) -> type[QDMGraphicsEdge]:
        return WireGraphics

    def present(self, shape: str, kind: TensorKind, problem: str = "") -> None:
        self.setLabel(shape)
        self.grEdge.changeColor(kind_colour(kind))
        self.grEdge.setToolTip(f"{self.key}\n{shape or 'shape unknown'}\n{problem}".strip())
        self.grEdge.update()
