"""VGG feature extractor for perceptual (content) losses, from a weight file the user provides.

Nothing is downloaded: the weights come from `args.weights`, the GRAPHGAN_VGG_WEIGHTS
environment variable, or ~/.cache/graphgan/vgg19.safetensors (or .pth), in torchvision's
published layout (`features.0.weight`, ...). Read without pickle.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from graphgan.errors import GraphganError

# VGG19's convolution widths; "M" is a 2x2 max pool.
VGG19: list[int | str] = [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M",
         512, 512, 512, 512, "M", 512, 512, 512, 512, "M"]  # fmt: skip
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
DEFAULT_PLACES = (
    Path.home() / ".cache" / "graphgan" / "vgg19.safetensors",
    Path.home() / ".cache" / "graphgan" / "vgg19.pth",
)


class WeightsMissingError(GraphganError, FileNotFoundError):
    code = "weights-missing"


def vgg_features(layout: list[int | str] = VGG19) -> nn.Sequential:
    """VGG's convolutional trunk with torchvision's module indices, so its weights load."""
    layers: list[nn.Module] = []
    channels = 3
    for item in layout:
        if item == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(channels, int(item), 3, padding=1), nn.ReLU()]
            channels = int(item)
    return nn.Sequential(*layers)


def layer_index(name: str, layout: list[int | str] = VGG19) -> int:
    """Index just past `reluI_J`: the J-th convolution's activation before the I-th pool."""
    try:
        block, conv = (int(part) for part in name.removeprefix("relu").split("_"))
    except ValueError:
        raise GraphganError(f"layer {name!r} must be written like 'relu5_4' or 'relu2_2'") from None
    index, seen_block, seen_conv = 0, 1, 0
    for item in layout:
        if item == "M":
            seen_block, seen_conv = seen_block + 1, 0
            index += 1
            continue
        seen_conv += 1
        index += 2
        if (seen_block, seen_conv) == (block, conv):
            return index
    raise GraphganError(f"VGG19 has no layer {name!r}")


def weights_path(args: Mapping[str, Any]) -> Path:
    given = args.get("weights") or os.environ.get("GRAPHGAN_VGG_WEIGHTS")
    candidates = [Path(str(given)).expanduser()] if given else list(DEFAULT_PLACES)
    for path in candidates:
        if path.is_file():
            return path
    raise WeightsMissingError(
        "the perceptual loss needs VGG19 weights in torchvision's layout and nothing is "
        f"downloaded; put them at {DEFAULT_PLACES[0]} (or .pth), set GRAPHGAN_VGG_WEIGHTS, or "
        "give args.weights in the loss term; or use the pixel loss term 'l2' instead"
    )


def load_state(path: Path) -> dict[str, Tensor]:
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        return load_file(str(path))
    state = torch.load(path, map_location="cpu", weights_only=True)
    return dict(state)


class FeatureExtractor(nn.Module):
    """Frozen VGG trunk up to one layer, normalising images from their value range first."""

    def __init__(self, trunk: nn.Sequential, value_range: tuple[float, float]) -> None:
        super().__init__()
        self.trunk = trunk.eval().requires_grad_(False)
        low, high = value_range
        self.low, self.span = low, high - low
        self.mean: Tensor
        self.std: Tensor
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))

    def forward(self, images: Tensor) -> Tensor:
        unit = (images - self.low) / self.span
        result: Tensor = self.trunk((unit - self.mean) / self.std)
        return result


@cache
def _extractor(path: Path, layer: str, low: float, high: float, device: str) -> FeatureExtractor:
    end = layer_index(layer)
    trunk = vgg_features()
    state = {
        k.removeprefix("features."): v
        for k, v in load_state(path).items()
        if k.startswith("features.")
    }
    kept = {k: v for k, v in state.items() if int(k.split(".")[0]) < end}
    trunk = nn.Sequential(*list(trunk.children())[:end])
    missing = trunk.load_state_dict(kept, strict=False).missing_keys
    if missing:
        raise GraphganError(f"{path} lacks VGG19 weights {missing[:4]}; is it a VGG19 file?")
    return FeatureExtractor(trunk, (low, high)).to(device)


def feature_extractor(args: Mapping[str, Any], device: torch.device) -> FeatureExtractor:
    low, high = args.get("value_range", (-1.0, 1.0))
    layer = str(args.get("layer", "relu5_4"))
    return _extractor(weights_path(args), layer, float(low), float(high), str(device))
