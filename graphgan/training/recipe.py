"""The adversarial recipe: one training step, read top to bottom.

First the discriminator paragraph (real, fake and mismatched passes, then its update), then
the generator paragraph (its adversarial term and every declared loss term, then its
update). Frozen networks run in evaluation mode without gradients.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from graphgan.errors import GraphganError
from graphgan.graph.training import AdversarialSpec, LossSpec, PhaseSpec
from graphgan.registry import Registry, default_registry
from graphgan.training import losses
from graphgan.training.context import Networks, SourceError, StepContext


@dataclass
class Optimisation:
    """The optimisers of a run by name, with the networks each covers.

    `average` is called on the gradients before each step (across processes under torchrun).
    """

    optimizers: dict[str, torch.optim.Optimizer]
    networks: dict[str, list[str]]
    average: Callable[[list[nn.Parameter]], None] | None = None

    def step(self, names: list[str], loss: Tensor) -> None:
        for name in names:
            self.optimizers[name].zero_grad(set_to_none=True)
        loss.backward()
        if self.average is not None:
            params = [
                p for n in names for g in self.optimizers[n].param_groups for p in g["params"]
            ]
            self.average(params)
        for name in names:
            self.optimizers[name].step()


def split_optimizers(phase: PhaseSpec, optimisation: Optimisation) -> tuple[list[str], list[str]]:
    """The phase's active optimisers: those over the discriminator, and the rest."""
    game = phase.adversarial
    d_side = [
        name
        for name in phase.optimizers
        if game is not None and game.discriminator in optimisation.networks[name]
    ]
    return d_side, [name for name in phase.optimizers if name not in d_side]


def trained_networks(names: list[str], optimisation: Optimisation) -> set[str]:
    return {network for name in names for network in optimisation.networks[name]}


def train_step(
    phase: PhaseSpec,
    networks: Networks,
    optimisation: Optimisation,
    batch: Mapping[str, object],
    device: torch.device,
    step: int = 0,
) -> dict[str, float]:
    """One step of `phase`: the discriminator's updates, then the generator's.

    `step` (the run's step index, from 0) is part of every recipe's signature; this one needs
    no schedule of its own, so it reads none.
    """
    d_side, g_side = split_optimizers(phase, optimisation)
    trained = trained_networks(phase.optimizers, optimisation)
    frozen = set(networks.modules) - trained
    for name, module in networks.modules.items():
        module.train(name not in frozen)
    ctx = StepContext(networks, batch, device, frozen)
    metrics: dict[str, float] = {}

    # The discriminator paragraph.
    game = phase.adversarial
    if game is not None and d_side:
        for _ in range(game.d_steps - 1):
            # Earlier critic updates see fresh noise; the last shares the generator's pass.
            fresh = StepContext(networks, batch, device, frozen | trained)
            optimisation.step(d_side, discriminator_loss(fresh, game, phase.d_losses, {}))
        loss_d = discriminator_loss(ctx, game, phase.d_losses, metrics)
        optimisation.step(d_side, loss_d)
        metrics["d_loss"] = float(loss_d.detach())

    # The generator paragraph.
    if g_side:
        discriminator = networks.modules[game.discriminator] if game else None
        with _frozen_parameters(discriminator):
            loss_g = generator_loss(ctx, phase, metrics)
        optimisation.step(g_side, loss_g)
        metrics["g_loss"] = float(loss_g.detach())
    return metrics


def recipe_step(name: str, registry: Registry | None = None) -> Callable[..., Mapping[str, float]]:
    """The step function a phase's `recipe` names: the built-in one or a plugin pack's."""
    if name == "adversarial":
        return train_step
    recipe = (registry or default_registry()).recipes.get(name)
    if recipe is None:
        raise GraphganError(
            f"unknown recipe '{name}'; is the plugin pack that provides it installed?"
        )
    return recipe.step


def discriminator_loss(
    ctx: StepContext,
    game: AdversarialSpec,
    terms: list[LossSpec],
    metrics: dict[str, float],
) -> Tensor:
    passes = [game.real, game.fake, *([game.wrong] if game.wrong is not None else [])]
    scored = discriminate_passes(ctx, game, passes, [True] * len(passes))
    real, fake_outputs = scored[0][game.output], scored[1]
    fake = fake_outputs[game.output]
    loss = losses.d_loss(game.loss, real, fake)
    if game.fake_weight != 1:  # d_loss weighs the generated pass 1: rescale that share alone
        loss = loss + (game.fake_weight - 1) * losses.d_fake_loss(game.loss, fake)
    if game.wrong is not None:
        wrong = scored[2][game.output]
        loss = loss + game.wrong_weight * losses.d_fake_loss(game.loss, wrong)
    if game.loss == "wgan-gp" and game.gp_weight > 0:
        penalty = losses.gradient_penalty(_critic(ctx, game), *_real_and_fake(ctx, game))
        metrics["d_gradient_penalty"] = float(penalty.detach())
        loss = loss + game.gp_weight * penalty
    metrics["d_real_score"] = float(real.detach().mean())
    metrics["d_fake_score"] = float(fake.detach().mean())

    ctx.passes = fake_outputs  # terms such as InfoGAN's read the fake pass's other heads
    loss = game.d_weight * loss + _weighted_terms(ctx, terms, "d_", metrics)
    ctx.passes = {}
    return loss


