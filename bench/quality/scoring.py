"""Pieces several quality checks share: training a preset, held-out data, image metrics."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch

from graphgan.graph import Graph
from graphgan.graph.training import training_spec
from graphgan.plugin import DataOptions
from graphgan.registry import default_registry
from graphgan.training.generate import TrainedRun, open_run
from graphgan.training.loop import TrainOptions, train

CPU = torch.device("cpu")


def trained_run(graph: Graph, folder: str, seed: int) -> tuple[TrainedRun, dict[str, float], float]:
    """Train `graph` into `folder`; its run opened on the CPU, last metrics and seconds."""
    started = time.perf_counter()
    result = train(graph, TrainOptions(out=Path(folder) / "run", seed=seed, progress=False))
    seconds = time.perf_counter() - started
    return open_run(result.run_dir, CPU), result.metrics, round(seconds, 1)


def digit_arrays(split: Literal["train", "test"]) -> tuple[np.ndarray, np.ndarray]:
    """The embedded MNIST split as (N, 784) floats in [0, 1] and (N,) labels."""
    options = DataOptions(value_range=(0.0, 1.0), split=split)
    dataset = default_registry().datasets["mnist"].load(options)
    items = [dataset[i] for i in range(len(dataset))]
    images = np.stack([item["image"].numpy().reshape(-1) for item in items])
    return images, np.array([int(item["label"]) for item in items])


def test_items(name: str, graph: Graph) -> dict[str, torch.Tensor]:
    """The held-out split of a template's dataset, stacked field by field."""
    data = training_spec(graph).data
    options = DataOptions(
        image_size=data.image_size,
        channels=data.channels,
        value_range=data.value_range,
        split="test",
        extra=data.options,
    )
    dataset = default_registry().datasets[name].load(options)
    items = [dataset[i] for i in range(len(dataset))]
    return {key: torch.stack([item[key] for item in items]) for key in items[0]}


def psnr(output: torch.Tensor, target: torch.Tensor) -> float:
    """PSNR in dB of images in [-1, 1]."""
    mse = float(((output - target) / 2).square().mean())
    return 10 * math.log10(1 / mse)


@torch.no_grad()
def translate(run: Any, conditions: torch.Tensor, network: str = "generator") -> torch.Tensor:
    """The image generator's outputs for `conditions`, in batches of 50, clamped to [-1, 1]."""
    node = run.networks.infos[network].input_nodes[0].id
    parts = [
        run.networks.call(network, {node: conditions[i : i + 50]})["g_image"]
        for i in range(0, len(conditions), 50)
    ]
    return torch.cat(parts).clamp(-1, 1)
