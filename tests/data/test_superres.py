"""sr: super-resolution pairs cut from a folder of the user's own photos, made here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from graphgan.plugin import DataOptions
from graphgan.training.data import open_dataset
from graphgan_data.errors import DataLayoutError, DataOptionError
from graphgan_data.superres import load_folder_sr
from tests.data.conftest import check_image, same_items, write_array

_ORIENTATION = 0x0112


def noise(seed: int, height: int, width: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """Two train photos and one test photo of noise, of different sizes."""
    write_array(tmp_path / "train" / "a.png", noise(0, 40, 30))
    write_array(tmp_path / "train" / "trip" / "b.jpg", noise(1, 24, 50))
    write_array(tmp_path / "test" / "c.png", noise(2, 36, 52))
    return tmp_path


def test_items_pair_a_random_hr_crop_with_its_bicubic_lr(photos: Path) -> None:
    options = DataOptions(root=photos, image_size=16, value_range=(0.0, 1.0))
    item = load_folder_sr(options)[3]

    assert set(item) == {"image", "condition"}
    check_image(item["image"], 3, 16, (0.0, 1.0))
    check_image(item["condition"], 3, 4, (0.0, 1.0))
    hr = np.rint(item["image"].permute(1, 2, 0).numpy() * 255).astype(np.uint8)
    lr = np.asarray(Image.fromarray(hr).resize((4, 4), Image.Resampling.BICUBIC))
    assert np.array_equal(np.rint(item["condition"].permute(1, 2, 0).numpy() * 255), lr)


def test_crops_come_from_every_photo_repeat_with_the_seed_and_change_per_epoch(
    photos: Path,
) -> None:
    options = DataOptions(root=photos, image_size=16, flip=True, extra={"crops_per_epoch": 40})
    first, second = load_folder_sr(options), load_folder_sr(options)

    assert len(first) == 40 and first.names == ("a.png", "trip/b.jpg")
    assert all(same_items(first[i], second[i]) for i in range(40))
    drawn = {first._random_crop(i)[0] for i in range(40)}
    assert drawn == {"a.png", "trip/b.jpg"}
    assert {first._random_crop(i)[2] for i in range(40)} == {True, False}  # flips
    before = first[0]["image"]
    first.set_epoch(1)
    assert not torch.equal(before, first[0]["image"])


def test_the_test_split_tiles_the_test_folder_without_randomness(photos: Path) -> None:
    dataset = load_folder_sr(DataOptions(root=photos, image_size=16, split="test", flip=True))

    # c.png is 52x36: a centred grid of 3 x 2 tiles of 16.
    assert len(dataset) == 6
    assert dataset.tiles[0] == ("c.png", (2, 2, 18, 18))
    reread = load_folder_sr(DataOptions(root=photos, image_size=16, split="test", seed=5))
    assert same_items(dataset[4], reread[4])


def test_a_root_without_split_folders_is_the_train_split(tmp_path: Path) -> None:
    write_array(tmp_path / "one.png", noise(0, 20, 20))
    dataset = load_folder_sr(DataOptions(root=tmp_path, image_size=16))

    assert dataset.names == ("one.png",)
    with pytest.raises(DataLayoutError, match="has no test/ or val/ folder for the test split"):
        load_folder_sr(DataOptions(root=tmp_path, image_size=16, split="test"))


def test_a_sideways_stored_photo_is_tiled_upright(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[_ORIENTATION] = 6  # stored rotated: read_image turns it to 20 wide, 40 high
    Image.fromarray(noise(0, 20, 40)).save(tmp_path / "turned.jpg", exif=exif)
    dataset = load_folder_sr(DataOptions(root=tmp_path, image_size=16, split="train"))

    assert dataset.photos["turned.jpg"].size == (20, 40)
    check_image(dataset[0]["image"], 3, 16)


def test_a_photo_smaller_than_the_crop_is_refused_by_name(photos: Path) -> None:
    write_array(photos / "train" / "thin.png", noise(3, 12, 60))
    with pytest.raises(
        DataOptionError,
        match=r"image_size 16 is larger than the smallest train photo \(thin.png, 12 pixels\)",
    ):
        load_folder_sr(DataOptions(root=photos, image_size=16))


def test_an_empty_folder_names_the_layout_expected(tmp_path: Path) -> None:
    with pytest.raises(DataLayoutError, match=r"no images in .*; expected high-resolution photos"):
        load_folder_sr(DataOptions(root=tmp_path))


def test_sr_is_a_folder_loader_named_as_loader_path(photos: Path) -> None:
    spec, dataset = open_dataset(f"sr:{photos}", DataOptions(image_size=16))

    assert spec.needs_root and spec.fields == ("image", "condition")
    check_image(dataset[0]["condition"], 3, 4, (0.0, 1.0))