def generator_loss(ctx: StepContext, phase: PhaseSpec, metrics: dict[str, float]) -> Tensor:
    loss = torch.zeros((), device=ctx.device)
    game = phase.adversarial
    if game is not None and game.weight > 0:
        # With a joint batch the generated samples are scored beside the real ones, as the
        # discriminator was trained to score them.
        passes = [game.real, game.fake] if game.joint_batch else [game.fake]
        outputs = discriminate_passes(ctx, game, passes, [True] * (len(passes) - 1) + [False])[-1]
        adversarial = losses.g_loss(game.loss, outputs[game.output])
        metrics["g_adversarial"] = float(adversarial.detach())
        loss = loss + game.weight * adversarial
        ctx.passes = outputs
    loss = loss + _weighted_terms(ctx, phase.losses, "g_", metrics)
    ctx.passes = {}
    return loss


def discriminate_passes(
    ctx: StepContext, game: AdversarialSpec, passes: list[dict[str, str]], detach: list[bool]
) -> list[dict[str, Tensor]]:
    """The discriminator's outputs for each pass: one call each, or with `game.joint_batch`
    one call over all of them joined along the batch dimension, split back afterwards."""
    if not game.joint_batch:
        return [
            ctx.discriminate(game.discriminator, sources, cut)
            for sources, cut in zip(passes, detach, strict=True)
        ]
    inputs = []
    for sources, cut in zip(passes, detach, strict=True):
        tensors = {node: ctx.resolve(node, source) for node, source in sources.items()}
        inputs.append({n: t.detach() if cut else t for n, t in tensors.items()})
    sizes = [len(next(iter(tensors.values()))) for tensors in inputs]
    # P passes of (N_i, ...) per input node -> (sum N_i, ...)
    joined = {node: torch.cat([tensors[node] for tensors in inputs]) for node in inputs[0]}
    outputs = ctx.networks.call(game.discriminator, joined)
    parts = {name: value.split(sizes) for name, value in outputs.items()}
    return [{name: split[i] for name, split in parts.items()} for i in range(len(passes))]


def _weighted_terms(
    ctx: StepContext, terms: list[LossSpec], prefix: str, metrics: dict[str, float]
) -> Tensor:
    total = torch.zeros((), device=ctx.device)
    for spec in terms:
        value = losses.term(spec.term)(ctx, spec.args)
        metrics[f"{prefix}{spec.term}"] = float(value.detach())
        total = total + spec.weight * value
    return total


def _varying_input(game: AdversarialSpec) -> str:
    varying = [node for node, source in game.real.items() if game.fake.get(node) != source]
    if len(varying) != 1:
        raise SourceError(
            "wgan-gp interpolates the one discriminator input whose source differs between "
            f"the real and fake passes; found {varying or 'none'}"
        )
    return varying[0]


def _real_and_fake(ctx: StepContext, game: AdversarialSpec) -> tuple[Tensor, Tensor]:
    node = _varying_input(game)
    real = ctx.resolve(node, game.real[node]).detach()
    fake = ctx.resolve(node, game.fake[node]).detach()
    return real, fake


def _critic(ctx: StepContext, game: AdversarialSpec) -> Callable[[Tensor], Tensor]:
    node = _varying_input(game)
    others = {k: ctx.resolve(k, s).detach() for k, s in game.real.items() if k != node}

    def critic(images: Tensor) -> Tensor:
        return ctx.networks.call(game.discriminator, {**others, node: images})[game.output]

    return critic


class _frozen_parameters:  # noqa: N801 - used as a context manager, read like a function
    """Stop gradients into a network's weights while its output still carries them."""

    def __init__(self, module: nn.Module | None) -> None:
        self.params = [p for p in module.parameters() if p.requires_grad] if module else []

    def __enter__(self) -> None:
        for param in self.params:
            param.requires_grad_(False)

    def __exit__(self, *exc: object) -> None:
        for param in self.params:
            param.requires_grad_(True)
