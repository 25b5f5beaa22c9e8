"""The exported `recipe.json`: the training section resolved, with what train.py needs to know
about the networks' input and output nodes, since it cannot run graphgan's analysis."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphgan.export.errors import ExportError
from graphgan.graph.training import DATA, TrainingSpec
from graphgan.validation import Analysis, NodeInfo

# Loss terms the exported train.py implements; graphgan's others need files it cannot copy.
EXPORTED_TERMS = frozenset({"l1", "l2", "kl", "info_categorical", "info_continuous"})


def recipe(
    analysis: Analysis,
    spec: TrainingSpec,
    data_file: str | None,
    data_seed: int,
    augment: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything train.py reads: the spec, each network's io nodes, the sampled inputs, and
    how the embedded data is augmented per epoch (None: it is served as stored)."""
    _check_terms(spec)
    networks = {
        name: {
            "inputs": [node.id for node in net.input_nodes],
            "outputs": [node.id for node in net.output_nodes],
        }
        for name, net in analysis.networks.items()
    }
    sampled = {
        info.id: _sampled(info)
        for net in analysis.networks.values()
        for info in net.input_nodes
        if _sampled(info) is not None
    }
    rows, cols = _layout(spec, sampled)
    return {
        "training": spec.model_dump(mode="json"),
        "networks": networks,
        "sampled": sampled,
        "samples": {"rows": rows, "cols": cols},
        "data": {
            "file": data_file,
            "seed": data_seed,
            "fields": sorted(data_fields(spec)),
            "augment": augment,
        },
    }


def data_fields(spec: TrainingSpec) -> set[str]:
    """The data fields the recipe reads: `image` of `data:image`, `label` of `data:label:rolled`."""
    return {
        source.removeprefix(DATA).partition(":")[0]
        for source in _sources(spec)
        if source.startswith(DATA)
    }


def _sources(spec: TrainingSpec) -> Iterator[str]:
    yield from spec.inputs.values()
    for phase in spec.phases:
        game = phase.adversarial
        if game is not None:
            yield from game.real.values()
            yield from game.fake.values()
            yield from (game.wrong or {}).values()
        for term in [*phase.losses, *phase.d_losses]:
            yield from (str(value) for value in term.args.values())


def _check_terms(spec: TrainingSpec) -> None:
    for phase in spec.phases:
        game = phase.adversarial
        if game is not None and game.loss == "wgan-gp" and game.gp_weight > 0:
            varying = [n for n, s in game.real.items() if game.fake.get(n) != s]
            if len(varying) != 1:
                raise ExportError(
                    f"phase '{phase.name}': wgan-gp interpolates the one discriminator input "
                    f"whose source differs between the real and fake passes; found {varying}"
                )
        for term in [*phase.losses, *phase.d_losses]:
            if term.term not in EXPORTED_TERMS:
                raise ExportError(
                    f"phase '{phase.name}' uses loss term '{term.term}', which the exported "
                    f"train.py does not implement (it has: {', '.join(sorted(EXPORTED_TERMS))}); "
                    "train this graph with `graphgan train`"
                )


def _sampled(info: NodeInfo) -> dict[str, Any] | None:
    params: Any = info.params
    if info.kind == "io.ClassLabel":
        return {"kind": info.kind, "n_classes": int(params.n_classes)}
    distribution = getattr(params, "distribution", None)
    if distribution is None:
        return None
    return {"kind": info.kind, "distribution": distribution, "dim": int(params.dim)}


def _layout(spec: TrainingSpec, sampled: dict[str, Any]) -> tuple[int, int]:
    """(rows, columns) of the sample grid, as graphgan lays it out."""
    count = spec.samples.count
    rows_by = spec.samples.rows_by
    if rows_by is None:
        cols = max(1, round(count**0.5))
        return max(1, count // cols), cols
    node = sampled.get(rows_by, {})
    rows = node.get("n_classes") or (
        node.get("dim") if node.get("distribution") == "categorical" else None
    )
    if rows is None:
        raise ExportError(
            f"samples.rows_by names '{rows_by}', which is neither a class label nor a "
            "categorical code"
        )
    return int(rows), max(1, count // int(rows))
