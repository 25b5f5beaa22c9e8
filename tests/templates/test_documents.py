"""The shipped templates: valid at every preset, faithful parameter counts, filled-in info."""

from __future__ import annotations

import pytest
import torch

from graphgan.compiler import compile_network
from graphgan.graph.training import training_spec
from graphgan.graph.variables import configure
from graphgan.summary import summarise
from graphgan.templates import open_document, template_names
from graphgan.training.optim import lr_factor
from graphgan.validation import analyse

# Reference parameter counts at paper configuration (gan-architectures.md, section 0).
REFERENCE = {
    ("cgan", "generator"): 2_413_984,
    ("cgan", "discriminator"): 1_224_351,
    ("infogan", "generator"): 6_652_481,
    ("infogan", "discriminator"): 6_692_431,  # trunk + D head + Q head
    ("pix2pix", "generator"): 54_414_080,
    ("pix2pix", "discriminator"): 2_769_729,
    ("srgan", "generator"): 1_549_462,
    ("srgan", "discriminator"): 23_565_505,
    # Conditioning augmentation included; the text encoder is its own network, outside it.
    ("stackgan", "stage1_generator"): 10_301_248,
}
INFO_FIELDS = ("use_when", "paper", "follows_paper", "common_practice")


def configurations() -> list[tuple[str, str | None]]:
    pairs: list[tuple[str, str | None]] = []
    for name in template_names():
        pairs += [(name, None), *((name, preset) for preset in open_document(name).presets)]
    return pairs


def test_every_template_this_suite_knows_is_shipped() -> None:
    assert {name for name, _ in REFERENCE} <= set(template_names())


@pytest.mark.parametrize(("name", "preset"), configurations())
def test_template_validates_at_default_and_every_preset(name: str, preset: str | None) -> None:
    analysis = analyse(configure(open_document(name), preset))
    assert analysis.valid, str(analysis.report)


def test_every_template_has_a_demo_preset() -> None:
    for name in template_names():
        assert "demo" in open_document(name).presets, name


@pytest.mark.parametrize(("name", "network"), sorted(REFERENCE))
def test_parameters_match_the_reference_within_one_percent(name: str, network: str) -> None:
    counted = summarise(analyse(open_document(name)))[network].parameters
    reference = REFERENCE[(name, network)]
    assert abs(counted - reference) <= 0.01 * reference, (counted, reference)


@pytest.mark.parametrize("name", template_names())
def test_template_says_what_it_is_and_where_it_departs_from_its_paper(name: str) -> None:
    graph = open_document(name)
    assert len(graph.description) > 40
    for field in INFO_FIELDS:
        assert len(str(graph.info.get(field, ""))) > 20, f"{name}: info.{field}"
    assert "arXiv" in str(graph.info["paper"])


def generator_of(name: str, preset: str | None = "demo", **values: object) -> torch.nn.Module:
    graph = configure(open_document(name), preset, values)  # type: ignore[arg-type]
    return compile_network(analyse(graph), "generator")


@torch.no_grad()
def test_infogan_q_head_shares_the_discriminator_trunk() -> None:
    graph = configure(open_document("infogan"), "demo")
    discriminator = compile_network(analyse(graph), "discriminator")
    outputs = discriminator(torch.rand(4, 1, 28, 28))
    assert {k: tuple(v.shape) for k, v in outputs.items()} == {
        "d_logit": (4, 1),
        "q_cat": (4, 10),
        "q_cont": (4, 2),
    }
    names = [name for name, _ in discriminator.named_parameters()]
    assert [n for n in names if n.startswith("q_")] == [
        "q_fc.weight",
        "q_fc.bias",
        "q_bn.weight",
        "q_bn.bias",
        "q_fc_cat.weight",
        "q_fc_cat.bias",
        "q_fc_cont.weight",
        "q_fc_cont.bias",
    ]


def test_infogan_demo_keeps_the_paper_objective() -> None:
    # The document's common_practice says the demo changes sizes, noise, length, the
    # continuous weight and a late learning-rate decay only.
    objective = ("g_lr", "d_lr", "beta1", "lambda_categorical", "leak")
    objective += ("adversarial_loss", "n_categories", "n_continuous")
    paper = open_document("infogan")
    demo = configure(paper, "demo")
    assert {k: demo.variables[k].value for k in objective} == {
        k: paper.variables[k].value for k in objective
    }


