"""Analysis in the background: an edit returns at once, and the newest analysis is shown."""

from __future__ import annotations

import gc
import time
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from graphgan.editor import document as document_module
from graphgan.editor import edits, launch
from graphgan.editor import inspector as inspector_module
from graphgan.editor.document import unanalysed
from graphgan.editor.window import EditorWindow
from graphgan.graph import Graph
from graphgan.validation import Analysis, analyse
from tests.editor.test_canvas import canvas_of, drop_kind

SLOW_S = 0.3


@pytest.fixture
def slow_analysis(monkeypatch: pytest.MonkeyPatch) -> list[Graph]:
    """Analyses that take SLOW_S seconds, as a big graph's may; the graphs analysed."""
    analysed: list[Graph] = []

    def slow(graph: Graph, registry: Any = None) -> Analysis:
        analysed.append(graph)
        time.sleep(SLOW_S)
        return analyse(graph, registry)

    monkeypatch.setattr(document_module, "WAIT_S", 0.0)
    monkeypatch.setattr(document_module, "analyse", slow)
    return analysed


def timed_edit(window: EditorWindow, text: str, graph: Graph) -> float:
    started = time.perf_counter()
    assert window.document.edit(text, graph)
    return time.perf_counter() - started


def test_an_edit_returns_before_its_analysis_and_the_canvas_follows(
    qtbot: Any, window: EditorWindow, slow_analysis: list[Graph]
) -> None:
    document = window.document
    canvas = canvas_of(window, "generator")
    edge = document.graph.networks["generator"].edges[2]  # g_act.y -> g_fc2.x
    cut = edits.remove(document.graph, "generator", [], [edge])

    assert timed_edit(window, "cut", cut) < SLOW_S / 2
    assert document.pending and document.graph is cut
    assert "g_act.y -> g_fc2.x" in canvas.wires  # still the analysed graph's picture
    assert window.status.text() == "analysing..."

    qtbot.waitUntil(lambda: not document.pending, timeout=5_000)
    assert "g_act.y -> g_fc2.x" not in canvas.wires
    assert canvas.nodes["g_fc2"].label.severity is not None
    assert "not connected" in canvas.nodes["g_fc2"].grNode.toolTip()
    assert window.bottom_tabs.tabText(0).startswith("Problems (")
    assert canvas.wires["g_fc1.y -> g_act.x"].getLabel() == "(N, 8)"
    assert window.status.text().startswith("1 error(s)")


def test_only_the_newest_analysis_of_a_burst_is_shown(
    qtbot: Any, window: EditorWindow, slow_analysis: list[Graph]
) -> None:
    document = window.document
    shown: list[Graph] = []
    document.changed.connect(lambda: shown.append(document.graph))
    graph = document.graph
    for width in (16, 24, 32):
        graph = edits.set_param(graph, "generator", "g_fc1", "out_features", width)
        assert timed_edit(window, f"width {width}", graph) < SLOW_S / 2
        if width == 16:  # let its analysis start, so the next two queue behind it
            qtbot.waitUntil(lambda: len(slow_analysis) == 1, timeout=5_000)

    qtbot.waitUntil(lambda: not document.pending, timeout=5_000)
    qtbot.wait(int(SLOW_S * 1000))  # any late result would arrive by now
    # The first was running; the second, still queued, was cancelled by the third; the
    # first's result came after the third edit and was never shown.
    analysed = [g.networks["generator"].nodes[1].params["out_features"] for g in slow_analysis]
    assert analysed == [16, 32]
    assert gc.isenabled()  # off only while a job was out
    assert shown == [graph]
    label = window.canvases["generator"].wires["g_fc1.y -> g_act.x"].getLabel()
    assert label == "(N, 32)"


def test_a_dropped_node_is_selected_once_its_analysis_draws_it(
    qtbot: Any, window: EditorWindow, slow_analysis: list[Graph]
) -> None:
    canvas = canvas_of(window, "generator")
    drop_kind(window, "nn.Tanh", canvas.view.viewport().rect().center() + QPoint(0, 150))
    assert "g_tanh_1" not in canvas.nodes
    qtbot.waitUntil(lambda: "g_tanh_1" in canvas.nodes, timeout=5_000)
    assert canvas.selected_ids() == ["g_tanh_1"]
    assert window.inspector.node_id == "g_tanh_1"


def test_a_document_opened_in_a_fresh_process_is_drawn_then_analysed(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in a fresh process: the plugin packs are not loaded, so the window does not wait.
    monkeypatch.setattr(launch, "default_registry_loaded", lambda: False)
    window = launch.open_window("cgan", recover=False)
    qtbot.addWidget(window)
    document, canvas = window.document, canvas_of(window, "generator")
    QApplication.processEvents()

    # Before the canvas is painted: the document's nodes and wires, nothing analysed.
    assert document.pending and not document.analysed and not window.node_palette.filled
    # The paper's configuration: the template's convolutional body is left out.
    drawn = unanalysed(document.graph).networks["generator"]
    assert set(canvas.nodes) == set(drawn.nodes) and len(canvas.wires) == len(drawn.edges)
    assert "g_fc_z" in canvas.nodes and "cg_fc" not in canvas.nodes
    assert {wire.getLabel() for wire in canvas.wires.values()} == {""}
    assert window.status.text() == "analysing..."

    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not document.pending, timeout=30_000)
    assert window.node_palette.filled and window.node_palette.item_for("nn.Linear") is not None
    assert all(wire.getLabel().startswith("(N") for wire in canvas.wires.values())
    assert any(label.parameters for label in document.labels("generator").values())
    assert window.status.text().startswith("valid")


def test_a_node_selected_while_the_packs_load_waits_for_them_off_the_window_thread(
    window: EditorWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = False
    monkeypatch.setattr(inspector_module, "default_registry_loaded", lambda: loaded)
    window.inspector.show_node("generator", "g_fc1")
    assert window.inspector.description.text() == "Loading the plugin packs..."
    assert not window.inspector.fields

    loaded = True
    window.inspector.refresh()  # as the first analysis arriving does
    assert "out_features" in window.inspector.fields
