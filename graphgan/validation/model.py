"""What one analysis pass learns about a network: resolved nodes, wiring and shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphgan.diagnostics import Diagnostic, Report, Severity
from graphgan.graph.document import Edge, Endpoint, Graph, Node
from graphgan.plugin import NodeSpec, Params, Port
from graphgan.tensors import TensorSpec


@dataclass
class NodeInfo:
    """A node with its kind's NodeSpec, validated params, ports and inferred shapes."""

    node: Node
    spec: NodeSpec[Any] | None = None
    params: Params | None = None
    input_ports: tuple[Port, ...] = ()
    output_ports: tuple[Port, ...] = ()
    inputs: dict[str, TensorSpec] = field(default_factory=dict)
    outputs: dict[str, TensorSpec] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.node.id

    @property
    def kind(self) -> str:
        return self.node.kind

    @property
    def role(self) -> str:
        return self.spec.role if self.spec is not None else "layer"

    def input_port(self, name: str) -> Port | None:
        return next((p for p in self.input_ports if p.name == name), None)

    def output_port(self, name: str) -> Port | None:
        return next((p for p in self.output_ports if p.name == name), None)


@dataclass
class NetworkInfo:
    """One network (or one use of a block) after analysis."""

    name: str
    nodes: dict[str, NodeInfo]
    edges: list[Edge]
    # Where each connected input port gets its tensor: (node, port) -> source endpoint.
    sources: dict[tuple[str, str], Endpoint] = field(default_factory=dict)
    # Node ids in an order where every node follows its inputs (empty if the graph has cycles).
    order: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Ids of the nodes whose `when` is false in this configuration: not part of the network.
    off: frozenset[str] = frozenset()

    @property
    def valid(self) -> bool:
        return all(d.severity is not Severity.ERROR for d in self.diagnostics)

    @property
    def input_nodes(self) -> list[NodeInfo]:
        """Input nodes in document order: the order of the compiled module's arguments."""
        return [info for info in self.nodes.values() if info.role == "input"]

    @property
    def output_nodes(self) -> list[NodeInfo]:
        return [self.nodes[n] for n in self.order if self.nodes[n].role == "output"]

    def edge_spec(self, edge: Edge) -> TensorSpec | None:
        """The inferred shape of the tensor on an edge, if known."""
        source = self.nodes.get(edge.source.node)
        return source.outputs.get(edge.source.port) if source else None

    def input_spec(self, node_id: str, port: str) -> TensorSpec | None:
        source = self.sources.get((node_id, port))
        if source is None or source.node not in self.nodes:
            return None
        return self.nodes[source.node].outputs.get(source.port)


@dataclass
class Analysis:
    """The result of validating a graph: its report and every network's NetworkInfo."""

    graph: Graph
    report: Report
    networks: dict[str, NetworkInfo]

    @property
    def valid(self) -> bool:
        return self.report.valid
