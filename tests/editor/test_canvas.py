"""The canvas driven as a user drives it: drops from the palette, wires drawn with the mouse."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from graphgan.editor import edits
from graphgan.editor.canvas import Canvas
from graphgan.editor.window import EditorWindow


def canvas_of(window: EditorWindow, network: str) -> Canvas:
    window.tabs.setCurrentWidget(window.canvases[network])
    QApplication.processEvents()  # a tab shown for the first time is sized and fitted now
    return window.canvases[network]


def socket_point(canvas: Canvas, node: str, port: str, output: bool) -> QPoint:
    socket = canvas.nodes[node].socket(port, output)
    assert socket is not None
    return canvas.view.mapFromScene(socket.grSocket.scenePos())


def drag_wire(qtbot: Any, canvas: Canvas, start: QPoint, end: QPoint) -> None:
    viewport = canvas.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, pos=(start + end) / 2)
    qtbot.mouseMove(viewport, pos=end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def wires(window: EditorWindow, network: str) -> list[str]:
    return [str(edge) for edge in window.document.graph.networks[network].edges]


def drop_kind(window: EditorWindow, kind: str, at: QPoint) -> None:
    """Drag a kind out of the palette and drop it on the canvas, through the real handlers."""
    item = window.node_palette.item_for(kind)
    assert item is not None
    send_drop(window, window.node_palette.tree.mimeData([item]), at)


def send_drop(window: EditorWindow, mime: QMimeData, at: QPoint) -> None:
    viewport = window.current_canvas().view.viewport()  # type: ignore[union-attr]
    action = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (
        QDragEnterEvent(QPointF(at), action, mime, buttons, keys),
        QDragMoveEvent(QPointF(at), action, mime, buttons, keys),
        QDropEvent(QPointF(at), action, mime, buttons, keys),
    ):
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted()


def test_dropping_a_kind_from_the_palette_adds_it_at_the_drop_point(window: EditorWindow) -> None:
    canvas = canvas_of(window, "generator")
    at = canvas.view.viewport().rect().center() + QPoint(0, 150)
    drop_kind(window, "nn.Tanh", at)

    node = window.document.graph.networks["generator"].nodes[-1]
    assert (node.id, node.kind) == ("g_tanh_1", "nn.Tanh")
    where = canvas.view.mapToScene(at)
    centre = canvas.nodes[node.id].grNode.sceneBoundingRect().center()
    assert abs(centre.x() - where.x()) < 6
    assert canvas.selected_ids() == ["g_tanh_1"]

    window.undo()
    assert "g_tanh_1" not in canvas.nodes
    window.redo()
    assert "g_tanh_1" in canvas.nodes


def test_a_drop_without_a_kind_is_ignored(window: EditorWindow) -> None:
    viewport = canvas_of(window, "generator").view.viewport()
    mime = QMimeData()
    mime.setText("nn.Tanh")
    event = QDragEnterEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)
    assert not event.isAccepted()


def test_drawing_a_wire_between_two_ports_connects_them(qtbot: Any, window: EditorWindow) -> None:
    document = window.document
    edge = document.graph.networks["generator"].edges[2]  # g_act.y -> g_fc2.x
    document.edit("cut", edits.remove(document.graph, "generator", [], [edge]))
    canvas = canvas_of(window, "generator")
    assert "g_act.y -> g_fc2.x" not in canvas.wires

    start = socket_point(canvas, "g_act", "y", output=True)
    end = socket_point(canvas, "g_fc2", "x", output=False)
    drag_wire(qtbot, canvas, start, end)

    assert wires(window, "generator")[-1] == "g_act.y -> g_fc2.x"
    assert canvas.wires["g_act.y -> g_fc2.x"].getLabel() == "(N, 8)"
    assert document.analysis.valid
    window.undo()
    assert "g_act.y -> g_fc2.x" not in wires(window, "generator")


def test_a_wire_drawn_from_an_input_to_an_output_also_connects(
    qtbot: Any, window: EditorWindow
) -> None:
    document = window.document
    edge = document.graph.networks["generator"].edges[0]  # g_z.z -> g_fc1.x
    document.edit("cut", edits.remove(document.graph, "generator", [], [edge]))
    canvas = canvas_of(window, "generator")

    start = socket_point(canvas, "g_fc1", "x", output=False)
    drag_wire(qtbot, canvas, start, socket_point(canvas, "g_z", "z", output=True))
    assert "g_z.z -> g_fc1.x" in wires(window, "generator")


def test_an_incompatible_wire_is_refused_with_the_reason(qtbot: Any, window: EditorWindow) -> None:
    canvas = canvas_of(window, "discriminator")
    before = window.document.graph
    start = socket_point(canvas, "d_x", "x", output=True)
    drag_wire(qtbot, canvas, start, socket_point(canvas, "d_fc", "x", output=False))

    assert window.document.graph is before
    assert not window.document.undo_stack.canUndo()
    message = window.statusBar().currentMessage()
    assert message.startswith("refused: cannot wire d_x.x (image) into d_fc.x (vector)")
    assert len(canvas.wires) == 3  # the dragged wire is gone too


def test_dragging_a_node_moves_it_as_one_undoable_step(qtbot: Any, window: EditorWindow) -> None:
    canvas = canvas_of(window, "generator")
    item = canvas.nodes["g_act"].grNode
    grab = canvas.view.mapFromScene(item.sceneBoundingRect().topLeft() + QPointF(40, 10))
    viewport = canvas.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=grab)
    for step in range(1, 6):
        QApplication.sendEvent(viewport, _move_event(grab + QPoint(0, 20 * step)))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=grab + QPoint(0, 100))

    node = next(n for n in window.document.graph.networks["generator"].nodes if n.id == "g_act")
    assert node.editor.y > 50
    assert window.document.undo_stack.count() == 1
    window.undo()
    assert canvas.nodes["g_act"].pos.y() == 0


def _move_event(at: QPoint) -> Any:
    from PySide6.QtGui import QMouseEvent

    return QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(at),
        QPointF(at),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def test_problem_nodes_are_outlined_and_listed(window: EditorWindow) -> None:
    document = window.document
    edge = document.graph.networks["generator"].edges[2]  # g_act.y -> g_fc2.x
    document.edit("cut", edits.remove(document.graph, "generator", [], [edge]))
    canvas = canvas_of(window, "generator")

    assert canvas.nodes["g_fc2"].label.severity is not None
    assert "not connected" in canvas.nodes["g_fc2"].grNode.toolTip()
    count = window.problems.topLevelItemCount()
    rows = [row for i in range(count) if (row := window.problems.topLevelItem(i)) is not None]
    row = next(r for r in rows if "g_fc2" in r.text(2))
    window.tabs.setCurrentWidget(window.canvases["discriminator"])

    window.problems.itemClicked.emit(row, 0)
    assert window.current_canvas() is canvas
    assert canvas.selected_ids() == ["g_fc2"]
    assert window.inspector.node_id == "g_fc2"


def test_a_wire_let_go_on_empty_canvas_offers_compatible_kinds(
    qtbot: Any, window: EditorWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    canvas = canvas_of(window, "discriminator")
    offered: list[list[str]] = []

    def pick(kinds: list[str], where: QPointF) -> str:
        offered.append(kinds)
        return "nn.Conv2d"

    monkeypatch.setattr(canvas, "choose_kind", pick)
    start = socket_point(canvas, "d_x", "x", output=True)
    drag_wire(qtbot, canvas, start, start + QPoint(0, 200))

    assert "nn.Conv2d" in offered[0] and "nn.Linear" not in offered[0]
    assert "io.Noise" not in offered[0]  # it has no input to feed
    assert wires(window, "discriminator")[-1] == "d_x.x -> d_conv2d_1.x"
    assert window.document.undo_stack.count() == 1  # node and wire: one step
    window.undo()
    assert "d_conv2d_1" not in canvas.nodes


def test_letting_go_of_a_wire_and_picking_nothing_changes_nothing(
    qtbot: Any, window: EditorWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    canvas = canvas_of(window, "generator")
    monkeypatch.setattr(canvas, "choose_kind", lambda kinds, where: None)
    start = socket_point(canvas, "g_fc1", "x", output=False)
    drag_wire(qtbot, canvas, start, start + QPoint(-40, 200))
    assert not window.document.undo_stack.canUndo()


def test_dropping_an_unknown_kind_is_refused(window: EditorWindow) -> None:
    from graphgan.editor.canvas_view import MIME_KIND

    canvas = canvas_of(window, "generator")
    mime = QMimeData()
    mime.setData(MIME_KIND, b"nn.Nothing")
    send_drop(window, mime, canvas.view.viewport().rect().center())
    assert not window.document.undo_stack.canUndo()
    assert "no installed plugin pack provides the kind 'nn.Nothing'" in (
        window.statusBar().currentMessage()
    )


def test_a_wire_the_variables_leave_out_is_not_drawn(window: EditorWindow) -> None:
    graph = window.document.graph
    net = graph.networks["generator"]
    skip = edits.edge("g_z.z", "g_fc2.x").model_copy(update={"when": "=False"})
    window.document.edit(
        "add",
        edits.with_network(
            graph, "generator", net.model_copy(update={"edges": [*net.edges, skip]})
        ),
    )
    window.document.settle()
    canvas = canvas_of(window, "generator")
    assert "g_z.z -> g_fc2.x" not in canvas.wires
    assert len(canvas.wires) == len(net.edges)
