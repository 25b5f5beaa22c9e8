"""Layout: automatic placement of a network's nodes in columns that follow the data flow.

Each node goes one column right of its furthest input, and within a column nodes are ordered
by where their inputs sit, which keeps most wires from crossing.
"""

from __future__ import annotations

from graphgan.graph.document import Network

COLUMN = 220.0
ROW = 170.0


def arrange(net: Network) -> dict[str, tuple[float, float]]:
    """A position for every node of `net`: column by depth, row by the inputs' rows."""
    ids = [node.id for node in net.nodes]
    inputs: dict[str, list[str]] = {node_id: [] for node_id in ids}
    for edge in net.edges:
        if edge.source.node in inputs and edge.target.node in inputs:
            inputs[edge.target.node].append(edge.source.node)

    depth = _depths(ids, inputs)
    columns: dict[int, list[str]] = {}
    for node_id in ids:
        columns.setdefault(depth[node_id], []).append(node_id)

    rows: dict[str, float] = {}
    positions = {}
    for column in sorted(columns):
        members = columns[column]
        # Order by the mean row of each node's inputs; document order breaks ties.
        members.sort(key=lambda n: _mean([rows[i] for i in inputs[n] if i in rows], ids.index(n)))
        for row, node_id in enumerate(members):
            rows[node_id] = float(row)
            positions[node_id] = (column * COLUMN, row * ROW)
    return positions


def _depths(ids: list[str], inputs: dict[str, list[str]]) -> dict[str, int]:
    """Longest path from a source to each node; nodes on a cycle stay in column 0."""
    depth = dict.fromkeys(ids, 0)
    waiting = {node_id: len(set(inputs[node_id])) for node_id in ids}
    outputs: dict[str, set[str]] = {node_id: set() for node_id in ids}
    for node_id, sources in inputs.items():
        for source in sources:
            outputs[source].add(node_id)
    ready = [node_id for node_id in ids if waiting[node_id] == 0]
    while ready:
        node_id = ready.pop(0)
        for after in sorted(outputs[node_id], key=ids.index):
            depth[after] = max(depth[after], depth[node_id] + 1)
            waiting[after] -= 1
            if waiting[after] == 0:
                ready.append(after)
    return depth


def _mean(values: list[float], fallback: float) -> float:
    return sum(values) / len(values) if values else fallback


def align(net: Network, node_ids: list[str], side: str) -> dict[str, tuple[float, float]]:
    """Positions lining the nodes up on their left edges ("left") or top edges ("top")."""
    places = {n.id: (n.editor.x, n.editor.y) for n in net.nodes if n.id in node_ids}
    if not places:
        return {}
    if side == "left":
        x = min(x for x, _ in places.values())
        return {node_id: (x, y) for node_id, (_, y) in places.items()}
    y = min(y for _, y in places.values())
    return {node_id: (x, y) for node_id, (x, _) in places.items()}


def distribute(net: Network, node_ids: list[str], axis: str) -> dict[str, tuple[float, float]]:
    """Positions spacing the nodes evenly between the outermost two, along "x" or "y"."""
    places = {n.id: (n.editor.x, n.editor.y) for n in net.nodes if n.id in node_ids}
    if len(places) < 3:
        return places
    along = 0 if axis == "x" else 1
    order = sorted(places, key=lambda n: places[n][along])
    first, last = places[order[0]][along], places[order[-1]][along]
    step = (last - first) / (len(order) - 1)
    spaced = {}
    for index, node_id in enumerate(order):
        point = list(places[node_id])
        point[along] = first + index * step
        spaced[node_id] = (point[0], point[1])
    return spaced
