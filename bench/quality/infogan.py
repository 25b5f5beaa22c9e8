"""InfoGAN: does the categorical code come to mean the digit class, without labels?

The CNN digit judge the cGAN check uses (fitted to the real training digits, checked on the
held-out ones) reads 200 samples per code value; the confusion of code against class, after the
best one-to-one matching of codes to classes, gives the agreement. The gate is the median over
three seeds; the control is the same network trained without the information terms, whose code
then means nothing.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment

from graphgan.graph.document import VariableValue
from graphgan.graph.training import training_spec
from graphgan.graph.variables import configure
from graphgan.templates import open_document
from graphgan.training.generate import TrainedRun, sample_images

from .outcome import Gate, Outcome, Samples
from .scoring import CPU, DigitScorer, fitted_digit_scorer, trained_run

FLOOR = 0.75  # median matched code/class agreement (reference section 10.2)
CONTROL_CEILING = 0.35  # the control without information terms must stay below this
SEEDS = (0, 1, 2)
CATEGORIES = 10
PER_CODE = 200


def matched_agreement(confusion: np.ndarray) -> float:
    """Share of samples on the diagonal after the best one-to-one code-to-class matching."""
    rows, cols = linear_sum_assignment(-confusion)
    return float(confusion[rows, cols].sum() / confusion.sum())


def code_samples(run: TrainedRun, count: int, seed: int) -> list[torch.Tensor]:
    """`count` samples for each value of the categorical code."""
    return [
        sample_images(run, count, CPU, seed=seed, codes={"g_cat": str(code)})
        for code in range(CATEGORIES)
    ]


def agreement(
    classifier: DigitScorer, values: Mapping[str, VariableValue], seed: int
) -> tuple[dict[str, Any], torch.Tensor]:
    """Train the demo once; its code/class agreement and a grid, one code a column."""
    graph = configure(open_document("infogan"), "demo", values)
    with TemporaryDirectory() as folder:
        run, metrics, seconds = trained_run(graph, folder, seed)
        confusion = np.zeros((CATEGORIES, CATEGORIES))
        for code, images in enumerate(code_samples(run, PER_CODE, seed + 1)):
            predicted = classifier.predict(images.reshape(len(images), -1).numpy())
            confusion[code] += np.bincount(predicted, minlength=CATEGORIES)
        grid = torch.stack(code_samples(run, 10, seed + 2), 1).flatten(0, 1)
    cross_entropy = metrics.get("g_info_categorical", float("nan"))
    figures = {
        "seed": seed,
        "train_seconds": seconds,
        "matched_accuracy": round(matched_agreement(confusion), 3),
        "information_nats": round(math.log(CATEGORIES) - cross_entropy, 3),
    }
    return figures, grid


def check() -> Outcome:
    classifier, real_accuracy = fitted_digit_scorer()
    runs = [agreement(classifier, {}, seed) for seed in SEEDS]
    control, _ = agreement(
        classifier, {"lambda_categorical": 0.0, "lambda_continuous": 0.0}, SEEDS[0]
    )
    median = statistics.median(figures["matched_accuracy"] for figures, _ in runs)
    return Outcome(
        figures={
            "steps": training_spec(configure(open_document("infogan"), "demo")).total_steps,
            "classifier_accuracy_on_real_test_digits": round(real_accuracy, 3),
            "seeds": [figures for figures, _ in runs],
            "median_matched_accuracy": median,
            "control_without_information_terms": control,
        },
        gates=[
            Gate(
                "categorical code matched to digit classes, median of 3 seeds",
                median,
                FLOOR,
                "trained without the information terms",
                control["matched_accuracy"],
                CONTROL_CEILING,
            )
        ],
        samples={"codes": Samples(runs[0][1], (0.0, 1.0), nrow=CATEGORIES)},
    )
