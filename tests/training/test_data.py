"""The batch stream: fresh augmentations each epoch, and a resumed stream that repeats the
uninterrupted one batch for batch."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import torch
from torch.utils.data import Dataset

from graphgan.training.data import BatchStream

ITEMS, BATCH = 8, 2  # 4 batches an epoch


class Flipping(Dataset[dict[str, Any]]):
    """Item i is an ascending row mirrored or not by a draw seeded by (epoch, i), as a
    dataset with a random horizontal flip would be."""

    def __init__(self) -> None:
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return ITEMS

    def __getitem__(self, index: int) -> dict[str, Any]:
        generator = torch.Generator().manual_seed(1_000 * self.epoch + index)
        row = torch.arange(4.0) + 10 * index
        mirrored = bool(torch.rand(1, generator=generator) < 0.5)
        return {"index": index, "image": row.flip(0) if mirrored else row}


def epoch_images(stream: BatchStream) -> dict[int, torch.Tensor]:
    """Each item's image as the next epoch of `stream` serves it."""
    images = {}
    for _ in range(stream.batches_per_epoch):
        batch = next(stream)
        images |= dict(zip(batch["index"].tolist(), batch["image"], strict=True))
    return images


def test_each_epoch_draws_its_own_augmentations() -> None:
    stream = BatchStream(Flipping(), BATCH, seed=3)
    first, second = epoch_images(stream), epoch_images(stream)

    assert first.keys() == second.keys() == set(range(ITEMS))
    assert any(not torch.equal(first[i], second[i]) for i in first)
    assert stream.dataset.epoch == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("workers", [0, 2])
def test_a_stream_recreated_at_its_position_serves_the_same_next_batch(workers: int) -> None:
    original = BatchStream(Flipping(), BATCH, seed=3, workers=workers)
    for _ in range(6):  # into the second epoch, mid-way
        next(original)
    position = replace(original.position)  # the stream moves its own Position on
    resumed = BatchStream(Flipping(), BATCH, seed=3, workers=workers, position=position)

    assert (position.epoch, position.batch) == (1, 2)
    for _ in range(3):  # to the end of that epoch and into the next
        expected, served = next(original), next(resumed)
        assert torch.equal(expected["index"], served["index"])
        assert torch.equal(expected["image"], served["image"])
