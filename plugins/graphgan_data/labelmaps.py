"""Procedural paired data for image-to-image translation (`shapes-pix2pix`): a label
map of shapes drawn as a colour-coded image, the shaded and textured "photo" it
describes, and the fixed colour rule that segments a photo back into labels for an
mIoU score."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from graphgan.plugin import DataOptions, DatasetSpec
from graphgan_data import settings
from graphgan_data.colour import hsv_to_rgb, rgb_to_hsv
from graphgan_data.errors import DataOptionError
from graphgan_data.seeds import Item, SeededDataset
from graphgan_data.shapes import Grid, Placed, rectangle
from graphgan_data.transforms import to_tensor

NAME = "shapes-pix2pix"
EXTRA = ("size",)
DEFAULT_IMAGE_SIZE = 64
DEFAULT_LENGTH = {"train": 2000, "test": 200}

CLASSES = ("background", "circle", "square", "triangle", "stripes")
# How the condition draws each class: flat colours, unlike the photo's, so a
# generator has to learn the mapping rather than copy colours through.
PALETTE = np.array(
    [[0, 0, 0], [0, 255, 255], [255, 0, 255], [255, 255, 0], [255, 255, 255]], dtype=np.uint8
)
# The photo's hue for each object class, in turns: red, green, blue, yellow. The
# background is nearly grey, so saturation alone tells it from the objects.
HUES = {1: 0.0, 2: 1 / 3, 3: 2 / 3, 4: 1 / 6}
BACKGROUND_SATURATION = 0.08
OBJECT_SATURATION = (0.65, 0.9)
# The segmentation rule's thresholds lie between background and object ranges.
GREY_BELOW = 0.35
DARK_BELOW = 0.2


@dataclass(frozen=True)
class Scene:
    """One item's label map (H, W) and photo (H, W, 3), the photo in [0, 1]."""

    labels: np.ndarray
    photo: np.ndarray


def render_scene(rng: np.random.Generator, size: int) -> Scene:
    """Draw 1 to 4 objects over a shaded background; later ones cover earlier ones."""
    grid = Grid.square(size)
    labels = np.zeros((size, size), dtype=np.int64)
    hue = np.zeros((size, size), dtype=np.float32)
    saturation = np.full((size, size), BACKGROUND_SATURATION, dtype=np.float32)
    value = _background_value(rng, grid)

    for _ in range(int(rng.integers(1, 5))):
        label = int(rng.integers(1, len(CLASSES)))
        mask, shading = _object(rng, grid, label)
        labels[mask] = label
        hue[mask] = HUES[label]
        saturation[mask] = rng.uniform(*OBJECT_SATURATION)
        value[mask] = shading[mask]

    # Fine texture noise, so "photo" pixels are never flat fills.
    value = np.clip(value + rng.normal(0.0, 0.03, value.shape), 0.0, 1.0)
    return Scene(labels, hsv_to_rgb(hue, saturation, value))


def _background_value(rng: np.random.Generator, grid: Grid) -> np.ndarray:
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (grid.xs - 0.5) * math.cos(angle) + (grid.ys - 0.5) * math.sin(angle)
    return (rng.uniform(0.35, 0.5) + 0.25 * ramp).astype(np.float32)


def _object(rng: np.random.Generator, grid: Grid, label: int) -> tuple[np.ndarray, np.ndarray]:
    """The mask of one object and its value (brightness) field: a lit-from-one-side
    ramp, or bright and dark bands for stripes."""
    x, y = rng.uniform(0.15, 0.85, size=2)
    radius = rng.uniform(0.08, 0.2)
    angle = rng.uniform(0, 2 * math.pi)
    across = (grid.xs - x) * math.cos(angle) + (grid.ys - y) * math.sin(angle)

    if label == CLASSES.index("stripes"):
        half_w, half_h = rng.uniform(0.1, 0.25, size=2)
        mask = rectangle(grid, (x - half_w, y - half_h, x + half_w, y + half_h))
        period = rng.uniform(0.06, 0.12)
        bands = np.floor(across / (period / 2)) % 2  # 0, 1, 0, 1 ... along the stripe axis
        return mask, (0.55 + 0.4 * bands).astype(np.float32)

    mask = Placed(CLASSES[label], x, y, radius, angle).mask(grid)
    shading = rng.uniform(0.7, 0.85) + 0.25 * across / radius
    return mask, np.clip(shading, 0.45, 1.0).astype(np.float32)


def segment(image: torch.Tensor, value_range: tuple[float, float] = (-1.0, 1.0)) -> torch.Tensor:
    """Label map of a shapes-pix2pix photo by a fixed colour rule: grey or dark
    pixels are background, the rest take the class whose hue is nearest. (C, H, W) or
    (N, C, H, W) in `value_range` -> int64 (H, W) or (N, H, W)."""
    low, high = value_range
    unit = ((image.detach().float().cpu() - low) / (high - low)).clamp(0, 1)
    rgb = unit.movedim(-3, -1).numpy()  # (..., C, H, W) -> (..., H, W, C)
    hue, saturation, value = rgb_to_hsv(rgb)

    classes = np.array(sorted(HUES))
    centres = np.array([HUES[c] for c in classes])
    distance = np.abs(hue[..., None] - centres)  # (..., H, W, classes), in turns
    distance = np.minimum(distance, 1.0 - distance)  # hue is circular
    labels = classes[np.argmin(distance, axis=-1)]
    labels[(saturation < GREY_BELOW) | (value < DARK_BELOW)] = 0
    return torch.from_numpy(labels.astype(np.int64))


class ShapesPix2Pix(SeededDataset):
    """Items: "condition" (colour-coded label map), "image" (the photo), "label_map"."""

    name = NAME

    def __init__(self, options: DataOptions) -> None:
        super().__init__(options.seed, options.split)
        settings.check_extra(options, NAME, EXTRA)
        default_length = DEFAULT_LENGTH[options.split]
        self.length = settings.extra_int(options, NAME, "size", default_length)
        size = settings.image_size(options, NAME, DEFAULT_IMAGE_SIZE, minimum=16)
        self.size = size or DEFAULT_IMAGE_SIZE
        if settings.channels(options, NAME, 3) != 3:
            raise DataOptionError(
                f"dataset '{NAME}': its classes are told apart by colour, so it needs "
                "channels=3; leave channels unset"
            )
        self.value_range = settings.value_range(options, NAME)
        self.flip = options.flip

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int) -> Item:
        self.check_index(index)
        scene = render_scene(self.content(index, "scene"), self.size)
        labels, photo = scene.labels, scene.photo
        if self.flip and self.augmentation(index, "flip").random() < 0.5:
            labels, photo = labels[:, ::-1], photo[:, ::-1]
        condition = PALETTE[labels].astype(np.float32) / 255.0
        return {
            "condition": to_tensor(condition, self.value_range),
            "image": to_tensor(photo, self.value_range),
            "label_map": torch.from_numpy(np.ascontiguousarray(labels)),
        }


def load_shapes_pix2pix(options: DataOptions) -> ShapesPix2Pix:
    return ShapesPix2Pix(options)


SHAPES_PIX2PIX = DatasetSpec(
    name=NAME,
    description=(
        "Procedural label map -> photo pairs (pix2pix): 'condition' draws background, "
        "circle, square, triangle and stripes in flat colours, 'image' is the shaded, "
        "textured photo (one hue per class), 'label_map' the int64 classes for mIoU "
        "(image_size default 64; extra: size, default 2000 train / 200 test)."
    ),
    fields=("condition", "image", "label_map"),
    load=load_shapes_pix2pix,
)
