"""The canvas's view and scene: mouse, drops and zoom on top of the node editor library.

Every gesture that would change the graph is handed to the `Canvas` as a request; the parts of
the library that would change it on their own (its snapshot undo history, dropping a node onto
a wire to splice it in, Ctrl-dragging a wire's end elsewhere) are switched off here.
"""

# Qt and the node editor library name their virtual methods and attributes in camelCase;
# an override must use the same name, so pep8-naming's rules cannot apply here.
# ruff: noqa: N802, N815

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nodeeditor.node_edge_dragging import EdgeDragging
from nodeeditor.node_edge_intersect import EdgeIntersect
from nodeeditor.node_edge_rerouting import EdgeRerouting
from nodeeditor.node_graphics_socket import QDMGraphicsSocket
from nodeeditor.node_graphics_view import MODE_EDGE_DRAG, MODE_NODE_DRAG, QDMGraphicsView
from nodeeditor.node_scene import Scene
from nodeeditor.node_scene_history import SceneHistory
from PySide6.QtCore import Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QMouseEvent,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)

from graphgan.editor.wire import Wire

if TYPE_CHECKING:
    from graphgan.editor.canvas import Canvas

MIME_KIND = "application/x-graphgan-kind"
ZOOM_RANGE = (0.1, 2.5)


class _NoHistory(SceneHistory):
    """The document's undo stack is the only history; the library's snapshots are not taken."""

    def storeHistory(self, *args: Any, **kwargs: Any) -> bool:
        return False


class CanvasScene(Scene):
    historyClass = _NoHistory

    def getEdgeClass(self) -> type[Wire]:
        return Wire


class _WireDragging(EdgeDragging):
    """Ends a wire drag by asking the canvas to connect, instead of adding an edge itself."""

    grView: CanvasView

    def edgeDragEnd(self, item: Any) -> bool:
        start = self.drag_start_socket
        self.cancelDragEdge()
        if not isinstance(item, QDMGraphicsSocket) or start is None or item.socket is start:
            return False
        self.grView.canvas.connect_sockets(start, item.socket)
        return True


class _NoRerouting(EdgeRerouting):
    # Ctrl-dragging a wire's end would move it outside the document's undo history.
    def startRerouting(self, socket: Any) -> None:
        return

    def stopRerouting(self, target: Any = None) -> None:
        return

    def updateScenePos(self, x: float, y: float) -> None:
        return


class _NoSplicing(EdgeIntersect):
    # Dropping a node onto a wire would splice it in behind the document's back.
    def enterState(self, node: Any) -> None:
        return

    def leaveState(self, scene_pos_x: float, scene_pos_y: float) -> None:
        return

    def update(self, scene_pos_x: float, scene_pos_y: float) -> None:
        return


class CanvasView(QDMGraphicsView):
    """Mouse and drop handling for a canvas, on top of the library's view."""

    first_drawn = Signal()  # the canvas has been painted once

    def __init__(self, canvas: Canvas, gr_scene: Any) -> None:
        super().__init__(gr_scene, canvas)
        self.canvas = canvas
        self.dragging = _WireDragging(self)
        self.rerouting = _NoRerouting(self)
        self.edgeIntersect = _NoSplicing(self)
        self._drawn = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._drawn:
            self._drawn = True
            self.first_drawn.emit()

    def mouseReleaseEvent(self, event: QMouseEvent | None) -> None:
        dropped_on_canvas = (
            event is not None
            and self.mode == MODE_EDGE_DRAG
            and self.getItemAtClick(event) is None
            and self.distanceBetweenClickAndReleaseIsOff(event)
        )
        if not dropped_on_canvas or event is None:
            super().mouseReleaseEvent(event)
            return
        # A wire let go on empty canvas: offer the kinds it could feed (or be fed by).
        start = self.dragging.drag_start_socket
        self.dragging.cancelDragEdge()
        if start is not None:
            self.canvas.offer_kinds(start, self.mapToScene(event.position().toPoint()))

    def leftMouseButtonRelease(self, event: QMouseEvent) -> None:
        moving = self.mode == MODE_NODE_DRAG
        super().leftMouseButtonRelease(event)
        if moving:
            self.canvas.commit_moves()

    def cutIntersectingEdges(self) -> None:
        """Ctrl-drag across wires cuts them, as one undoable edit."""
        points = self.cutline.line_points
        cut = [
            wire
            for wire in self.canvas.wires.values()
            if any(
                wire.grEdge.intersectsWith(points[i], points[i + 1]) for i in range(len(points) - 1)
            )
        ]
        self.canvas.cut(cut)

    def dragEnterEvent(self, event: QDragEnterEvent | None) -> None:
        self._accept_kind(event)

    def dragMoveEvent(self, event: QDragMoveEvent | None) -> None:
        self._accept_kind(event)

    def _accept_kind(self, event: QDragEnterEvent | QDragMoveEvent | None) -> None:
        if event is None:
            return
        if event.mimeData().hasFormat(MIME_KIND):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent | None) -> None:
        if event is None:
            return
        if not event.mimeData().hasFormat(MIME_KIND):
            event.ignore()
            return
        kind = bytes(event.mimeData().data(MIME_KIND).data()).decode("utf-8")
        where = self.mapToScene(event.position().toPoint())
        event.acceptProposedAction()
        self.canvas.add_kind(kind, where)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.canvas.auto_fit:
            self.canvas.zoom_to_fit()

    def wheelEvent(self, event: QWheelEvent | None) -> None:
        if event is None:
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.15**steps)

    def zoom_by(self, factor: float) -> None:
        self.canvas.auto_fit = False
        current = self.transform().m11()
        low, high = ZOOM_RANGE
        factor = max(low / current, min(high / current, factor))
        self.scale(factor, factor)
        self._syncDetailLod()
