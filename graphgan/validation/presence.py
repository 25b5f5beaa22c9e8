"""Optional nodes and wires: what a configuration leaves out, through `when` expressions.

A node whose `when` is false is not part of its network in that configuration, and neither
are the wires that touch it; a wire whose own `when` is false is left out too. Every later pass
(shapes, compiling, training, export, counts) sees the network without them.
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
    """Drop the nodes and wires whose `when` is false, and every wire from or to such a node."""
    diagnostics: list[Diagnostic] = []

    def on(item: Node | Edge) -> bool:
        if item.when is None:
            return True
        try:
            value = evaluate(item.when, scope)
        except ExpressionError as error:
            diagnostics.append(_problem(item, network, str(error)))
            return True  # kept in, so its wires and shapes are still checked
        if not isinstance(value, bool):
            diagnostics.append(_problem(item, network, f"gives {value!r}, not true or false"))
            return True
        return value

    off = frozenset(node.id for node in nodes if not on(node))
    kept = [node for node in nodes if node.id not in off]
    wires = [
        edge
        for edge in edges
        if edge.source.node not in off and edge.target.node not in off and on(edge)
    ]
    return Presence(kept, wires, off, diagnostics)


def _problem(item: Node | Edge, network: str, what: str) -> Diagnostic:
    fix = "write a comparison such as \"=architecture == 'conv'\""
    if isinstance(item, Node):
        message = f"node '{item.id}' ({item.kind}): its when {item.when!r} {what}; {fix}"
        return Diagnostic(
            "expression-invalid", message, network=network, node=item.id, kind=item.kind
        )
    message = f"wire {item}: its when {item.when!r} {what}; {fix}"
    return Diagnostic(
        "expression-invalid",
        message,
        network=network,
        node=item.target.node,
        port=item.target.port,
    )
