"""The example pack's recipe: the built-in adversarial step plus a lazy R1 penalty.

R1 (Mescheder et al. 2018) penalises the discriminator's gradient on real images; StyleGAN2
applies it lazily, as its own discriminator update every few steps, scaled by that interval.
A phase opts in with `"recipe": "example.lazy_r1", "recipe_args": {"gamma": 10, "every": 16}`.

A recipe receives the trainer's own objects, so unlike the pack's node kinds it builds on
`graphgan.training`: the built-in step, and the step context that resolves the document's
input sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from graphgan.plugin import Recipe
from graphgan.training.context import StepContext
from graphgan.training.recipe import split_optimizers, train_step


def lazy_r1_step(
    phase: Any,
    networks: Any,
    optimisation: Any,
    batch: Mapping[str, Any],
    device: torch.device,
    step: int,
) -> dict[str, float]:
    game = phase.adversarial
    if game is None:
        raise ValueError("example.lazy_r1 needs a phase with an adversarial game")
    gamma = float(phase.recipe_args.get("gamma", 10.0))
    every = int(phase.recipe_args.get("every", 16))
    metrics = train_step(phase, networks, optimisation, batch, device)
    if (step + 1) % every:
        return metrics

    # The penalty paragraph: real inputs that carry gradients, then one critic update.
    d_side, _ = split_optimizers(phase, optimisation)
    ctx = StepContext(networks, batch, device, frozen=set())
    real = {node: ctx.resolve(node, source).detach() for node, source in game.real.items()}
    images = [t.requires_grad_(True) for t in real.values() if t.is_floating_point()]
    score = networks.call(game.discriminator, real)[game.output]
    grads = torch.autograd.grad(score.sum(), images, create_graph=True)
    penalty = sum(g.square().flatten(1).sum(1).mean() for g in grads)
    optimisation.step(d_side, 0.5 * gamma * every * penalty)
    metrics["d_r1"] = float(penalty.detach())
    return metrics


LAZY_R1 = Recipe(
    name="example.lazy_r1",
    description="The adversarial step with a lazy R1 gradient penalty on real images.",
    step=lazy_r1_step,
)
