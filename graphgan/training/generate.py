"""Drawing from a trained run: `graphgan sample` loads a run's generator and its weights."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from torch import Tensor

from graphgan.compiler import compile_network
from graphgan.errors import GraphganError
from graphgan.graph import load
from graphgan.graph.training import TrainingSpec, training_spec
from graphgan.training.checkpoints import load_checkpoint
from graphgan.training.context import Networks, StepContext
from graphgan.training.data import data_options, open_dataset
from graphgan.training.runs import RunPaths
from graphgan.training.sampling import draw, fixed_context, needs_data
from graphgan.validation import analyse


class SampleError(GraphganError, ValueError):
    code = "sample-invalid"


@dataclass(frozen=True)
class TrainedRun:
    """A run's networks with its latest weights, ready to draw from."""

    spec: TrainingSpec
    networks: Networks
    step: int
    paths: RunPaths
    data: str


def open_run(run_dir: Path, device: torch.device) -> TrainedRun:
    paths = RunPaths(Path(run_dir))
    if not paths.graph.is_file():
        raise SampleError(f"{run_dir} is not a run folder (it has no {paths.graph.name})")
    graph = load(paths.graph)
    analysis = analyse(graph)
    checkpoint = load_checkpoint(paths.root)
    modules = {}
    for name in analysis.networks:
        module = compile_network(analysis, name, device=device, torch_compile="off")
        module.load_state_dict(checkpoint.weights[name])
        modules[name] = module.eval()
    spec = training_spec(graph)
    config = json.loads(paths.config.read_text(encoding="utf-8"))
    networks = Networks(modules, analysis.networks, spec.inputs)
    return TrainedRun(spec, networks, checkpoint.step, paths, str(config.get("data", "")))


def input_overrides(
    run: TrainedRun, count: int, label: int | None, codes: Mapping[str, str]
) -> dict[str, Tensor]:
    """Tensors for `--label K` and `--code NAME=VALUE`, checked against the graph."""
    values: dict[str, Tensor] = {}
    generator_inputs = {node_id: run.networks.node(node_id) for node_id in run.spec.inputs}
    if label is not None:
        labels = [n for n in generator_inputs.values() if n.kind == "io.ClassLabel"]
        if not labels:
            raise SampleError("--label: this graph's generator takes no class label")
        for node in labels:
            classes = getattr(node.params, "n_classes", 0)
            if not 0 <= label < classes:
                raise SampleError(f"--label {label}: '{node.id}' has classes 0 to {classes - 1}")
            values[node.id] = torch.full((count,), label, dtype=torch.long)
    for name, text in codes.items():
        code = _latent_code(run, name, "--code")
        values[name] = _code_value(code.params, text, count, name)
    return values


def _latent_code(run: TrainedRun, name: str, option: str) -> Any:
    """The generator's latent code input `name`, or a SampleError listing the ones it has."""
    if name in run.spec.inputs and run.networks.node(name).kind == "io.LatentCode":
        return run.networks.node(name)
    known = [n for n in run.spec.inputs if run.networks.node(n).kind == "io.LatentCode"]
    raise SampleError(f"{option} {name}: no latent code input of that id ({known})")


def _test_dataset(run: TrainedRun, seed: int) -> Any:
    """The held-out split samples read conditions and captions from, where they need any."""
    if not needs_data(run.spec):
        return None
    options = data_options(run.spec.data, seed, split="test")
    return open_dataset(run.data or run.spec.data.dataset, options)[1]


def _code_value(params: Any, text: str, count: int, name: str) -> Tensor:
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        raise SampleError(f"--code {name}={text}: expected a number or a comma list") from None
    if params.distribution == "categorical":
        index = int(numbers[0])
        if not 0 <= index < params.dim:
            raise SampleError(f"--code {name}={text}: categories run 0 to {params.dim - 1}")
        return F.one_hot(torch.full((count,), index), params.dim).float()
    if len(numbers) not in (1, params.dim):
        raise SampleError(f"--code {name}: give 1 or {params.dim} values, got {len(numbers)}")
    return torch.tensor(numbers).expand(count, params.dim).clone()


def sample_images(
    run: TrainedRun,
    count: int,
    device: torch.device,
    seed: int = 0,
    label: int | None = None,
    codes: Mapping[str, str] | None = None,
    caption: str | None = None,
) -> Tensor:
    """`count` images from the run's last-phase generator, in the data's value range."""
    dataset = _test_dataset(run, seed)
    overrides = input_overrides(run, count, label, codes or {})
    fields = caption_fields(run, dataset, caption, count) if caption is not None else None
    use_rows = label is None and not codes and caption is None
    ctx = fixed_context(
        run.spec,
        run.networks,
        dataset,
        device,
        seed,
        overrides,
        count=None if use_rows and count == _grid_count(run) else count,
        data_overrides=fields,
    )
    return draw(run.networks, run.spec.phases[-1], ctx)


