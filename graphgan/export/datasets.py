"""The exported project's data: an embedded dataset's prepared tensors as one `data.npz`.

A folder dataset is not copied (it may be large and it is the user's); the exported train.py
reads a folder of images itself. A dataset that draws fresh augmentations every epoch is
embedded un-augmented, with a description train.py follows to draw the same mirror images and
crops for the same seed, epoch and item; export checks that reproduction against the dataset's
own items first, and refuses by name an augmentation it cannot reproduce.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch
from torch.utils.data import default_collate

from graphgan.export.augment import mirrored, sr_crop, to_tensor_values
from graphgan.export.errors import ExportError
from graphgan.graph.training import TrainingSpec
from graphgan.plugin import DataOptions
from graphgan.registry import default_registry
from graphgan.training.data import data_options, open_dataset

log = logging.getLogger(__name__)

DATA_FILE = "data.npz"
MAX_BYTES = 512 * 2**20  # an embedded dataset past this is not "small"; read a folder instead
PROBE_ITEMS = 16  # items compared across two epochs to find (and check) per-epoch augmentations
PROBE_EPOCHS = (0, 1, 5)
PHOTO_PREFIX = "photo_"  # arrays of the source photos SR crops are cut from

Arrays = dict[str, np.ndarray]
Reproduce = Callable[[int, int], dict[str, np.ndarray]]  # (epoch, index) -> one item


@dataclass(frozen=True)
class Prepared:
    """An embedded dataset as train.py receives it: arrays, and how to augment them."""

    arrays: Arrays
    augment: dict[str, Any] | None  # None: every epoch serves the arrays as they are


def prepare(
    spec: TrainingSpec, seed: int, dataset_text: str | None = None, embed: bool = True
) -> Prepared | None:
    """The training split of an embedded dataset; None for a folder dataset.

    With `embed` False only the augmentation is described (train.py cuts SR crops from a
    folder's photos as it would from the embedded ones), and no arrays are prepared.
    """
    text = dataset_text or spec.data.dataset
    if text.partition(":")[0] == "sr":
        # train.py cuts SR crops only as the embedded photos-sr describes them.
        raise ExportError(
            f"dataset '{text}': train.py cannot read an sr: folder as graphgan does; export the "
            "graph with dataset photos-sr (--set dataset=photos-sr) and run the project's "
            "train.py with --data FOLDER, which cuts its crops from your photos"
        )
    known = default_registry().datasets.get(text)
    if known is None or known.needs_root:
        # A folder (or LOADER:PATH): the user's files, which train.py reads itself.
        log.info("dataset '%s' reads a folder; the export holds no data file", text)
        return None
    options = data_options(spec.data, seed)
    _, dataset = open_dataset(text, options)

    cropped = _sr_crops(text, dataset, seed, embed) or _scenes(text, dataset, seed)
    if cropped is not None:
        return cropped
    if not embed:
        return Prepared({}, None)
    if spec.data.flip:
        return _flipped(text, options, dataset)
    return Prepared(_plain(text, dataset), None)


def data_bytes(prepared: Prepared, text: str) -> bytes:
    """The arrays as compressed .npz bytes, refused past MAX_BYTES."""
    size = sum(a.nbytes for a in prepared.arrays.values())
    _check_size(text, size)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, allow_pickle=False, **prepared.arrays)
    log.info("embedding dataset '%s': %.1f MiB", text, size / 2**20)
    return buffer.getvalue()


def _plain(text: str, dataset: Any) -> Arrays:
    length = len(dataset)
    if _augments_per_epoch(dataset, length):
        raise _frozen(text, "it draws new augmentations (crops, placements) every epoch")
    # Refused before every item is prepared: at full size that alone can take minutes.
    first = dataset[0]
    per_item = sum(v.numel() * v.element_size() for v in first.values() if torch.is_tensor(v))
    _check_size(text, per_item * length)
    return _stack(dataset, length, text)


def _check_size(text: str, size: int) -> None:
    if size > MAX_BYTES:
        raise ExportError(
            f"dataset '{text}' prepares to {size / 2**20:.0f} MiB, over the {MAX_BYTES >> 20} MiB "
            "an export embeds; export at a smaller image_size (--preset demo), or with "
            "--no-data and pass train.py a folder of images (--data FOLDER)"
        )


def _flipped(text: str, options: DataOptions, dataset: Any) -> Prepared:
    """A dataset whose one augmentation is a mirror image per item and epoch ("flip" stream)."""
    _, still = open_dataset(text, replace(options, flip=False))
    arrays = _plain(text, still)

    def reproduce(epoch: int, index: int) -> dict[str, np.ndarray]:
        flip = mirrored(options.seed, "flip", epoch, index)
        items = {name: values[index] for name, values in arrays.items()}
        return {k: v[..., ::-1] if flip and v.ndim >= 2 else v for k, v in items.items()}

    why = "flip=True draws a new mirror image every epoch, which export could not reproduce"
    _check_reproduced(text, dataset, reproduce, why)
    return Prepared(arrays, {"kind": "flip", "stream": "flip"})


def _sr_crops(text: str, dataset: Any, seed: int, embed: bool) -> Prepared | None:
    """photos-sr: the source photos, and the crop train.py cuts from them per item and epoch."""
    try:
        from graphgan_data.photos import CONDITION_RANGE, PhotosSR, photo
    except ImportError:  # the data pack is not installed, so no dataset is one of its
        return None
    if not isinstance(dataset, PhotosSR) or dataset.split != "train":
        return None
    crop = {
        "kind": "sr-crops",
        "length": len(dataset),
        "size": dataset.size,
        "scale": dataset.scale,
        "mode": dataset.mode,
        "flip": dataset.flip,
        "value_range": list(dataset.value_range),
        "condition_range": list(CONDITION_RANGE),
        "photos": list(dataset.photos),
    }
    if not embed:
        return Prepared({}, crop)
    photos = [np.asarray(photo(name), dtype=np.uint8) for name in dataset.photos]

    def reproduce(epoch: int, index: int) -> dict[str, np.ndarray]:
        high, low = sr_crop(photos, crop, seed, epoch, index)
        return {
            "image": to_tensor_values(high, crop["value_range"]),
            "condition": to_tensor_values(low, crop["condition_range"]),
        }

    _check_reproduced(text, dataset, reproduce, "its random crops could not be reproduced")
    arrays = {f"{PHOTO_PREFIX}{k}": pixels for k, pixels in enumerate(photos)}
    return Prepared(arrays, crop)


def _scenes(text: str, dataset: Any, seed: int) -> Prepared | None:
    """shapes-pix2pix and shapes-captions: train.py renders each image from the seed with the
    copied renderer, checked here by running that copy against the dataset's own items."""
    try:
        from graphgan_data.captions import ShapesCaptions
        from graphgan_data.labelmaps import ShapesPix2Pix
    except ImportError:  # the data pack is not installed, so no dataset is one of its
        return None
    if not isinstance(dataset, ShapesPix2Pix | ShapesCaptions) or dataset.split != "train":
        return None
    from graphgan.export.scenes import caption_fields, copied

    pix2pix = isinstance(dataset, ShapesPix2Pix)
    scenes = {
        "kind": "scenes",
        "renderer": dataset.name,
        "fields": ["condition", "image", "label_map"] if pix2pix else ["image"],
        "length": len(dataset),
        "size": dataset.size,
        "flip": bool(getattr(dataset, "flip", False)),
        "jitter": float(getattr(dataset, "jitter", 0.0)),
        "value_range": list(dataset.value_range),
    }
    # Captions' tokens are small and drawn apart from the image: they are stored as arrays.
    arrays = {} if pix2pix else caption_fields(dataset)
    scene_item = copied(dataset.name)["scene_item"]

    def reproduce(epoch: int, index: int) -> dict[str, np.ndarray]:
        stored = {name: values[index] for name, values in arrays.items()}
        return {**stored, **scene_item(scenes, seed, epoch, index)}

    why = "its scenes could not be reproduced by the copied renderer"
    _check_reproduced(text, dataset, reproduce, why)
    return Prepared(arrays, scenes)


def _check_reproduced(text: str, dataset: Any, reproduce: Reproduce, why: str) -> None:
    """Refuse unless train.py's reproduction gives the dataset's own items, bit for bit."""
    probe = range(min(PROBE_ITEMS, len(dataset)))
    try:
        for epoch in PROBE_EPOCHS:
            dataset.set_epoch(epoch)
            for index in probe:
                item, expected = dataset[index], reproduce(epoch, index)
                if not _same_arrays(item, expected):
                    raise _frozen(text, f"{why} (item {index}, epoch {epoch} differs)")
    finally:
        dataset.set_epoch(0)


def _same_arrays(item: dict[str, Any], expected: dict[str, np.ndarray]) -> bool:
    tensors = {k: v for k, v in item.items() if isinstance(v, torch.Tensor)}
    if tensors.keys() != expected.keys():
        return False
    return all(np.array_equal(tensors[k].numpy(), expected[k]) for k in tensors)


def _stack(dataset: Any, length: int, text: str) -> Arrays:
    # One collate over all items: the same tensors graphgan's loader stacks into batches.
    batch = default_collate([dataset[i] for i in range(length)])
    arrays = {}
    for name, value in batch.items():
        if isinstance(value, torch.Tensor):
            arrays[name] = value.numpy()
        else:
            log.info("dataset '%s': field '%s' is not a tensor and is left out", text, name)
    return arrays


def _augments_per_epoch(dataset: Any, length: int) -> bool:
    set_epoch = getattr(dataset, "set_epoch", None)
    if not callable(set_epoch):
        return False
    probe = range(min(PROBE_ITEMS, length))
    first = [dataset[i] for i in probe]
    set_epoch(1)
    second = [dataset[i] for i in probe]
    set_epoch(0)
    return any(not _same_item(a, b) for a, b in zip(first, second, strict=True))


def _same_item(a: dict[str, Any], b: dict[str, Any]) -> bool:
    for key, value in a.items():
        other = b[key]
        if isinstance(value, torch.Tensor):
            if not torch.equal(value, other):
                return False
        elif value != other:
            return False
    return True


def _frozen(text: str, reason: str) -> ExportError:
    return ExportError(
        f"dataset '{text}' cannot be embedded in the export: {reason}; export with --no-data "
        "and train the project on a folder of images (--data)"
    )
