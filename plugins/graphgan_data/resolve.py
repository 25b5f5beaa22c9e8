"""The `auto` folder loader: it reads a folder's layout and hands the folder to the loader
that layout fits (`pairs`, `captions`, `classes` or `folder`)."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from graphgan.plugin import DataOptions, DatasetSpec
from graphgan_data import files
from graphgan_data.folders import CAPTIONS, CLASSES, FOLDER, PAIRS

log = logging.getLogger(__name__)

AUTO = "auto"
# Looked up here rather than in the registry: another pack may register a different
# loader under one of these names, but a layout this pack detects is one it can read.
LOADERS = {spec.name: spec for spec in (PAIRS, CAPTIONS, CLASSES, FOLDER)}


def detect_layout(root: Path, split: str = "train", dataset: str = AUTO) -> str:
    """The loader whose layout `root` (or its split folder) has: A/ and B/ folders ->
    "pairs"; a .txt beside an image -> "captions"; images only in sub-folders ->
    "classes"; anything else -> "folder". Side-by-side pairs look like a folder: name
    them with pairs:."""
    folder = files.split_root(root, split, dataset)
    if (folder / "A").is_dir() and (folder / "B").is_dir():
        return PAIRS.name
    images = files.image_files(folder)
    if any(image.with_suffix(".txt").is_file() for image in images):
        return CAPTIONS.name
    if images and not files.image_files(folder, recursive=False):
        return CLASSES.name
    return FOLDER.name


def load_auto(options: DataOptions) -> Any:
    """The dataset of the loader `options.root`'s layout fits, loaded with `options`."""
    root = files.check_root(options.root, AUTO)
    layout = detect_layout(root, options.split)
    log.info("data: %s holds the '%s' layout", root, layout)
    return LOADERS[layout].load(replace(options, root=root))


AUTO_LOADER = DatasetSpec(
    name=AUTO,
    description=(
        "Any folder of images, read by the loader its layout fits: A/ and B/ folders -> "
        "pairs, a .txt beside an image -> captions, images only in sub-folders -> classes, "
        "else folder. Fields are those of the loader picked."
    ),
    fields=("image", "label", "condition", "caption", "tokens"),
    load=load_auto,
    needs_root=True,
)
