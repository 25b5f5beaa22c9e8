"""Optimisers, learning-rate schedules and weight initialisation, built from the document."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import torch
from torch import nn
from torch.optim.lr_scheduler import LambdaLR

from graphgan.graph.training import OptimizerSpec, ScheduleSpec


def parameters_of(spec: OptimizerSpec, modules: Mapping[str, nn.Module]) -> list[nn.Parameter]:
    return [p for name in spec.networks for p in modules[name].parameters()]


def build_optimizer(spec: OptimizerSpec, params: Iterable[nn.Parameter]) -> torch.optim.Optimizer:
    if spec.algorithm in ("adam", "adamw"):
        kind = torch.optim.Adam if spec.algorithm == "adam" else torch.optim.AdamW
        return kind(params, lr=spec.lr, betas=spec.betas, weight_decay=spec.weight_decay)
    if spec.algorithm == "sgd":
        return torch.optim.SGD(
            params, lr=spec.lr, momentum=spec.momentum, weight_decay=spec.weight_decay
        )
    return torch.optim.RMSprop(
        params, lr=spec.lr, momentum=spec.momentum, weight_decay=spec.weight_decay
    )


def lr_factor(schedule: ScheduleSpec, total_steps: int) -> Callable[[int], float]:
    """The factor on the base learning rate after `step` optimiser steps."""
    if schedule.kind == "step":
        return lambda step: schedule.gamma ** (step // schedule.every)
    if schedule.kind == "exponential":
        return lambda step: schedule.gamma**step
    if schedule.kind == "linear":
        span = max(1, total_steps - schedule.start)
        return lambda step: max(0.0, 1.0 - max(0, step - schedule.start) / span)
    return lambda step: 1.0


def build_scheduler(
    optimizer: torch.optim.Optimizer, schedule: ScheduleSpec, total_steps: int
) -> LambdaLR:
    return LambdaLR(optimizer, lr_factor(schedule, total_steps))


def initialise(module: nn.Module, scheme: str) -> None:
    """DCGAN's initialisation: N(0, 0.02) for weights, N(1, 0.02) for norm scales."""
    if scheme != "normal_0.02":
        return
    for layer in module.modules():
        if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear, nn.Embedding)):
            nn.init.normal_(layer.weight, 0.0, 0.02)
            bias = getattr(layer, "bias", None)
            if bias is not None:
                nn.init.zeros_(bias)
        elif isinstance(layer, nn.modules.batchnorm._NormBase) and layer.affine:
            nn.init.normal_(layer.weight, 1.0, 0.02)
            nn.init.zeros_(layer.bias)
