"""Structural checks: wiring, cycles, unconnected inputs, unreachable nodes, unique ids."""

from __future__ import annotations

from typing import Any

from graphgan.diagnostics import Report
from graphgan.graph.files import graph_from_data
from graphgan.validation import validate
from tests.conftest import edges_of, nodes_of


def report_of(data: dict[str, Any]) -> Report:
    return validate(graph_from_data(data))


def codes(report: Report) -> list[str]:
    return sorted(d.code for d in report.diagnostics)


def test_tiny_graph_is_valid(tiny_data: dict[str, Any]) -> None:
    report = report_of(tiny_data)
    assert report.valid, str(report)
    assert not report.diagnostics


def test_every_problem_is_reported_together(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data)[1]["kind"] = "nn.Linaer"
    nodes_of(tiny_data, "discriminator")[2]["params"]["out_features"] = -1
    edges_of(tiny_data, "discriminator").append({"from": "d_x.x", "to": "d_flat.bogus"})
    report = report_of(tiny_data)
    assert codes(report) == ["kind-unknown", "param-invalid", "port-unknown"]


def test_unknown_kind_suggests_the_near_one(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data)[1]["kind"] = "nn.Linaer"
    (problem,) = report_of(tiny_data).errors
    assert problem.node == "g_fc1"
    assert "did you mean 'nn.Linear'?" in problem.message


def test_unknown_port_lists_the_ports(tiny_data: dict[str, Any]) -> None:
    edges_of(tiny_data)[0]["to"] = "g_fc1.input"
    problem = report_of(tiny_data).errors[0]
    assert (problem.code, problem.node, problem.port) == ("port-unknown", "g_fc1", "input")
    assert "its inputs: 'x'" in problem.message


def test_cycle_is_named(tiny_data: dict[str, Any]) -> None:
    edges_of(tiny_data).append({"from": "g_act.y", "to": "g_fc1.x"})
    edges_of(tiny_data)[0]["to"] = "g_out.x"
    edges_of(tiny_data).pop(3)
    report = report_of(tiny_data)
    cycle = next(d for d in report.errors if d.code == "cycle")
    assert "g_act -> g_fc1 -> g_act" in cycle.message


def test_two_edges_into_one_input(tiny_data: dict[str, Any]) -> None:
    edges_of(tiny_data).append({"from": "g_z.z", "to": "g_act.x"})
    problem = next(d for d in report_of(tiny_data).errors)
    assert problem.code == "input-multiple-edges"
    assert problem.port == "x"
    assert "nn.Concat or nn.Add" in problem.message


def test_unconnected_required_input(tiny_data: dict[str, Any]) -> None:
    edges_of(tiny_data).pop(1)
    report = report_of(tiny_data)
    problem = next(d for d in report.errors if d.code == "input-unconnected")
    assert (problem.node, problem.port) == ("g_act", "x")


def test_unreachable_node_is_a_warning(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data).append({"id": "g_spare", "kind": "nn.ReLU"})
    edges_of(tiny_data).append({"from": "g_fc1.y", "to": "g_spare.x"})
    report = report_of(tiny_data)
    assert report.valid
    (warning,) = report.warnings
    assert (warning.code, warning.node) == ("node-unreachable", "g_spare")


def test_network_without_output(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data).pop()
    edges_of(tiny_data).pop()
    report = report_of(tiny_data)
    assert "output-missing" in codes(report)


def test_edge_into_another_network(tiny_data: dict[str, Any]) -> None:
    edges_of(tiny_data).append({"from": "g_fc2.y", "to": "d_fc.x"})
    problem = next(d for d in report_of(tiny_data).errors if d.code == "edge-unknown-node")
    assert "is in network 'discriminator'" in problem.message


def test_duplicate_ids_across_networks(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data, "discriminator")[1]["id"] = "g_act"
    for edge in edges_of(tiny_data, "discriminator"):
        for end in ("from", "to"):
            edge[end] = edge[end].replace("d_flat.", "g_act.")
    problem = next(d for d in report_of(tiny_data).errors)
    assert problem.code == "node-id-duplicate"
    assert "networks 'generator' and 'discriminator'" in problem.message


def test_port_kinds_must_be_compatible(tiny_data: dict[str, Any]) -> None:
    edges_of(tiny_data, "discriminator")[0] = {"from": "d_x.x", "to": "d_fc.x"}
    edges_of(tiny_data, "discriminator").pop(1)
    nodes_of(tiny_data, "discriminator").pop(1)
    problem = report_of(tiny_data).errors[0]
    assert problem.code == "port-kind-mismatch"
    assert "takes a vector but 'd_x.x' gives an image" in problem.message


def test_io_block_ports_only_inside_blocks(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data)[0]["kind"] = "io.BlockInput"
    problem = report_of(tiny_data).errors[0]
    assert problem.code == "node-misplaced"
