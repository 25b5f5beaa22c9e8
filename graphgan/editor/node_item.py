"""A node on the canvas: id, kind, ports, key params, parameter count; outlined if it has problems.

The item is drawn from a `NodeLabel` and holds no state of its own beyond where it sits, so a
redraw after any edit shows exactly what the document and its analysis say.
"""

# Qt and the node editor library name their virtual methods and attributes in camelCase;
# an override must use the same name, so pep8-naming's rules cannot apply here.
# ruff: noqa: N802, N815

from __future__ import annotations

from typing import Any

from nodeeditor.node_graphics_node import QDMGraphicsNode
from nodeeditor.node_node import Node
from nodeeditor.node_socket import LEFT_TOP, RIGHT_TOP
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from graphgan.diagnostics import Severity
from graphgan.editor.labels import NodeLabel, parameter_text
from graphgan.editor.ports import PortSocket, port_of, socket_type

WIDTH = 150.0
HEADER = 22.0
KIND_ROW = 16.0
PORT_ROW = 18.0
PARAM_ROW = 14.0
FOOTER = 18.0
PAD = 8.0

BODY = QColor("#24282d")
TEXT = QColor("#eeeeee")
DIM = QColor("#9aa3ab")
HEADERS = {"input": QColor("#2f5b43"), "output": QColor("#5b2f4f"), "layer": QColor("#34434f")}
OUTLINES = {Severity.ERROR: QColor("#ff4f4f"), Severity.WARNING: QColor("#ffb52e")}
SELECTED = QColor("#ffa637")

# Below this zoom, port names and params are too small to read; the node shows a summary.
OVERVIEW_ZOOM = 0.6
TINY_ZOOM = 0.3


def _font(size: int, bold: bool = False) -> QFont:
    font = QFont()  # the platform's interface font, at a size the node layout is made for
    font.setPointSize(size)
    font.setBold(bold)
    return font


class NodeGraphics(QDMGraphicsNode):
    """Paints a node from its label; no embedded widgets, so hundreds of nodes stay cheap."""

    node: GraphNode

    def initSizes(self) -> None:
        super().initSizes()
        self.width = WIDTH
        self.height = HEADER + KIND_ROW + FOOTER
        self.title_height = int(HEADER)
        self.edge_roundness = 6

    def initAssets(self) -> None:
        super().initAssets()
        self._fonts = {
            "title": _font(9, bold=True),
            "small": _font(7),
            "text": _font(8),
            "large": _font(11),
            "big": _font(12, bold=True),
        }
        self._metrics = {name: QFontMetrics(font) for name, font in self._fonts.items()}

    # The library draws its title and content with child widgets; this item paints instead.
    def initTitle(self) -> None:
        self._title = ""

    def initContent(self) -> None:
        self.grContent = None  # type: ignore[assignment]  # painted, not a proxied widget

    @property
    def title(self) -> str:
        return self._title

    @title.setter
    def title(self, value: str) -> None:
        self._title = value
        self.update()

    def resize(self, height: float) -> None:
        if height != self.height:
            self.prepareGeometryChange()
            self.height = height

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        label = self.node.label
        role = "input" if not label.inputs else "output" if not label.outputs else "layer"
        body = QRectF(0, 0, self.width, self.height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(BODY))
        painter.drawRoundedRect(body, self.edge_roundness, self.edge_roundness)
        painter.setBrush(QBrush(HEADERS[role]))
        painter.drawRoundedRect(QRectF(0, 0, self.width, HEADER), 6.0, 6.0)
        painter.drawRect(QRectF(0, HEADER - 6.0, self.width, 6.0))

        zoom = option.levelOfDetailFromTransform(painter.worldTransform())
        overview = zoom < OVERVIEW_ZOOM
        title = "big" if overview else "title"
        self._text(painter, QRectF(PAD, 0, self.width - 2 * PAD, HEADER), label.id, title, TEXT)
        if zoom < TINY_ZOOM:
            pass  # the id alone: anything smaller is unreadable and costs a large graph's frame
        elif overview:
            self._paint_summary(painter, label)
        else:
            self._paint_details(painter, label)
        self._paint_outline(painter, label, body)

    def _paint_summary(self, painter: QPainter, label: NodeLabel) -> None:
        """Zoomed out, small text is unreadable: the kind and size only, in larger type."""
        body = QRectF(PAD, HEADER, self.width - 2 * PAD, self.height - HEADER - 2)
        top, bottom = (
            body.adjusted(0, 2, 0, -body.height() / 2),
            body.adjusted(0, body.height() / 2, 0, 0),
        )
        self._text(painter, top, label.kind.partition(".")[2] or label.kind, "big", DIM)
        size = parameter_text(label.parameters).replace(" params", "")
        if label.problems:
            colour = OUTLINES[label.severity or Severity.WARNING]
            self._text(painter, bottom, f"{len(label.problems)} problem(s)", "large", colour)
        elif size and label.parameters:
            self._text(painter, bottom, size, "large", DIM)

    def _paint_details(self, painter: QPainter, label: NodeLabel) -> None:
        y = HEADER
        self._text(
            painter, QRectF(PAD, y, self.width - 2 * PAD, KIND_ROW), label.kind, "small", DIM
        )
        y += KIND_ROW
        half = self.width / 2 - PAD
        for row in range(max(len(label.inputs), len(label.outputs))):
            rect = QRectF(PAD, y + row * PORT_ROW, half, PORT_ROW)
            if row < len(label.inputs):
                self._text(painter, rect, label.inputs[row].name, "text", TEXT)
            if row < len(label.outputs):
                right = rect.translated(half, 0)
                self._text(painter, right, label.outputs[row].name, "text", TEXT, right=True)
        y += _port_rows(label) * PORT_ROW
        small = self._metrics["small"]
        for name, value in label.key_params:
            rect = QRectF(PAD, y, self.width - 2 * PAD, PARAM_ROW)
            # The value keeps its full width where it fits; the name gives way.
            value_width = min(small.horizontalAdvance(value), rect.width() * 0.6)
            self._text(painter, rect.adjusted(0, 0, -value_width - 4, 0), name, "small", DIM)
            self._text(painter, rect, value, "small", TEXT, right=True)
            y += PARAM_ROW
        footer = QRectF(PAD, self.height - FOOTER, self.width - 2 * PAD, FOOTER - 2)
        self._text(painter, footer, parameter_text(label.parameters), "small", DIM)
        if label.problems:
            count = len(label.problems)
            colour = OUTLINES[label.severity or Severity.WARNING]
            text = f"{count} problem{'s' if count > 1 else ''}"
            self._text(painter, footer, text, "small", colour, right=True)

    def _paint_outline(self, painter: QPainter, label: NodeLabel, body: QRectF) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        severity = label.severity
        if severity is not None:
            painter.setPen(QPen(OUTLINES[severity], 3.0))
            painter.drawRoundedRect(body, self.edge_roundness, self.edge_roundness)
        if self.isSelected():
            painter.setPen(QPen(SELECTED, 2.0))
            ring = body.adjusted(-3, -3, 3, 3) if severity is not None else body
            painter.drawRoundedRect(ring, self.edge_roundness + 2, self.edge_roundness + 2)
        elif severity is None:
            painter.setPen(QPen(QColor("#10151a"), 1.5))
            painter.drawRoundedRect(body, self.edge_roundness, self.edge_roundness)

    def _text(
        self,
        painter: QPainter,
        rect: QRectF,
        text: str,
        font: str,
        colour: QColor,
        right: bool = False,
    ) -> None:
        painter.setFont(self._fonts[font])
        painter.setPen(colour)
        elided = self._metrics[font].elidedText(
            text, Qt.TextElideMode.ElideRight, int(rect.width())
        )
        align = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
        painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, elided)

    def boundingRect(self) -> QRectF:
        # The selection ring is drawn 3 px outside the body.
        return QRectF(0, 0, self.width, self.height).adjusted(-5, -5, 5, 5)


