"""Edits: pure functions that return a changed copy of a graph document.

Every change the editor makes is one of these. They never modify the graph they are given, so
the previous document stays intact for undo, and unchanged nodes are shared between versions.
They import no Qt, so they are tested and reused without a display.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping
from typing import Any

from graphgan.errors import GraphganError, UnknownNameError
from graphgan.graph.document import (
    IDENTIFIER,
    Edge,
    EditorData,
    Endpoint,
    Graph,
    Network,
    Node,
    ParamValue,
)
from graphgan.validation.presence import present

# Where a pasted or duplicated fragment lands, relative to the original.
PASTE_OFFSET = (40.0, 40.0)


class EditError(GraphganError, ValueError):
    """An edit that cannot be made as asked; the message says why and what would work."""

    code = "edit-refused"


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def network(graph: Graph, name: str) -> Network:
    found = graph.networks.get(name)
    if found is None:
        known = ", ".join(graph.networks) or "none"
        raise UnknownNameError(f"no network '{name}' in the graph (it has: {known})")
    return found


def with_network(graph: Graph, name: str, changed: Network) -> Graph:
    networks = {**graph.networks, name: changed}
    return graph.model_copy(update={"networks": networks})


def drawn(graph: Graph, name: str) -> Network:
    """A network as the canvas draws it: without the nodes and wires the variables leave out."""
    net = network(graph, name)
    shown = present(net.nodes, net.edges, graph.variable_values(), name)
    return net.model_copy(update={"nodes": shown.nodes, "edges": shown.edges})


def _replace(graph: Graph, name: str, **fields: Any) -> Graph:
    return with_network(graph, name, network(graph, name).model_copy(update=fields))


def all_node_ids(graph: Graph) -> set[str]:
    """Node ids are unique in a whole document, blocks included."""
    ids = {node.id for net in graph.networks.values() for node in net.nodes}
    ids.update(node.id for block in graph.blocks.values() for node in block.nodes)
    return ids


def new_node_id(graph: Graph, network_name: str, kind: str, taken: Iterable[str] = ()) -> str:
    """A fresh id for a node of `kind`, e.g. 'g_linear_1' in a network whose ids start 'g_'."""
    used = all_node_ids(graph) | set(taken)
    base = _CAMEL.sub("_", kind.rpartition(".")[2]).lower()
    stem = f"{_shared_prefix(network(graph, network_name))}{base}"
    count = 1
    while f"{stem}_{count}" in used or keyword.iskeyword(f"{stem}_{count}"):
        count += 1
    return f"{stem}_{count}"


def _shared_prefix(net: Network) -> str:
    """The 'g_' every id of a network starts with, where they all share one."""
    prefixes = {node.id.partition("_")[0] + "_" for node in net.nodes if "_" in node.id}
    has_all = all("_" in node.id for node in net.nodes)
    return prefixes.pop() if net.nodes and has_all and len(prefixes) == 1 else ""


def add_node(
    graph: Graph,
    network_name: str,
    kind: str,
    position: tuple[float, float],
    params: Mapping[str, ParamValue] | None = None,
) -> tuple[Graph, str]:
    """The graph with one new node of `kind` at `position`, and the new node's id."""
    node_id = new_node_id(graph, network_name, kind)
    node = Node(id=node_id, kind=kind, params=dict(params or {}), editor=_place(position))
    nodes = [*network(graph, network_name).nodes, node]
    return _replace(graph, network_name, nodes=nodes), node_id


def _place(position: tuple[float, float]) -> EditorData:
    # Whole pixels keep the saved file short and its diffs readable.
    return EditorData(x=float(round(position[0])), y=float(round(position[1])))


def remove(
    graph: Graph, network_name: str, node_ids: Iterable[str], edges: Iterable[Edge] = ()
) -> Graph:
    """The graph without these nodes (and every edge touching them) and these edges."""
    gone = set(node_ids)
    cut = {str(edge) for edge in edges}
    net = network(graph, network_name)
    nodes = [node for node in net.nodes if node.id not in gone]
    kept = [
        edge
        for edge in net.edges
        if edge.source.node not in gone and edge.target.node not in gone and str(edge) not in cut
    ]
    return _replace(graph, network_name, nodes=nodes, edges=kept)


def edge(source: str, target: str) -> Edge:
    """An edge from 'node.port' to 'node.port'."""
    return Edge.model_validate({"from": source, "to": target})


def connect(graph: Graph, network_name: str, source: Endpoint, target: Endpoint) -> Graph:
    """The graph with a wire from `source` to `target`, replacing the wire that fed `target`.

    An input port takes one tensor, so wiring a new source into it replaces the old one.
    """
    net = network(graph, network_name)
    # A wire the variables leave out (its own or its source's `when` is false) belongs to
    # another configuration of the document, which this edit must not break: it stays.
    shown = {str(e) for e in drawn(graph, network_name).edges}
    kept = [e for e in net.edges if str(e.target) != str(target) or str(e) not in shown]
    return _replace(graph, network_name, edges=[*kept, edge(str(source), str(target))])


