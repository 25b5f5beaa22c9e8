"""Validation plus shape inference of generated 1,000- and 10,000-node graphs.

Goal (issue #2): 50 ms median or less at 1,000 nodes, 0.5 s or less at 10,000, because the
editor re-validates on every edit.
"""

from __future__ import annotations

from typing import Any

from common import median_ms, seconds, write_results

from graphgan.graph.files import graph_from_data
from graphgan.registry import default_registry
from graphgan.validation import analyse

GOALS_MS = {1_000: 50.0, 10_000: 500.0}


def generated_graph(size: int) -> dict[str, Any]:
    """A generator of `size` nodes: repeated Linear -> ReLU stages joined by residual adds."""
    nodes: list[dict[str, Any]] = [
        {"id": "z", "kind": "io.Noise", "params": {"dim": "=width"}},
    ]
    edges: list[dict[str, str]] = []
    previous = "z.z"
    stage = 0
    while len(nodes) < size - 1:
        fc, act, add = f"fc{stage}", f"act{stage}", f"add{stage}"
        nodes += [
            {"id": fc, "kind": "nn.Linear", "params": {"out_features": "=width"}},
            {"id": act, "kind": "nn.ReLU"},
            {"id": add, "kind": "nn.Add"},
        ]
        edges += [
            {"from": previous, "to": f"{fc}.x"},
            {"from": f"{fc}.y", "to": f"{act}.x"},
            {"from": f"{act}.y", "to": f"{add}.x1"},
            {"from": previous, "to": f"{add}.x2"},
        ]
        previous = f"{add}.y"
        stage += 1
    nodes.append({"id": "out", "kind": "io.Output"})
    edges.append({"from": previous, "to": "out.x"})
    return {
        "format_version": 1,
        "name": f"generated {len(nodes)} nodes",
        "variables": {"width": {"value": 64}},
        "networks": {"generator": {"role": "generator", "nodes": nodes, "edges": edges}},
    }


def measure(size: int, rounds: int) -> dict[str, Any]:
    data = generated_graph(size)
    registry = default_registry()
    graph = graph_from_data(data)
    report = analyse(graph, registry).report
    if not report.valid:
        raise SystemExit(f"the generated graph is invalid:\n{report}")
    validate_only = [seconds(lambda: analyse(graph, registry)) for _ in range(rounds)]
    with_parsing = [
        seconds(lambda: analyse(graph_from_data(data), registry)) for _ in range(rounds)
    ]
    nodes = sum(len(n["nodes"]) for n in data["networks"].values())
    return {
        "nodes": nodes,
        "median_ms": round(median_ms(validate_only), 2),
        "median_ms_with_parsing": round(median_ms(with_parsing), 2),
        "goal_ms": GOALS_MS[size],
        "meets_goal": median_ms(validate_only) <= GOALS_MS[size],
    }


def main() -> None:
    figures = {
        f"nodes_{size}": measure(size, rounds) for size, rounds in ((1_000, 30), (10_000, 7))
    }
    write_results("validation_speed", figures)


if __name__ == "__main__":
    main()
