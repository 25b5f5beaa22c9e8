"""A few demo-preset steps of every shipped template: finite losses, the right networks move."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from graphgan.graph.document import VariableValue
from graphgan.graph.variables import configure
from graphgan.templates import open_document, template_names
from graphgan.training.checkpoints import load_checkpoint
from graphgan.training.loop import TrainOptions, train
from graphgan.training.perceptual import WeightsMissingError
from graphgan.training.runs import RunPaths
from graphgan.training.sinks import read_metrics

Weights = dict[str, dict[str, torch.Tensor]]

# The loss terms each template's demo must log besides d_loss and g_loss.
TERMS = {
    "cgan": {"g_adversarial"},
    "infogan": {
        "g_info_categorical",
        "g_info_continuous",
        "d_info_categorical",
        "d_info_continuous",
    },
    "pix2pix": {"g_adversarial", "g_l1"},
    "srgan": {"g_adversarial", "g_l2"},
    "stackgan": {"g_adversarial", "g_kl"},
}

# The variables holding each template's phase lengths.
PHASE_STEPS = {
    "cgan": ("steps",),
    "infogan": ("steps",),
    "pix2pix": ("steps",),
    "srgan": ("pretrain_steps", "steps"),
    "stackgan": ("stage1_steps", "stage2_steps"),
}

# The networks each template's demo steps must move (one step of each phase, see FIRST_PHASE).
TRAINED = {
    "cgan": ("generator", "discriminator"),
    "infogan": ("generator", "discriminator"),
    "pix2pix": ("generator", "discriminator"),
    "srgan": ("generator", "discriminator"),
    # The text encoder is fixed, like the paper's pretrained one (see the stackgan tests).
    "stackgan": (
        "stage1_generator",
        "stage1_discriminator",
        "stage2_generator",
        "stage2_discriminator",
    ),
}
# One step of the first phase, so that two steps reach the second.
FIRST_PHASE = {"srgan": {"pretrain_steps": 1}, "stackgan": {"stage1_steps": 1}}


def run_demo(
    name: str, folder: Path, steps: int, **values: VariableValue
) -> tuple[Weights, list[dict[str, float]]]:
    """The demo trained `steps` steps (0: the initial weights, from the same seed)."""
    if steps == 0:
        values = {**values, **dict.fromkeys(PHASE_STEPS[name], 0)}
    graph = configure(open_document(name), "demo", values)
    result = train(graph, TrainOptions(out=folder, steps=steps or None, progress=False))
    return load_checkpoint(result.run_dir).weights, read_metrics(RunPaths(result.run_dir).metrics)


def changed(before: Weights, after: Weights, network: str) -> set[str]:
    return {k for k, v in before[network].items() if not torch.equal(v, after[network][k])}


def test_every_shipped_template_has_a_training_check() -> None:
    assert set(template_names()) == set(TERMS) == set(PHASE_STEPS) == set(TRAINED)


@pytest.mark.parametrize("name", sorted(TERMS))
def test_demo_steps_give_finite_losses_and_move_both_networks(name: str, tmp_path: Path) -> None:
    extra: dict[str, VariableValue] = FIRST_PHASE.get(name, {})
    before, _ = run_demo(name, tmp_path / "start", 0, **extra)
    after, metrics = run_demo(name, tmp_path / "run", 2, **extra)

    last = metrics[-1]
    assert {"d_loss", "g_loss", *TERMS[name]} <= set(last)
    assert all(math.isfinite(value) for m in metrics for value in m.values())
    for network in TRAINED[name]:
        assert changed(before, after, network), network


def test_infogan_q_head_learns_with_the_discriminator(tmp_path: Path) -> None:
    before, _ = run_demo("infogan", tmp_path / "start", 0)
    after, _ = run_demo("infogan", tmp_path / "run", 1)
    assert {"q_fc_cat.weight", "q_fc_cont.weight", "d_fc_out.weight"} <= changed(
        before, after, "discriminator"
    )


def test_srgan_pretraining_moves_the_generator_alone(tmp_path: Path) -> None:
    before, _ = run_demo("srgan", tmp_path / "start", 0)
    after, metrics = run_demo("srgan", tmp_path / "run", 2)
    assert metrics[-1]["step"] == 2
    assert all("g_l2" in m and "d_loss" not in m for m in metrics)
    assert changed(before, after, "generator")
    assert not changed(before, after, "discriminator")


def test_srgan_trains_on_a_folder_of_ones_own_photos(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    (tmp_path / "photos").mkdir()
    for index, (height, width) in enumerate([(70, 90), (96, 64)]):
        pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(tmp_path / "photos" / f"photo{index}.png")
    folder = f"sr:{tmp_path / 'photos'}"
    before, _ = run_demo("srgan", tmp_path / "start", 0, dataset=folder, pretrain_steps=1)
    after, metrics = run_demo("srgan", tmp_path / "run", 2, dataset=folder, pretrain_steps=1)

    assert "g_l2" in metrics[0] and "d_loss" in metrics[-1]
    assert all(math.isfinite(value) for m in metrics for value in m.values())
    assert changed(before, after, "generator") and changed(before, after, "discriminator")


def test_srgan_perceptual_content_loss_asks_for_the_vgg_weights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRAPHGAN_VGG_WEIGHTS", str(tmp_path / "absent.safetensors"))
    graph = configure(
        open_document("srgan"), "demo", {"pretrain_steps": 0, "content_loss": "perceptual"}
    )
    with pytest.raises(WeightsMissingError, match="needs VGG19 weights"):
        train(graph, TrainOptions(out=tmp_path / "run", steps=1, progress=False))


def test_stackgan_stage_two_trains_with_stage_one_frozen(tmp_path: Path) -> None:
    before, _ = run_demo("stackgan", tmp_path / "start", 0)
    after, metrics = run_demo("stackgan", tmp_path / "run", 2, stage1_steps=0)
    assert all({"g_kl", "d_loss"} <= set(m) for m in metrics)
    for network in ("stage2_generator", "stage2_discriminator"):
        assert changed(before, after, network), network
    for network in ("text_encoder", "stage1_generator", "stage1_discriminator"):
        assert not changed(before, after, network), network


def test_stackgan_text_encoder_is_fixed_in_both_stages(tmp_path: Path) -> None:
    before, _ = run_demo("stackgan", tmp_path / "start", 0)
    after, _ = run_demo("stackgan", tmp_path / "run", 2, **FIRST_PHASE["stackgan"])
    assert set(before["text_encoder"]) == {"t_encoder.projection"}
    assert not changed(before, after, "text_encoder")


def test_stackgan_trains_on_a_folder_of_ones_own_captioned_images(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    (tmp_path / "birds").mkdir()
    captions = ["a small brown bird", "a bird with a red head\na red bird", "green wings", "grey"]
    for index, text in enumerate(captions):
        pixels = rng.integers(0, 256, (40, 48, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(tmp_path / "birds" / f"bird{index}.png")
        (tmp_path / "birds" / f"bird{index}.txt").write_text(text, encoding="utf-8")
    # 10 words and padding; the longest caption has 6 words.
    values: dict[str, VariableValue] = {
        "dataset": f"captions:{tmp_path / 'birds'}",
        "vocabulary": 11,
        "caption_length": 6,
        "batch_size": 2,
        "stage1_steps": 1,
    }
    before, _ = run_demo("stackgan", tmp_path / "start", 0, **values)
    after, metrics = run_demo("stackgan", tmp_path / "run", 2, **values)

    assert all(math.isfinite(value) for m in metrics for value in m.values())
    for network in ("stage1_generator", "stage2_generator", "stage2_discriminator"):
        assert changed(before, after, network), network


def test_cgan_conv_preset_trains_only_its_convolutional_layers(tmp_path: Path) -> None:
    graph = configure(open_document("cgan"), "conv", {"steps": 2})
    result = train(graph, TrainOptions(out=tmp_path, progress=False))
    weights = load_checkpoint(result.run_dir).weights
    metrics = read_metrics(RunPaths(result.run_dir).metrics)

    assert all(math.isfinite(value) for m in metrics for value in m.values())
    layers = {key.split(".")[0] for network in weights.values() for key in network}
    assert {"cg_fc", "cg_up1", "cg_up2", "cd_conv1", "cd_conv2", "cd_fc"} <= layers
    assert not any(layer.startswith(("g_fc", "d_maxout")) for layer in layers)
