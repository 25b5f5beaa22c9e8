"""Sample grids: generated images laid out as one PNG, or kept as a `.npy` array."""

from __future__ import annotations

import io
import logging
import math
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from graphgan.errors import GraphganError
from graphgan.training.files import write_bytes_atomic

log = logging.getLogger(__name__)

# Narrower grids are enlarged (nearest neighbour) so that 8x8 digits stay readable.
MIN_GRID_WIDTH = 256


class GridError(GraphganError, ValueError):
    """Samples that cannot be drawn as images (wrong shape or channel count)."""

    code = "samples-invalid"


def to_unit(images: torch.Tensor, value_range: tuple[float, float]) -> torch.Tensor:
    """Map `value_range` (e.g. (-1, 1) after tanh) onto [0, 1], clamping the rest."""
    low, high = value_range
    if not high > low:
        raise GridError(f"value_range {value_range} is empty; give (low, high), high > low")
    unit = (images.detach().float().cpu() - low) / (high - low)
    return unit.clamp(0.0, 1.0)


def image_grid(
    images: torch.Tensor, nrow: int, padding: int = 2, *, scale: int = 1, pad_value: float = 1.0
) -> np.ndarray:
    """Images in [0, 1] shaped (N, C, H, W) as one uint8 picture (H', W', C).

    Row i holds images i*nrow to i*nrow + nrow - 1. C is 1 (grey, kept as one
    channel) or 3 (RGB). Each image is enlarged `scale` times (nearest neighbour);
    `padding` pixels of `pad_value` separate and surround them.
    """
    _check_images(images)
    if nrow < 1 or padding < 0 or scale < 1:
        given = f"nrow={nrow}, padding={padding}, scale={scale}"
        raise GridError(f"{given}: need at least 1, 0 and 1")
    pixels = images.detach().float().cpu().clamp(0.0, 1.0).numpy()
    pixels = pixels.repeat(scale, axis=2).repeat(scale, axis=3)  # (N, C, H*s, W*s)
    count, channels, height, width = pixels.shape
    columns = min(nrow, count)
    rows = math.ceil(count / columns)

    cell_h, cell_w = height + padding, width + padding
    shape = (rows * cell_h + padding, columns * cell_w + padding, channels)
    grid = np.full(shape, pad_value)
    for index in range(count):
        top = (index // columns) * cell_h + padding
        left = (index % columns) * cell_w + padding
        # (C, H, W) -> (H, W, C)
        grid[top : top + height, left : left + width] = pixels[index].transpose(1, 2, 0)
    return np.rint(grid * 255).astype(np.uint8)


def _check_images(images: torch.Tensor) -> None:
    if images.dim() != 4 or images.shape[1] not in (1, 3) or images.shape[0] == 0:
        raise GridError(
            f"samples shaped {tuple(images.shape)} are not images; a grid needs "
            "(N, C, H, W) with N >= 1 and C = 1 (grey) or 3 (RGB)"
        )


def grid_scale(width: int, nrow: int, padding: int = 2) -> int:
    """The least whole enlargement making a grid `MIN_GRID_WIDTH` or more wide."""
    scale = 1
    while nrow * (width * scale + padding) + padding < MIN_GRID_WIDTH:
        scale += 1
    return scale


def save_grid(
    images: torch.Tensor,
    path: Path,
    value_range: tuple[float, float],
    nrow: int | None = None,
) -> Path:
    """Write the images as a PNG grid, `nrow` a row (default ceil(sqrt(N)), a square).

    Small images are enlarged by a whole factor, nearest neighbour, so that the grid
    is at least `MIN_GRID_WIDTH` (256) pixels wide and 8x8 digits stay readable.
    Returns `path`.
    """
    _check_images(images)
    count = images.shape[0]
    nrow = nrow or math.ceil(math.sqrt(count))
    scale = grid_scale(images.shape[-1], min(nrow, count))
    grid = image_grid(to_unit(images, value_range), nrow, scale=scale)

    # A grey grid is saved as a one-channel ("L") PNG, RGB as RGB.
    picture = Image.fromarray(grid[..., 0] if grid.shape[-1] == 1 else grid)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    write_bytes_atomic(Path(path), buffer.getvalue())
    log.debug("sample grid written: %s (%s images, x%s)", path, count, scale)
    return Path(path)


def save_array(images: torch.Tensor, path: Path, value_range: tuple[float, float]) -> Path:
    """Write the images as `.npy`: float32 (N, C, H, W) in [0, 1]. Returns `path`."""
    array = to_unit(images, value_range).numpy().astype(np.float32)
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    write_bytes_atomic(Path(path), buffer.getvalue())
    return Path(path)
