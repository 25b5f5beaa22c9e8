"""Hue, saturation and value conversions used to render procedural images and to read
their colours back (the fixed colour rule that segments shapes-pix2pix photos)."""

from __future__ import annotations

import numpy as np


def hsv_to_rgb(hue: np.ndarray, saturation: np.ndarray, value: np.ndarray) -> np.ndarray:
    """(H, W) arrays in [0, 1] (hue in turns) to an (H, W, 3) float32 RGB array."""
    hue, saturation, value = np.broadcast_arrays(hue, saturation, value)
    # Each channel is the value, pulled down by saturation where the hue is far away.
    channels = []
    for offset in (0.0, 2 / 3, 1 / 3):  # red, green, blue peaks at 0, 1/3 and 2/3 of a turn
        distance = np.abs(((hue + offset) * 6.0) % 6.0 - 3.0)  # 3 at the peak, 0 opposite
        weight = np.clip(distance - 1.0, 0.0, 1.0)
        channels.append(value * (1.0 - saturation * (1.0 - weight)))
    return np.stack(channels, axis=-1).astype(np.float32)


def rgb_to_hsv(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An (..., 3) RGB array in [0, 1] to hue (turns), saturation and value arrays."""
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    value = rgb.max(axis=-1)
    spread = value - rgb.min(axis=-1)
    saturation = np.where(value > 0, spread / np.maximum(value, 1e-12), 0.0)
    safe = np.maximum(spread, 1e-12)
    hue = np.where(
        value == red,
        ((green - blue) / safe) % 6.0,
        np.where(value == green, (blue - red) / safe + 2.0, (red - green) / safe + 4.0),
    )
    hue = np.where(spread > 0, hue / 6.0, 0.0)
    return hue, saturation, value
