"""A fixed-vocabulary tokenizer: a caption to a fixed-length row of word ids, and back.

Id 0 pads; words take ids 1.. in vocabulary order. A word outside the vocabulary is
refused rather than mapped to an "unknown" id, so a caption can never silently lose
its meaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import torch

from graphgan_data.errors import VocabularyError

PAD = 0
_LISTED = 40  # words named in an unknown-word message before it says "..."


class Tokenizer:
    """Lower-cases a caption, splits it on white space and looks each word up."""

    def __init__(self, vocabulary: Iterable[str], length: int, name: str = "tokenizer") -> None:
        self.words = tuple(dict.fromkeys(vocabulary))  # unique, first occurrence kept
        self.length = length
        self.name = name
        self.ids = {word: i for i, word in enumerate(self.words, start=PAD + 1)}

    def __len__(self) -> int:
        """Number of ids, padding included: the size an embedding table needs."""
        return len(self.words) + 1

    def split(self, caption: str) -> list[str]:
        return caption.lower().split()

    def encode(self, caption: str) -> torch.Tensor:
        """int64 (length,) ids, padded with 0 after the caption's words."""
        words = self.split(caption)
        unknown = [w for w in words if w not in self.ids]
        if unknown:
            known = ", ".join(self.words[:_LISTED]) + (" ..." if len(self) > _LISTED else "")
            raise VocabularyError(
                f"caption {caption!r}: {', '.join(repr(w) for w in unknown)} not in the "
                f"{self.name} vocabulary; use its words ({known})"
            )
        if len(words) > self.length:
            raise VocabularyError(
                f"caption {caption!r} has {len(words)} words, more than the {self.name} "
                f"token length {self.length}; shorten the caption"
            )
        ids = [self.ids[w] for w in words] + [PAD] * (self.length - len(words))
        return torch.tensor(ids, dtype=torch.int64)

    def decode(self, ids: torch.Tensor | Sequence[int]) -> str:
        """The caption a row of ids stands for, padding dropped, words space-joined."""
        values = ids.tolist() if isinstance(ids, torch.Tensor) else list(ids)
        return " ".join(self.words[i - 1] for i in values if i != PAD)
