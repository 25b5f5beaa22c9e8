"""Conditional GAN: do generated digits show the class asked for, and vary within it?

A small CNN fitted to the real training digits (and checked on the held-out ones) reads 100
generated digits per requested label; the share it assigns the
requested class is the conditional accuracy. Diversity is the mean pairwise L2 distance between
digits of one class, generated over real (held-out digits), as the team's reference check
defines it (section 10.1), so a generator that draws one digit per class scores near 0. The
control is the same graph with no training steps. Both presets are measured: `demo` (the
paper's fully connected networks, scaled for the CPU) and `conv` (the convolutional pair).
"""

from __future__ import annotations

from tempfile import TemporaryDirectory
from typing import Any

import numpy as np
import torch

from graphgan.graph.training import training_spec
from graphgan.graph.variables import configure
from graphgan.templates import open_document
from graphgan.training.generate import TrainedRun, sample_images

from .outcome import Gate, Outcome, Samples
from .scoring import CPU, DigitScorer, digit_arrays, fitted_digit_scorer, trained_run

ACCURACY_FLOOR = 0.90
DIVERSITY_FLOOR = 0.6
PER_CLASS = 100


def class_samples(run: TrainedRun) -> list[np.ndarray]:
    """PER_CLASS generated digits for each label, flat, in [0, 1] as the classifier reads."""
    return [
        sample_images(run, PER_CLASS, CPU, seed=1, label=label).reshape(PER_CLASS, -1).numpy()
        for label in range(10)
    ]


def accuracy(classifier: DigitScorer, samples: list[np.ndarray]) -> float:
    hits = sum(int((classifier.predict(flat) == label).sum()) for label, flat in enumerate(samples))
    return hits / (10 * PER_CLASS)


def spread(per_class: list[np.ndarray]) -> float:
    """Mean over classes of the mean L2 distance between two different digits of the class."""
    means = []
    for flat in per_class:
        flat = flat[:PER_CLASS].astype(np.float64)
        squared = (flat**2).sum(1)
        distances = np.sqrt(np.maximum(squared[:, None] + squared[None] - 2 * flat @ flat.T, 0))
        count = len(flat)
        means.append(distances.sum() / (count * (count - 1)))  # the diagonal is zero
    return float(np.mean(means))


PRESETS = ("demo", "conv")  # the paper's MLP scaled for the CPU, and the convolutional pair


def check() -> Outcome:
    test_x, test_y = digit_arrays("test")
    classifier, real_accuracy = fitted_digit_scorer()
    real_spread = spread([test_x[test_y == label] for label in range(10)])
    figures: dict[str, Any] = {"classifier_accuracy_on_real_test_digits": round(real_accuracy, 3)}
    gates, pictures = [], {}
    for preset in PRESETS:
        measured, preset_gates, grid = measure(preset, classifier, real_spread)
        figures[preset] = measured
        gates += preset_gates
        pictures["samples" if preset == "demo" else f"{preset}-samples"] = grid
    return Outcome(figures=figures, gates=gates, samples=pictures)


def measure(
    preset: str, classifier: DigitScorer, real_spread: float
) -> tuple[dict[str, Any], list[Gate], Samples]:
    """Train one preset (and its untrained control); its figures, gates and sample grid."""
    graph = configure(open_document("cgan"), preset)
    with TemporaryDirectory() as folder:
        untrained, _, _ = trained_run(configure(graph, None, {"steps": 0}), folder + "/zero", 0)
        control = class_samples(untrained)
        run, _, seconds = trained_run(graph, folder, seed=0)
        samples = class_samples(run)
    trained_accuracy = accuracy(classifier, samples)
    control_accuracy = accuracy(classifier, control)
    diversity = spread(samples) / real_spread
    figures = {
        "steps": training_spec(graph).total_steps,
        "train_seconds": seconds,
        "conditional_accuracy": round(trained_accuracy, 3),
        "untrained_generator_accuracy": round(control_accuracy, 3),
        "within_class_spread_generated": round(spread(samples), 4),
        "within_class_spread_real": round(real_spread, 4),
        "diversity_ratio": round(diversity, 3),
    }
    gates = [
        Gate(
            f"{preset}: digits classified as the label asked for",
            round(trained_accuracy, 3),
            ACCURACY_FLOOR,
            "untrained generator",
            round(control_accuracy, 3),
        ),
        Gate(
            f"{preset}: within-class diversity over real digits",
            round(diversity, 3),
            DIVERSITY_FLOOR,
        ),
    ]
    # Ten rows of one digit per class, the classes 0 to 9 across: the picture the docs show.
    grid = torch.from_numpy(np.stack([flat[:10] for flat in samples], 1).reshape(100, 1, 28, 28))
    return figures, gates, Samples(grid, (0.0, 1.0), nrow=10)