def move(graph: Graph, network_name: str, positions: Mapping[str, tuple[float, float]]) -> Graph:
    """The graph with nodes moved to new editor positions."""
    nodes = [
        node.model_copy(update={"editor": _moved(node.editor, positions[node.id])})
        if node.id in positions
        else node
        for node in network(graph, network_name).nodes
    ]
    return _replace(graph, network_name, nodes=nodes)


def _moved(editor: EditorData, position: tuple[float, float]) -> EditorData:
    place = _place(position)
    return editor.model_copy(update={"x": place.x, "y": place.y})


def set_param(
    graph: Graph, network_name: str, node_id: str, name: str, value: ParamValue | None
) -> Graph:
    """The graph with one param of one node set; `None` removes it, so its default applies."""
    nodes = []
    for node in network(graph, network_name).nodes:
        if node.id == node_id:
            params = {k: v for k, v in node.params.items() if k != name}
            if value is not None:
                params[name] = value
            node = node.model_copy(update={"params": _in_order(node.params, params)})
        nodes.append(node)
    return _replace(graph, network_name, nodes=nodes)


def _in_order(old: Mapping[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    # Keep params where they were in the file, so a change reads as one line in a diff.
    ordered = {k: new[k] for k in old if k in new}
    ordered.update({k: v for k, v in new.items() if k not in ordered})
    return ordered


def rename(graph: Graph, network_name: str, old: str, new: str) -> Graph:
    """The graph with node `old` called `new`: its wires and training references follow."""
    if new == old:
        return graph
    if not IDENTIFIER.match(new) or keyword.iskeyword(new):
        raise EditError(
            f"'{new}' is not a node id: use letters, digits and '_', not starting with a digit"
        )
    if new in all_node_ids(graph):
        raise EditError(f"the id '{new}' is taken; node ids are unique in a document")
    if {old, new} & set(graph.networks):
        raise EditError(
            f"a network is called '{old if old in graph.networks else new}'; the training "
            "section could not tell the node from the network"
        )
    net = network(graph, network_name)
    nodes = [n.model_copy(update={"id": new}) if n.id == old else n for n in net.nodes]
    edges = [
        edge(_moved_end(e.source, old, new), _moved_end(e.target, old, new)) for e in net.edges
    ]
    graph = _replace(graph, network_name, nodes=nodes, edges=edges)
    if graph.training is not None:
        graph = graph.model_copy(update={"training": _renamed(graph.training, old, new)})
    return graph


def _moved_end(end: Endpoint, old: str, new: str) -> str:
    return f"{new if end.node == old else end.node}.{end.port}"


def _renamed(value: Any, old: str, new: str) -> Any:
    """`value` with every key and string equal to `old` replaced by `new`."""
    if isinstance(value, dict):
        return {(new if k == old else k): _renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, old, new) for v in value]
    return new if value == old else value


def set_variable(graph: Graph, name: str, value: bool | int | float | str) -> Graph:
    variables = dict(graph.variables)
    if name not in variables:
        known = ", ".join(variables) or "none"
        raise UnknownNameError(f"unknown variable '{name}' (this graph has: {known})")
    variables[name] = variables[name].model_copy(update={"value": value})
    return graph.model_copy(update={"variables": variables})


def fragment(graph: Graph, network_name: str, node_ids: Iterable[str]) -> dict[str, Any]:
    """The chosen nodes and the edges between them, as JSON data for the clipboard."""
    chosen = set(node_ids)
    net = network(graph, network_name)
    nodes = [n for n in net.nodes if n.id in chosen]
    edges = [e for e in net.edges if e.source.node in chosen and e.target.node in chosen]
    return {
        "nodes": [n.model_dump(mode="json", exclude_defaults=True) for n in nodes],
        "edges": [e.model_dump(mode="json", by_alias=True) for e in edges],
    }


def paste(
    graph: Graph,
    network_name: str,
    data: Mapping[str, Any],
    offset: tuple[float, float] = PASTE_OFFSET,
) -> tuple[Graph, list[str]]:
    """The graph with a fragment added under fresh ids, moved by `offset`; and the new ids.

    `data` comes from the clipboard, so it is validated like any document.
    """
    nodes = [Node.model_validate(item) for item in data.get("nodes", [])]
    edges = [Edge.model_validate(item) for item in data.get("edges", [])]
    renamed: dict[str, str] = {}
    for node in nodes:
        renamed[node.id] = new_node_id(graph, network_name, node.kind, renamed.values())
    added = [
        node.model_copy(
            update={
                "id": renamed[node.id],
                "editor": _moved(
                    node.editor, (node.editor.x + offset[0], node.editor.y + offset[1])
                ),
            }
        )
        for node in nodes
    ]
    wires = [
        edge(
            f"{renamed[e.source.node]}.{e.source.port}", f"{renamed[e.target.node]}.{e.target.port}"
        )
        for e in edges
        if e.source.node in renamed and e.target.node in renamed
    ]
    net = network(graph, network_name)
    changed = _replace(graph, network_name, nodes=[*net.nodes, *added], edges=[*net.edges, *wires])
    return changed, [node.id for node in added]


def duplicate(graph: Graph, network_name: str, node_ids: Iterable[str]) -> tuple[Graph, list[str]]:
    """The graph with copies of these nodes (and the edges between them), and the copies' ids."""
    return paste(graph, network_name, fragment(graph, network_name, node_ids))
