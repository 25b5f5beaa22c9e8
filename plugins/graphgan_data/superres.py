"""Super-resolution pairs cut from high-resolution photos: an HR crop ("image") and its
bicubic down-sampled LR version ("condition"), made on the fly. `photos-sr` (photos.py)
cuts them from the embedded photos; `sr` cuts them from a folder of the user's photos."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PIL import Image

from graphgan.plugin import DataOptions, DatasetSpec
from graphgan_data import files, settings
from graphgan_data.errors import DataOptionError, ImageFileError
from graphgan_data.seeds import Item, SeededDataset
from graphgan_data.transforms import BICUBIC, Box, Size, mode_for, to_tensor

EXTRA = ("scale", "crops_per_epoch")
DEFAULT_IMAGE_SIZE = 96  # the SRGAN paper's HR crop
DEFAULT_SCALE = 4
DEFAULT_CROPS = 1000
# The LR input keeps the SRGAN paper's range whatever the run's value_range is.
CONDITION_RANGE = (0.0, 1.0)

FOLDER_NAME = "sr"
FOLDER_LAYOUT = (
    "high-resolution photos anywhere under the folder (ROOT/train/ and ROOT/test/ or "
    "ROOT/val/ for separate splits)"
)
_ORIENTATION = 0x0112  # the EXIF tag saying how a photo was stored (read_image undoes it)
_TURNED = (5, 6, 7, 8)  # orientations that swap width and height


@dataclass(frozen=True)
class Photo:
    """One source photo: the name errors and tiles use, its upright size, its decoder."""

    name: str
    size: Size
    read: Callable[[], Image.Image]


class SRPairs(SeededDataset):
    """HR crops ("image", in value_range) and LR versions ("condition", in [0, 1]).

    Train items are random crops (photo, position and flip drawn per index from the
    seed and epoch); there are `crops_per_epoch` of them. Test items tile each photo
    with non-overlapping crops on a centred grid, without flips, so PSNR over the test
    split covers the photos the same way in every run; `tiles` says which photo each
    test item comes from.
    """

    def __init__(self, options: DataOptions, name: str, photos: Sequence[Photo]) -> None:
        super().__init__(options.seed, options.split)
        self.name = name
        settings.check_extra(options, name, EXTRA)
        self.scale = settings.extra_int(options, name, "scale", DEFAULT_SCALE, minimum=2)
        self.crops = settings.extra_int(options, name, "crops_per_epoch", DEFAULT_CROPS)
        size = settings.image_size(options, name, DEFAULT_IMAGE_SIZE, minimum=self.scale)
        self.size = _check_size(name, int(size or DEFAULT_IMAGE_SIZE), self.scale)
        self.mode = mode_for(settings.channels(options, name, 3))
        self.value_range = settings.value_range(options, name)
        self.flip = options.flip and options.split == "train"

        _check_large_enough(name, options.split, photos, self.size)
        self.photos = {photo.name: photo for photo in photos}
        self.names = tuple(self.photos)
        self.tiles = [tile for photo in photos for tile in _tiles(photo, self.size)]

    def __len__(self) -> int:
        return self.crops if self.split == "train" else len(self.tiles)

    def __getitem__(self, index: int) -> Item:
        self.check_index(index)
        if self.split == "train":
            name, box, mirror = self._random_crop(index)
        else:
            (name, box), mirror = self.tiles[index], False

        high = self.photos[name].read().crop(box)
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
        name = self.names[int(rng.integers(len(self.names)))]
        width, height = self.photos[name].size
        left = int(rng.integers(width - self.size + 1))
        top = int(rng.integers(height - self.size + 1))
        mirror = bool(self.flip and rng.random() < 0.5)
        return name, (left, top, left + self.size, top + self.size), mirror


def _check_size(dataset: str, size: int, scale: int) -> int:
    if size % scale:
        lower, upper = size - size % scale, size - size % scale + scale
        raise DataOptionError(
            f"dataset '{dataset}': image_size {size} is not a multiple of scale {scale}; "
            f"use {lower} or {upper}"
        )
    return size


def _check_large_enough(dataset: str, split: str, photos: Sequence[Photo], size: int) -> None:
    smallest = min(photos, key=lambda photo: min(photo.size))
    side = min(smallest.size)
    if size > side:
        raise DataOptionError(
            f"dataset '{dataset}': image_size {size} is larger than the smallest {split} "
            f"photo ({smallest.name}, {side} pixels); use at most {side} or leave it out"
        )


def _tiles(photo: Photo, size: int) -> list[tuple[str, Box]]:
    """Non-overlapping `size` squares over the middle of `photo`, row by row."""
    width, height = photo.size
    columns, rows = width // size, height // size
    left, top = (width - columns * size) // 2, (height - rows * size) // 2
    corners = [(left + c * size, top + r * size) for r in range(rows) for c in range(columns)]
    return [(photo.name, (x, y, x + size, y + size)) for x, y in corners]


class _LastDecoded:
    """Decodes photo files, keeping the last one: test tiles come photo by photo, so
    each photo is decoded once rather than once per tile."""

    def __init__(self) -> None:
        self.last: tuple[Path, Image.Image] | None = None

    def read(self, path: Path) -> Image.Image:
        if self.last is None or self.last[0] != path:
            self.last = (path, files.read_image(path, "RGB"))
        return self.last[1]


def _upright_size(path: Path) -> Size:
    """The (width, height) of a photo as read_image turns it, from its header alone."""
    try:
        with Image.open(path) as image:
            width, height = image.size
            turned = image.getexif().get(_ORIENTATION, 1) in _TURNED
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ImageFileError(
            f"cannot read image file {path}: {error}; replace or remove the file"
        ) from error
    return (height, width) if turned else (width, height)


def load_folder_sr(options: DataOptions) -> SRPairs:
    """SR pairs cut from the photos under `options.root` (its train or test folder)."""
    root = files.check_root(options.root, FOLDER_NAME)
    folder = files.split_root(root, options.split, FOLDER_NAME)
    paths = files.image_files(folder)
    if not paths:
        raise files.no_images(folder, FOLDER_NAME, FOLDER_LAYOUT)
    decoder = _LastDecoded()
    photos = [
        Photo(str(path.relative_to(folder)), _upright_size(path), partial(decoder.read, path))
        for path in paths
    ]
    return SRPairs(options, FOLDER_NAME, photos)


FOLDER_SR = DatasetSpec(
    name=FOLDER_NAME,
    description=(
        f"Super-resolution pairs from your own photos: {FOLDER_LAYOUT}. 'image' is a "
        "random HR crop (image_size, default 96; flipped when flip is on) in value_range, "
        "'condition' its bicubic down-sampled LR version in [0, 1]; the test split tiles "
        "each test photo (extra: scale, default 4; crops_per_epoch, default 1000)."
    ),
    fields=("image", "condition"),
    load=load_folder_sr,
    needs_root=True,
)
