"""Hand-written PyTorch twins of graphs, for exactness tests and benchmarks.

Each twin uses the same layer names as its graph's node ids, so one state dict loads into
both and any difference in output is a difference in computation.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from torch import nn


class CganGenerator(nn.Module):
    """The conditional GAN paper's MNIST generator, as `templates/graphs/cgan.json` draws it."""

    def __init__(self, latent_dim: int = 100, n_classes: int = 10, image_size: int = 28) -> None:
        super().__init__()
        self.n_classes = n_classes
        self.image_size = image_size
        self.g_fc_z = nn.Linear(latent_dim, 200)
        self.g_fc_y = nn.Linear(n_classes, 1000)
        self.g_drop_join = nn.Dropout(0.5)
        self.g_fc_joint = nn.Linear(1200, 1200)
        self.g_drop_joint = nn.Dropout(0.5)
        self.g_fc_out = nn.Linear(1200, image_size * image_size)

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        h_z = F.relu(self.g_fc_z(z))
        h_y = F.relu(self.g_fc_y(F.one_hot(y, self.n_classes).float()))
        h = torch.cat([h_z, h_y], dim=1)  # (N, 200) + (N, 1000) -> (N, 1200)
        h = self.g_drop_joint(F.relu(self.g_fc_joint(self.g_drop_join(h))))
        x = torch.sigmoid(self.g_fc_out(h))
        return x.reshape(-1, 1, self.image_size, self.image_size)  # (N, 784) -> (N, 1, 28, 28)


CONV_GRAPH: dict[str, Any] = {
    "format_version": 1,
    "name": "conv discriminator",
    "variables": {"width": {"value": 32}, "size": {"value": 32}},
    "networks": {
        "discriminator": {
            "role": "discriminator",
            "nodes": [
                {
                    "id": "x",
                    "kind": "io.Image",
                    "params": {"channels": 3, "height": "=size", "width": "=size"},
                },
                {
                    "id": "conv1",
                    "kind": "nn.Conv2d",
                    "params": {
                        "out_channels": "=width",
                        "kernel_size": 4,
                        "stride": 2,
                        "padding": 1,
                    },
                },
                {"id": "act1", "kind": "nn.LeakyReLU", "params": {"negative_slope": 0.2}},
                {
                    "id": "conv2",
                    "kind": "nn.Conv2d",
                    "params": {
                        "out_channels": "=2 * width",
                        "kernel_size": 4,
                        "stride": 2,
                        "padding": 1,
                        "bias": False,
                    },
                },
                {"id": "bn2", "kind": "nn.BatchNorm2d"},
                {"id": "act2", "kind": "nn.LeakyReLU", "params": {"negative_slope": 0.2}},
                {"id": "flat", "kind": "nn.Flatten"},
                {"id": "fc", "kind": "nn.Linear", "params": {"out_features": 1}},
                {"id": "logit", "kind": "io.Output"},
            ],
            "edges": [
                {"from": "x.x", "to": "conv1.x"},
                {"from": "conv1.y", "to": "act1.x"},
                {"from": "act1.y", "to": "conv2.x"},
                {"from": "conv2.y", "to": "bn2.x"},
                {"from": "bn2.y", "to": "act2.x"},
                {"from": "act2.y", "to": "flat.x"},
                {"from": "flat.y", "to": "fc.x"},
                {"from": "fc.y", "to": "logit.x"},
            ],
        }
    },
}


class ConvDiscriminator(nn.Module):
    """The twin of CONV_GRAPH's discriminator."""

    def __init__(self, width: int = 32, size: int = 32) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 4, stride=2, padding=1)
        self.conv2 = nn.Conv2d(width, 2 * width, 4, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(2 * width)
        self.fc = nn.Linear(2 * width * (size // 4) ** 2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.leaky_relu(self.conv1(x), 0.2)
        h = F.leaky_relu(self.bn2(self.conv2(h)), 0.2)
        return self.fc(torch.flatten(h, 1))  # (N, C, H, W) -> (N, C*H*W) -> (N, 1)


class _Maxout(nn.Module):
    def __init__(self, in_features: int, out_features: int, pieces: int) -> None:
        super().__init__()
        self.out_features, self.pieces = out_features, pieces
        self.linear = nn.Linear(in_features, out_features * pieces)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # (N, out * pieces) -> (N, out, pieces) -> (N, out)
        return self.linear(x).unflatten(1, (self.out_features, self.pieces)).amax(dim=2)


class CganDiscriminator(nn.Module):
    """The conditional GAN paper's maxout discriminator, as `cgan.json` draws it."""

    def __init__(self, n_classes: int = 10, image_size: int = 28) -> None:
        super().__init__()
        self.n_classes = n_classes
        self.d_maxout_x = _Maxout(image_size * image_size, 240, 5)
        self.d_drop_x = nn.Dropout(0.5)
        self.d_maxout_y = _Maxout(n_classes, 50, 5)
        self.d_drop_y = nn.Dropout(0.5)
        self.d_maxout_joint = _Maxout(290, 240, 4)
        self.d_drop_joint = nn.Dropout(0.5)
        self.d_fc_out = nn.Linear(240, 1)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        h_x = self.d_drop_x(self.d_maxout_x(torch.flatten(x, 1)))
        h_y = self.d_drop_y(self.d_maxout_y(F.one_hot(y, self.n_classes).float()))
        h = torch.cat([h_x, h_y], dim=1)  # (N, 240) + (N, 50) -> (N, 290)
        return self.d_fc_out(self.d_drop_joint(self.d_maxout_joint(h)))