def test_infogan_paper_rates_stay_constant_and_the_demo_decays_over_its_second_half() -> None:
    paper = training_spec(configure(open_document("infogan"), None))
    for optimiser in paper.optimizers.values():
        factor = lr_factor(optimiser.schedule, paper.total_steps)
        assert [factor(0), factor(paper.total_steps - 1)] == [1.0, 1.0]
    demo = training_spec(configure(open_document("infogan"), "demo"))
    for optimiser in demo.optimizers.values():
        factor = lr_factor(optimiser.schedule, demo.total_steps)
        assert [factor(demo.total_steps // 2), factor(demo.total_steps)] == [1.0, 0.0]


@torch.no_grad()
def test_infogan_generator_reads_noise_and_both_codes() -> None:
    generator = generator_of("infogan").eval()
    noise_dim = int(configure(open_document("infogan"), "demo").variables["noise_dim"].value)
    images = generator(torch.rand(3, noise_dim), torch.eye(10)[:3], torch.zeros(3, 2))
    assert images.shape == (3, 1, 28, 28)
    assert float(images.min()) >= 0 and float(images.max()) <= 1


@torch.no_grad()
def test_pix2pix_keeps_dropout_on_at_test_time_unless_told_not_to() -> None:
    torch.manual_seed(0)
    condition = torch.rand(2, 3, 32, 32) * 2 - 1
    noisy = generator_of("pix2pix").eval()
    first, second = noisy(condition), noisy(condition)
    assert first.shape == (2, 3, 32, 32)
    assert not torch.equal(first, second)

    steady = generator_of("pix2pix", test_time_dropout=False).eval()
    assert torch.equal(steady(condition), steady(condition))


def test_pix2pix_unet_256_halves_eight_times_to_a_1x1_bottleneck() -> None:
    summary = summarise(analyse(open_document("pix2pix")))["generator"]
    shapes = {row.node: next(iter(row.outputs.values()), "") for row in summary.nodes}
    assert shapes["g_enc1"] == "(N, 64, 128, 128)"
    assert shapes["g_enc8"] == "(N, 512, 1, 1)"
    assert shapes["g_dec1"] == "(N, 1024, 2, 2)"  # after the skip is joined
    assert shapes["g_dec7"] == "(N, 128, 128, 128)"
    discriminator = summarise(analyse(open_document("pix2pix")))["discriminator"]
    logits = next(row for row in discriminator.nodes if row.node == "d_conv5")
    assert logits.outputs["y"] == "(N, 1, 30, 30)"  # one logit per 70x70 patch


@torch.no_grad()
def test_srgan_generator_upscales_four_times() -> None:
    generator = generator_of("srgan").eval()
    assert generator(torch.rand(2, 3, 16, 16)).shape == (2, 3, 64, 64)
    residual = [n for n, _ in generator.named_children() if n.startswith("g_res")]
    assert len(residual) == 16


@torch.no_grad()
def test_stackgan_stage_two_refines_stage_one_to_four_times_its_size() -> None:
    graph = configure(open_document("stackgan"), "demo")
    analysis = analyse(graph)
    encoder = compile_network(analysis, "text_encoder").eval()
    stage1 = compile_network(analysis, "stage1_generator").eval()
    stage2 = compile_network(analysis, "stage2_generator").eval()
    tokens = torch.randint(1, 35, (3, 11))

    text = encoder(tokens)
    assert text.shape == (3, 1024)
    first = stage1(text, torch.randn(3, 32))
    assert first["g1_image"].shape == (3, 3, 16, 16)
    assert first["g1_mu"].shape == first["g1_logvar"].shape == (3, 64)
    second = stage2(first["g1_image"], text)
    assert second["g2_image"].shape == (3, 3, 64, 64)
    assert float(second["g2_image"].abs().max()) <= 1
    residual = [n for n, _ in stage2.named_children() if n.startswith("g2_res")]
    assert len(residual) == 4


@pytest.mark.parametrize("preset", [None, "demo"])
def test_stackgan_discriminator_loss_is_real_plus_half_fake_and_wrong(preset: str | None) -> None:
    # The paper's matching-aware loss: real + (generated + mismatched) / 2, in both stages.
    spec = training_spec(configure(open_document("stackgan"), preset))
    games = [phase.adversarial for phase in spec.phases]
    assert [(g.fake_weight, g.wrong_weight) for g in games if g] == [(0.5, 0.5)] * 2


@torch.no_grad()
def test_stackgan_discriminators_read_the_caption() -> None:
    graph = configure(open_document("stackgan"), "demo")
    discriminator = compile_network(analyse(graph), "stage2_discriminator").eval()
    image = torch.rand(2, 3, 64, 64) * 2 - 1
    tokens = torch.randint(1, 35, (2, 11))
    logit = discriminator(image, tokens)
    assert logit.shape == (2, 1)
    other_words = tokens % 34 + 1  # every word id moved to the next one
    assert not torch.equal(logit, discriminator(image, other_words))


def test_stackgan_demo_keeps_the_papers_4x4_grid_at_16_then_64() -> None:
    summary = summarise(analyse(configure(open_document("stackgan"), "demo")))
    shapes = {
        row.node: next(iter(row.outputs.values()), "")
        for network in summary.values()
        for row in network.nodes
    }
    assert shapes["g1_grid"] == "(N, 256, 4, 4)"  # 8 x GF_DIM at the paper's grid
    assert shapes["g1_up2"] == "(N, 64, 4, 4)"  # up-blocks not needed keep the size
    assert shapes["g1_tanh"] == "(N, 3, 16, 16)"
    assert shapes["d1_down4"] == shapes["d2_act3x3_2"] == "(N, 64, 4, 4)"
    assert shapes["g2_tanh"] == "(N, 3, 64, 64)"


def test_stackgan_paper_sizes_are_64_then_256() -> None:
    summary = summarise(analyse(open_document("stackgan")))
    shapes = {
        row.node: next(iter(row.outputs.values()), "")
        for network in ("stage1_generator", "stage2_generator")
        for row in summary[network].nodes
    }
    assert shapes["g1_grid"] == "(N, 1024, 4, 4)"
    assert shapes["g1_tanh"] == "(N, 3, 64, 64)"
    assert shapes["g2_join"] == "(N, 640, 16, 16)"  # 4 x GF_DIM image features + Ng text
    assert shapes["g2_tanh"] == "(N, 3, 256, 256)"
