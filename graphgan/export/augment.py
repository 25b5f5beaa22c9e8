"""Per-item, per-epoch augmentations as the exported train.py draws them.

The functions here use only numpy, zlib and Pillow: their source is copied into train.py, and
export runs them against the dataset's own items before writing, so a reproduction that drifts
from the data pack is refused rather than shipped.
"""

from __future__ import annotations

import inspect
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

SEED_SPACE = 1 << 64  # SeedSequence takes non-negative integers; a negative seed folds in


def item_generator(seed: int, *keys: int | str) -> np.random.Generator:
    """One item's random choices: fixed by the seed and the keys (split, stream, epoch, item)."""
    entropy = [seed % SEED_SPACE]
    for key in keys:
        entropy.append(zlib.crc32(key.encode()) if isinstance(key, str) else key % SEED_SPACE)
    return np.random.default_rng(entropy)


def mirrored(seed: int, stream: str, epoch: int, index: int) -> bool:
    """Whether item `index` is mirrored in `epoch`: its stream's first draw is below a half."""
    return bool(item_generator(seed, "train", stream, epoch, index).random() < 0.5)


def sr_crop(
    photos: list[np.ndarray], crop: Mapping[str, Any], seed: int, epoch: int, index: int
) -> tuple[np.ndarray, np.ndarray]:
    """One super-resolution pair as uint8 (H, W, C) arrays: a random HR square of a random
    photo, mirrored half the time when `crop["flip"]`, and its bicubic down-sampled LR."""
    from PIL import Image

    rng = item_generator(seed, "train", "crop", epoch, index)
    photo = photos[int(rng.integers(len(photos)))]
    height, width = photo.shape[:2]
    size = crop["size"]
    left = int(rng.integers(width - size + 1))
    top = int(rng.integers(height - size + 1))
    high = photo[top : top + size, left : left + size]
    if crop["flip"] and rng.random() < 0.5:
        high = high[:, ::-1]

    picture = Image.fromarray(np.ascontiguousarray(high)).convert(crop["mode"])
    side = size // crop["scale"]
    # Pillow widens the bicubic kernel when it shrinks, so this also low-pass filters.
    low = picture.resize((side, side), Image.Resampling.BICUBIC)
    return channels_last(picture), channels_last(low)


def channels_last(picture: Any) -> np.ndarray:
    """A Pillow image as a uint8 (H, W, C) array, grey images with one channel."""
    pixels = np.asarray(picture, dtype=np.uint8)
    return pixels[:, :, None] if pixels.ndim == 2 else pixels


def to_tensor_values(pixels: np.ndarray, value_range: Any) -> np.ndarray:
    """uint8 (H, W, C) pixels as float32 (C, H, W) in `value_range`, as the data pack scales."""
    low, high = (float(v) for v in value_range)
    unit = np.ascontiguousarray(pixels.astype(np.float32).transpose(2, 0, 1)) / 255.0
    return (unit * (high - low) + low).astype(np.float32)


COPIED = (item_generator, mirrored, sr_crop, channels_last, to_tensor_values)


def source() -> str:
    """The definitions train.py holds, in order, with the constant they read."""
    parts = ["SEED_SPACE = 1 << 64  # SeedSequence takes non-negative integers"]
    parts += [inspect.getsource(function).strip() for function in COPIED]
    return "\n\n\n".join(parts)
