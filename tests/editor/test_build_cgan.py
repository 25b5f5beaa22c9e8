"""The issue's "done when": the conditional GAN's generator built on an empty canvas by hand.

Every node comes from a palette drag, every param from the inspector and every wire from a
mouse drag between two ports; the result is compared with the shipped template.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit, QSpinBox

from graphgan.editor.labels import Labeller
from graphgan.editor.window import EditorWindow
from graphgan.graph import load
from graphgan.templates import template_path
from graphgan.validation import analyse
from tests.editor.test_canvas import canvas_of, drag_wire, drop_kind, socket_point

COLUMNS, SPACING = 4, QPointF(230, 170)

# The template's literal values for the params its variables set (the defaults cover the rest).
PARAMS: dict[str, dict[str, Any]] = {
    "g_noise": {"dim": 100},
    "g_label": {"n_classes": 10},
    "g_onehot": {"n_classes": 10},
    "g_fc_z": {"out_features": 200},
    "g_act_z": {"negative_slope": 0.0},
    "g_fc_y": {"out_features": 1000},
    "g_act_y": {"negative_slope": 0.0},
    "g_drop_join": {"p": 0.5},
    "g_fc_joint": {"out_features": 1200},
    "g_act_joint": {"negative_slope": 0.0},
    "g_drop_joint": {"p": 0.5},
    "g_fc_out": {"out_features": 784},
    "g_reshape": {"shape": "[1, 28, 28]"},
}


def type_into(window: EditorWindow, name: str, value: Any) -> None:
    """Enter a value into the inspector's field for the selected node, as typing would."""
    editor = window.inspector.fields[name].literal
    if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        editor.setValue(value)
    elif isinstance(editor, QLineEdit):
        editor.setText(value)
        editor.editingFinished.emit()
    else:
        raise TypeError(f"no typing into {type(editor).__name__}")


def test_the_cgan_generator_is_built_by_drag_and_drop(qtbot: Any) -> None:
    template = load(template_path("cgan")).networks["generator"]
    window = EditorWindow()  # a new, empty document
    qtbot.addWidget(window, before_close_func=lambda w: w.document.undo_stack.setClean())
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    canvas = canvas_of(window, "generator")
    canvas.view.zoom_by(0.5)  # the mouse wheel, to fit the 4 x 4 grid
    canvas.view.centerOn(SPACING.x() * 1.5, SPACING.y() * 1.5)

    # Nodes: each kind dragged from the palette onto its grid cell, then its params typed in.
    ids: dict[str, str] = {}
    for index, node in enumerate(template.nodes):
        cell = QPointF(SPACING.x() * (index % COLUMNS), SPACING.y() * (index // COLUMNS))
        drop_kind(window, node.kind, canvas.view.mapFromScene(cell))
        ids[node.id] = window.document.graph.networks["generator"].nodes[-1].id
        assert window.inspector.node_id == ids[node.id]
        for name, value in PARAMS.get(node.id, {}).items():
            type_into(window, name, value)

    # Wires: each drawn with the mouse from an output port to an input port.
    for edge in template.edges:
        start = socket_point(canvas, ids[edge.source.node], edge.source.port, output=True)
        end = socket_point(canvas, ids[edge.target.node], edge.target.port, output=False)
        drag_wire(qtbot, canvas, start, end)

    built = window.document.graph.networks["generator"]
    assert {str(edge) for edge in built.edges} == {
        f"{ids[e.source.node]}.{e.source.port} -> {ids[e.target.node]}.{e.target.port}"
        for e in template.edges
    }
    assert [node.kind for node in built.nodes] == [node.kind for node in template.nodes]

    # Shapes on the wires, no problem in the generator, and the template's size.
    wires = canvas.wires
    out, image = ids["g_fc_out"], ids["g_reshape"]
    assert wires[f"{out}.y -> {ids['g_sigmoid']}.x"].getLabel() == "(N, 784)"
    assert wires[f"{image}.y -> {ids['g_image']}.x"].getLabel() == "(N, 1, 28, 28)"
    report = window.document.analysis.report
    assert [str(d) for d in report if d.network == "generator"] == []
    expected = Labeller().network(analyse(load(template_path("cgan"))), "generator")
    built_size = sum(
        label.parameters or 0 for label in window.document.labels("generator").values()
    )
    assert built_size == sum(label.parameters or 0 for label in expected.values()) > 1_000_000
