"""Embedded photos for super-resolution (`photos-sr`): high-resolution crops of the
colour photos that ship with scikit-image and scikit-learn, each paired with its
bicubic down-sampled low-resolution version. Train and test hold different photos."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
from PIL import Image

from graphgan.plugin import DataOptions, DatasetSpec
from graphgan_data import settings
from graphgan_data.errors import DataOptionError
from graphgan_data.seeds import Item, SeededDataset
from graphgan_data.transforms import BICUBIC, Box, mode_for, to_tensor

NAME = "photos-sr"
EXTRA = ("scale", "crops_per_epoch")
DEFAULT_IMAGE_SIZE = 96  # the SRGAN paper's HR crop
DEFAULT_SCALE = 4
DEFAULT_CROPS = 1000
# The LR input keeps the SRGAN paper's range whatever the run's value_range is.
CONDITION_RANGE = (0.0, 1.0)


def _skimage(name: str) -> Callable[[], np.ndarray]:
    def read() -> np.ndarray:
        import skimage.data  # imported here: the registry loads packs eagerly

        return np.asarray(getattr(skimage.data, name)())

    return read


def _motorcycle() -> np.ndarray:
    import skimage.data

    left, _right, _disparity = skimage.data.stereo_motorcycle()
    return np.asarray(left)


def _sklearn(filename: str) -> Callable[[], np.ndarray]:
    def read() -> np.ndarray:
        from sklearn.datasets import load_sample_image

        return np.asarray(load_sample_image(filename))

    return read


# Colour photos that load without a download. The stereo pair's right view is left
# out: it nearly repeats the left one and would leak across a split. "cat" repeats
# "chelsea".
PHOTOS: dict[str, Callable[[], np.ndarray]] = {
    "astronaut": _skimage("astronaut"),
    "chelsea": _skimage("chelsea"),
    "rocket": _skimage("rocket"),
    "motorcycle": _motorcycle,
    "hubble_deep_field": _skimage("hubble_deep_field"),
    "immunohistochemistry": _skimage("immunohistochemistry"),
    "china": _sklearn("china.jpg"),
    "coffee": _skimage("coffee"),
    "flower": _sklearn("flower.jpg"),
}
SPLITS = {
    "train": (
        "astronaut",
        "chelsea",
        "rocket",
        "motorcycle",
        "hubble_deep_field",
        "immunohistochemistry",
        "china",
    ),
    "test": ("coffee", "flower"),
}


@cache
def photo(name: str) -> Image.Image:
    """One embedded photo as an RGB image, decoded once per process."""
    return Image.fromarray(PHOTOS[name]()).convert("RGB")


class PhotosSR(SeededDataset):
    """HR crops ("image", in value_range) and LR versions ("condition", in [0, 1]).

    Train items are random crops (position, photo and flip drawn per index from the
    seed and epoch); there are `crops_per_epoch` of them. Test items tile each
    held-out photo with non-overlapping crops on a centred grid, without flips, so
    PSNR over the test split covers the held-out photos the same way in every run.
    """

    name = NAME

    def __init__(self, options: DataOptions) -> None:
        super().__init__(options.seed, options.split)
        settings.check_extra(options, NAME, EXTRA)
        self.scale = settings.extra_int(options, NAME, "scale", DEFAULT_SCALE, minimum=2)
        self.crops = settings.extra_int(options, NAME, "crops_per_epoch", DEFAULT_CROPS)
        size = settings.image_size(options, NAME, DEFAULT_IMAGE_SIZE, minimum=self.scale)
        self.size = _check_size(int(size or DEFAULT_IMAGE_SIZE), self.scale)
        self.mode = mode_for(settings.channels(options, NAME, 3))
        self.value_range = settings.value_range(options, NAME)
        self.flip = options.flip and options.split == "train"

        self.photos = SPLITS[options.split]
        smallest = min(min(photo(name).size) for name in self.photos)
        if self.size > smallest:
            raise DataOptionError(
                f"dataset '{NAME}': image_size {self.size} is larger than the smallest "
                f"{options.split} photo ({smallest} pixels); use at most {smallest}"
            )
        self.tiles = [tile for name in self.photos for tile in _tiles(name, self.size)]

    def __len__(self) -> int:
        return self.crops if self.split == "train" else len(self.tiles)

    def __getitem__(self, index: int) -> Item:
        self.check_index(index)
        if self.split == "train":
            name, box, mirror = self._random_crop(index)
        else:
            (name, box), mirror = self.tiles[index], False

        high = photo(name).crop(box)
        if mirror:
            high = high.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        high = high.convert(self.mode)
        side = self.size // self.scale
        # Pillow widens the bicubic kernel when it shrinks: this also low-pass filters.
        low = high.resize((side, side), BICUBIC)
        return {
            "image": to_tensor(high, self.value_range),
            "condition": to_tensor(low, CONDITION_RANGE),
        }

    def _random_crop(self, index: int) -> tuple[str, Box, bool]:
        rng = self.augmentation(index, "crop")
        name = self.photos[int(rng.integers(len(self.photos)))]
        width, height = photo(name).size
        left = int(rng.integers(width - self.size + 1))
        top = int(rng.integers(height - self.size + 1))
        mirror = bool(self.flip and rng.random() < 0.5)
        return name, (left, top, left + self.size, top + self.size), mirror


def _check_size(size: int, scale: int) -> int:
    if size % scale:
        lower, upper = size - size % scale, size - size % scale + scale
        raise DataOptionError(
            f"dataset '{NAME}': image_size {size} is not a multiple of scale {scale}; "
            f"use {lower} or {upper}"
        )
    return size


def _tiles(name: str, size: int) -> list[tuple[str, Box]]:
    """Non-overlapping `size` squares over the middle of photo `name`, row by row."""
    width, height = photo(name).size
    columns, rows = width // size, height // size
    left, top = (width - columns * size) // 2, (height - rows * size) // 2
    corners = [(left + c * size, top + r * size) for r in range(rows) for c in range(columns)]
    return [(name, (x, y, x + size, y + size)) for x, y in corners]


def load_photos_sr(options: DataOptions) -> PhotosSR:
    return PhotosSR(options)


PHOTOS_SR = DatasetSpec(
    name=NAME,
    description=(
        "Super-resolution pairs from 9 embedded colour photos (7 train, 2 held out): "
        "'image' is an HR crop (image_size, default 96) in value_range, 'condition' its "
        "bicubic down-sampled LR version in [0, 1] as in SRGAN (extra: scale, default 4; "
        "crops_per_epoch, default 1000)."
    ),
    fields=("image", "condition"),
    load=load_photos_sr,
)
