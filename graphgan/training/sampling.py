"""Sample images from a generator: fixed inputs for the grids a run writes, and `sample`.

Fixed inputs come from their own seeded generator, so the grid at step 500 and the grid at
step 5,000 (and after a resume) show the same noise, and progress is visible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from torch import Tensor
from torch.utils.data import Dataset, default_collate

from graphgan.graph.training import DATA, SAMPLE, PhaseSpec, TrainingSpec
from graphgan.training.context import Networks, SourceError, StepContext, sample_input

SAMPLE_SEED_OFFSET = 7919  # keeps the fixed inputs apart from the training stream


def row_count(networks: Networks, node_id: str) -> int:
    """How many values the input that varies by row can take (classes or categories)."""
    params: Any = networks.node(node_id).params
    if networks.node(node_id).kind == "io.ClassLabel":
        return int(params.n_classes)
    if getattr(params, "distribution", None) == "categorical":
        return int(params.dim)
    raise SourceError(
        f"samples.rows_by names '{node_id}', which is neither a class label nor a categorical code"
    )


def row_values(networks: Networks, node_id: str, rows: int, cols: int) -> Tensor:
    """Row r holds value r: a class index, or the one-hot of category r."""
    index = torch.arange(rows).repeat_interleave(cols)
    if networks.node(node_id).kind == "io.ClassLabel":
        return index
    return F.one_hot(index, rows).float()


def sample_layout(spec: TrainingSpec, networks: Networks) -> tuple[int, int]:
    """(rows, columns) of the sample grid."""
    count = spec.samples.count
    if spec.samples.rows_by is None:
        cols = max(1, round(count**0.5))
        return max(1, count // cols), cols
    rows = row_count(networks, spec.samples.rows_by)
    return rows, max(1, count // rows)


def needs_data(spec: TrainingSpec) -> bool:
    """Whether drawing samples reads the dataset (conditions, captions), not only noise."""
    return any(source.startswith(DATA) for source in spec.inputs.values())


def fixed_context(
    spec: TrainingSpec,
    networks: Networks,
    dataset: Dataset[Any] | None,
    device: torch.device,
    seed: int,
    overrides: Mapping[str, Tensor] | None = None,
    count: int | None = None,
    data_overrides: Mapping[str, Any] | None = None,
) -> StepContext:
    """A step context holding the fixed inputs of a sample grid (`count` overrides its size).

    `overrides` replace input nodes' values; `data_overrides` replace fields of the data batch
    (a caption's tokens for every sample).
    """
    rows, cols = sample_layout(spec, networks)
    count = count or rows * cols
    batch: dict[str, Any] = {}
    if dataset is not None and needs_data(spec):
        items = [dataset[i % len(dataset)] for i in range(count)]  # type: ignore[arg-type]
        batch = {
            k: v.to(device) if isinstance(v, Tensor) else v
            for k, v in default_collate(items).items()
        }
    for field_name, value in (data_overrides or {}).items():
        batch[field_name] = value.to(device) if isinstance(value, Tensor) else value
    ctx = StepContext(networks, batch, device, frozen=set(networks.modules), batch_size=count)
    generator = torch.Generator().manual_seed(seed + SAMPLE_SEED_OFFSET)
    for node_id, source in spec.inputs.items():
        if source == SAMPLE:
            node = networks.node(node_id)
            ctx.values[node_id] = sample_input(node, count, device, generator)
    if spec.samples.rows_by is not None and count == rows * cols:
        ctx.values[spec.samples.rows_by] = row_values(
            networks, spec.samples.rows_by, rows, cols
        ).to(device)
    for node_id, value in (overrides or {}).items():
        ctx.values[node_id] = value.to(device)
    return ctx


@torch.no_grad()
def draw(networks: Networks, phase: PhaseSpec, ctx: StepContext) -> Tensor:
    """The generator's images for a context's fixed inputs, in evaluation mode.

    The networks run afresh in a copy of the context, which is left holding only its fixed
    inputs: every grid shows the current weights, not the first grid's cached outputs.
    """
    fresh = StepContext(networks, ctx.batch, ctx.device, ctx.frozen, ctx.batch_size)
    fresh.values = dict(ctx.values)
    modes = {name: module.training for name, module in networks.modules.items()}
    for module in networks.modules.values():
        module.eval()
    try:
        return fresh.value(phase.output).float().cpu()
    finally:
        for name, module in networks.modules.items():
            module.train(modes[name])
