"""Optional nodes: a false `when` leaves a node and its wires out of the network."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from graphgan.compiler import compile_graph
from graphgan.graph.files import graph_from_data
from graphgan.graph.variables import with_variables
from graphgan.validation import analyse
from tests.conftest import edges_of, nodes_of


@pytest.fixture
def alternatives(tiny_data: dict[str, Any]) -> dict[str, Any]:
    """The tiny generator with a second, deeper body between the same noise and output."""
    tiny_data["variables"]["deep"] = {"value": False}
    for node in nodes_of(tiny_data)[1:4]:
        node["when"] = "=not deep"
    nodes_of(tiny_data)[4:4] = [
        {"id": "g_deep1", "kind": "nn.Linear", "params": {"out_features": 5}, "when": "=deep"},
        {"id": "g_deep2", "kind": "nn.Linear", "params": {"out_features": 3}, "when": "=deep"},
    ]
    edges_of(tiny_data).extend(
        [
            {"from": "g_z.z", "to": "g_deep1.x"},
            {"from": "g_deep1.y", "to": "g_deep2.x"},
            {"from": "g_deep2.y", "to": "g_out.x"},
        ]
    )
    return tiny_data


def test_a_false_when_leaves_the_node_and_its_wires_out(alternatives: dict[str, Any]) -> None:
    analysis = analyse(graph_from_data(alternatives))
    assert analysis.report.valid, str(analysis.report)
    generator = analysis.networks["generator"]
    assert list(generator.nodes) == ["g_z", "g_fc1", "g_act", "g_fc2", "g_out"]
    assert generator.off == {"g_deep1", "g_deep2"}
    assert all("g_deep" not in str(edge) for edge in generator.edges)


def test_a_variable_chooses_between_alternative_bodies(alternatives: dict[str, Any]) -> None:
    deep = with_variables(graph_from_data(alternatives), {"deep": True})
    analysis = analyse(deep)
    assert analysis.report.valid, str(analysis.report)
    assert analysis.networks["generator"].off == {"g_fc1", "g_act", "g_fc2"}

    module = compile_graph(analysis)["generator"]
    # Only the chosen body is built: two Linear layers, 4*5+5 and 5*3+3 parameters.
    assert sum(p.numel() for p in module.parameters()) == 25 + 18


def test_a_node_that_reads_a_left_out_node_has_an_unwired_input(
    alternatives: dict[str, Any],
) -> None:
    nodes_of(alternatives)[5]["when"] = "=True"  # g_deep2 on, but what feeds it is off
    problems = analyse(graph_from_data(alternatives)).report.errors
    assert sorted((d.code, d.node, d.port) for d in problems) == [
        ("input-multiple-edges", "g_out", "x"),
        ("input-unconnected", "g_deep2", "x"),
    ]


def test_a_when_that_is_not_a_comparison_is_reported(alternatives: dict[str, Any]) -> None:
    nodes_of(alternatives)[1]["when"] = "=width"
    (problem,) = analyse(graph_from_data(alternatives)).report.errors
    assert problem.node == "g_fc1"
    assert "gives 8, not true or false" in problem.message


def test_when_must_be_an_expression(alternatives: dict[str, Any]) -> None:
    nodes_of(alternatives)[1]["when"] = "deep"
    with pytest.raises(ValueError, match="must be an expression starting with '='"):
        graph_from_data(alternatives)


def test_a_block_node_is_left_out_by_the_blocks_own_param(tiny_data: dict[str, Any]) -> None:
    tiny_data["blocks"] = {
        "Dense": {
            "params": {"activate": {"default": True}},
            "nodes": [
                {"id": "x", "kind": "io.BlockInput", "params": {"tensor": "vector"}},
                {"id": "b_fc", "kind": "nn.Linear", "params": {"out_features": 3}},
                {"id": "b_relu", "kind": "nn.ReLU", "when": "=activate"},
                {"id": "b_tanh", "kind": "nn.Tanh", "when": "=not activate"},
                {"id": "y", "kind": "io.BlockOutput"},
            ],
            "edges": [
                {"from": "x.x", "to": "b_fc.x"},
                {"from": "b_fc.y", "to": "b_relu.x"},
                {"from": "b_fc.y", "to": "b_tanh.x"},
                {"from": "b_relu.y", "to": "y.x"},
                {"from": "b_tanh.y", "to": "y.x"},
            ],
        }
    }
    nodes_of(tiny_data)[3] = {"id": "g_fc2", "kind": "block.Dense", "params": {"activate": False}}
    analysis = analyse(graph_from_data(tiny_data))
    assert analysis.report.valid, str(analysis.report)
    module = compile_graph(analysis)["generator"]
    layers = [type(m) for m in module.g_fc2.modules()]
    assert torch.nn.Tanh in layers and torch.nn.ReLU not in layers


def test_a_variable_outside_its_choices_is_named(alternatives: dict[str, Any]) -> None:
    alternatives["variables"]["deep"]["choices"] = [True, False]
    alternatives["variables"]["deep"]["value"] = "yes"
    problems = analyse(graph_from_data(alternatives)).report.errors
    assert problems[0].code == "variable-not-a-choice"
    assert problems[0].message == "variable 'deep' is 'yes', not one of its choices: True, False"


def test_a_layer_made_optional_by_a_wire_that_skips_it(tiny_data: dict[str, Any]) -> None:
    tiny_data["variables"]["activate"] = {"value": False}
    nodes_of(tiny_data)[2]["when"] = "=activate"  # g_act
    edges_of(tiny_data).append({"from": "g_fc1.y", "to": "g_fc2.x", "when": "=not activate"})
    analysis = analyse(graph_from_data(tiny_data))
    assert not analysis.report.diagnostics, str(analysis.report)
    assert "g_fc1.y -> g_fc2.x" in [str(e) for e in analysis.networks["generator"].edges]

    on = analyse(with_variables(graph_from_data(tiny_data), {"activate": True}))
    assert not on.report.diagnostics, str(on.report)
    assert "g_act" in on.networks["generator"].nodes


def test_a_wire_whose_when_fails_is_reported_on_its_input(tiny_data: dict[str, Any]) -> None:
    edges_of(tiny_data)[1]["when"] = "=nowhere"
    problems = analyse(graph_from_data(tiny_data)).report.errors
    assert [(d.code, d.node, d.port) for d in problems] == [("expression-invalid", "g_act", "x")]
    assert "unknown variable 'nowhere'" in problems[0].message
