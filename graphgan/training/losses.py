"""Loss terms: the adversarial variants and the weighted terms a document can add.

A term is a function of the step's tensors and its args; plugin packs register more as
`graphgan.plugin.LossTerm`s, named in their namespace. Every term returns a scalar tensor;
the recipe multiplies it by the declared weight.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from torch import Tensor

from graphgan.errors import GraphganError
from graphgan.graph.training import BUILT_IN_TERMS
from graphgan.registry import Registry, default_registry

if TYPE_CHECKING:
    from graphgan.training.context import StepContext


class LossError(GraphganError, ValueError):
    """A loss term that is unknown or misconfigured."""

    code = "loss-invalid"


# Adversarial variants: (discriminator loss on real and fake scores, generator loss on fake).


def d_loss(variant: str, real: Tensor, fake: Tensor) -> Tensor:
    """The discriminator's loss for scores of real and generated samples."""
    if variant == "bce":
        return F.binary_cross_entropy_with_logits(
            real, torch.ones_like(real)
        ) + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake))
    if variant == "lsgan":
        return 0.5 * ((real - 1).square().mean() + fake.square().mean())
    if variant == "hinge":
        return F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    if variant == "wgan-gp":
        return fake.mean() - real.mean()
    raise LossError(f"unknown adversarial loss '{variant}'; use bce, lsgan, hinge or wgan-gp")


def d_fake_loss(variant: str, fake: Tensor) -> Tensor:
    """The discriminator's loss for samples that count as fake only (mismatched pairs)."""
    if variant == "bce":
        return F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake))
    if variant == "lsgan":
        return 0.5 * fake.square().mean()
    if variant == "hinge":
        return F.relu(1 + fake).mean()
    return fake.mean()


def g_loss(variant: str, fake: Tensor) -> Tensor:
    """The generator's adversarial loss (non-saturating for bce)."""
    if variant == "bce":
        return F.binary_cross_entropy_with_logits(fake, torch.ones_like(fake))
    if variant == "lsgan":
        return 0.5 * (fake - 1).square().mean()
    return -fake.mean()


def gradient_penalty(critic: Callable[[Tensor], Tensor], real: Tensor, fake: Tensor) -> Tensor:
    """WGAN-GP: (||grad critic(x_hat)|| - 1)^2 on random interpolates of real and fake."""
    alpha = torch.rand(real.shape[0], *([1] * (real.dim() - 1)), device=real.device)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
    return (grad.flatten(1).norm(dim=1) - 1).square().mean()


# Weighted terms a document adds by name.

Term = Callable[["StepContext", Mapping[str, Any]], Tensor]


def _arg(args: Mapping[str, Any], name: str, term: str) -> str:
    if name not in args:
        raise LossError(f"loss term '{term}' needs args.{name}; add it in the training section")
    return str(args[name])


def l1(ctx: StepContext, args: Mapping[str, Any]) -> Tensor:
    """Mean absolute error between an output and a target (Pix2Pix's reconstruction)."""
    return F.l1_loss(ctx.value(_arg(args, "output", "l1")), ctx.value(_arg(args, "target", "l1")))


def l2(ctx: StepContext, args: Mapping[str, Any]) -> Tensor:
    """Mean squared error between an output and a target (SRResNet's pixel content loss)."""
    output, target = ctx.value(_arg(args, "output", "l2")), ctx.value(_arg(args, "target", "l2"))
    return F.mse_loss(output, target)


def kl(ctx: StepContext, args: Mapping[str, Any]) -> Tensor:
    """KL(N(mu, sigma^2) || N(0, I)), summed over dimensions, averaged over the batch."""
    mu = ctx.value(_arg(args, "mu", "kl"))
    logvar = ctx.value(_arg(args, "logvar", "kl"))
    return 0.5 * (mu.square() + logvar.exp() - 1 - logvar).sum(dim=1).mean()


def info_categorical(ctx: StepContext, args: Mapping[str, Any]) -> Tensor:
    """InfoGAN: cross-entropy of the Q head's logits against the one-hot code it should recover."""
    code = ctx.value(_arg(args, "code", "info_categorical"))
    logits = ctx.value(_arg(args, "estimate", "info_categorical"))
    return F.cross_entropy(logits, code.argmax(dim=1))


def info_continuous(ctx: StepContext, args: Mapping[str, Any]) -> Tensor:
    """InfoGAN: Gaussian log-likelihood with unit variance, i.e. half the squared error."""
    code = ctx.value(_arg(args, "code", "info_continuous"))
    estimate = ctx.value(_arg(args, "estimate", "info_continuous"))
    return 0.5 * (estimate - code).square().sum(dim=1).mean()


def perceptual(ctx: StepContext, args: Mapping[str, Any]) -> Tensor:
    """Squared distance of VGG feature maps (SRGAN's content loss), from a user's weight file."""
    from graphgan.training.perceptual import feature_extractor

    extractor = feature_extractor(args, ctx.device)
    output = ctx.value(_arg(args, "output", "perceptual"))
    target = ctx.value(_arg(args, "target", "perceptual"))
    scale = float(args.get("scale", 1 / 12.75))
    return F.mse_loss(extractor(output) * scale, extractor(target).detach() * scale)


TERMS: dict[str, Term] = {
    "l1": l1,
    "l2": l2,
    "kl": kl,
    "info_categorical": info_categorical,
    "info_continuous": info_continuous,
    "perceptual": perceptual,
}


def term(name: str, registry: Registry | None = None) -> Term:
    """A built-in term, or one a plugin pack registers (`pack.name`)."""
    if name in TERMS:
        return TERMS[name]
    plugged = (registry or default_registry()).loss_terms.get(name)
    if plugged is None:
        known = ", ".join(term_names(registry))
        raise LossError(f"unknown loss term '{name}'; known terms: {known}")
    return plugged.compute


def term_names(registry: Registry | None = None) -> list[str]:
    """Every loss term a training section may name: built-in, then from plugin packs."""
    return [*BUILT_IN_TERMS, *sorted((registry or default_registry()).loss_terms)]
