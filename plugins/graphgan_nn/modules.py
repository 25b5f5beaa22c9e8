"""Small layers that torch lacks, used by the `nn` pack's node kinds.

Each class imports only torch, so code export can copy this file verbatim into a project.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: N812 - the name every torch reader expects
from torch import nn


class Maxout(nn.Module):
    """Maxout units (Goodfellow et al. 2013): each output is the max of `pieces` affine maps."""

    def __init__(self, in_features: int, out_features: int, pieces: int, bias: bool = True) -> None:
        super().__init__()
        self.out_features = out_features
        self.pieces = pieces
        self.linear = nn.Linear(in_features, out_features * pieces, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # (N, in) -> (N, out * pieces) -> (N, out, pieces): a unit's pieces are adjacent.
        pieces = self.linear(x).unflatten(1, (self.out_features, self.pieces))
        return pieces.amax(dim=2)  # (N, out, pieces) -> (N, out)


class AlwaysOnDropout(nn.Module):
    """Dropout that stays active in eval mode too.

    Pix2Pix's generator has no noise input: dropout at test time is its source of variety.
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(x, self.p, training=True)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Reshape(nn.Module):
    """Reshape every sample to `shape`, keeping the batch dimension."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # (N, ...) -> (N, *shape); the batch size is read, not -1, so an empty batch works.
        return x.reshape(x.shape[0], *self.shape)

    def extra_repr(self) -> str:
        return f"shape={self.shape}"


class Sum(nn.Module):
    """Elementwise sum of same-shaped tensors: the join of a residual skip."""

    def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
        total = tensors[0]
        for tensor in tensors[1:]:
            total = total + tensor
        return total
