"""Optional nodes: which nodes a configuration leaves out, through their `when` expressions.

A node whose `when` is false is not part of its network in that configuration, and neither are
the wires that touch it; every later pass (shapes, compiling, training, export, counts) sees
the network without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphgan.diagnostics import Diagnostic
from graphgan.errors import ExpressionError
from graphgan.graph.document import Edge, Node
from graphgan.graph.expressions import evaluate


@dataclass(frozen=True)
class Presence:
    """The nodes and wires of one configuration, and the ids of the nodes it leaves out."""

    nodes: list[Node]
    edges: list[Edge]
    off: frozenset[str]
    diagnostics: list[Diagnostic]


def present(
    nodes: list[Node], edges: list[Edge], scope: Mapping[str, Any], network: str
) -> Presence:
    """Drop the nodes whose `when` is false, and every wire from or to them."""
    off: set[str] = set()
    diagnostics = []
    for node in nodes:
        if node.when is None:
            continue
        try:
            on = evaluate(node.when, scope)
        except ExpressionError as error:
            # The node stays in, so its wires and shapes are still checked.
            diagnostics.append(_problem(node, network, str(error)))
            continue
        if not isinstance(on, bool):
            diagnostics.append(_problem(node, network, f"gives {on!r}, not true or false"))
        elif not on:
            off.add(node.id)
    if not off:
        return Presence(nodes, edges, frozenset(), diagnostics)
    kept = [node for node in nodes if node.id not in off]
    wires = [e for e in edges if e.source.node not in off and e.target.node not in off]
    return Presence(kept, wires, frozenset(off), diagnostics)


def _problem(node: Node, network: str, what: str) -> Diagnostic:
    return Diagnostic(
        "expression-invalid",
        f"node '{node.id}' ({node.kind}): its when {node.when!r} {what}; write a comparison "
        "such as \"=architecture == 'conv'\"",
        network=network,
        node=node.id,
        kind=node.kind,
    )
