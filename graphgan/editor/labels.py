"""Labels: what the canvas writes on each node and wire, read from one analysis of the graph.

A node shows its id, kind, ports, key params, parameter count and problems; a wire shows the
shape of the tensor it carries. Nothing here imports Qt, so the same facts can be tested plainly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graphgan.diagnostics import Diagnostic, Severity
from graphgan.graph.document import Edge
from graphgan.plugin import NodeSpec, Port
from graphgan.tensors import TensorKind
from graphgan.validation import Analysis, NetworkInfo, NodeInfo
from graphgan.validation.blocks import BlockSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PortLabel:
    name: str
    kind: TensorKind
    optional: bool = False
    shape: str = ""  # the inferred shape leaving an output port, where known


@dataclass(frozen=True)
class NodeLabel:
    id: str
    kind: str
    inputs: tuple[PortLabel, ...]
    outputs: tuple[PortLabel, ...]
    key_params: tuple[tuple[str, str], ...]  # (name, value as text)
    # None where there is nothing to count (an input or output node) or it cannot be counted.
    parameters: int | None
    problems: tuple[Diagnostic, ...]

    @property
    def severity(self) -> Severity | None:
        """The worst problem on this node, or None when it has none."""
        if any(d.severity is Severity.ERROR for d in self.problems):
            return Severity.ERROR
        return Severity.WARNING if self.problems else None

    @property
    def ports(self) -> tuple[tuple[tuple[str, TensorKind], ...], ...]:
        """Names and kinds of the ports, in and out: when they change, sockets are rebuilt."""
        return tuple((p.name, p.kind) for p in self.inputs), tuple(
            (p.name, p.kind) for p in self.outputs
        )


class Labeller:
    """Builds labels from analyses, remembering parameter counts between edits."""

    def __init__(self) -> None:
        # Counting builds each layer on torch's meta device; the same kind, params and input
        # shapes always give the same count, so after an edit only the changed nodes recount.
        self._counts: dict[tuple[Any, ...], int | None] = {}

    def network(self, analysis: Analysis, name: str) -> dict[str, NodeLabel]:
        """A label for every node of network `name`."""
        net = analysis.networks[name]
        problems: dict[str, list[Diagnostic]] = {}
        for diagnostic in analysis.report:
            if diagnostic.node is not None and diagnostic.network in (name, None):
                problems.setdefault(diagnostic.node, []).append(diagnostic)
        wired = _wired_ports(net.edges)
        return {
            node_id: self._node(info, wired, tuple(problems.get(node_id, ())))
            for node_id, info in net.nodes.items()
        }

    def _node(self, info: NodeInfo, wired: Wired, problems: tuple[Diagnostic, ...]) -> NodeLabel:
        inputs, outputs = _ports(info)
        inputs = _with_wired_ports(inputs, wired.get((info.id, "in"), []))
        outputs = _with_wired_ports(outputs, wired.get((info.id, "out"), []))
        outputs = tuple(
            PortLabel(p.name, p.kind, p.optional, str(info.outputs.get(p.name, "")))
            for p in outputs
        )
        return NodeLabel(
            info.id, info.kind, inputs, outputs, _key_params(info), self._count(info), problems
        )

    def _count(self, info: NodeInfo) -> int | None:
        if info.spec is None or info.params is None or info.role != "layer" or not info.outputs:
            return None
        key = (info.kind, _frozen(vars(info.params)), tuple(sorted(info.inputs.items())))
        if isinstance(info.spec, BlockSpec) or key not in self._counts:
            self._counts[key] = _count_parameters(info)
        return self._counts[key]


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a params value (lists and dicts become tuples)."""
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def _count_parameters(info: NodeInfo) -> int | None:
    from graphgan.compiler import count_parameters

    try:
        return count_parameters(info)
    except Exception as error:  # a plugin's builder must never break the editor's drawing
        log.debug("cannot count parameters of %s (%s): %s", info.id, info.kind, error)
        return None


def _ports(info: NodeInfo) -> tuple[tuple[PortLabel, ...], tuple[PortLabel, ...]]:
    """The node's ports: as resolved, else its kind's defaults, else none."""
    if info.params is not None:
        return _labels(info.input_ports), _labels(info.output_ports)
    if info.spec is None:
        return (), ()
    return default_ports(info.spec)


def default_ports(spec: NodeSpec[Any]) -> tuple[tuple[PortLabel, ...], tuple[PortLabel, ...]]:
    try:
        params = spec.params()
        return _labels(spec.input_ports(params)), _labels(spec.output_ports(params))
    except Exception:  # required params, or a plugin that fails: its declared ports will do
        return _labels(spec.inputs), _labels(spec.outputs)


def _labels(ports: tuple[Port, ...]) -> tuple[PortLabel, ...]:
    return tuple(PortLabel(p.name, p.kind, p.optional) for p in ports)


Wired = dict[tuple[str, str], list[str]]  # (node, "in" or "out") -> port names wires use


def _wired_ports(edges: list[Edge]) -> Wired:
    wired: Wired = {}
    for edge in edges:
        wired.setdefault((edge.source.node, "out"), []).append(edge.source.port)
        wired.setdefault((edge.target.node, "in"), []).append(edge.target.port)
    return wired


def _with_wired_ports(ports: tuple[PortLabel, ...], wired: list[str]) -> tuple[PortLabel, ...]:
    """Add ports that wires name but the kind lacks, so the wire is drawn and can be removed."""
    names = {p.name for p in ports}
    extra = []
    for port in wired:
        if port not in names:
            names.add(port)
            extra.append(PortLabel(port, TensorKind.ANY))
    return (*ports, *extra)


def _key_params(info: NodeInfo) -> tuple[tuple[str, str], ...]:
    if info.spec is None:
        return ()
    shown = []
    for name in info.spec.key_params:
        if info.params is not None:
            shown.append((name, value_text(getattr(info.params, name, None))))
        elif name in info.node.params:
            shown.append((name, value_text(info.node.params[name])))
    return tuple(shown)


def value_text(value: Any) -> str:
    """A param value as the node shows it: `1×28×28` for a shape, `-` when unset."""
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return "-"
    if isinstance(value, (list, tuple)):
        return "×".join(value_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def wire_label(net: NetworkInfo, edge: Edge) -> str:
    """The shape the wire carries, e.g. '(N, 200)'; empty where it is not known."""
    spec = net.edge_spec(edge)
    return "" if spec is None else str(spec)


def parameter_text(count: int | None) -> str:
    """'3.6M params', '200 params'; empty where the count is unknown."""
    if count is None:
        return ""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.2f}M params"
    if count >= 10_000:
        return f"{count / 1000:.1f}k params"
    return f"{count:,} params"
