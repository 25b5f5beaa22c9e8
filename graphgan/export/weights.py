"""Trained weights for an export of a run: the latest checkpoint's networks as `weights.pt`.

Layer names in exported models equal those of compiled networks, so the state dicts are
written as the checkpoint holds them and load with `load_state_dict` unchanged.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from graphgan.export.errors import ExportError
from graphgan.graph import Graph, load
from graphgan.training.checkpoints import load_checkpoint
from graphgan.training.runs import RunPaths

WEIGHTS_FILE = "weights.pt"


@dataclass(frozen=True)
class TrainedRun:
    """What an export takes from a run folder: its graph, seed, data and latest weights."""

    graph: Graph
    seed: int
    data: str | None
    step: int
    weights: dict[str, dict[str, torch.Tensor]]


def is_run_dir(path: Path) -> bool:
    paths = RunPaths(Path(path))
    return paths.root.is_dir() and paths.graph.is_file() and paths.config.is_file()


def open_run(run_dir: Path) -> TrainedRun:
    paths = RunPaths(Path(run_dir))
    config: dict[str, Any] = json.loads(paths.config.read_text(encoding="utf-8"))
    if not paths.checkpoints.is_dir():
        raise ExportError(f"run {run_dir} has no checkpoints yet; export the graph instead")
    checkpoint = load_checkpoint(paths.root)
    return TrainedRun(
        graph=load(paths.graph),
        seed=int(config.get("seed", 0)),
        data=config.get("data"),
        step=checkpoint.step,
        weights=checkpoint.weights,
    )


def weights_bytes(weights: dict[str, dict[str, torch.Tensor]]) -> bytes:
    """A file `torch.load(..., weights_only=True)` reads: state dicts by network name."""
    buffer = io.BytesIO()
    torch.save({name: dict(state) for name, state in weights.items()}, buffer)
    return buffer.getvalue()
