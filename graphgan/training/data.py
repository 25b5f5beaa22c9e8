"""Data for a run: the dataset the document (or `--data`) names, served as seeded batches.

Batches follow a permutation drawn per epoch from the run's seed, so a resumed run reads the
same batches in the same order as an uninterrupted one. Under torchrun each process takes
every world-th item of the permutation.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import DataLoader, Dataset

from graphgan.errors import GraphganError, UnknownNameError
from graphgan.graph.training import DataSpec
from graphgan.plugin import DataOptions, DatasetSpec
from graphgan.registry import Registry, default_registry

# A bare folder path goes to the dataset of this name, which inspects the folder's layout.
AUTO_LAYOUT = "auto"
FINGERPRINT_LENGTH = 16  # hex characters kept of the sha256


class DataError(GraphganError, ValueError):
    code = "data-invalid"


def data_options(spec: DataSpec, seed: int, split: str = "train") -> DataOptions:
    return DataOptions(
        image_size=spec.image_size,
        channels=spec.channels,
        value_range=spec.value_range,
        flip=spec.flip,
        split="test" if split == "test" else "train",
        seed=seed,
        extra=spec.options,
    )


def open_dataset(
    text: str, options: DataOptions, registry: Registry | None = None
) -> tuple[DatasetSpec, Dataset[Any]]:
    """The dataset named `text`: a dataset name, `loader:PATH`, or a folder path.

    A name that matches nothing is an error that lists the known ones; a run never falls
    back to other data.
    """
    datasets = (registry or default_registry()).datasets
    if text in datasets:
        spec = datasets[text]
        if spec.needs_root:
            raise DataError(f"dataset '{text}' reads a folder; pass --data {text}:PATH")
        return spec, _load(spec, options)

    loader, colon, path = text.partition(":")
    if colon and loader in datasets:
        spec = datasets[loader]
        if not spec.needs_root:
            raise DataError(
                f"dataset '{loader}' is embedded and reads no folder; pass --data {loader}"
            )
        return spec, _load(spec, replace(options, root=Path(path).expanduser()))

    folder = Path(text).expanduser()
    if folder.is_dir():
        if AUTO_LAYOUT not in datasets:
            raise DataError(
                f"{folder} is a folder, but no dataset '{AUTO_LAYOUT}' is installed to pick its "
                f"loader; pass --data LOADER:PATH with a folder loader ({_loaders(datasets)})"
            )
        return datasets[AUTO_LAYOUT], _load(datasets[AUTO_LAYOUT], replace(options, root=folder))
    raise UnknownNameError(_unknown_message(text, datasets))


def _load(spec: DatasetSpec, options: DataOptions) -> Dataset[Any]:
    if not spec.needs_root and options.root is not None:
        raise DataError(
            f"dataset '{spec.name}' is embedded and reads no folder, but root {options.root} "
            "was given; leave the root unset"
        )
    dataset: Dataset[Any] = spec.load(options)
    return dataset


def _loaders(datasets: Mapping[str, DatasetSpec]) -> str:
    return ", ".join(sorted(n for n, s in datasets.items() if s.needs_root)) or "none"


def _unknown_message(text: str, datasets: Mapping[str, DatasetSpec]) -> str:
    path = Path(text).expanduser()
    if path.exists():
        hint = f"{path} is a file, not a folder; "
    else:
        # The part before a colon is what a LOADER:PATH text misspelt.
        near = difflib.get_close_matches(text.partition(":")[0], list(datasets), n=1)
        hint = f"did you mean '{near[0]}'? " if near else ""
    known = ", ".join(sorted(n for n, s in datasets.items() if not s.needs_root)) or "none"
    return (
        f"no dataset or folder '{text}'; {hint}embedded datasets: {known}; folder loaders "
        f"(as LOADER:PATH): {_loaders(datasets)}"
    )


@dataclass
class Position:
    """Where the batch stream is: which epoch, and how many batches of it were served."""

    epoch: int = 0
    batch: int = 0


class BatchStream:
    """An endless, resumable stream of batches."""

    def __init__(
        self,
        dataset: Dataset[Any],
        batch_size: int,
        seed: int,
        workers: int = 0,
        rank: int = 0,
        world: int = 1,
        position: Position | None = None,
    ) -> None:
        self.dataset = dataset
        self.length = len(dataset)  # type: ignore[arg-type]
        if self.length < batch_size * world:
            raise DataError(
                f"the dataset has {self.length} items, fewer than one batch of {batch_size * world}"
                "; lower batch_size or add data"
            )
        self.batch_size = batch_size
        self.seed, self.workers, self.rank, self.world = seed, workers, rank, world
        self.position = position or Position()
        self._batches: Iterator[Any] | None = None

    @property
    def batches_per_epoch(self) -> int:
        return self.length // (self.batch_size * self.world)

    def _epoch_indices(self, epoch: int) -> list[int]:
        generator = torch.Generator().manual_seed(self.seed * 100_003 + epoch)
        order = torch.randperm(self.length, generator=generator).tolist()
        usable = self.batches_per_epoch * self.batch_size * self.world
        mine = order[:usable][self.rank :: self.world]
        return mine[self.position.batch * self.batch_size :]

    def _open_epoch(self) -> Iterator[Any]:
        # Before the loader copies the dataset into its workers, so they draw this epoch's
        # augmentations; a resumed run opens the same epoch and so draws the same ones.
        set_epoch = getattr(self.dataset, "set_epoch", None)
        if callable(set_epoch):
            set_epoch(self.position.epoch)
        loader = DataLoader(
            self.dataset,
            batch_size=self.batch_size,
            sampler=self._epoch_indices(self.position.epoch),
            num_workers=self.workers,
            drop_last=True,
            persistent_workers=False,
            # Its own generator: opening an epoch must not draw from the global stream, or a
            # resumed run (which opens one mid-epoch) would see different noise.
            generator=torch.Generator().manual_seed(self.seed + self.position.epoch),
        )
        return iter(loader)

    def __next__(self) -> Any:
        if self.position.batch >= self.batches_per_epoch:
            self.position = Position(self.position.epoch + 1, 0)
            self._batches = None
        if self._batches is None:
            self._batches = self._open_epoch()
        batch = next(self._batches)
        self.position.batch += 1
        return batch

    def __iter__(self) -> BatchStream:
        return self


def to_device(batch: dict[str, Any], device: torch.device) -> dict[str, Any]:
    return {
        key: value.to(device, non_blocking=True) if isinstance(value, torch.Tensor) else value
        for key, value in batch.items()
    }


def fingerprint(
    dataset: Dataset[Any], name: str | None = None, options: DataOptions | None = None
) -> str:
    """A short hash of what a run trains on, for its manifest: the dataset's name (its class
    name when `name` is None), the options, its size and its first, middle and last items.

    The root's path is left out: the fingerprint identifies the data, not where it lies, so a
    copy of a folder on another machine matches. Items are read as the dataset stands, so take
    it before a BatchStream opens an epoch (which calls `set_epoch`).
    """
    length = len(dataset)  # type: ignore[arg-type]
    described = {"dataset": name or type(dataset).__name__, "length": length}
    if options is not None:
        described |= _described(options)
    digest = hashlib.sha256(json.dumps(described, sort_keys=True).encode())
    for index in sorted({0, length // 2, length - 1} - {-1}):
        _digest_item(digest, dataset[index])
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def _described(options: DataOptions) -> dict[str, Any]:
    return {
        "image_size": options.image_size,
        "channels": options.channels,
        "value_range": [float(v) for v in options.value_range],
        "flip": options.flip,
        "split": options.split,
        "seed": options.seed,
        "extra": {str(k): repr(v) for k, v in sorted(options.extra.items())},
    }


def _digest_item(digest: Any, item: Mapping[str, Any]) -> None:
    for key in sorted(item):
        digest.update(key.encode())
        value = item[key]
        if isinstance(value, torch.Tensor):
            array = value.detach().cpu().contiguous().numpy()
            # dtype and shape too: the same bytes read as another shape are other data.
            digest.update(f"{array.dtype}{array.shape}".encode())
            digest.update(array.tobytes())
        else:
            digest.update(repr(value).encode())
