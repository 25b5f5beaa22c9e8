"""The issue's "done when": the conditional GAN built on an empty canvas by hand, its shapes
seen, trained from the Train tab and exported from the Export dialog.

Every node comes from a palette drag, every param from the inspector and every wire from a
mouse drag between two ports; the networks are compared with the shipped template's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
)

from graphgan.editor.document import Document
from graphgan.editor.export_dialog import ExportDialog
from graphgan.editor.labels import Labeller
from graphgan.editor.window import EditorWindow, empty_graph
from graphgan.graph import Edge, Graph, Node, load
from graphgan.templates import template_path
from graphgan.validation import analyse
from tests.editor.test_canvas import canvas_of, drag_wire, drop_kind, socket_point
from tests.editor.test_export_dialog import export

COLUMNS, SPACING = 4, QPointF(230, 170)


def paper_nodes(template: Graph, network: str) -> list[Node]:
    """The nodes of the paper's configuration: the template also holds a convolutional body
    that its variables leave out."""
    return [info.node for info in analyse(template).networks[network].nodes.values()]


def paper_edges(template: Graph, network: str) -> list[Edge]:
    return analyse(template).networks[network].edges


def typed_params(template: Graph, network: str) -> dict[str, dict[str, Any]]:
    """The literal values a user types for each node: the template's params, variables resolved."""
    infos = analyse(template).networks[network].nodes
    typed: dict[str, dict[str, Any]] = {}
    for node in paper_nodes(template, network):
        values = {name: getattr(infos[node.id].params, name) for name in node.params}
        typed[node.id] = {
            k: str(list(v)) if isinstance(v, (list, tuple)) else v for k, v in values.items()
        }
    return typed


def type_into(window: EditorWindow, name: str, value: Any) -> None:
    """Enter a value into the inspector's field for the selected node, as typing would."""
    editor = window.inspector.fields[name].literal
    if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        editor.setValue(value)
    elif isinstance(editor, QLineEdit):
        editor.setText(value)
        editor.editingFinished.emit()
    elif isinstance(editor, QComboBox):
        index = editor.findText(str(value))
        assert index >= 0, f"{name}: no choice {value!r}"
        editor.setCurrentIndex(index)
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    else:
        raise TypeError(f"no typing into {type(editor).__name__}")


def build(qtbot: Any, window: EditorWindow, template: Graph, network: str) -> dict[str, str]:
    """Drag, type and wire one network of `template` onto its empty canvas; template ids to new."""
    window.tabs.setCurrentWidget(canvas_of(window, network))
    canvas = canvas_of(window, network)
    canvas.view.zoom_by(0.5)  # the mouse wheel, to fit the 4 x 4 grid
    canvas.view.centerOn(SPACING.x() * 1.5, SPACING.y() * 1.5)
    params = typed_params(template, network)

    # Nodes: each kind dragged from the palette onto its grid cell, then its params typed in.
    ids: dict[str, str] = {}
    for index, node in enumerate(paper_nodes(template, network)):
        cell = QPointF(SPACING.x() * (index % COLUMNS), SPACING.y() * (index // COLUMNS))
        drop_kind(window, node.kind, canvas.view.mapFromScene(cell))
        ids[node.id] = window.document.graph.networks[network].nodes[-1].id
        assert window.inspector.node_id == ids[node.id]
        for name, value in params[node.id].items():
            type_into(window, name, value)

    # Wires: each drawn with the mouse from an output port to an input port.
    for edge in paper_edges(template, network):
        start = socket_point(canvas, ids[edge.source.node], edge.source.port, output=True)
        end = socket_point(canvas, ids[edge.target.node], edge.target.port, output=False)
        drag_wire(qtbot, canvas, start, end)

    built = window.document.graph.networks[network]
    assert {str(edge) for edge in built.edges} == {
        f"{ids[e.source.node]}.{e.source.port} -> {ids[e.target.node]}.{e.target.port}"
        for e in paper_edges(template, network)
    }
    assert [node.kind for node in built.nodes] == [n.kind for n in paper_nodes(template, network)]
    return ids


def test_the_cgan_is_built_by_drag_and_drop_trained_and_exported(
    qtbot: Any, tmp_path: Path
) -> None:
    template = load(template_path("cgan"))
    window = EditorWindow(Document(empty_graph(), tmp_path / "my_cgan.json"))  # new, empty
    qtbot.addWidget(window, before_close_func=lambda w: w.document.undo_stack.setClean())
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    g_ids = build(qtbot, window, template, "generator")
    d_ids = build(qtbot, window, template, "discriminator")

    # Shapes on the wires, no problem in either network, and the template's sizes.
    window.document.settle()
    wires = canvas_of(window, "generator").wires
    out, image = g_ids["g_fc_out"], g_ids["g_reshape"]
    assert wires[f"{out}.y -> {g_ids['g_sigmoid']}.x"].getLabel() == "(N, 784)"
    assert wires[f"{image}.y -> {g_ids['g_image']}.x"].getLabel() == "(N, 1, 28, 28)"
    d_wires = canvas_of(window, "discriminator").wires
    assert d_wires[f"{d_ids['d_fc_out']}.y -> {d_ids['d_logit']}.x"].getLabel() == "(N, 1)"
    assert [str(d) for d in window.document.analysis.report] == []
    expected = analyse(template)
    for network in ("generator", "discriminator"):
        built_size = sum(
            label.parameters or 0 for label in window.document.labels(network).values()
        )
        reference = Labeller().network(expected, network)
        assert built_size == sum(label.parameters or 0 for label in reference.values()) > 1e6

    # Training: the standard section from the Graph menu, then a short run from the Train tab.
    menu = window.menus.menus["&Graph"].actions()
    next(a for a in menu if a.text() == "Add Standard &Training").trigger()
    assert window.document.graph.training is not None
    window.document.settle()
    assert window.document.analysis.valid
    panel = window.train
    panel.steps.setValue(3)
    assert panel.start(), panel.status.text()
    qtbot.waitUntil(lambda: not panel.running, timeout=180_000)
    QApplication.processEvents()
    assert panel.status.text().startswith("run finished at step 3 (exit code 0)")
    assert panel.run_dir is not None and (panel.run_dir / "samples" / "latest.png").is_file()

    # Export: File > Export..., into a folder of the user's choosing.
    export_action = next(
        a for a in window.menus.menus["&File"].actions() if a.text() == "&Export..."
    )
    export_action.trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None
    dialog.chooser = lambda _parent, _start: tmp_path / "project"
    dialog.folder.setText(str(tmp_path / "project"))
    export(qtbot, dialog)
    assert {"models.py", "train.py"} <= {path.name for path in (tmp_path / "project").iterdir()}
