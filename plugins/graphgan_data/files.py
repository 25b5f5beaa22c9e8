"""Finding and reading image files under a dataset root, with errors that name the
root, the folder or the file at fault."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps

from graphgan_data.errors import DataLayoutError, DataRootError, ImageFileError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".webp")
# Sub-folders holding a split; "val" stands in for "test", as in pix2pix's datasets.
SPLIT_FOLDERS = {"train": ("train",), "test": ("test", "val")}


def check_root(root: Path | str | None, dataset: str) -> Path:
    """The root folder of a folder dataset, which must exist."""
    if root is None:
        raise DataRootError(
            f"dataset '{dataset}' reads a folder but no root was given; "
            f"pass --data {dataset}:PATH or set DataOptions.root"
        )
    path = Path(root).expanduser()
    if not path.exists():
        raise DataRootError(f"dataset '{dataset}': data root {path} does not exist")
    if not path.is_dir():
        raise DataRootError(f"dataset '{dataset}': data root {path} is a file, not a folder")
    return path


def split_root(root: Path, split: str, dataset: str) -> Path:
    """The folder holding `split`: ROOT/train, ROOT/test or ROOT/val when ROOT has
    split folders, else ROOT itself for train. A test split never falls back to the
    training data."""
    for name in SPLIT_FOLDERS[split]:
        if (root / name).is_dir():
            return root / name
    has_splits = any((root / n).is_dir() for names in SPLIT_FOLDERS.values() for n in names)
    if split == "test" or has_splits:
        wanted = " or ".join(f"{n}/" for n in SPLIT_FOLDERS[split])
        raise DataLayoutError(
            f"dataset '{dataset}': {root} has no {wanted} folder for the {split} split; "
            f"add one, or use split 'train' on a root without split folders"
        )
    return root


def is_image(path: Path) -> bool:
    return (
        path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")
    )


def image_files(folder: Path, recursive: bool = True) -> list[Path]:
    """Image files in `folder` (and sub-folders), sorted by path for a stable order."""
    candidates = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in candidates if is_image(p))


def no_images(folder: Path, dataset: str, layout: str) -> DataLayoutError:
    """The error for a folder with no images, naming the expected layout."""
    return DataLayoutError(
        f"dataset '{dataset}': no images in {folder} (looked for "
        f"{', '.join(IMAGE_SUFFIXES)}); expected {layout}"
    )


def read_image(path: Path, mode: str) -> Image.Image:
    """Decode `path` fully and convert it to Pillow `mode` ("L" or "RGB")."""
    try:
        with Image.open(path) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)  # photos stored sideways stand upright
            if image.mode == "P" and "transparency" in image.info:
                # Converting such a palette image straight to RGB makes Pillow warn.
                image = image.convert("RGBA")
            return image.convert(mode)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ImageFileError(
            f"cannot read image file {path}: {error}; replace or remove the file"
        ) from error
