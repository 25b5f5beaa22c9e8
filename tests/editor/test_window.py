"""The window as a user uses it: inspector, keyboard edits, clipboard, files and closing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
)

from graphgan.editor.document import Document
from graphgan.editor.window import EditorWindow
from graphgan.graph import Graph, dumps, load, save
from graphgan.templates import template_path


def nodes(window: EditorWindow, network: str = "generator") -> list[str]:
    return [node.id for node in window.document.graph.networks[network].nodes]


def params(window: EditorWindow, node_id: str, network: str = "generator") -> dict[str, Any]:
    net = window.document.graph.networks[network]
    return dict(next(n for n in net.nodes if n.id == node_id).params)


def select(window: EditorWindow, *node_ids: str) -> None:
    canvas = window.current_canvas()
    assert canvas is not None
    canvas.select(list(node_ids))


def commit(combo: QComboBox) -> None:
    """Leave an editable combo box's text field, as tabbing out of it does."""
    line = combo.lineEdit()
    assert line is not None
    line.editingFinished.emit()


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def press(qtbot: Any, window: EditorWindow, key: Any, modifier: Any = None) -> None:
    canvas = window.current_canvas()
    assert canvas is not None
    canvas.view.setFocus()
    qtbot.keyClick(canvas.view, key, modifier or Qt.KeyboardModifier.NoModifier)


def test_the_inspector_edits_params_undoably(window: EditorWindow) -> None:
    select(window, "g_fc2")
    assert window.inspector.node_id == "g_fc2"
    field = window.inspector.fields["out_features"]
    spin = field.literal
    assert isinstance(spin, QSpinBox)
    assert spin.value() == 3
    assert (spin.minimum(), spin.maximum()) == (0, 1048576)  # 0 shows "required"

    spin.setValue(5)
    spin.setValue(7)  # typing into one field is one undo step
    assert params(window, "g_fc2") == {"out_features": 7}
    assert window.canvases["generator"].wires["g_fc2.y -> g_out.x"].getLabel() == "(N, 7)"
    assert window.document.undo_stack.count() == 1

    bias = window.inspector.fields["bias"].literal
    assert isinstance(bias, QCheckBox)
    bias.setChecked(False)
    assert params(window, "g_fc2") == {"out_features": 7, "bias": False}

    window.undo()
    window.undo()
    assert params(window, "g_fc2") == {"out_features": 3}
    assert spin.value() == 3
    window.redo()
    assert params(window, "g_fc2") == {"out_features": 7}


def test_the_inspector_references_variables(window: EditorWindow) -> None:
    select(window, "g_fc2")
    field = window.inspector.fields["out_features"]
    field.toggle.setChecked(True)
    field.expression.setEditText("=width")
    commit(field.expression)
    assert params(window, "g_fc2") == {"out_features": "=width"}
    assert window.document.labels("generator")["g_fc2"].key_params == (("out_features", "8"),)

    select(window, "g_fc1")
    assert window.inspector.fields["out_features"].toggle.isChecked()
    assert window.inspector.fields["out_features"].expression.currentText() == "=width"


def test_an_optional_param_can_be_left_to_inference(window: EditorWindow) -> None:
    select(window, "g_fc2")
    spin = window.inspector.fields["in_features"].literal
    assert isinstance(spin, QSpinBox)
    assert spin.text() == "auto"
    spin.setValue(8)
    assert params(window, "g_fc2")["in_features"] == 8
    spin.setValue(spin.minimum())
    assert "in_features" not in params(window, "g_fc2")


def test_delete_removes_the_selection_in_one_step(qtbot: Any, window: EditorWindow) -> None:
    select(window, "g_act", "g_fc2")
    press(qtbot, window, Qt.Key.Key_Delete)
    assert nodes(window) == ["g_z", "g_fc1", "g_out"]
    assert window.document.undo_stack.count() == 1
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert nodes(window) == ["g_z", "g_fc1", "g_act", "g_fc2", "g_out"]
    assert len(window.canvases["generator"].wires) == 4


