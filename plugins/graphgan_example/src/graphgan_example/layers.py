"""The torch code the example node kinds run; it imports only torch.

Compiled networks and exported source both construct these classes by import path, so a user
can run an exported network with this package installed and graphgan absent.
"""

from __future__ import annotations

import torch
from torch import nn


class MinibatchStdDev(nn.Module):
    """Append the minibatch standard deviation as one extra channel (Karras et al. 2018).

    A discriminator that sees how varied a batch is can tell a collapsed generator from a
    healthy one, which pushes the generator towards diverse samples.
    """

    def __init__(self, group_size: int = 4, eps: float = 1e-8) -> None:
        super().__init__()
        self.group_size = group_size
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        group = min(self.group_size, n) if self.group_size > 0 else n
        if n % group:
            raise ValueError(
                f"MinibatchStdDev: batch size {n} is not a multiple of group_size {group}; "
                "use a batch size that is, or set group_size=0 to use the whole batch"
            )

        # (N, C, H, W) -> (G, N/G, C, H, W): sample i joins group i % (N/G), as in the paper.
        grouped = x.reshape(group, n // group, c, h, w)
        std = torch.sqrt(grouped.var(dim=0, unbiased=False) + self.eps)  # (N/G, C, H, W)
        per_group = std.mean(dim=(1, 2, 3))  # (N/G,)

        # (N/G,) -> (N, 1, H, W): every sample gets its group's figure as a constant map.
        feature = per_group.repeat(group).reshape(n, 1, 1, 1).expand(n, 1, h, w)
        return torch.cat([x, feature], dim=1)  # (N, C + 1, H, W)

    def extra_repr(self) -> str:
        return f"group_size={self.group_size}"


def swish(x: torch.Tensor, beta: float = 1.0) -> torch.Tensor:
    """x * sigmoid(beta * x) (Ramachandran et al. 2017); beta = 1 is SiLU."""
    if beta == 1.0:
        return torch.nn.functional.silu(x)  # one fused kernel instead of three
    return x * torch.sigmoid(beta * x)


class Swish(nn.Module):
    """Swish with a learnable beta, one per layer, starting from `beta`."""

    def __init__(self, beta: float = 1.0) -> None:
        super().__init__()
        self.beta = nn.Parameter(torch.tensor(float(beta)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(self.beta * x)