def _port_rows(label: NodeLabel) -> int:
    return max(len(label.inputs), len(label.outputs))


def height_for(label: NodeLabel) -> float:
    return (
        HEADER
        + KIND_ROW
        + _port_rows(label) * PORT_ROW
        + len(label.key_params) * PARAM_ROW
        + FOOTER
    )


class GraphNode(Node):
    """The canvas item for one document node, known by the node's id."""

    GraphicsNode_class = NodeGraphics
    Socket_class = PortSocket

    grNode: NodeGraphics

    def __init__(self, scene: Any, label: NodeLabel) -> None:
        self.label = label
        super().__init__(scene, label.id, [], [], [], [])
        self.present(label, rebuild=True)

    @property
    def node_id(self) -> str:
        return self.label.id

    def initInnerClasses(self) -> None:
        self.content = None  # type: ignore[assignment]  # no content widget: the item paints
        self.grNode = NodeGraphics(self)

    def initSettings(self) -> None:
        super().initSettings()
        self.input_socket_position = LEFT_TOP
        self.output_socket_position = RIGHT_TOP
        self.socket_spacing = int(PORT_ROW)

    def getSocketPosition(self, index: int, position: int, num_out_of: int = 1) -> list[float]:
        x = 0.0 if position == LEFT_TOP else self.grNode.width
        return [x, HEADER + KIND_ROW + (index + 0.5) * PORT_ROW]

    def present(self, label: NodeLabel, rebuild: bool = False) -> None:
        """Show `label`; with `rebuild`, recreate the sockets (the caller drops their wires)."""
        self.label = label
        self.grNode.resize(height_for(label))
        if rebuild:
            types_in = [socket_type(p.kind) for p in label.inputs]
            types_out = [socket_type(p.kind) for p in label.outputs]
            self.initSockets(types_in, types_out, reset=True)
            sockets = [port_of(s) for s in self.inputs + self.outputs]
            for socket, port in zip(sockets, label.inputs + label.outputs, strict=True):
                socket.port_name = port.name
                socket.kind = port.kind
        self.grNode.setToolTip(_tooltip(label))
        self.grNode.update()

    def socket(self, port: str, output: bool) -> PortSocket | None:
        sockets = [port_of(s) for s in (self.outputs if output else self.inputs)]
        return next((s for s in sockets if s.port_name == port), None)


def _tooltip(label: NodeLabel) -> str:
    lines = [f"{label.id} ({label.kind})"]
    lines += [f"{p.name}: {p.shape or p.kind.value}" for p in label.outputs]
    lines += [f"{d.severity.value}: {d.message}" for d in label.problems]
    return "\n".join(lines)
