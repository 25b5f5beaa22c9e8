"""Does a template learn? Train it at its demo preset and score what it generates.

The conditional GAN is scored by a classifier fitted to real digits (logistic regression on
the training split, checked on the held-out split): the share of generated digits it assigns
the class they were asked for (chance is 10%), and how much the samples of one class vary.
Figures go to bench/results/template_quality.json; the exit code is 1 if a goal is missed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np
import torch
from common import write_results
from sklearn.linear_model import LogisticRegression

from graphgan.graph.training import training_spec
from graphgan.graph.variables import configure
from graphgan.plugin import DataOptions
from graphgan.registry import default_registry
from graphgan.templates import open_document
from graphgan.training.generate import open_run, sample_images
from graphgan.training.loop import TrainOptions, train

GOAL_ACCURACY = 0.6  # of generated digits classified as the class asked for
PER_CLASS = 100


def digit_arrays(split: str) -> tuple[np.ndarray, np.ndarray]:
    """The embedded MNIST split as (N, 784) floats in [0, 1] and (N,) labels."""
    options = DataOptions(value_range=(0.0, 1.0), split=split)  # type: ignore[arg-type]
    dataset = default_registry().datasets["mnist"].load(options)
    items = [dataset[i] for i in range(len(dataset))]  # type: ignore[arg-type]
    images = np.stack([item["image"].numpy().reshape(-1) for item in items])
    return images, np.array([int(item["label"]) for item in items])


def cgan_quality() -> dict[str, Any]:
    train_x, train_y = digit_arrays("train")
    test_x, test_y = digit_arrays("test")
    classifier = LogisticRegression(max_iter=300).fit(train_x, train_y)
    real_accuracy = float(classifier.score(test_x, test_y))

    graph = configure(open_document("cgan"), "demo")
    started = time.perf_counter()
    with TemporaryDirectory() as folder:
        result = train(graph, TrainOptions(out=Path(folder) / "run", progress=False))
        seconds = time.perf_counter() - started
        run = open_run(result.run_dir, torch.device("cpu"))
        hits, spread = 0, []
        for label in range(10):
            images = sample_images(run, PER_CLASS, torch.device("cpu"), seed=1, label=label)
            flat = images.reshape(PER_CLASS, -1).numpy()
            hits += int((classifier.predict(flat) == label).sum())
            spread.append(float(flat.std(axis=0).mean()))
    accuracy = hits / (10 * PER_CLASS)
    return {
        "steps": training_spec(graph).total_steps,
        "train_seconds": round(seconds, 1),
        "classifier_accuracy_on_real_test_digits": round(real_accuracy, 3),
        "conditional_accuracy": round(accuracy, 3),
        "mean_pixel_std_within_a_class": round(float(np.mean(spread)), 4),
        "goal": GOAL_ACCURACY,
        "meets_goal": accuracy >= GOAL_ACCURACY,
    }


def main() -> int:
    torch.manual_seed(0)
    figures = {"cgan_demo": cgan_quality()}
    write_results("template_quality", figures)
    return 0 if all(f["meets_goal"] for f in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
