"""Image preparation with Pillow and numpy: resize, crop, mirror, channel mode and
scaling to a value range. Random choices come from the caller's generator, so they
repeat."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

Size = tuple[int, int]  # (width, height), Pillow's order
Box = tuple[int, int, int, int]  # (left, top, right, bottom)

BICUBIC = Image.Resampling.BICUBIC
BILINEAR = Image.Resampling.BILINEAR


@dataclass(frozen=True)
class Placement:
    """Where one item's image goes: resized to `resize`, cropped to `box`, mirrored.

    It is decided once per item, so the two images of a pair get the same geometry.
    """

    resize: Size | None = None
    box: Box | None = None
    mirror: bool = False


def place(
    size: Size,
    image_size: int | None,
    rng: np.random.Generator,
    *,
    load_size: int | None = None,
    flip: bool = False,
) -> Placement:
    """Plan a square `image_size` crop of an image of `size`.

    The shorter side is resized to `load_size` (default `image_size`) and the square
    is cut from the centre, or from a random place when `load_size` is larger:
    pix2pix's jitter. With `image_size` None the image keeps its size. `flip` mirrors
    half the items.
    """
    mirror = bool(flip and rng.random() < 0.5)
    if image_size is None:
        return Placement(mirror=mirror)

    short = load_size or image_size
    width, height = size
    factor = short / min(width, height)
    resized = (max(short, round(width * factor)), max(short, round(height * factor)))

    spare_x, spare_y = resized[0] - image_size, resized[1] - image_size
    if load_size is not None and load_size > image_size:
        left, top = int(rng.integers(spare_x + 1)), int(rng.integers(spare_y + 1))
    else:
        left, top = spare_x // 2, spare_y // 2
    box = (left, top, left + image_size, top + image_size)
    return Placement(resize=None if resized == size else resized, box=box, mirror=mirror)


def apply(image: Image.Image, placement: Placement, resample: int = BICUBIC) -> Image.Image:
    """Resize, crop and mirror `image` as `placement` says."""
    if placement.resize is not None:
        image = image.resize(placement.resize, resample)
    if placement.box is not None:
        image = image.crop(placement.box)
    if placement.mirror:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return image


def mode_for(channels: int) -> str:
    """The Pillow mode holding `channels` channels."""
    return "L" if channels == 1 else "RGB"


def scale(unit: np.ndarray, value_range: tuple[float, float]) -> np.ndarray:
    """Map values in [0, 1] linearly onto `value_range`."""
    low, high = value_range
    return (unit * (high - low) + low).astype(np.float32)


def to_tensor(image: Image.Image | np.ndarray, value_range: tuple[float, float]) -> torch.Tensor:
    """A float32 (C, H, W) tensor in `value_range`.

    `image` is a Pillow image (8 bits per channel) or an array already in [0, 1]
    shaped (H, W) or (H, W, C).
    """
    if isinstance(image, Image.Image):
        unit = np.asarray(image, dtype=np.float32) / 255.0
    else:
        unit = np.asarray(image, dtype=np.float32)
    if unit.ndim == 2:
        unit = unit[:, :, None]
    chw = np.ascontiguousarray(unit.transpose(2, 0, 1))  # (H, W, C) -> (C, H, W)
    return torch.from_numpy(scale(chw, value_range))


def resize_plane(plane: np.ndarray, size: int) -> np.ndarray:
    """Resize a float (H, W) array to (size, size) with bilinear filtering."""
    if plane.shape == (size, size):
        return plane
    image = Image.fromarray(np.asarray(plane, dtype=np.float32))  # mode "F": 32-bit float
    return np.asarray(image.resize((size, size), BILINEAR), dtype=np.float32)


def repeat_channels(tensor: torch.Tensor, channels: int) -> torch.Tensor:
    """A one-channel (1, H, W) tensor repeated to `channels` channels."""
    return tensor if channels == 1 else tensor.expand(channels, -1, -1).contiguous()