def test_copy_paste_and_duplicate(qtbot: Any, window: EditorWindow) -> None:
    select(window, "g_fc1", "g_act")
    press(qtbot, window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert nodes(window)[-2:] == ["g_linear_1", "g_re_lu_1"]
    assert "g_linear_1.y -> g_re_lu_1.x" in window.canvases["generator"].wires
    assert window.current_canvas().selected_ids() == ["g_linear_1", "g_re_lu_1"]  # type: ignore[union-attr]

    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert nodes(window)[-2:] == ["g_linear_2", "g_re_lu_2"]

    window.undo()
    window.undo()
    assert len(nodes(window)) == 5


def test_paste_into_another_network(qtbot: Any, window: EditorWindow) -> None:
    select(window, "g_fc1")
    window.copy()
    window.tabs.setCurrentWidget(window.canvases["discriminator"])
    window.paste()
    assert nodes(window, "discriminator")[-1] == "d_linear_1"


def test_pasting_text_that_is_not_a_fragment_is_refused(window: EditorWindow) -> None:
    QApplication.clipboard().setText("not a graph")
    window.paste()
    assert window.statusBar().currentMessage().startswith("nothing to paste")
    assert not window.document.undo_stack.canUndo()


def test_palette_search_and_enter_adds_the_first_match(qtbot: Any, window: EditorWindow) -> None:
    qtbot.keyClick(window.canvases["generator"].view, Qt.Key.Key_Slash)
    assert window.node_palette.search.hasFocus()
    qtbot.keyClicks(window.node_palette.search, "transposed")
    assert window.node_palette.visible_kinds() == ["nn.ConvTranspose2d"]
    qtbot.keyClick(window.node_palette.search, Qt.Key.Key_Return)
    assert nodes(window)[-1] == "g_conv_transpose2d_1"
    assert window.document.labels("generator")["g_conv_transpose2d_1"].severity is not None


def test_variables_panel_edits_a_variable(window: EditorWindow) -> None:
    panel = window.variables
    row = [cell(panel, r, 0).text() for r in range(panel.rowCount())].index("width")
    cell(panel, row, 1).setText("16")
    assert window.document.graph.variables["width"].value == 16
    assert window.document.labels("generator")["g_fc1"].outputs[0].shape == "(N, 16)"
    window.undo()
    assert cell(panel, row, 1).text() == "8"


def test_arrange_lays_out_the_network_undoably(window: EditorWindow) -> None:
    window.document.replace(load_tiny_unarranged(window))
    window.canvases["generator"].sync()
    window.arrange()
    xs = [n.editor.x for n in window.document.graph.networks["generator"].nodes]
    assert xs == sorted(xs) and len(set(xs)) == 5
    window.undo()
    assert {n.editor.x for n in window.document.graph.networks["generator"].nodes} == {0.0}


def load_tiny_unarranged(window: EditorWindow) -> Graph:
    from graphgan.graph.files import graph_from_data
    from tests.conftest import TINY

    return graph_from_data(TINY)


def test_a_new_document_from_a_template_is_unsaved(window: EditorWindow) -> None:
    assert window.new_from_template("cgan")
    assert window.document.path is None
    assert window.document.graph.name == "Conditional GAN"
    assert list(window.canvases) == ["generator", "discriminator"]
    assert not window.isWindowModified()


def test_shortcuts_are_listed(window: EditorWindow) -> None:
    text = window.shortcut_text()
    assert "Undo" in text and "Ctrl+Z" in text
    assert "Search Kinds" in text


def test_save_and_open_round_trip_byte_identical(qtbot: Any, tmp_path: Path) -> None:
    original = tmp_path / "cgan.json"
    save(load(template_path("cgan")), original)
    window = EditorWindow(Document.open(original))
    qtbot.addWidget(window)

    copy = tmp_path / "copy.json"
    assert window.save_as(copy)
    assert copy.read_bytes() == original.read_bytes()
    assert window.document.path == copy and not window.isWindowModified()

    select(window, "g_fc_z")
    window.delete()
    window.undo()
    assert window.save()
    assert copy.read_bytes() == original.read_bytes()

    assert window.open_file(original)
    assert dumps(window.document.graph) == original.read_text(encoding="utf-8")


def test_the_template_file_is_canonical(tmp_path: Path) -> None:
    # The editor writes what graphgan.graph.save writes; the shipped template already is that.
    path = template_path("cgan")
    assert dumps(load(path)) == path.read_text(encoding="utf-8")


def test_closing_with_unsaved_changes_asks_first(
    qtbot: Any, window: EditorWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    select(window, "g_act")
    window.delete()
    assert window.isWindowModified()
    answers = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop())

    window.close()
    assert window.isVisible()
    answers.append(QMessageBox.StandardButton.Discard)
    window.close()
    assert not window.isVisible()


def test_opening_an_unreadable_file_explains_why(
    window: EditorWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _w, _t, text: shown.append(text))
    assert not window.open_file(broken)
    assert "not valid JSON" in shown[0]
    assert window.document.graph.name == "tiny"


def test_the_palette_offers_the_graphs_own_blocks(qtbot: Any) -> None:
    from graphgan.templates import template_names

    if "pix2pix" not in template_names():
        pytest.skip("the pix2pix template is not shipped in this build")
    window = EditorWindow(Document(load(template_path("pix2pix"))))
    qtbot.addWidget(window)
    blocks = [k for k in window.node_palette.visible_kinds() if k.startswith("block.")]
    assert blocks == [f"block.{name}" for name in window.document.graph.blocks]  # file order

    window.new_document()
    assert not [k for k in window.node_palette.visible_kinds() if k.startswith("block.")]


def test_the_inspector_edits_a_block_nodes_params(qtbot: Any) -> None:
    from graphgan.templates import template_names

    if "pix2pix" not in template_names():
        pytest.skip("the pix2pix template is not shipped in this build")
    window = EditorWindow(Document(load(template_path("pix2pix"))))
    qtbot.addWidget(window)
    net, node = next(
        (name, n)
        for name, network in window.document.graph.networks.items()
        for n in network.nodes
        if n.kind.startswith("block.") and window.document.graph.blocks[n.kind[6:]].params
    )
    window.tabs.setCurrentWidget(window.canvases[net])
    select(window, node.id)
    block = window.document.graph.blocks[node.kind.removeprefix("block.")]
    assert list(window.inspector.fields) == list(block.params)
    assert "No installed plugin pack" not in window.inspector.description.text()


def test_keys_typed_into_a_field_do_not_edit_the_canvas(qtbot: Any, window: EditorWindow) -> None:
    select(window, "g_fc2")
    field = window.inspector.fields["out_features"]
    line = field.literal.findChild(QLineEdit)
    assert line is not None
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    assert "g_fc2" in nodes(window)


def test_switching_to_a_reference_commits_nothing_until_typed(window: EditorWindow) -> None:
    select(window, "g_fc2")
    field = window.inspector.fields["out_features"]
    field.toggle.setChecked(True)
    commit(field.expression)
    assert params(window, "g_fc2") == {"out_features": 3}


def test_renaming_a_node_in_the_inspector(window: EditorWindow) -> None:
    select(window, "g_fc2")
    window.inspector.id_field.setText("g_head")
    window.inspector.id_field.editingFinished.emit()
    assert nodes(window) == ["g_z", "g_fc1", "g_act", "g_head", "g_out"]
    canvas = window.canvases["generator"]
    assert "g_head.y -> g_out.x" in canvas.wires
    assert canvas.selected_ids() == ["g_head"] and window.inspector.node_id == "g_head"

    window.inspector.id_field.setText("g_act")
    window.inspector.id_field.editingFinished.emit()
    assert "the id 'g_act' is taken" in window.inspector.problems.text()
    window.undo()
    assert "g_fc2" in nodes(window)


def test_align_the_selection_undoably(window: EditorWindow) -> None:
    from graphgan.editor import edits

    document = window.document
    document.edit("move", edits.move(document.graph, "generator", {"g_fc1": (220, 80)}))
    select(window, "g_z", "g_fc1")
    window.align("top")
    net = document.graph.networks["generator"]
    assert net.nodes[0].editor.y == net.nodes[1].editor.y == 0
    assert document.undo_stack.count() == 2
    window.undo()
    assert document.graph.networks["generator"].nodes[1].editor.y == 80


def test_a_problem_without_a_network_still_jumps_to_its_node(window: EditorWindow) -> None:
    from PySide6.QtWidgets import QTreeWidgetItem

    from graphgan.editor.problems import WHERE_ROLE

    item = QTreeWidgetItem(["error", "training-invalid", "node 'd_fc'", "..."])
    item.setData(0, WHERE_ROLE, (None, "d_fc"))
    window.problems.addTopLevelItem(item)
    window.problems.itemClicked.emit(item, 0)
    assert window.current_canvas() is window.canvases["discriminator"]
    assert window.canvases["discriminator"].selected_ids() == ["d_fc"]


def test_a_preset_switches_the_cgan_to_its_convolutional_body(window: EditorWindow) -> None:
    assert window.new_from_template("cgan")
    window.document.settle()
    generator = window.canvases["generator"]
    assert "g_fc_z" in generator.nodes and "cg_fc" not in generator.nodes

    assert window.apply_preset("conv")
    window.document.settle()
    assert window.document.graph.variables["architecture"].value == "conv"
    assert "cg_up1" in generator.nodes and "g_fc_z" not in generator.nodes
    assert "cd_conv1" in window.canvases["discriminator"].nodes
    assert window.document.analysis.report.valid
    assert "left out" in window.inspector.description.text() + window.inspector.title.text()

    window.undo()
    window.document.settle()
    assert "g_fc_z" in generator.nodes and "cg_fc" not in generator.nodes


def test_arrange_places_only_what_is_drawn(window: EditorWindow) -> None:
    assert window.new_from_template("cgan")
    window.document.settle()
    before = {n.id: n.editor for n in window.document.graph.networks["generator"].nodes}
    window.tabs.setCurrentWidget(window.canvases["generator"])
    window.arrange()
    nodes = window.document.graph.networks["generator"].nodes
    # The convolutional body the variables leave out keeps its places for its turn.
    assert all(n.editor == before[n.id] for n in nodes if n.id.startswith("cg_"))
    assert any(n.editor != before[n.id] for n in nodes if not n.id.startswith("cg_"))


def test_a_variable_with_choices_is_picked_from_a_list(window: EditorWindow) -> None:
    assert window.new_from_template("cgan")
    window.document.settle()
    panel = window.variables
    row = [cell(panel, r, 0).text() for r in range(panel.rowCount())].index("architecture")
    box = panel.cellWidget(row, 1)
    assert isinstance(box, QComboBox)
    assert [box.itemText(i) for i in range(box.count())] == ["mlp", "conv"]

    box.activated.emit(box.findText("conv"))
    window.document.settle()
    assert window.document.graph.variables["architecture"].value == "conv"
    assert "cg_fc" in window.canvases["generator"].nodes
    window.undo()
    assert box.currentText() == "mlp"
