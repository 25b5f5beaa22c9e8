"""The exported project's data: an embedded dataset's prepared tensors as one `data.npz`.

A folder dataset is not copied (it may be large and it is the user's); the exported train.py
reads a folder of images itself. A dataset that draws fresh augmentations every epoch cannot
be frozen into a file without changing what trains, so export refuses it by name.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import numpy as np
import torch
from torch.utils.data import default_collate

from graphgan.export.errors import ExportError
from graphgan.graph.training import TrainingSpec
from graphgan.registry import default_registry
from graphgan.training.data import data_options, open_dataset

log = logging.getLogger(__name__)

DATA_FILE = "data.npz"
MAX_BYTES = 512 * 2**20  # an embedded dataset past this is not "small"; read a folder instead
PROBE_ITEMS = 16  # items compared across two epochs to find per-epoch augmentations


def embedded_data(spec: TrainingSpec, seed: int, dataset_text: str | None = None) -> bytes | None:
    """The training split of an embedded dataset as .npz bytes; None for a folder dataset."""
    text = dataset_text or spec.data.dataset
    known = default_registry().datasets.get(text)
    if known is None or known.needs_root:
        # A folder (or LOADER:PATH): the user's files, which train.py reads itself.
        log.info("dataset '%s' reads a folder; the export holds no data file", text)
        return None
    _, dataset = open_dataset(text, data_options(spec.data, seed))
    if spec.data.flip:
        raise _frozen(text, "flip=True draws a new mirror image every epoch")
    length = len(dataset)  # type: ignore[arg-type]
    if _augments_per_epoch(dataset, length):
        raise _frozen(text, "it draws new augmentations (crops, placements) every epoch")

    arrays = _stack(dataset, length, text)
    size = sum(a.nbytes for a in arrays.values())
    if size > MAX_BYTES:
        raise ExportError(
            f"dataset '{text}' prepares to {size / 2**20:.0f} MiB, over the {MAX_BYTES >> 20} MiB "
            "an export embeds; export it as a folder of images and pass --data FOLDER to train.py"
        )
    buffer = io.BytesIO()
    np.savez_compressed(buffer, allow_pickle=False, **arrays)
    log.info("embedding dataset '%s': %d items, %.1f MiB", text, length, size / 2**20)
    return buffer.getvalue()


def _stack(dataset: Any, length: int, text: str) -> dict[str, np.ndarray]:
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
        f"dataset '{text}' cannot be embedded in the export: {reason}, which a data file would "
        "freeze; export with --no-data and train the project on a folder of images (--data)"
    )
