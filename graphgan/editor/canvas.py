"""The canvas of one network: its nodes and wires drawn from the document, edited by mouse.

The canvas never changes what it shows on its own. A drop, a wire drawn between two ports, a
move or a cut becomes an edit of the document, and the canvas then redraws from the document
(`sync`). Wires are checked by graphgan's own port kinds (`wiring.py`), never by the node
editor library's edge validators.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from nodeeditor.node_socket import Socket
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QMenu, QVBoxLayout, QWidget
from shiboken6 import isValid

from graphgan.editor import edits
from graphgan.editor.canvas_view import CanvasScene, CanvasView
from graphgan.editor.document import Document
from graphgan.editor.labels import NodeLabel
from graphgan.editor.node_item import HEADER, WIDTH, GraphNode, NodeGraphics
from graphgan.editor.ports import port_of
from graphgan.editor.wire import Wire, WireGraphics
from graphgan.editor.wiring import BLOCK_ONLY, compatible_kinds, refusal
from graphgan.graph.document import Edge, Endpoint, Node
from graphgan.registry import BLOCK_PREFIX, default_registry
from graphgan.tensors import TensorKind

log = logging.getLogger(__name__)


class Canvas(QWidget):
    """One network's nodes and wires, kept in step with the document."""

    selection_changed = Signal()
    message = Signal(str)  # why something was refused, for the status bar

    def __init__(self, document: Document, network: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.network = network
        self.scene = CanvasScene()
        # Sockets stay visible down to a quarter size, so a fitted overview can still be wired.
        self.scene.grScene.detail_lod_threshold = 0.25
        self.view = CanvasView(self, self.scene.grScene)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.nodes: dict[str, GraphNode] = {}
        self.wires: dict[str, Wire] = {}
        # Until the user zooms, the view keeps the whole network in sight as the window resizes.
        self.auto_fit = True
        # Nodes to select once a pending analysis has drawn them (a node just added to a big
        # graph appears when its analysis arrives).
        self._to_select: list[str] = []
        self.scene.grScene.selectionChanged.connect(self.selection_changed)
        document.changed.connect(self.sync)
        self.sync()

    # Drawing from the document.

    def sync(self) -> None:
        """Make the canvas show the document's network: add, update and remove items."""
        graph = self.document.graph
        net = graph.networks.get(self.network)
        nodes = net.nodes if net is not None else []
        labels = self.document.labels(self.network) if net is not None else {}
        wanted = {node.id for node in nodes if node.id in labels}  # a false `when`: no label
        for node_id in [n for n in self.nodes if n not in wanted]:
            self._drop_node(node_id)

        for node in nodes:
            if node.id in labels:
                self._sync_node(node, labels[node.id])
        # The wires the variables leave out (a false `when`) are not drawn.
        self._sync_wires(edits.drawn(graph, self.network).edges if net is not None else [])
        if self._to_select:
            self.select(self._to_select)

    def _sync_node(self, node: Node, label: NodeLabel) -> None:
        item = self.nodes.get(node.id)
        if item is None:
            item = self.nodes[node.id] = GraphNode(self.scene, label)
        elif item.label.ports != label.ports:
            self._drop_wires_of(node.id)  # their sockets go; _sync_wires draws them anew
            item.present(label, rebuild=True)
        elif item.label != label:
            item.present(label)
        if (item.pos.x(), item.pos.y()) != (node.editor.x, node.editor.y):
            item.setPos(node.editor.x, node.editor.y)

    def _sync_wires(self, edges: list[Edge]) -> None:
        wanted = {str(edge): edge for edge in edges}
        for key in [k for k in self.wires if k not in wanted]:
            self.wires.pop(key).remove(silent=True)
        info = self.document.analysis.networks.get(self.network)
        problems = {
            (d.node, d.port): d.message
            for d in self.document.analysis.report
            if d.network == self.network and d.port is not None
        }
        for key, edge in wanted.items():
            wire = self.wires.get(key) or self._add_wire(key, edge)
            if wire is None:
                continue
            spec = info.edge_spec(edge) if info is not None else None
            kind = spec.kind if spec is not None else TensorKind.ANY
            problem = problems.get((edge.target.node, edge.target.port), "")
            wire.present("" if spec is None else str(spec), kind, problem)

    def _add_wire(self, key: str, edge: Edge) -> Wire | None:
        source = self.nodes.get(edge.source.node)
        target = self.nodes.get(edge.target.node)
        start = source.socket(edge.source.port, output=True) if source else None
        end = target.socket(edge.target.port, output=False) if target else None
        if start is None or end is None:
            return None  # validation reports the missing node or port
        wire = Wire(self.scene, start, end)
        wire.key = key
        self.wires[key] = wire
        return wire

    def _drop_wires_of(self, node_id: str) -> None:
        for key in [k for k in self.wires if node_id in _ends(k)]:
            self.wires.pop(key).remove(silent=True)

    def _drop_node(self, node_id: str) -> None:
        self._drop_wires_of(node_id)
        self.nodes.pop(node_id).remove()

    # Selection and navigation.

    def selected_ids(self) -> list[str]:
        if not isValid(self.scene.grScene):
            return []  # the window is closing and Qt has deleted the scene already
        items = self.scene.grScene.selectedItems()
        chosen = {item.node.node_id for item in items if isinstance(item, NodeGraphics)}
        return [node_id for node_id in self.nodes if node_id in chosen]  # in document order

    def selected_edges(self) -> list[Edge]:
        keys = {
            cast(Wire, item.edge).key
            for item in self.scene.grScene.selectedItems()
            if isinstance(item, WireGraphics)
        }
        net = self.document.graph.networks.get(self.network)
        return [edge for edge in (net.edges if net else []) if str(edge) in keys]

    def select(self, node_ids: list[str]) -> None:
        missing = [node_id for node_id in node_ids if node_id not in self.nodes]
        self._to_select = list(node_ids) if missing and self.document.pending else []
        self.scene.grScene.clearSelection()
        for node_id in node_ids:
            if node_id in self.nodes:
                self.nodes[node_id].grNode.setSelected(True)

    def select_all(self) -> None:
        self.select(list(self.nodes))

    def focus(self, node_id: str) -> None:
        """Select a node and scroll it into the middle of the view."""
        if node_id in self.nodes:
            self.select([node_id])
            self.view.centerOn(self.nodes[node_id].grNode)

    def zoom_to_fit(self) -> None:
        """Fit every node in the view, never magnifying past full size."""
        rect = QRectF()
        for item in self.nodes.values():
            rect = rect.united(item.grNode.sceneBoundingRect())
        if rect.isEmpty():
            rect = QRectF(-200, -150, 400, 300)
        self.view.fitInView(rect.adjusted(-40, -50, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)
        if self.view.transform().m11() > 1.0:
            self.view.resetTransform()
            self.view.centerOn(rect.center())
        self.view._syncDetailLod()

    def centre(self) -> QPointF:
        """The scene point in the middle of the view: where a kind added from the palette goes."""
        return self.view.mapToScene(self.view.viewport().rect().center())

    # Edits the mouse makes.

    def add_kind(self, kind: str, where: QPointF) -> str | None:
        """Add a node of `kind` centred on `where`; the new node's id (None: no such kind)."""
        block = kind.removeprefix(BLOCK_PREFIX) if kind.startswith(BLOCK_PREFIX) else None
        known = block in self.document.graph.blocks if block else kind in default_registry()
        if not known:
            self.message.emit(f"refused: no installed plugin pack provides the kind '{kind}'")
            return None
        position = (where.x() - WIDTH / 2, where.y() - HEADER / 2)
        graph, node_id = edits.add_node(self.document.graph, self.network, kind, position)
        self.document.edit(f"Add {node_id} ({kind})", graph)
        self.select([node_id])
        return node_id

    def connect_sockets(self, first: Socket, second: Socket) -> bool:
        """Wire two sockets (either order) if the ports are compatible; else say why not."""
        if first.is_input == second.is_input:
            self.message.emit("a wire joins an output port to an input port")
            return False
        out, into = (second, first) if first.is_input else (first, second)
        source, target = _endpoint(out), _endpoint(into)
        net = edits.network(self.document.graph, self.network)
        reason = refusal(net, self.document.labels(self.network), source, target)
        if reason is not None:
            self.message.emit(f"refused: {reason}")
            return False
        graph = edits.connect(self.document.graph, self.network, source, target)
        self.document.edit(f"Connect {source} to {target}", graph)
        return True

    def offer_kinds(self, socket: Socket, where: QPointF) -> str | None:
        """Let the user pick a compatible kind, add it at `where` and wire it to `socket`."""
        port = port_of(socket)
        choices = compatible_kinds(default_registry(), port.kind, socket.is_output, BLOCK_ONLY)
        kind = self.choose_kind([k for k, _ in choices], where)
        if kind is None:
            return None
        new_port = dict(choices)[kind]
        position = (where.x(), where.y() - HEADER)
        graph, node_id = edits.add_node(self.document.graph, self.network, kind, position)
        ends = (_endpoint(socket), Endpoint(node=node_id, port=new_port))
        source, target = ends if socket.is_output else ends[::-1]
        graph = edits.connect(graph, self.network, source, target)
        self.document.edit(f"Add {node_id} ({kind}) wired to {_endpoint(socket)}", graph)
        self.select([node_id])
        return node_id

    def choose_kind(self, kinds: list[str], where: QPointF) -> str | None:
        """A menu of `kinds` at the scene point `where`; the one picked, or None."""
        menu = QMenu(self)
        for kind in kinds:
            menu.addAction(kind)
        global_pos = self.view.viewport().mapToGlobal(self.view.mapFromScene(where))
        picked = menu.exec(global_pos)
        return picked.text() if picked is not None else None

    def commit_moves(self) -> None:
        """Record where the user dragged nodes to, as one undoable move."""
        positions = {node.id: (node.editor.x, node.editor.y) for node in self._doc_nodes()}
        moved = {
            node_id: (item.pos.x(), item.pos.y())
            for node_id, item in self.nodes.items()
            if node_id in positions and positions[node_id] != (item.pos.x(), item.pos.y())
        }
        if moved:
            graph = edits.move(self.document.graph, self.network, moved)
            if not self.document.edit(_count("Move", len(moved), "node"), graph):
                self.sync()  # moved by less than a pixel: snap back to the saved position

    def cut(self, wires: list[Wire]) -> None:
        keys = {wire.key for wire in wires}
        edges = [edge for edge in self._doc_edges() if str(edge) in keys]
        if edges:
            graph = edits.remove(self.document.graph, self.network, [], edges)
            self.document.edit(_count("Cut", len(edges), "wire"), graph)

    def delete_selected(self) -> None:
        node_ids, edges = self.selected_ids(), self.selected_edges()
        if node_ids or edges:
            graph = edits.remove(self.document.graph, self.network, node_ids, edges)
            what = _count("Delete", len(node_ids), "node") if node_ids else "Delete wires"
            self.document.edit(what, graph)

    def _doc_nodes(self) -> list[Any]:
        net = self.document.graph.networks.get(self.network)
        return list(net.nodes) if net else []

    def _doc_edges(self) -> list[Edge]:
        net = self.document.graph.networks.get(self.network)
        return list(net.edges) if net else []


def _endpoint(socket: Socket) -> Endpoint:
    port = port_of(socket)
    return Endpoint(node=cast(GraphNode, port.node).node_id, port=port.port_name)


def _ends(key: str) -> tuple[str, str]:
    source, _, target = key.partition(" -> ")
    return source.partition(".")[0], target.partition(".")[0]


def _count(verb: str, count: int, noun: str) -> str:
    return f"{verb} {count} {noun}{'s' if count != 1 else ''}"
