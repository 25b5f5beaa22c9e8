"""shapes-captions: one shape per image, captions that state its five attributes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from graphgan.plugin import DataOptions
from graphgan_data.captions import (
    ATTRIBUTES,
    BACKGROUND,
    COLOURS,
    TOKENIZER,
    all_attributes,
    caption,
    load_shapes_captions,
    parse,
    render,
)
from graphgan_data.errors import DataOptionError, VocabularyError
from graphgan_data.seeds import generator
from tests.data.conftest import check_image, same_items

DATASET = load_shapes_captions(DataOptions(value_range=(0.0, 1.0), extra={"size": 60}))


def test_items_have_image_caption_tokens_and_attributes() -> None:
    item = load_shapes_captions(DataOptions())[0]

    assert set(item) == {"image", "caption", "tokens", "attributes"}
    check_image(item["image"], 3, 64)
    assert isinstance(item["caption"], str)
    assert item["tokens"].dtype == torch.int64 and item["tokens"].shape == (TOKENIZER.length,)
    assert item["attributes"].dtype == torch.int64 and item["attributes"].shape == (5,)


def test_every_caption_states_its_items_attributes() -> None:
    for index in range(len(DATASET)):
        item = DATASET[index]
        assert parse(item["caption"]) == tuple(item["attributes"].tolist())


def test_tokens_decode_back_to_the_caption() -> None:
    for index in range(len(DATASET)):
        item = DATASET[index]
        assert TOKENIZER.decode(item["tokens"]) == item["caption"]


def test_every_attribute_combination_in_every_wording_tokenizes() -> None:
    rng = generator(0, "wordings")
    for attributes in all_attributes():
        for _ in range(3):
            text = caption(attributes, rng)
            assert parse(TOKENIZER.decode(TOKENIZER.encode(text))) == attributes
    assert len(all_attributes()) == 3 * 6 * 2 * 3 * 3


def test_wording_varies_for_the_same_attributes() -> None:
    rng = generator(0, "variety")
    wordings = {caption((0, 4, 0, 1, 2), rng) for _ in range(40)}

    assert len(wordings) >= 10
    assert {parse(text) for text in wordings} == {(0, 4, 0, 1, 2)}


def test_the_plain_wording_parses() -> None:
    assert parse("a large red circle at the top left") == (0, 0, 1, 0, 0)


def test_image_shows_the_stated_colour_size_and_position() -> None:
    small_areas, large_areas = [], []
    for index in range(len(DATASET)):
        item = DATASET[index]
        image = item["image"].permute(1, 2, 0).numpy()  # (C, H, W) -> (H, W, C)
        _shape, colour, size, horizontal, vertical = item["attributes"].tolist()
        fill = np.array(COLOURS[ATTRIBUTES["colour"][colour]])
        inside = np.abs(image - fill).max(-1) < 0.02
        covered = np.abs(image - np.array(BACKGROUND)).max(-1) > 0.02

        ys, xs = np.nonzero(inside)
        assert int(xs.mean() * 3 // 64) == horizontal  # left, centre, right thirds
        assert int(ys.mean() * 3 // 64) == vertical
        (large_areas if size else small_areas).append(covered.sum())
    assert max(small_areas) < min(large_areas)


def test_same_seed_gives_identical_items_and_another_seed_others() -> None:
    first = load_shapes_captions(DataOptions(seed=1, extra={"jitter": 1.0}))
    second = load_shapes_captions(DataOptions(seed=1, extra={"jitter": 1.0}))
    other = load_shapes_captions(DataOptions(seed=2, extra={"jitter": 1.0}))

    assert all(same_items(first[i], second[i]) for i in range(10))
    assert not all(same_items(first[i], other[i]) for i in range(10))


def test_unjittered_items_show_the_one_image_their_attributes_fix() -> None:
    for index in range(10):
        item = DATASET[index]
        attributes = tuple(item["attributes"].tolist())
        drawn = render(attributes, 64, generator(index, "any"), jitter=0.0)
        assert np.array_equal(item["image"].numpy().transpose(1, 2, 0), drawn)


def test_jitter_gives_items_with_the_same_attributes_different_images() -> None:
    dataset = load_shapes_captions(DataOptions(extra={"size": 400, "jitter": 0.5}))
    seen: dict[tuple[int, ...], torch.Tensor] = {}
    for index in range(len(dataset)):
        item = dataset[index]
        key = tuple(item["attributes"].tolist())
        if key in seen:
            assert not torch.equal(seen[key], item["image"])
            return
        seen[key] = item["image"]
    pytest.fail("no two of 400 items share their attributes")


def test_parse_names_what_a_caption_leaves_out() -> None:
    with pytest.raises(VocabularyError, match="does not state size, vertical"):
        parse("a red circle at the left")


def test_flip_is_refused_because_it_would_contradict_captions() -> None:
    with pytest.raises(DataOptionError, match="flip would swap left and right"):
        load_shapes_captions(DataOptions(flip=True))
