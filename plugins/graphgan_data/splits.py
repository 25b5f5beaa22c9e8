"""Held-out splits of labelled arrays: a fixed share of every class kept for testing."""

from __future__ import annotations

import math

import numpy as np

from graphgan_data.seeds import generator

# The split uses its own fixed seed, not the run seed: changing the seed of a run
# reshuffles augmentations but never moves items between train and test, so test
# scores stay comparable.
SPLIT_SEED = 0


def stratified_indices(labels: np.ndarray, split: str, test_fraction: float) -> np.ndarray:
    """Indices of `split` ("train" or "test"): `test_fraction` of each class (at
    least one item) goes to test, chosen by a fixed shuffle; the rest is train.
    Sorted ascending."""
    chosen: list[np.ndarray] = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        shuffled = generator(SPLIT_SEED, "split", int(label)).permutation(members)
        n_test = max(1, math.ceil(test_fraction * len(members)))
        chosen.append(shuffled[:n_test] if split == "test" else shuffled[n_test:])
    return np.sort(np.concatenate(chosen))
