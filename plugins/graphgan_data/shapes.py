"""Rasterising the procedural shapes (circles, squares, triangles, rectangles) into
masks on a pixel grid, with coordinates in units of the image side so any image size
works."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SHAPES = ("circle", "square", "triangle")


@dataclass(frozen=True)
class Grid:
    """Pixel-centre coordinates (H, W) of a square image, in [0, 1]."""

    ys: np.ndarray
    xs: np.ndarray

    @classmethod
    def square(cls, size: int, supersample: int = 1) -> Grid:
        """A grid of `size` pixels a side; `supersample` > 1 samples each pixel that
        many times per axis, for coverage (anti-aliased) masks made by `coverage`."""
        n = size * supersample
        centres = (np.arange(n, dtype=np.float32) + 0.5) / n
        ys, xs = np.meshgrid(centres, centres, indexing="ij")
        return cls(ys, xs)


@dataclass(frozen=True)
class Placed:
    """A shape placed on the canvas: centre, radius (half its extent) and rotation."""

    shape: str
    x: float
    y: float
    radius: float
    angle: float = 0.0  # radians, counter-clockwise on screen

    def mask(self, grid: Grid) -> np.ndarray:
        if self.shape == "circle":
            return (grid.xs - self.x) ** 2 + (grid.ys - self.y) ** 2 <= self.radius**2
        return polygon(grid, self.vertices())

    def vertices(self) -> list[tuple[float, float]]:
        if self.shape == "square":
            # Circumradius radius * sqrt(2) gives a square of side 2 * radius.
            return regular_polygon(
                self.x, self.y, 4, self.angle + math.pi / 4, self.radius * math.sqrt(2)
            )
        if self.shape == "triangle":
            # Apex up (before rotation), circumradius 1.25 * radius: about 2 * radius
            # wide and tall. The centroid sits a quarter circumradius behind the
            # middle of that extent, so it is moved back from the apex to centre the
            # triangle's box.
            circumradius = 1.25 * self.radius
            apex = self.angle + math.pi / 2
            x = self.x - 0.25 * circumradius * math.cos(apex)
            y = self.y + 0.25 * circumradius * math.sin(apex)
            return regular_polygon(x, y, 3, apex, circumradius)
        raise ValueError(f"unknown shape {self.shape!r}; known: circle, {', '.join(SHAPES[1:])}")


def regular_polygon(
    x: float, y: float, sides: int, start: float, circumradius: float
) -> list[tuple[float, float]]:
    """Corners of a regular polygon centred on (x, y), the first at angle `start`."""
    corners = []
    for k in range(sides):
        theta = start + 2 * math.pi * k / sides
        # Screen y grows downwards, so "up" is a negative y step.
        corners.append((x + circumradius * math.cos(theta), y - circumradius * math.sin(theta)))
    return corners


def polygon(grid: Grid, corners: list[tuple[float, float]]) -> np.ndarray:
    """Inside-mask of a convex polygon, whichever way round its corners go."""
    signs = []
    for (x0, y0), (x1, y1) in zip(corners, [*corners[1:], corners[0]], strict=True):
        signs.append((x1 - x0) * (grid.ys - y0) - (y1 - y0) * (grid.xs - x0))
    stacked = np.stack(signs)  # (corners, H, W)
    return np.all(stacked >= 0, axis=0) | np.all(stacked <= 0, axis=0)


def rectangle(grid: Grid, box: tuple[float, float, float, float]) -> np.ndarray:
    """Inside-mask of an axis-aligned box (left, top, right, bottom)."""
    left, top, right, bottom = box
    return (grid.xs >= left) & (grid.xs <= right) & (grid.ys >= top) & (grid.ys <= bottom)


def coverage(mask: np.ndarray, supersample: int) -> np.ndarray:
    """Share of each pixel a supersampled mask covers: (H*s, W*s) -> (H, W) float."""
    n = mask.shape[0] // supersample
    blocks = mask.reshape(n, supersample, n, supersample)  # (H, s, W, s)
    return blocks.mean(axis=(1, 3), dtype=np.float32)
