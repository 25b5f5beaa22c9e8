"""Sample grids: value mapping, layout, PNG and npy files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from graphgan.training.grids import (
    MIN_GRID_WIDTH,
    GridError,
    image_grid,
    save_array,
    save_grid,
    to_unit,
)


def constant_images(count: int, channels: int = 1, size: tuple[int, int] = (4, 6)) -> torch.Tensor:
    """Image i filled with 17 i / 255, so a grid cell tells which image landed there."""
    values = torch.arange(count, dtype=torch.float32) * 17 / 255
    return values.view(count, 1, 1, 1).expand(count, channels, *size).clone()


def test_to_unit_maps_and_clamps() -> None:
    images = torch.tensor([-2.0, -1.0, 0.0, 1.0, 3.0])
    assert to_unit(images, (-1.0, 1.0)).tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert to_unit(images, (0.0, 2.0)).tolist() == [0.0, 0.0, 0.0, 0.5, 1.0]


def test_to_unit_refuses_an_empty_range() -> None:
    with pytest.raises(GridError, match=r"value_range \(1.0, 1.0\) is empty"):
        to_unit(torch.zeros(1), (1.0, 1.0))


def test_grid_shape_keeps_grey_as_one_channel() -> None:
    grid = image_grid(constant_images(5), nrow=3, padding=2)
    # 2 rows of (4 + 2), 3 columns of (6 + 2), plus the outer padding
    assert grid.shape == (14, 26, 1)
    assert grid.dtype == np.uint8
    rgb = image_grid(constant_images(4, channels=3), nrow=2, padding=0)
    assert rgb.shape == (8, 12, 3)


def test_row_i_holds_images_i_times_nrow_onward() -> None:
    grid = image_grid(constant_images(7), nrow=3, padding=1)
    for index in range(7):
        row, column = divmod(index, 3)
        pixel = grid[1 + row * 5, 1 + column * 7, 0]
        assert pixel == 17 * index
    assert grid[1 + 2 * 5, 1 + 2 * 7, 0] == 255  # the empty cell is padding


def test_scale_enlarges_each_image_nearest() -> None:
    images = torch.tensor([[[[0.0, 1.0]]]])  # one 1x2 image
    grid = image_grid(images, nrow=1, padding=0, scale=3)
    assert grid[..., 0].tolist() == [[0, 0, 0, 255, 255, 255]] * 3


def test_non_images_are_refused_with_the_shape() -> None:
    with pytest.raises(GridError, match=r"samples shaped \(16, 3\) are not images"):
        image_grid(torch.zeros(16, 3), nrow=4)
    with pytest.raises(GridError, match=r"C = 1 \(grey\) or 3 \(RGB\)"):
        save_grid(torch.zeros(2, 2, 8, 8), Path("unused.png"), (0.0, 1.0))


def test_png_of_small_digits_is_enlarged_and_grey(tmp_path: Path) -> None:
    digits = torch.rand(16, 1, 8, 8) * 2 - 1
    path = save_grid(digits, tmp_path / "samples.png", value_range=(-1.0, 1.0))
    with Image.open(path) as picture:
        assert picture.mode == "L"
        width, height = picture.size
    assert width >= MIN_GRID_WIDTH
    assert width == height  # 4 x 4, the default square layout
    assert (width - 2) % 4 == 0


def test_png_of_rgb_reads_back_unscaled(tmp_path: Path) -> None:
    # Whole steps of 1/255, so the PNG holds them exactly; 3 a row are over 256 wide unscaled.
    images = torch.randint(0, 256, (6, 3, 96, 96)) / 255
    path = save_grid(images, tmp_path / "rgb.png", value_range=(0.0, 1.0), nrow=3)
    with Image.open(path) as picture:
        assert picture.mode == "RGB"
        assert picture.size == (3 * 98 + 2, 2 * 98 + 2)
        pixels = np.asarray(picture)
    # (C, H, W) -> (H, W, C); image 4 sits in row 1, column 1
    expected = (images[4].permute(1, 2, 0) * 255).round().to(torch.uint8).numpy()
    np.testing.assert_array_equal(pixels[100:196, 100:196], expected)


def test_npy_round_trip(tmp_path: Path) -> None:
    images = torch.rand(3, 1, 8, 8) * 2 - 1
    path = save_array(images, tmp_path / "samples.npy", value_range=(-1.0, 1.0))
    array = np.load(path)
    assert array.dtype == np.float32 and array.shape == (3, 1, 8, 8)
    np.testing.assert_allclose(array, ((images + 1) / 2).numpy(), atol=1e-6)
