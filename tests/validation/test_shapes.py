"""Shape inference: shapes on every edge, mismatches with fixes, absurd sizes, plugin faults."""

from __future__ import annotations

from typing import Any

import pytest

from graphgan.graph.files import graph_from_data
from graphgan.plugin import Built, Inputs, NodeSpec, Outputs, Pack, Params, Port, TensorKind
from graphgan.registry import Registry, default_registry
from graphgan.validation import analyse, validate
from tests.conftest import edges_of, nodes_of


def test_every_edge_has_a_shape(tiny_data: dict[str, Any]) -> None:
    analysis = analyse(graph_from_data(tiny_data))
    net = analysis.networks["discriminator"]
    shapes = [str(net.edge_spec(edge)) for edge in net.edges]
    assert shapes == ["(N, 1, 4, 4)", "(N, 16)", "(N, 1)"]


def test_mismatch_names_node_port_source_and_fix(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data)[3]["params"]["in_features"] = 5
    (problem,) = validate(graph_from_data(tiny_data)).errors
    assert (problem.code, problem.node, problem.kind, problem.port) == (
        "shape-mismatch",
        "g_fc2",
        "nn.Linear",
        "x",
    )
    assert problem.message == (
        "expected 5 input features, got 8 (from 'g_act.y'); set in_features=8 or leave it "
        "unset to infer it"
    )


def test_one_mistake_is_reported_once(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data)[1]["params"]["in_features"] = 3
    report = validate(graph_from_data(tiny_data))
    assert [d.node for d in report.errors] == ["g_fc1"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"channels": 1, "height": 60000, "width": 60000}, "more than the"),
        ({"channels": 1, "height": 4, "width": 4, "out": 10**9}, "surely a mistake"),
    ],
)
def test_absurd_sizes_are_flagged(
    tiny_data: dict[str, Any], params: dict[str, int], message: str
) -> None:
    out = params.pop("out", None)
    nodes_of(tiny_data, "discriminator")[0]["params"] = params
    if out:
        nodes_of(tiny_data, "discriminator")[2]["params"]["out_features"] = 10**6
        nodes_of(tiny_data)[1]["params"]["out_features"] = 10**9
    report = validate(graph_from_data(tiny_data))
    assert any(d.code in ("size-absurd", "param-invalid") for d in report.errors)
    if not out:
        (problem,) = report.errors
        assert problem.code == "size-absurd"
        assert message in problem.message


class _BrokenParams(Params):
    pass


class _Broken(NodeSpec[_BrokenParams]):
    kind = "test.Broken"
    category = "test"
    description = "Raises inside its shape rule."
    params = _BrokenParams
    inputs = (Port("x", TensorKind.ANY),)
    outputs = (Port("y", TensorKind.ANY),)

    def infer(self, params: _BrokenParams, inputs: Inputs) -> Outputs:
        raise ZeroDivisionError("oops")

    def build(self, params: _BrokenParams, inputs: Inputs) -> Built:
        return None


def test_plugin_exception_is_reported_against_its_node(tiny_data: dict[str, Any]) -> None:
    registry = Registry()
    for name, pack in default_registry().packs.items():
        if name != "example":
            registry.add(pack)
    registry.add(Pack(name="test", nodes=(_Broken(),)))
    nodes_of(tiny_data)[2]["kind"] = "test.Broken"
    (problem,) = validate(graph_from_data(tiny_data), registry).errors
    assert (problem.code, problem.node) == ("plugin-error", "g_act")
    assert "raised ZeroDivisionError: oops" in problem.message


BLOCK = {
    "params": {"width": {"default": 8}},
    "nodes": [
        {"id": "x", "kind": "io.BlockInput", "params": {"tensor": "vector"}},
        {"id": "fc", "kind": "nn.Linear", "params": {"out_features": "=width"}},
        {"id": "act", "kind": "nn.ReLU"},
        {"id": "skip", "kind": "nn.Add"},
        {"id": "y", "kind": "io.BlockOutput"},
    ],
    "edges": [
        {"from": "x.x", "to": "fc.x"},
        {"from": "fc.y", "to": "act.x"},
        {"from": "act.y", "to": "skip.x1"},
        {"from": "x.x", "to": "skip.x2"},
        {"from": "skip.y", "to": "y.x"},
    ],
}


def with_blocks(data: dict[str, Any], uses: int, width: Any = 8) -> dict[str, Any]:
    data["blocks"] = {"Residual": BLOCK}
    nodes, edges = nodes_of(data), edges_of(data)
    edges[1] = {"from": "g_fc1.y", "to": "res0.x"}
    for index in range(uses):
        nodes.append({"id": f"res{index}", "kind": "block.Residual", "params": {"width": width}})
        if index:
            edges.append({"from": f"res{index - 1}.y", "to": f"res{index}.x"})
    edges.append({"from": f"res{uses - 1}.y", "to": "g_act.x"})
    return data


def test_block_uses_get_shapes(tiny_data: dict[str, Any]) -> None:
    analysis = analyse(graph_from_data(with_blocks(tiny_data, 3)))
    assert analysis.valid, str(analysis.report)
    assert str(analysis.networks["generator"].nodes["res2"].outputs["y"]) == "(N, 8)"


def test_problem_inside_a_block_is_named(tiny_data: dict[str, Any]) -> None:
    report = validate(graph_from_data(with_blocks(tiny_data, 2, width=5)))
    problem = report.errors[0]
    assert (problem.code, problem.node) == ("shape-mismatch", "res0")
    assert "inside block 'Residual' at node 'skip'" in problem.message


def test_recursive_block_is_refused(tiny_data: dict[str, Any]) -> None:
    data = with_blocks(tiny_data, 1)
    data["blocks"]["Residual"]["nodes"].append({"id": "again", "kind": "block.Residual"})
    codes = {d.code for d in validate(graph_from_data(data)).errors}
    assert "block-recursive" in codes