SWEEP_COLUMNS = 10  # values a continuous code steps through, low to high


@dataclass(frozen=True)
class Sweep:
    """One latent code stepped across the columns of a grid, every other input held per row.

    A categorical code steps through its categories; a continuous one moves dimension
    `dim` (default 0) from `low` to `high` in SWEEP_COLUMNS steps.
    """

    code: str
    dim: int | None = None
    low: float = -2.0
    high: float = 2.0


def parse_sweep(text: str) -> Sweep:
    """`CODE`, `CODE:DIM` or `CODE:DIM=LOW:HIGH` (e.g. `g_cont:1=-2:2`) as a Sweep."""
    target, _, span = text.partition("=")
    code, _, dim = target.partition(":")
    try:
        low, high = (float(part) for part in span.split(":")) if span else (-2.0, 2.0)
        return Sweep(code, int(dim) if dim else None, low, high)
    except ValueError:
        raise SampleError(
            f"--sweep {text}: expected CODE, CODE:DIM or CODE:DIM=LOW:HIGH, e.g. g_cont:0=-2:2"
        ) from None


def sweep_images(
    run: TrainedRun,
    sweep: Sweep,
    rows: int,
    device: torch.device,
    seed: int = 0,
    codes: Mapping[str, str] | None = None,
) -> tuple[Tensor, int]:
    """A grid as InfoGAN's figures draw it: each row one draw of the noise and the other
    codes (`codes` fixes some), the columns stepping `sweep`'s code. Returns the images, row
    by row, and the number of columns."""
    params: Any = _latent_code(run, sweep.code, "--sweep").params
    categorical = params.distribution == "categorical"
    dim = sweep.dim or 0
    if categorical and sweep.dim is not None:
        raise SampleError(
            f"--sweep {sweep.code}:{sweep.dim}: a categorical code steps through its "
            f"categories; give no dimension (--sweep {sweep.code})"
        )
    if not 0 <= dim < params.dim:
        raise SampleError(f"--sweep {sweep.code}:{dim}: dimensions run 0 to {params.dim - 1}")
    columns = int(params.dim) if categorical else SWEEP_COLUMNS
    held = input_overrides(run, rows, None, codes or {})
    dataset = _test_dataset(run, seed)
    ctx = fixed_context(run.spec, run.networks, dataset, device, seed, held, count=rows)
    grid = StepContext(
        run.networks, _repeat(ctx.batch, columns), device, ctx.frozen, rows * columns
    )
    grid.values = {node: value.repeat_interleave(columns, 0) for node, value in ctx.values.items()}
    if categorical:
        steps = torch.arange(columns).repeat(rows)
        grid.values[sweep.code] = F.one_hot(steps, columns).float().to(device)
    else:
        swept = grid.values[sweep.code].clone()
        swept[:, dim] = torch.linspace(sweep.low, sweep.high, columns).repeat(rows)
        grid.values[sweep.code] = swept
    return draw(run.networks, run.spec.phases[-1], grid), columns


def _repeat(batch: Mapping[str, Any], times: int) -> dict[str, Any]:
    """Each item of a data batch `times` times over, in place, as the grid's rows need."""
    repeated: dict[str, Any] = {}
    for name, value in batch.items():
        if isinstance(value, Tensor):
            repeated[name] = value.repeat_interleave(times, 0)
        else:
            repeated[name] = [item for item in value for _ in range(times)]
    return repeated


def caption_fields(run: TrainedRun, dataset: Any, caption: str, count: int) -> dict[str, Any]:
    """The data fields `--caption TEXT` sets for every sample: its text and its token ids."""
    reads_tokens = any(source.startswith("data:tokens") for source in run.spec.inputs.values())
    if not reads_tokens:
        raise SampleError("--caption: this graph's generator reads no captions (data:tokens)")
    tokenizer = getattr(dataset, "tokenizer", None)
    if tokenizer is None:
        raise SampleError(
            f"--caption: the dataset '{run.data}' gives no tokenizer to turn a caption into "
            "token ids; sample without --caption to use its own captions"
        )
    ids = tokenizer.encode(caption)  # names any word outside the vocabulary
    return {"tokens": ids.unsqueeze(0).expand(count, -1), "caption": [caption] * count}


def _grid_count(run: TrainedRun) -> int:
    from graphgan.training.sampling import sample_layout

    rows, cols = sample_layout(run.spec, run.networks)
    return rows * cols
