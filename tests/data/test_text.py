"""The fixed-vocabulary tokenizer."""

from __future__ import annotations

import pytest
import torch

from graphgan_data.errors import VocabularyError
from graphgan_data.text import PAD, Tokenizer

TOKENIZER = Tokenizer(["a", "red", "circle", "red"], length=5, name="toy")


def test_words_get_ids_from_one_and_padding_is_zero() -> None:
    ids = TOKENIZER.encode("A red  circle")

    assert ids.dtype == torch.int64
    assert ids.tolist() == [1, 2, 3, PAD, PAD]
    assert len(TOKENIZER) == 4  # three words and the padding id


def test_decode_inverts_encode() -> None:
    assert TOKENIZER.decode(TOKENIZER.encode("a red circle")) == "a red circle"
    assert TOKENIZER.decode([3, 0, 0]) == "circle"


def test_unknown_words_are_refused_by_name() -> None:
    with pytest.raises(
        VocabularyError, match=r"'pink' not in the toy vocabulary; use its words \(a, red, circle\)"
    ):
        TOKENIZER.encode("a pink circle")


def test_captions_longer_than_the_token_length_are_refused() -> None:
    with pytest.raises(VocabularyError, match="has 6 words, more than the toy token length 5"):
        TOKENIZER.encode("a red circle a red circle")
