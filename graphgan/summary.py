"""Summary: per network, the shape on every edge, parameters per node and MACs per sample."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphgan.compiler import count_parameters
from graphgan.errors import GraphInvalidError
from graphgan.graph.document import Network
from graphgan.validation import Analysis
from graphgan.validation.blocks import BlockSpec
from graphgan.validation.model import NetworkInfo, NodeInfo


@dataclass(frozen=True)
class NodeRow:
    node: str
    kind: str
    outputs: dict[str, str]
    parameters: int
    macs: int


@dataclass(frozen=True)
class EdgeRow:
    source: str
    target: str
    shape: str


@dataclass
class NetworkSummary:
    name: str
    role: str
    nodes: list[NodeRow] = field(default_factory=list)
    edges: list[EdgeRow] = field(default_factory=list)
    off: list[str] = field(default_factory=list)  # nodes the variables leave out (`when`)

    @property
    def parameters(self) -> int:
        return sum(row.parameters for row in self.nodes)

    @property
    def macs(self) -> int:
        return sum(row.macs for row in self.nodes)

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "parameters": self.parameters,
            "macs_per_sample": self.macs,
            "nodes": [row.__dict__ for row in self.nodes],
            "edges": [row.__dict__ for row in self.edges],
            "left_out": self.off,
        }


def summarise(analysis: Analysis) -> dict[str, NetworkSummary]:
    """Summaries of every network; the graph must be valid."""
    if not analysis.valid:
        raise GraphInvalidError(analysis.report)
    return {
        name: _summarise_network(net, analysis.graph.networks[name])
        for name, net in analysis.networks.items()
    }


def _summarise_network(net: NetworkInfo, network: Network) -> NetworkSummary:
    off = [node.id for node in network.nodes if node.id in net.off]  # in document order
    summary = NetworkSummary(net.name, network.role, off=off)
    for node_id in net.order:
        info = net.nodes[node_id]
        outputs = {port: str(spec) for port, spec in info.outputs.items()}
        summary.nodes.append(
            NodeRow(node_id, info.kind, outputs, count_parameters(info), node_macs(info))
        )
    for edge in net.edges:
        spec = net.edge_spec(edge)
        summary.edges.append(EdgeRow(str(edge.source), str(edge.target), str(spec)))
    return summary


def node_macs(info: NodeInfo) -> int:
    """Multiply-accumulates per sample for one node (a block's are its body's total)."""
    if info.spec is None or info.params is None or info.role != "layer":
        return 0
    if isinstance(info.spec, BlockSpec):
        body = info.spec.body(info.params, info.inputs)
        return sum(node_macs(i) for i in body.nodes.values())
    return int(info.spec.macs(info.params, info.inputs, info.outputs))


def format_summary(summaries: dict[str, NetworkSummary]) -> str:
    """A plain-text table per network, for the terminal."""
    blocks = []
    for summary in summaries.values():
        rows = [("node", "kind", "output shape", "params", "MACs")]
        for node in summary.nodes:
            shapes = ", ".join(
                shape if len(node.outputs) == 1 else f"{port} {shape}"
                for port, shape in node.outputs.items()
            )
            rows.append(
                (node.node, node.kind, shapes or "-", f"{node.parameters:,}", f"{node.macs:,}")
            )
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        lines = [f"{summary.name} ({summary.role})"]
        for index, row in enumerate(rows):
            cells = [
                c.ljust(w) if i < 3 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  " + "  ".join(cells).rstrip())
            if index == 0:
                lines.append("  " + "  ".join("-" * w for w in widths))
        lines.append(
            f"  total: {summary.parameters:,} parameters, {summary.macs:,} MACs per sample"
        )
        if summary.off:
            lines.append(f"  left out by the variables: {', '.join(summary.off)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
