"""Helpers for data tests: checking an item's tensors, and writing tiny image files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image


def check_image(
    tensor: Any,
    channels: int,
    size: int | tuple[int, int],
    value_range: tuple[float, float] = (-1.0, 1.0),
) -> None:
    """A float32 (C, H, W) tensor with values inside `value_range`."""
    height, width = (size, size) if isinstance(size, int) else size
    assert isinstance(tensor, torch.Tensor)
    assert tensor.dtype == torch.float32
    assert tuple(tensor.shape) == (channels, height, width)
    low, high = value_range
    assert low <= float(tensor.min()) <= float(tensor.max()) <= high


def same_items(first: dict[str, Any], second: dict[str, Any]) -> bool:
    if first.keys() != second.keys():
        return False
    for key, value in first.items():
        other = second[key]
        if isinstance(value, torch.Tensor):
            if not torch.equal(value, other):
                return False
        elif value != other:
            return False
    return True


def write_image(path: Path, colour: tuple[int, ...], size: tuple[int, int] = (8, 6)) -> Path:
    """A flat-colour image file (`size` is width, height); the suffix picks the format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "L" if len(colour) == 1 else "RGB"
    Image.new(mode, size, colour if mode == "RGB" else colour[0]).save(path)
    return path


def write_array(path: Path, array: np.ndarray) -> Path:
    """An (H, W, 3) uint8 array as an image file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)
    return path
