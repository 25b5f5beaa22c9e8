"""The analysis pass: structure, params, port kinds and shapes, for every network at once.

It never stops at the first problem: every diagnostic goes into one report, which the CLI
prints, the server returns and the editor draws.
"""

from __future__ import annotations

import gc
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import networkx as nx

from graphgan.diagnostics import Diagnostic, Report
from graphgan.graph.document import Block, Edge, Graph, Node
from graphgan.registry import BLOCK_PREFIX, Registry, default_registry, unknown_kind_message
from graphgan.tensors import TensorSpec
from graphgan.validation import structure
from graphgan.validation.blocks import BlockSpec
from graphgan.validation.model import Analysis, NetworkInfo, NodeInfo
from graphgan.validation.params import resolve_params
from graphgan.validation.presence import present
from graphgan.validation.shapes import infer_shapes
from graphgan.validation.training import check_training

log = logging.getLogger(__name__)

BLOCK_ONLY = {"io.BlockInput", "io.BlockOutput"}


def analyse(graph: Graph, registry: Registry | None = None) -> Analysis:
    """Validate `graph` and infer the shape on every edge of every network."""
    with _cyclic_gc_paused():
        return _Analyser(graph, registry or default_registry()).run()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    # The pass allocates many small objects that hold no reference cycles; the cyclic
    # collector's scans over them took 45% of the time on a 10,000-node graph. Reference
    # counting still frees everything, and the collector runs again as soon as we return.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Analyser:
    def __init__(self, graph: Graph, registry: Registry) -> None:
        self.graph = graph
        self.registry = registry
        self.report = Report()
        self.variables = graph.variable_values()
        self.blocks: dict[str, BlockSpec] = {}
        self._owners: dict[str, str] = {}  # node id -> the network that holds it

    def run(self) -> Analysis:
        # Document-wide checks first: variables, ids, and blocks (which networks use).
        self.report.extend(self._check_variables())
        self.report.extend(self._check_unique_ids())
        self._declare_blocks()
        for name, spec in self.blocks.items():
            body = self._analyse_body(name, spec.block.nodes, spec.block.edges, "block", None)
            self.report.extend(body.diagnostics)

        networks = {}
        for name, network in self.graph.networks.items():
            info = self._analyse_body(name, network.nodes, network.edges, "network", None)
            self.report.extend(info.diagnostics)
            networks[name] = info
        if not self.graph.networks:
            self.report.add(Diagnostic("network-missing", "the graph has no networks; add one"))
        self.report.extend(check_training(self.graph, networks, self.registry))
        return Analysis(self.graph, self.report, networks)

    def _check_variables(self) -> Iterable[Diagnostic]:
        for name, variable in self.graph.variables.items():
            value = variable.value
            if variable.choices is not None and value not in variable.choices:
                allowed = ", ".join(str(choice) for choice in variable.choices)
                yield Diagnostic(
                    "variable-not-a-choice",
                    f"variable '{name}' is {value!r}, not one of its choices: {allowed}",
                )
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            low, high = variable.minimum, variable.maximum
            if (low is not None and value < low) or (high is not None and value > high):
                yield Diagnostic(
                    "variable-out-of-range",
                    f"variable '{name}' is {value}, outside its range [{low}, {high}]",
                )

    def _check_unique_ids(self) -> Iterable[Diagnostic]:
        owners = self._owners
        for name, network in self.graph.networks.items():
            counts = Counter(node.id for node in network.nodes)
            for node_id, count in counts.items():
                if count > 1:
                    yield Diagnostic(
                        "node-id-duplicate",
                        f"{count} nodes in network '{name}' share the id '{node_id}'; rename all "
                        "but one",
                        network=name,
                        node=node_id,
                    )
                elif node_id in owners:
                    yield Diagnostic(
                        "node-id-duplicate",
                        f"id '{node_id}' is used in networks '{owners[node_id]}' and '{name}'; "
                        "ids are unique in a document, so rename one",
                        network=name,
                        node=node_id,
                    )
                owners.setdefault(node_id, name)

    def _declare_blocks(self) -> None:
        uses = nx.DiGraph()
        for name, block in self.graph.blocks.items():
            uses.add_node(name)
            for node in block.nodes:
                if node.kind.startswith(BLOCK_PREFIX):
                    uses.add_edge(name, node.kind.removeprefix(BLOCK_PREFIX))
        recursive = {n for cycle in nx.simple_cycles(uses) for n in cycle}
        for name in sorted(recursive):
            self.report.add(
                Diagnostic(
                    "block-recursive",
                    f"block '{name}' uses itself (directly or through other blocks); a block "
                    "cannot contain itself",
                )
            )
        for name, block in self.graph.blocks.items():
            if name not in recursive:
                self.blocks[name] = BlockSpec(name, block, self._analyse_block_use)

    def _analyse_block_use(
        self, name: str, params: dict[str, Any], inputs: dict[str, TensorSpec]
    ) -> NetworkInfo:
        block: Block = self.graph.blocks[name]
        return self._analyse_body(name, block.nodes, block.edges, "block", params, inputs)

    def _analyse_body(
        self,
        name: str,
        nodes: list[Node],
        edges: list[Edge],
        what: str,
        block_params: Mapping[str, Any] | None,
        given: Mapping[str, TensorSpec] | None = None,
    ) -> NetworkInfo:
        """Analyse one network, one block definition, or one use of a block."""
        scope = dict(self.variables)
        if what == "block":
            defaults = {k: p.default for k, p in self.graph.blocks[name].params.items()}
            scope.update(defaults if block_params is None else block_params)

        # Phase 0: the nodes and wires this configuration leaves out (a false `when`) go.
        presence = present(nodes, edges, scope, name)
        net = NetworkInfo(name, {n.id: NodeInfo(n) for n in presence.nodes}, presence.edges)
        net.off, net.diagnostics = presence.off, presence.diagnostics

        # Phase 1: each node's kind, params and ports.
        for info in net.nodes.values():
            net.diagnostics.extend(self._resolve_node(net, info, what, scope))

        # Phase 2: wiring and structure.
        elsewhere = self._owners if what == "network" else {}
        net.diagnostics.extend(structure.check_edges(net, elsewhere))
        digraph = structure.build_digraph(net)
        net.diagnostics.extend(structure.check_order(net, digraph))
        net.diagnostics.extend(structure.check_inputs_connected(net))
        net.diagnostics.extend(structure.check_outputs(net, digraph, what))

        # Phase 3: shapes along every edge.
        net.diagnostics.extend(infer_shapes(net, given))
        if what == "block":
            net.diagnostics = [_in_block(d, name) for d in net.diagnostics]
        return net

    def _resolve_node(
        self, net: NetworkInfo, info: NodeInfo, what: str, scope: dict[str, Any]
    ) -> list[Diagnostic]:
        kind = info.kind
        spec = (
            self.blocks.get(kind.removeprefix(BLOCK_PREFIX))
            if kind.startswith(BLOCK_PREFIX)
            else (self.registry.nodes.get(kind))
        )
        if spec is None:
            known = [*self.registry.nodes, *(BLOCK_PREFIX + b for b in self.blocks)]
            return [
                Diagnostic(
                    "kind-unknown",
                    unknown_kind_message(kind, known),
                    network=net.name,
                    node=info.id,
                    kind=kind,
                )
            ]
        misplaced = (kind in BLOCK_ONLY) != (what == "block") and spec.role != "layer"
        if misplaced:
            where = "inside a block" if what == "network" else "in a network"
            return [
                Diagnostic(
                    "node-misplaced",
                    f"{kind} cannot be used {where}; blocks take io.BlockInput and io.BlockOutput, "
                    "networks the other io kinds",
                    network=net.name,
                    node=info.id,
                    kind=kind,
                )
            ]

        info.spec = spec
        params, problems = resolve_params(info, spec, scope, net.name)
        if params is None:
            return problems
        info.params = params
        try:
            info.input_ports = spec.input_ports(params)
            info.output_ports = spec.output_ports(params)
        except Exception as error:  # plugin code must never crash validation
            info.params = None
            return [
                Diagnostic(
                    "plugin-error",
                    f"{kind} could not list its ports: {type(error).__name__}: {error}; this is a "
                    "bug in its plugin pack",
                    network=net.name,
                    node=info.id,
                    kind=kind,
                )
            ]
        return []


def _in_block(diagnostic: Diagnostic, block: str) -> Diagnostic:
    if diagnostic.network == block and not diagnostic.message.startswith("in block"):
        fields = {**diagnostic.__dict__, "network": f"block:{block}"}
        return Diagnostic(**fields)
    return diagnostic


def validate(graph: Graph, registry: Registry | None = None) -> Report:
    """Every problem in `graph`, errors and warnings, in one report."""
    return analyse(graph, registry).report
