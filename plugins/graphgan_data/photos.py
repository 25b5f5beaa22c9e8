"""Embedded photos for super-resolution (`photos-sr`): high-resolution crops of the
colour photos that ship with scikit-image and scikit-learn, each paired with its
bicubic down-sampled low-resolution version. Train and test hold different photos.

The held-out photos are coffee (wood grain, china, metal) and the motorcycle (edges and
small parts everywhere): textured natural photos, as SR test sets are. flower.jpg trains:
half of its tiles are a defocused background that bicubic up-sampling restores almost
exactly, so as a test photo it scored colour offsets on flat areas rather than restored
detail.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

import numpy as np
from PIL import Image

from graphgan.plugin import DataOptions, DatasetSpec
from graphgan_data.superres import CONDITION_RANGE, Photo, SRPairs

# CONDITION_RANGE is read from here by code export, which reproduces these crops.
__all__ = [
    "CONDITION_RANGE",
    "PHOTOS",
    "PHOTOS_SR",
    "SPLITS",
    "PhotosSR",
    "load_photos_sr",
    "photo",
]

NAME = "photos-sr"


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
        "hubble_deep_field",
        "immunohistochemistry",
        "china",
        "flower",
    ),
    "test": ("coffee", "motorcycle"),
}


@cache
def photo(name: str) -> Image.Image:
    """One embedded photo as an RGB image, decoded once per process."""
    return Image.fromarray(PHOTOS[name]()).convert("RGB")


class PhotosSR(SRPairs):
    """SR pairs cut from the embedded photos of the split."""

    def __init__(self, options: DataOptions) -> None:
        names = SPLITS[options.split]
        photos = [Photo(name, photo(name).size, partial(photo, name)) for name in names]
        super().__init__(options, NAME, photos)


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
