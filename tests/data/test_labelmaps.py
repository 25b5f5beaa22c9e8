"""shapes-pix2pix: label maps, the photos they describe, and the colour rule that segments."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from graphgan.plugin import DataOptions
from graphgan_data.errors import DataOptionError
from graphgan_data.labelmaps import CLASSES, PALETTE, load_shapes_pix2pix, segment
from tests.data.conftest import check_image, same_items


def condition_labels(condition: torch.Tensor) -> np.ndarray:
    """Labels read back from a condition in [-1, 1] by its nearest palette colour."""
    rgb = (condition.permute(1, 2, 0).numpy() + 1) / 2 * 255  # (C, H, W) -> (H, W, C)
    distance = ((rgb[:, :, None, :] - PALETTE[None, None].astype(float)) ** 2).sum(-1)
    return distance.argmin(-1)


def test_items_have_condition_image_and_label_map() -> None:
    item = load_shapes_pix2pix(DataOptions())[0]

    assert set(item) == {"condition", "image", "label_map"}
    check_image(item["condition"], 3, 64)
    check_image(item["image"], 3, 64)
    assert item["label_map"].dtype == torch.int64 and item["label_map"].shape == (64, 64)


def test_label_map_and_condition_agree_pixel_for_pixel() -> None:
    dataset = load_shapes_pix2pix(DataOptions(image_size=32, flip=True))
    for index in range(6):
        item = dataset[index]
        assert np.array_equal(condition_labels(item["condition"]), item["label_map"].numpy())


def test_colour_rule_recovers_the_label_map_from_the_photo() -> None:
    dataset = load_shapes_pix2pix(DataOptions(flip=True))
    images = torch.stack([dataset[i]["image"] for i in range(8)])
    labels = torch.stack([dataset[i]["label_map"] for i in range(8)])

    accuracy = (segment(images) == labels).float().mean()
    assert accuracy > 0.99
    assert set(labels.unique().tolist()) == set(range(len(CLASSES)))  # every class drawn


def test_segment_reads_other_value_ranges() -> None:
    item = load_shapes_pix2pix(DataOptions(value_range=(0.0, 1.0), extra={"size": 1}))[0]

    agreement = (segment(item["image"], (0.0, 1.0)) == item["label_map"]).float().mean()
    assert agreement > 0.99


def test_same_seed_same_items_and_splits_differ() -> None:
    first = load_shapes_pix2pix(DataOptions(seed=7))
    second = load_shapes_pix2pix(DataOptions(seed=7))
    test = load_shapes_pix2pix(DataOptions(seed=7, split="test"))

    assert all(same_items(first[i], second[i]) for i in range(5))
    assert not torch.equal(first[0]["label_map"], test[0]["label_map"])
    assert (len(first), len(test)) == (2000, 200)


def test_size_setting_sets_the_length_and_guards_the_index() -> None:
    dataset = load_shapes_pix2pix(DataOptions(extra={"size": 3}))

    assert len(dataset) == 3
    with pytest.raises(IndexError, match="shapes-pix2pix train has 3 items, not item 3"):
        dataset[3]


def test_one_channel_is_refused() -> None:
    with pytest.raises(DataOptionError, match="needs channels=3"):
        load_shapes_pix2pix(DataOptions(channels=1))
