"""Per-item randomness: each item's random choices depend only on (seed, index) and,
for augmentations, the epoch, never on the order items are read or on which worker
reads them."""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
from torch.utils.data import Dataset

Item = dict[str, Any]

# SeedSequence takes non-negative integers; a negative run seed is folded into range.
_SEED_SPACE = 1 << 64


def generator(seed: int, *keys: int | str) -> np.random.Generator:
    """A generator fixed by `seed` and `keys`; strings name independent streams."""
    entropy = [seed % _SEED_SPACE]
    for key in keys:
        entropy.append(zlib.crc32(key.encode()) if isinstance(key, str) else key % _SEED_SPACE)
    return np.random.default_rng(entropy)


class SeededDataset(Dataset[Item]):
    """A map-style dataset whose items are reproducible from the run seed.

    `content(index, stream)` draws what an item is (a procedural scene, a crop
    position); `augmentation(index, stream)` also mixes in the epoch, so a trainer
    that calls `set_epoch(n)` before each epoch gets fresh flips and crops while
    every epoch stays reproducible.
    """

    name = "dataset"

    def __init__(self, seed: int, split: str) -> None:
        self.seed = seed
        self.split = split
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def content(self, index: int, stream: str) -> np.random.Generator:
        return generator(self.seed, self.split, stream, index)

    def augmentation(self, index: int, stream: str) -> np.random.Generator:
        return generator(self.seed, self.split, stream, self.epoch, index)

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def check_index(self, index: int) -> None:
        """Refuse an index past the end: generated datasets could draw any index."""
        if not 0 <= index < len(self):
            raise IndexError(f"{self.name} {self.split} has {len(self)} items, not item {index}")
