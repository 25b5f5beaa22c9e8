"""Device-dependent speed settings of a run: bf16 autocast, `torch.compile`, channels-last.

`auto` turns each on where it was measured to help (CUDA) and leaves the CPU in plain fp32:
there `torch.compile` costs 20 to 50 s a model for no speed-up, and bf16 is slower.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import torch
from torch import nn

from graphgan.errors import GraphganError

log = logging.getLogger(__name__)

Switch = Literal["auto", "on", "off"]
Precision = Literal["auto", "fp32", "bf16"]


@dataclass(frozen=True)
class Acceleration:
    """What a run switches on for its device, resolved from the user's choices."""

    autocast: str | None  # the device type autocast runs on in bf16, or None for fp32
    torch_compile: bool
    channels_last: bool

    def describe(self) -> str:
        parts = [
            "bf16 autocast" if self.autocast else "fp32",
            "torch.compile" if self.torch_compile else "eager",
        ]
        if self.channels_last:
            parts.append("channels-last")
        return ", ".join(parts)


def resolve(device: torch.device, precision: Precision, torch_compile: Switch) -> Acceleration:
    """The settings for `device`, refusing bf16 where the device cannot run it."""
    on_cuda = device.type == "cuda"
    bf16 = precision == "bf16" or (precision == "auto" and on_cuda and _cuda_bf16())
    if bf16 and device.type not in ("cuda", "cpu"):
        raise GraphganError(
            f"--precision bf16 is not supported on {device.type}; use --precision fp32"
        )
    if bf16 and on_cuda and not _cuda_bf16():
        raise GraphganError(
            "--precision bf16: this CUDA device has no bf16 support; use --precision fp32"
        )
    compiled = torch_compile == "on" or (torch_compile == "auto" and on_cuda)
    return Acceleration(device.type if bf16 else None, compiled, channels_last=on_cuda)


def _cuda_bf16() -> bool:
    return torch.cuda.is_available() and torch.cuda.is_bf16_supported()


def prepare(module: nn.Module, name: str, settings: Acceleration) -> nn.Module:
    """Lay out a network's weights for the device; its `torch.compile`d runner if asked."""
    if settings.channels_last and _has_convolutions(module):
        module.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    if not settings.torch_compile:
        return module
    log.debug("network '%s' runs through torch.compile", name)
    return torch.compile(module)  # type: ignore[return-value]


def _has_convolutions(module: nn.Module) -> bool:
    return any(isinstance(layer, nn.modules.conv._ConvNd) for layer in module.modules())
