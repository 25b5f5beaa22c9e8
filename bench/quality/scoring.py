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


class DigitScorer(torch.nn.Module):
    """A small CNN that reads 28x28 digits in [0, 1]: the independent judge of generated ones.

    Trained on the real training split only; its accuracy on the held-out digits is reported
    beside every score it gives, so a reader can see how far its verdicts can be trusted.
    """

    def __init__(self) -> None:
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Conv2d(1, 32, 3, padding=1),
            torch.nn.ReLU(),
            torch.nn.MaxPool2d(2),  # 14x14
            torch.nn.Conv2d(32, 64, 3, padding=1),
            torch.nn.ReLU(),
            torch.nn.MaxPool2d(2),  # 7x7
            torch.nn.Flatten(),
            torch.nn.Dropout(0.3),
            torch.nn.Linear(64 * 7 * 7, 128),
            torch.nn.ReLU(),
            torch.nn.Linear(128, 10),
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.layers(images.reshape(-1, 1, 28, 28))  # type: ignore[no-any-return]

    @torch.no_grad()
    def predict(self, images: np.ndarray | torch.Tensor) -> np.ndarray:
        """Class indices of (N, 784) or (N, 1, 28, 28) digits in [0, 1]."""
        self.eval()
        pixels = torch.as_tensor(images, dtype=torch.float32)
        parts = [self(pixels[i : i + 500]).argmax(1) for i in range(0, len(pixels), 500)]
        return torch.cat(parts).numpy()

    def score(self, images: np.ndarray, labels: np.ndarray) -> float:
        return float((self.predict(images) == labels).mean())


def fitted_digit_scorer(epochs: int = 8) -> tuple[DigitScorer, float]:
    """The scorer trained on the real training digits, and its held-out accuracy."""
    train_x, train_y = digit_arrays("train")
    test_x, test_y = digit_arrays("test")
    torch.manual_seed(0)
    scorer = DigitScorer()
    optimiser = torch.optim.Adam(scorer.parameters(), lr=1e-3)
    images, labels = torch.from_numpy(train_x).float(), torch.from_numpy(train_y)
    order = torch.Generator().manual_seed(0)
    for _ in range(epochs):
        scorer.train()
        for batch in torch.randperm(len(images), generator=order).split(64):
            loss = torch.nn.functional.cross_entropy(scorer(images[batch]), labels[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return scorer, scorer.score(test_x, test_y)
