"""TensorSpec and TensorKind: what flows along an edge, with a symbolic batch dimension."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

BATCH = "N"

Dim = int | str


class TensorKind(str, Enum):
    """The kind of tensor a port carries. Kinds of one family can be wired together."""

    IMAGE = "image"
    FEATURE_MAP = "feature_map"
    VECTOR = "vector"
    TEXT_EMBEDDING = "text_embedding"
    CODE = "code"
    LABEL = "label"
    TOKENS = "tokens"
    ANY = "any"

    @property
    def family(self) -> str:
        return _FAMILY[self]

    @property
    def rank(self) -> int | None:
        """Dimensions including the batch; None when any rank is accepted."""
        return _RANK[_FAMILY[self]]

    def accepts(self, other: TensorKind) -> bool:
        """Whether an output of kind `other` may be wired into a port of this kind."""
        return TensorKind.ANY in (self, other) or self.family == other.family


_FAMILY = {
    TensorKind.IMAGE: "spatial",
    TensorKind.FEATURE_MAP: "spatial",
    TensorKind.VECTOR: "flat",
    TensorKind.TEXT_EMBEDDING: "flat",
    TensorKind.CODE: "flat",
    TensorKind.LABEL: "index",
    TensorKind.TOKENS: "sequence",
    TensorKind.ANY: "any",
}
_RANK: dict[str, int | None] = {"spatial": 4, "flat": 2, "index": 1, "sequence": 2, "any": None}


@dataclass(frozen=True)
class TensorSpec:
    """A tensor's kind, shape (the first dimension is the symbolic batch) and dtype."""

    kind: TensorKind
    shape: tuple[Dim, ...]
    dtype: str = "float32"

    def __str__(self) -> str:
        dims = ", ".join(str(d) for d in self.shape)
        return f"({dims},)" if len(self.shape) == 1 else f"({dims})"

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def sample_shape(self) -> tuple[int, ...]:
        """The shape of one sample: every dimension after the batch."""
        return tuple(int(d) for d in self.shape[1:])

    @property
    def sample_numel(self) -> int:
        return math.prod(self.sample_shape)

    @property
    def channels(self) -> int:
        """Channels of a feature map, features of a vector."""
        return int(self.shape[1])

    def with_kind(self, kind: TensorKind) -> TensorSpec:
        return TensorSpec(kind, self.shape, self.dtype)

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind.value, "shape": list(self.shape), "dtype": self.dtype}


def spatial(
    channels: int, height: int, width: int, kind: TensorKind = TensorKind.FEATURE_MAP
) -> TensorSpec:
    return TensorSpec(kind, (BATCH, channels, height, width))


def flat(features: int, kind: TensorKind = TensorKind.VECTOR) -> TensorSpec:
    return TensorSpec(kind, (BATCH, features))


def labels() -> TensorSpec:
    return TensorSpec(TensorKind.LABEL, (BATCH,), "int64")


def tokens(length: int) -> TensorSpec:
    """Token ids of captions, (N, length) int64, padded with 0 after the words."""
    return TensorSpec(TensorKind.TOKENS, (BATCH, length), "int64")
