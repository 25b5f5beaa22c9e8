"""Wiring: whether a wire may join two ports, and if not, the reason in one sentence.

The canvas asks before every connection the user draws, so an incompatible wire is refused
with its reason instead of being added and reported afterwards.
"""

from __future__ import annotations

from graphgan.editor.labels import NodeLabel, PortLabel, default_ports
from graphgan.graph.document import Endpoint, Network
from graphgan.registry import Registry
from graphgan.tensors import TensorKind

# Kinds only a block's body can hold; the canvases show networks.
BLOCK_ONLY = frozenset({"io.BlockInput", "io.BlockOutput"})

_FAMILY_KINDS = {
    family: "/".join(k.value for k in TensorKind if k.family == family)
    for family in {k.family for k in TensorKind}
}


def refusal(
    net: Network, labels: dict[str, NodeLabel], source: Endpoint, target: Endpoint
) -> str | None:
    """Why a wire from output `source` to input `target` is not allowed; None when it is."""
    if source.node == target.node:
        return f"'{source.node}' cannot feed itself"
    out_port = _port(labels, source, "output")
    in_port = _port(labels, target, "input")
    if out_port is None or in_port is None:
        return f"cannot wire {source} to {target}: no such port"
    if not in_port.kind.accepts(out_port.kind):
        return (
            f"cannot wire {source} ({out_port.kind.value}) into {target} "
            f"({in_port.kind.value}): that port takes {_FAMILY_KINDS[in_port.kind.family]} "
            "tensors"
        )
    if _reaches(net, target.node, source.node):
        return f"wiring {source} into {target} would make a cycle"
    return None


def compatible_kinds(
    registry: Registry, kind: TensorKind, from_output: bool, skip: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(kind, port) for every kind with a port a wire of `kind` can join, first port first.

    `from_output`: the wire leaves an output, so the new node's input ports are looked at.
    """
    found = []
    for spec in registry:
        if spec.kind in skip:
            continue
        inputs, outputs = default_ports(spec)
        for port in inputs if from_output else outputs:
            fits = port.kind.accepts(kind) if from_output else kind.accepts(port.kind)
            if fits:
                found.append((spec.kind, port.name))
                break
    return found


def _port(labels: dict[str, NodeLabel], endpoint: Endpoint, side: str) -> PortLabel | None:
    label = labels.get(endpoint.node)
    if label is None:
        return None
    ports = label.outputs if side == "output" else label.inputs
    return next((p for p in ports if p.name == endpoint.port), None)


def _reaches(net: Network, start: str, goal: str) -> bool:
    """Whether `goal` is downstream of `start` along the network's wires."""
    after: dict[str, list[str]] = {}
    for edge in net.edges:
        after.setdefault(edge.source.node, []).append(edge.target.node)
    seen, todo = {start}, [start]
    while todo:
        for node in after.get(todo.pop(), ()):
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return start == goal
