"""The perceptual loss: VGG features from a weight file the user provides, never downloaded."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from graphgan.errors import GraphganError
from graphgan.training import losses
from graphgan.training.perceptual import WeightsMissingError, layer_index, vgg_features
from tests.conftest import StepTensors

RELU2_2 = layer_index("relu2_2")  # the first 4 convolutions: small enough to make in a test


def make_weights(path: Path) -> Path:
    """VGG19's first layers in torchvision's layout (`features.N.weight`), random values."""
    torch.manual_seed(0)
    trunk = vgg_features()[:RELU2_2]
    state = {f"features.{k}": v.contiguous() for k, v in trunk.state_dict().items()}
    if path.suffix == ".safetensors":
        save_file(state, str(path))
    else:
        torch.save(state, path)
    return path


@pytest.mark.parametrize("suffix", [".safetensors", ".pth"])
def test_feature_distance_from_a_users_weight_file(tmp_path: Path, suffix: str) -> None:
    weights = make_weights(tmp_path / f"vgg{suffix}")
    args = {"output": "fake", "target": "real", "layer": "relu2_2", "weights": str(weights)}
    real = torch.rand(2, 3, 16, 16) * 2 - 1
    fake = real.clone().requires_grad_(True)

    same = losses.perceptual(StepTensors(fake=fake, real=real), args)  # type: ignore[arg-type]
    assert float(same.detach()) == 0.0

    moved = (fake + 0.3 * torch.randn_like(fake)).detach().requires_grad_(True)
    apart = losses.perceptual(StepTensors(fake=moved, real=real), args)  # type: ignore[arg-type]
    apart.backward()
    assert float(apart.detach()) > 0
    assert moved.grad is not None and float(moved.grad.abs().sum()) > 0


def test_missing_weights_say_where_to_put_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GRAPHGAN_VGG_WEIGHTS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    args = {"output": "fake", "target": "real", "weights": str(tmp_path / "absent.pth")}
    with pytest.raises(WeightsMissingError, match="nothing is downloaded; put them at"):
        losses.perceptual(StepTensors(), args)  # type: ignore[arg-type]


def test_a_file_without_the_layers_asked_for_is_named(tmp_path: Path) -> None:
    weights = make_weights(tmp_path / "small.safetensors")
    args = {"output": "fake", "target": "real", "layer": "relu3_1", "weights": str(weights)}
    images = torch.rand(1, 3, 16, 16)
    with pytest.raises(GraphganError, match="lacks VGG19 weights"):
        losses.perceptual(StepTensors(fake=images, real=images), args)  # type: ignore[arg-type]
