"""The adversarial recipe's discriminator passes: apart, or joined into one batch; the
discriminator loss's weights for the generated and mismatched passes."""

from __future__ import annotations

import pytest
import torch

from graphgan.compiler import compile_network
from graphgan.errors import GraphInvalidError
from graphgan.graph.files import graph_from_data
from graphgan.graph.training import AdversarialSpec, training_spec
from graphgan.training.context import Networks, StepContext
from graphgan.training.recipe import discriminate_passes, discriminator_loss
from graphgan.validation import analyse
from tests.training.gan import tiny_gan, tiny_gan_data

WRONG = {"d_x": "data:image", "d_y": "data:label:rolled"}


def game_and_context(joint: bool) -> tuple[AdversarialSpec, StepContext, list[int]]:
    """The tiny GAN's game with a wrong pass, a step context over a batch of 6, and the batch
    sizes its discriminator is called with."""
    graph = tiny_gan()
    analysis = analyse(graph)
    modules = {name: compile_network(analysis, name) for name in analysis.networks}
    spec = training_spec(graph)
    sizes: list[int] = []
    modules["discriminator"].register_forward_hook(lambda _, args, __: sizes.append(len(args[0])))
    networks = Networks(modules, analysis.networks, spec.inputs)
    batch = {"image": torch.rand(6, 1, 4, 4) * 2 - 1, "label": torch.arange(6)}
    game = spec.phases[0].adversarial
    assert game is not None
    game = game.model_copy(update={"wrong": WRONG, "joint_batch": joint})
    return game, StepContext(networks, batch, torch.device("cpu"), set()), sizes


def test_a_joint_batch_scores_every_pass_in_one_call_and_splits_it_back() -> None:
    torch.manual_seed(0)
    game, ctx, sizes = game_and_context(joint=True)
    passes = [game.real, game.fake, WRONG]
    joint = discriminate_passes(ctx, game, passes, [True, True, True])
    assert sizes == [18]

    apart = discriminate_passes(
        ctx, game.model_copy(update={"joint_batch": False}), passes, [True] * 3
    )
    assert sizes == [18, 6, 6, 6]
    # The tiny discriminator has no batch norm: joined or apart, each pass scores the same.
    for together, alone in zip(joint, apart, strict=True):
        assert torch.allclose(together["d_score"], alone["d_score"], atol=1e-6)


def test_a_joint_batch_passes_gradients_only_where_not_detached() -> None:
    game, ctx, _ = game_and_context(joint=True)
    passes = [game.real, game.fake, game.fake]
    _, cut, kept = discriminate_passes(ctx, game, passes, [True, True, False])
    generator = ctx.networks.modules["generator"]
    cut["d_score"].sum().backward(retain_graph=True)
    assert all(p.grad is None or not p.grad.any() for p in generator.parameters())
    kept["d_score"].sum().backward()
    assert all(p.grad is not None and p.grad.any() for p in generator.parameters())


def test_a_joint_batch_needs_the_same_inputs_in_every_pass() -> None:
    data = tiny_gan_data()
    game = data["training"]["phases"][0]["adversarial"]
    game.update({"joint_batch": True, "wrong": {"d_x": "data:image"}})
    with pytest.raises(GraphInvalidError, match="joint_batch joins the passes input by input"):
        training_spec(graph_from_data(data))


def test_fake_weight_scales_only_the_generated_pass_of_the_discriminator_loss() -> None:
    game, ctx, _ = game_and_context(joint=False)
    game = game.model_copy(update={"loss": "bce", "wrong_weight": 0.5})
    real, fake, wrong = (
        scored["d_score"]
        for scored in discriminate_passes(ctx, game, [game.real, game.fake, WRONG], [True] * 3)
    )
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    # The generator's samples are computed once per step context, so each call sees them.
    paper = discriminator_loss(ctx, game.model_copy(update={"fake_weight": 0.5}), [], {})
    expected = (
        bce(real, torch.ones_like(real))
        + 0.5 * bce(fake, torch.zeros_like(fake))
        + 0.5 * bce(wrong, torch.zeros_like(wrong))
    )
    assert torch.allclose(paper, expected, atol=1e-6)
    default = discriminator_loss(ctx, game, [], {})
    assert game.fake_weight == 1.0
    assert torch.allclose(default, expected + 0.5 * bce(fake, torch.zeros_like(fake)), atol=1e-6)
