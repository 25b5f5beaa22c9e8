"""photos-sr: HR crops of embedded photos paired with their bicubic LR versions."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from graphgan.plugin import DataOptions
from graphgan_data.errors import DataOptionError
from graphgan_data.photos import PHOTOS, SPLITS, load_photos_sr, photo
from tests.data.conftest import check_image, same_items


def test_items_pair_a_96_pixel_hr_crop_with_a_quarter_size_lr() -> None:
    item = load_photos_sr(DataOptions())[0]

    assert set(item) == {"image", "condition"}
    check_image(item["image"], 3, 96)
    check_image(item["condition"], 3, 24, (0.0, 1.0))  # LR stays in [0, 1], as in SRGAN


@pytest.mark.parametrize("scale", [2, 4])
def test_condition_is_the_bicubic_down_sampling_of_the_image(scale: int) -> None:
    options = DataOptions(image_size=32, value_range=(0.0, 1.0), extra={"scale": scale})
    item = load_photos_sr(options)[1]

    hr = np.rint(item["image"].permute(1, 2, 0).numpy() * 255).astype(np.uint8)
    side = 32 // scale
    lr = np.asarray(Image.fromarray(hr).resize((side, side), Image.Resampling.BICUBIC))
    assert item["condition"].shape[-1] * scale == item["image"].shape[-1]
    assert np.array_equal(np.rint(item["condition"].permute(1, 2, 0).numpy() * 255), lr)


def test_train_and_test_use_different_whole_photos_that_all_load() -> None:
    assert not set(SPLITS["train"]) & set(SPLITS["test"])
    assert set(SPLITS["train"]) | set(SPLITS["test"]) == set(PHOTOS)
    for name in PHOTOS:
        assert photo(name).mode == "RGB" and min(photo(name).size) >= 256


def flat_share(name: str, size: int = 96) -> float:
    """The share of a photo's test tiles whose grey levels change by under 2 per pixel."""
    dataset = load_photos_sr(DataOptions(split="test", value_range=(0.0, 255.0), channels=1))
    tiles = [i for i, (photo_name, _) in enumerate(dataset.tiles) if photo_name == name]
    steps = [float(dataset[i]["image"].diff(dim=-1).abs().mean()) for i in tiles]
    return float(np.mean(np.array(steps) < 2))


@pytest.mark.parametrize("name", SPLITS["test"])
def test_held_out_photos_are_textured_so_psnr_measures_restored_detail(name: str) -> None:
    # A defocused background (flower.jpg's is half the photo) is restored by bicubic
    # up-sampling alone; there PSNR measures colour offsets, not detail.
    assert flat_share(name) < 0.1


def test_test_split_tiles_the_held_out_photos_without_randomness() -> None:
    first = load_photos_sr(DataOptions(split="test", seed=1, flip=True))
    second = load_photos_sr(DataOptions(split="test", seed=2))

    assert {name for name, _ in first.tiles} == set(SPLITS["test"])
    assert len(first) == len(first.tiles) == 59  # coffee 6x4 + motorcycle 7x5 tiles of 96
    assert same_items(first[7], second[7])


def test_same_seed_gives_identical_crops_and_another_seed_other_ones() -> None:
    options = DataOptions(flip=True, seed=3, extra={"crops_per_epoch": 10})
    first, second = load_photos_sr(options), load_photos_sr(options)
    other = load_photos_sr(DataOptions(flip=True, seed=4, extra={"crops_per_epoch": 10}))

    assert len(first) == 10
    assert all(same_items(first[i], second[i]) for i in range(10))
    assert not torch.equal(first[0]["image"], other[0]["image"])


def test_a_new_epoch_draws_new_crops() -> None:
    dataset = load_photos_sr(DataOptions(extra={"crops_per_epoch": 4}))
    before = dataset[0]["image"]
    dataset.set_epoch(1)

    assert not torch.equal(before, dataset[0]["image"])


def test_one_channel_gives_grey_hr_and_lr() -> None:
    item = load_photos_sr(DataOptions(channels=1, image_size=48))[0]

    check_image(item["image"], 1, 48)
    check_image(item["condition"], 1, 12, (0.0, 1.0))


def test_crop_size_must_be_a_multiple_of_the_scale() -> None:
    with pytest.raises(
        DataOptionError, match="image_size 90 is not a multiple of scale 4; use 88 or 92"
    ):
        load_photos_sr(DataOptions(image_size=90))


def test_crop_larger_than_a_photo_is_refused() -> None:
    with pytest.raises(DataOptionError, match="larger than the smallest train photo"):
        load_photos_sr(DataOptions(image_size=512))
