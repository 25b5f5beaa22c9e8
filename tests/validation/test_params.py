"""Params: variables, expressions and each kind's params model."""

from __future__ import annotations

from typing import Any

from graphgan.graph.files import graph_from_data
from graphgan.validation import analyse, validate
from tests.conftest import nodes_of


def test_params_read_variables(tiny_data: dict[str, Any]) -> None:
    tiny_data["variables"]["width"]["value"] = 32
    net = analyse(graph_from_data(tiny_data)).networks["generator"]
    assert str(net.nodes["g_fc1"].outputs["y"]) == "(N, 32)"


def test_out_of_range_param_names_param_and_range(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data)[1]["params"]["out_features"] = 0
    (problem,) = validate(graph_from_data(tiny_data)).errors
    assert (problem.code, problem.node, problem.param) == ("param-invalid", "g_fc1", "out_features")
    assert "greater than or equal to 1" in problem.message
    assert "found 0" in problem.message


def test_unknown_param_lists_known_ones(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data)[1]["params"]["units"] = 3
    (problem,) = validate(graph_from_data(tiny_data)).errors
    assert problem.code == "param-unknown"
    assert "its params: out_features, in_features" in problem.message


def test_bad_expression_names_the_param(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data)[1]["params"]["out_features"] = "=widht * 2"
    (problem,) = validate(graph_from_data(tiny_data)).errors
    assert (problem.code, problem.param) == ("expression-invalid", "out_features")
    assert "unknown variable 'widht'" in problem.message


def test_variable_outside_its_range(tiny_data: dict[str, Any]) -> None:
    tiny_data["variables"]["width"].update({"value": 0, "minimum": 1})
    codes = {d.code for d in validate(graph_from_data(tiny_data)).errors}
    assert "variable-out-of-range" in codes
