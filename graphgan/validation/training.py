"""Checks of the training section against the networks it names.

Each generator-side input needs a source, each discriminator pass must feed every
discriminator input, and every name must exist; problems are diagnostics like any other.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping

from graphgan.diagnostics import Diagnostic
from graphgan.errors import GraphInvalidError
from graphgan.graph.document import Graph
from graphgan.graph.training import (
    BUILT_IN_RECIPES,
    BUILT_IN_TERMS,
    DATA,
    SAMPLE,
    TrainingSpec,
    training_spec,
)
from graphgan.registry import Registry
from graphgan.validation.model import NetworkInfo

# Input kinds the trainer can sample by itself.
SAMPLED_KINDS = {"io.Noise", "io.LatentCode", "io.ClassLabel"}


def check_training(
    graph: Graph, networks: Mapping[str, NetworkInfo], registry: Registry
) -> list[Diagnostic]:
    """Every problem in the training section, or none when the graph has no such section."""
    if graph.training is None:
        return []
    try:
        spec = training_spec(graph)
    except GraphInvalidError as error:
        return list(error.report)
    return list(_Checker(spec, networks, registry).run())


class _Checker:
    def __init__(
        self, spec: TrainingSpec, networks: Mapping[str, NetworkInfo], registry: Registry
    ) -> None:
        self.spec = spec
        self.networks = networks
        self.terms = [*BUILT_IN_TERMS, *sorted(registry.loss_terms)]
        self.recipes = [*BUILT_IN_RECIPES, *sorted(registry.recipes)]
        self.owner = {node: name for name, net in networks.items() for node in net.nodes}

    def run(self) -> Iterator[Diagnostic]:
        for name, optimizer in self.spec.optimizers.items():
            for network in optimizer.networks:
                yield from self._network_exists(network, f"optimizer '{name}'")
        for phase in self.spec.phases:
            where = f"phase '{phase.name}'"
            yield from self._network_exists(phase.generator, where)
            yield from self._output_of(phase.output, phase.generator, where)
            game = phase.adversarial
            if game is not None:
                yield from self._network_exists(game.discriminator, where)
                yield from self._output_of(game.output, game.discriminator, where)
                for label, sources in (
                    ("real", game.real),
                    ("fake", game.fake),
                    ("wrong", game.wrong),
                ):
                    if sources is not None:
                        yield from self._pass(game.discriminator, label, sources, where)
            for loss in [*phase.losses, *phase.d_losses]:
                yield from _known("loss term", loss.term, self.terms, where)
            yield from _known("recipe", phase.recipe, self.recipes, where)
        yield from self._generator_inputs()

    def _network_exists(self, name: str, where: str) -> Iterator[Diagnostic]:
        if name not in self.networks:
            known = ", ".join(self.networks) or "none"
            yield _problem(f"{where} names network '{name}', which the graph lacks ({known})")

    def _output_of(self, node: str, network: str, where: str) -> Iterator[Diagnostic]:
        net = self.networks.get(network)
        if net is None:
            return
        info = net.nodes.get(node)
        if info is None or info.role != "output":
            outputs = ", ".join(n.id for n in net.output_nodes) or "none"
            yield _problem(
                f"{where}: '{node}' is not an output node of network '{network}' "
                f"(its outputs: {outputs})"
            )

    def _pass(
        self, network: str, label: str, sources: Mapping[str, str], where: str
    ) -> Iterator[Diagnostic]:
        net = self.networks.get(network)
        if net is None:
            return
        for info in net.input_nodes:
            if info.id not in sources:
                yield _problem(
                    f"{where}: the {label} pass gives no source for input '{info.id}' of "
                    f'\'{network}\'; add "{info.id}": "data:image" (or a node id)'
                )
        for node, source in sources.items():
            if node not in net.nodes or net.nodes[node].role != "input":
                yield _problem(
                    f"{where}: the {label} pass feeds '{node}', not an input of '{network}'"
                )
            yield from self._source(node, source, where)

    def _generator_inputs(self) -> Iterator[Diagnostic]:
        trained = {p.generator for p in self.spec.phases}
        discriminators = {p.adversarial.discriminator for p in self.spec.phases if p.adversarial}
        for name, net in self.networks.items():
            if name in discriminators or (name not in trained and not self._feeds(name)):
                continue
            for info in net.input_nodes:
                if info.id not in self.spec.inputs:
                    hint = '"sample"' if info.kind in SAMPLED_KINDS else '"data:image"'
                    yield _problem(
                        f"training.inputs gives no source for input '{info.id}' ({info.kind}) "
                        f"of network '{name}'; add \"{info.id}\": {hint}"
                    )
        for node, source in self.spec.inputs.items():
            yield from self._source(node, source, "training.inputs")

    def _feeds(self, network: str) -> bool:
        """Whether a network's outputs are read by some source (an auxiliary network)."""
        net = self.networks[network]
        outputs = {info.id for info in net.output_nodes}
        sources = set(self.spec.inputs.values())
        for phase in self.spec.phases:
            if phase.adversarial is not None:
                game = phase.adversarial
                sources |= set(game.real.values()) | set(game.fake.values())
        return bool(outputs & sources)

    def _source(self, node: str, source: str, where: str) -> Iterator[Diagnostic]:
        if source.startswith(DATA):
            return
        if source == SAMPLE:
            kind = self._kind(node)
            if kind is not None and kind not in SAMPLED_KINDS:
                yield _problem(
                    f"{where}: input '{node}' ({kind}) cannot be sampled; only "
                    f'{", ".join(sorted(SAMPLED_KINDS))} inputs can; use "data:..." instead'
                )
            return
        if source not in self.owner:
            yield _problem(
                f"{where}: source '{source}' for '{node}' is neither \"sample\", \"data:FIELD\" "
                "nor a node id of this graph"
            )

    def _kind(self, node: str) -> str | None:
        network = self.owner.get(node)
        return self.networks[network].nodes[node].kind if network else None


def _known(what: str, name: str, known: list[str], where: str) -> Iterator[Diagnostic]:
    if name in known:
        return
    near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"did you mean '{near[0]}'?" if near else f"known: {', '.join(known)}"
    yield _problem(f"{where}: unknown {what} '{name}'; {hint}")


def _problem(message: str) -> Diagnostic:
    return Diagnostic("training-invalid", message)
