"""Loaders for images in folders: `folder` (any images), `classes` (one sub-folder
per class), `pairs` (A|B side-by-side files, or A/ and B/ folders) and `captions` (a
.txt caption beside each image)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import torch
from PIL import Image

from graphgan.plugin import DataOptions, DatasetSpec
from graphgan_data import files, settings
from graphgan_data.errors import DataLayoutError, DataOptionError
from graphgan_data.seeds import Item, SeededDataset
from graphgan_data.text import Tokenizer
from graphgan_data.transforms import apply, mode_for, place, to_tensor

log = logging.getLogger(__name__)

EXTRA = ("load_size",)
LAYOUTS = {
    "folder": "images anywhere under the folder",
    "classes": "one sub-folder per class: ROOT/<class>/<image>",
    "pairs": "ROOT/A/<name> and ROOT/B/<name>, or A|B images side by side in one file",
    "captions": "each image beside a same-named .txt caption: ROOT/<name>.png, ROOT/<name>.txt",
}
_SHOWN = 5  # file names an error message lists before it says "..."


class FolderDataset(SeededDataset):
    """Images read from files and prepared as the options say; items have "image".

    With `image_size` set, the shorter side is resized to it (or to extra
    `load_size`, for a random crop as pix2pix's jitter) and a square cut out; unset,
    images keep their size, which must then be the same for all of them, so batches
    can be stacked.
    """

    name = "folder"
    extra: Sequence[str] = EXTRA

    def __init__(self, options: DataOptions) -> None:
        super().__init__(options.seed, options.split)
        settings.check_extra(options, self.name, self.extra)
        root = files.check_root(options.root, self.name)
        self.root = files.split_root(root, options.split, self.name)
        self.size = settings.image_size(options, self.name, None)
        self.load_size = self._load_size(options)
        self.mode = mode_for(settings.channels(options, self.name, 3))
        self.value_range = settings.value_range(options, self.name)
        self.flip = options.flip
        self.first: tuple[Path, tuple[int, int]] | None = None
        self.files = self.find()
        log.debug("%s: %d items under %s", self.name, len(self.files), self.root)
        if self.size is None:
            # Reading one item now fixes the size every other image must have, in
            # every DataLoader worker, and shows an unreadable first file before
            # training starts.
            self[0]

    def find(self) -> list[Path]:
        found = files.image_files(self.root)
        if not found:
            raise files.no_images(self.root, self.name, LAYOUTS[self.name])
        return found

    def __len__(self) -> int:
        return len(self.files)

    def __getitem__(self, index: int) -> Item:
        path = self.files[index]
        return {"image": self.prepare(files.read_image(path, self.mode), index, path)}

    def prepare(self, image: Image.Image, index: int, path: Path) -> torch.Tensor:
        """Resize, crop and mirror as planned for item `index`; the same index gives
        the same plan, so both images of a pair are cut alike."""
        placement = place(
            image.size,
            self.size,
            self.augmentation(index, "place"),
            load_size=self.load_size,
            flip=self.flip,
        )
        image = apply(image, placement)
        self._check_same_size(image, path)
        return to_tensor(image, self.value_range)

    def _check_same_size(self, image: Image.Image, path: Path) -> None:
        if self.first is None:
            self.first = (path, image.size)
            return
        first_path, size = self.first
        if image.size != size:
            raise DataLayoutError(
                f"dataset '{self.name}': {path} is {_wh(image.size)} but {first_path} is "
                f"{_wh(size)}; set image_size so every image is brought to one size"
            )

    def _load_size(self, options: DataOptions) -> int | None:
        if "load_size" not in options.extra:
            return None
        if self.size is None:
            raise DataOptionError(
                f"dataset '{self.name}': load_size needs image_size, the crop taken from it"
            )
        return settings.extra_int(options, self.name, "load_size", self.size, self.size)


class ClassesDataset(FolderDataset):
    """Items have "image" and "label"; labels number the sorted class folders."""

    name = "classes"

    def find(self) -> list[Path]:
        folders = sorted(
            p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")
        )
        if not folders:
            raise files.no_images(self.root, self.name, LAYOUTS[self.name])
        loose = files.image_files(self.root, recursive=False)
        if loose:
            log.warning(
                "%s: %d images directly in %s belong to no class folder and are left out",
                self.name,
                len(loose),
                self.root,
            )
        self.classes = tuple(folder.name for folder in folders)
        self.labels: list[int] = []
        found: list[Path] = []
        for label, folder in enumerate(folders):
            members = files.image_files(folder)
            if not members:
                raise files.no_images(folder, self.name, LAYOUTS[self.name])
            found += members
            self.labels += [label] * len(members)
        return found

    def __getitem__(self, index: int) -> Item:
        item = super().__getitem__(index)
        item["label"] = torch.tensor(self.labels[index], dtype=torch.int64)
        return item


class PairsDataset(FolderDataset):
    """Items have "condition" (A) and "image" (B); extra `direction` "BtoA" swaps."""

    name = "pairs"
    extra = (*EXTRA, "direction")

    def __init__(self, options: DataOptions) -> None:
        directions = ("AtoB", "BtoA")
        direction = settings.extra_choice(options, self.name, "direction", "AtoB", directions)
        self.swap = direction == "BtoA"
        super().__init__(options)

    def find(self) -> list[Path]:
        folder_a, folder_b = self.root / "A", self.root / "B"
        self.partners: list[Path] | None = None
        if not (folder_a.is_dir() and folder_b.is_dir()):
            found = files.image_files(self.root)  # side-by-side A|B files
            if not found:
                raise files.no_images(self.root, self.name, LAYOUTS[self.name])
            return found
        a_files, self.partners = _matched(folder_a, folder_b, self.name)
        return a_files

    def __getitem__(self, index: int) -> Item:
        path = self.files[index]
        if self.partners is None:
            a, b = _halves(files.read_image(path, self.mode), path, self.name)
            b_path = path
        else:
            b_path = self.partners[index]
            a, b = files.read_image(path, self.mode), files.read_image(b_path, self.mode)
        if self.swap:
            a, b = b, a
        return {
            "condition": self.prepare(a, index, path),
            "image": self.prepare(b, index, b_path),
        }


class CaptionsDataset(FolderDataset):
    """Items have "image", "caption" (one line of the image's .txt file, picked per item
    and epoch from the seed) and "tokens", its word ids under `tokenizer`: a vocabulary of
    every word in the folder's captions, as long as its longest caption."""

    name = "captions"

    def find(self) -> list[Path]:
        found = files.image_files(self.root)
        if not found:
            raise files.no_images(self.root, self.name, LAYOUTS[self.name])
        missing = [p for p in found if not p.with_suffix(".txt").is_file()]
        if missing:
            raise DataLayoutError(
                f"dataset '{self.name}': {len(missing)} of {len(found)} images under "
                f"{self.root} have no caption file ({_names(missing, self.root)}); "
                "add a same-named .txt file beside each image"
            )
        self.captions = [_caption_lines(p.with_suffix(".txt"), self.name) for p in found]
        lines = [line for options in self.captions for line in options]
        words = sorted({word for line in lines for word in line.lower().split()})
        longest = max(len(line.split()) for line in lines)
        self.tokenizer = Tokenizer(words, longest, name=f"captions under {self.root}")
        log.info(
            "%s: %d words, captions of up to %d; a text encoder needs vocabulary=%d, "
            "caption_length=%d",
            self.root,
            len(words),
            longest,
            len(self.tokenizer),
            longest,
        )
        return found

    def __getitem__(self, index: int) -> Item:
        item = super().__getitem__(index)
        lines = self.captions[index]
        pick = self.augmentation(index, "caption").integers(len(lines))
        item["caption"] = lines[int(pick)]
        item["tokens"] = self.tokenizer.encode(item["caption"])
        return item


def _matched(folder_a: Path, folder_b: Path, dataset: str) -> tuple[list[Path], list[Path]]:
    """Files of A/ and B/ paired by path without suffix; an unpaired file is an error."""
    a_files = _by_stem(folder_a)
    b_files = _by_stem(folder_b)
    if not a_files and not b_files:
        raise files.no_images(folder_a.parent, dataset, LAYOUTS[dataset])
    only_a = sorted(a_files.keys() - b_files.keys())
    only_b = sorted(b_files.keys() - a_files.keys())
    if only_a or only_b:
        unpaired = [a_files[k] for k in only_a] + [b_files[k] for k in only_b]
        raise DataLayoutError(
            f"dataset '{dataset}': {len(unpaired)} files in {folder_a.parent} have no "
            f"partner of the same name in the other folder "
            f"({_names(unpaired, folder_a.parent)}); A/ and B/ must hold the same names"
        )
    keys = sorted(a_files)
    return [a_files[k] for k in keys], [b_files[k] for k in keys]


def _by_stem(folder: Path) -> dict[Path, Path]:
    """Image files keyed by their path inside `folder` without the suffix."""
    return {p.relative_to(folder).with_suffix(""): p for p in files.image_files(folder)}


def _halves(image: Image.Image, path: Path, dataset: str) -> tuple[Image.Image, Image.Image]:
    """Split a side-by-side A|B image at half its width."""
    width, height = image.size
    if width % 2:
        raise DataLayoutError(
            f"dataset '{dataset}': {path} is {_wh(image.size)}, an odd width, so it cannot "
            "be split into A|B halves; side-by-side pairs need an even width"
        )
    half = width // 2
    return image.crop((0, 0, half, height)), image.crop((half, 0, width, height))


def _caption_lines(path: Path, dataset: str) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataLayoutError(
            f"dataset '{dataset}': cannot read caption file {path}: {error}; save it as UTF-8 text"
        ) from error
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise DataLayoutError(
            f"dataset '{dataset}': caption file {path} is empty; write one caption per line"
        )
    return lines


def _names(paths: Sequence[Path], root: Path) -> str:
    shown = ", ".join(str(p.relative_to(root)) for p in paths[:_SHOWN])
    return shown + (", ..." if len(paths) > _SHOWN else "")


def _wh(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _spec(dataset: type[FolderDataset], fields: tuple[str, ...], description: str) -> DatasetSpec:
    return DatasetSpec(
        name=dataset.name, description=description, fields=fields, load=dataset, needs_root=True
    )


FOLDER = _spec(FolderDataset, ("image",), f"Images in a folder: {LAYOUTS['folder']}.")
CLASSES = _spec(
    ClassesDataset,
    ("image", "label"),
    f"Labelled images, {LAYOUTS['classes']}; labels follow the sorted folder names.",
)
PAIRS = _spec(
    PairsDataset,
    ("condition", "image"),
    f"Paired images for image-to-image translation: {LAYOUTS['pairs']} "
    "(extra: direction AtoB or BtoA).",
)
CAPTIONS = _spec(
    CaptionsDataset,
    ("image", "caption", "tokens"),
    f"Captioned images, {LAYOUTS['captions']}; one line per caption, one picked per item; "
    "'tokens' number the folder's words.",
)
