"""Structural checks with networkx: wiring, cycles, unconnected inputs, unreachable nodes."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from graphgan.diagnostics import Diagnostic, Severity
from graphgan.graph.document import Edge
from graphgan.validation.model import NetworkInfo, NodeInfo


def check_edges(net: NetworkInfo, elsewhere: dict[str, str]) -> Iterator[Diagnostic]:
    """Each edge joins an existing output port to an existing, free input port."""
    for edge in net.edges:
        source, target = net.nodes.get(edge.source.node), net.nodes.get(edge.target.node)
        problem = False
        for end, info in ((edge.source, source), (edge.target, target)):
            if info is None:
                problem = True
                yield _missing_node(net.name, edge, end.node, elsewhere.get(end.node))
        if source is None or target is None:
            continue
        if source.params is not None and source.output_port(edge.source.port) is None:
            problem = True
            yield _unknown_port(net.name, source, edge.source.port, "output")
        if target.params is not None and target.input_port(edge.target.port) is None:
            problem = True
            yield _unknown_port(net.name, target, edge.target.port, "input")
        if problem:
            continue

        key = (edge.target.node, edge.target.port)
        if key in net.sources:
            first = net.sources[key]
            yield Diagnostic(
                "input-multiple-edges",
                f"input '{edge.target.port}' already receives '{first}'; it also receives "
                f"'{edge.source}'; an input takes one edge, so delete one (join tensors "
                "with nn.Concat or nn.Add)",
                network=net.name,
                node=target.id,
                kind=target.kind,
                port=edge.target.port,
            )
            continue
        net.sources[key] = edge.source
        yield from _check_kinds(net.name, edge, source, target)


def _check_kinds(name: str, edge: Edge, source: NodeInfo, target: NodeInfo) -> Iterator[Diagnostic]:
    out_port = source.output_port(edge.source.port)
    in_port = target.input_port(edge.target.port)
    if out_port is None or in_port is None or in_port.kind.accepts(out_port.kind):
        return
    yield Diagnostic(
        "port-kind-mismatch",
        f"input '{in_port.name}' takes {_a(in_port.kind.value)} but '{edge.source}' gives "
        f"{_a(out_port.kind.value)}; wire {_a(in_port.kind.family)} tensor here or insert a "
        "node that converts it (nn.Flatten, nn.Reshape, gan.Broadcast, gan.OneHot)",
        network=name,
        node=target.id,
        kind=target.kind,
        port=in_port.name,
    )


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _missing_node(network: str, edge: Edge, node: str, other: str | None) -> Diagnostic:
    if other is not None:
        message = (
            f"edge '{edge}' names node '{node}', which is in network '{other}'; networks "
            "connect only through the training recipe, so feed it through an input node"
        )
    else:
        message = f"edge '{edge}' names node '{node}', which does not exist; fix or delete the edge"
    return Diagnostic("edge-unknown-node", message, network=network, node=node)


def _unknown_port(network: str, info: NodeInfo, port: str, side: str) -> Diagnostic:
    ports = info.output_ports if side == "output" else info.input_ports
    names = ", ".join(f"'{p.name}'" for p in ports) or "none"
    return Diagnostic(
        "port-unknown",
        f"{info.kind} has no {side} port '{port}' (its {side}s: {names})",
        network=network,
        node=info.id,
        kind=info.kind,
        port=port,
    )


def build_digraph(net: NetworkInfo) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(net.nodes)
    graph.add_edges_from((s.node, t) for (t, _), s in net.sources.items())
    return graph


def check_order(net: NetworkInfo, graph: nx.DiGraph) -> Iterator[Diagnostic]:
    """Set the topological order, or report each cycle once."""
    try:
        net.order = list(nx.topological_sort(graph))
        return
    except nx.NetworkXUnfeasible:
        pass
    cyclic: set[str] = set()
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1 or graph.has_edge(*(next(iter(component)),) * 2):
            cyclic |= component
            members = sorted(component)
            first = net.nodes[members[0]]
            loop = " -> ".join([*members, members[0]]) if len(members) > 1 else members[0]
            yield Diagnostic(
                "cycle",
                f"nodes form a cycle ({loop}); a network must flow one way, so remove one edge",
                network=net.name,
                node=first.id,
                kind=first.kind,
            )
    acyclic = graph.subgraph(n for n in graph if n not in cyclic)
    net.order = list(nx.topological_sort(acyclic))


def check_inputs_connected(net: NetworkInfo) -> Iterator[Diagnostic]:
    for info in net.nodes.values():
        for port in info.input_ports:
            if not port.optional and (info.id, port.name) not in net.sources:
                yield Diagnostic(
                    "input-unconnected",
                    f"required input '{port.name}' ({port.kind.value}) is not connected; "
                    "draw an edge into it",
                    network=net.name,
                    node=info.id,
                    kind=info.kind,
                    port=port.name,
                )


def check_outputs(net: NetworkInfo, graph: nx.DiGraph, what: str) -> Iterator[Diagnostic]:
    """A network must produce an output, and every node should contribute to one."""
    outputs = [i.id for i in net.nodes.values() if i.role == "output"]
    if not outputs:
        yield Diagnostic(
            "output-missing",
            f"{what} '{net.name}' has no output node; add an "
            f"{'io.BlockOutput' if what == 'block' else 'io.Output'} and connect its result",
            network=net.name,
        )
        return
    useful: set[str] = set(outputs)
    for output in outputs:
        useful |= nx.ancestors(graph, output)
    for info in net.nodes.values():
        if info.id not in useful:
            yield Diagnostic(
                "node-unreachable",
                "this node's result reaches no output, so it is never computed; connect it or "
                "delete it",
                severity=Severity.WARNING,
                network=net.name,
                node=info.id,
                kind=info.kind,
            )
