"""Every shipped template at its demo preset: exported networks equal compiled ones, and the
exported train.py logs graphgan's first losses, augmented data (mirror images, SR crops)
included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from graphgan.export import ExportOptions, export_project
from graphgan.graph import Graph
from graphgan.graph.variables import configure
from graphgan.templates import open_document, template_names
from graphgan.tensors import TensorKind
from graphgan.training.loop import TrainOptions, train
from graphgan.validation import Analysis, analyse
from tests.export.project import assert_same_behaviour, exported_models, pair
from tests.export.test_style import ruff
from tests.export.test_training import TIMINGS, read_metrics, run_exported

SEED = 3
STEPS = 3
# Changes to the demo presets that keep a run to a few seconds and reach every phase: cgan on
# 8x8 digits (its MNIST run is test_training's slow test), one SRResNet pre-training step, one
# StackGAN stage-I step before stage II.
FAST: dict[str, dict[str, Any]] = {
    "cgan": {"dataset": "digits", "image_size": 8, "batch_size": 8},
    "srgan": {"pretrain_steps": 1},
    "stackgan": {"batch_size": 8, "stage1_steps": 1},
}


def demo(name: str, **values: Any) -> Graph:
    """The template at its demo preset (when it has one), `values` applied."""
    graph = open_document(name)
    preset = "demo" if "demo" in graph.presets else None
    return configure(graph, preset, values)


def network_inputs(analysis: Analysis, network: str, batch: int = 2) -> list[torch.Tensor]:
    """Random tensors for a network's input nodes, class labels in range."""
    torch.manual_seed(5)
    tensors = []
    for node in analysis.networks[network].input_nodes:
        (spec,) = node.outputs.values()
        if spec.kind is TensorKind.LABEL:
            classes = int(getattr(node.params, "n_classes", 2))
            tensors.append(torch.randint(0, classes, (batch,)))
        elif spec.kind is TensorKind.TOKENS:
            words = int(getattr(node.params, "vocabulary", 2))
            tensors.append(torch.randint(0, words, (batch, *spec.sample_shape)))
        else:
            tensors.append(torch.randn(batch, *spec.sample_shape))
    return tensors


@pytest.mark.parametrize("name", template_names())
def test_template_networks_match_compiled(name: str, tmp_path: Path) -> None:
    analysis = analyse(demo(name))
    assert analysis.valid, str(analysis.report)
    models = exported_models(analysis, tmp_path)
    assert sorted(models.NETWORKS) == sorted(analysis.networks)
    for network in analysis.networks:
        compiled, exported = pair(analysis, network, models)
        assert_same_behaviour(compiled, exported, network_inputs(analysis, network))


def test_cgan_conv_preset_exports_only_its_convolutional_layers(tmp_path: Path) -> None:
    analysis = analyse(configure(open_document("cgan"), "conv"))
    models = exported_models(analysis, tmp_path)
    for network in analysis.networks:
        compiled, exported = pair(analysis, network, models)
        assert_same_behaviour(compiled, exported, network_inputs(analysis, network))
    source = (tmp_path / "models.py").read_text(encoding="utf-8")
    assert "self.cg_up1 = nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1)" in source
    assert "g_fc_z" not in source and "Maxout" not in source


def test_template_models_pass_ruff(tmp_path: Path) -> None:
    for name in template_names():
        exported_models(analyse(demo(name)), tmp_path / name)
    checked = ruff("check", "--no-cache", str(tmp_path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    formatted = ruff("format", "--check", "--no-cache", str(tmp_path))
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def logged_every_step(graph: Graph) -> Graph:
    assert graph.training is not None
    # A sample grid mid-run too: drawing (test-time dropout) may consume random numbers.
    training = {**graph.training, "log_every": 1, "sample_every": 2}
    return graph.model_copy(update={"training": training})


def assert_same_losses(graph: Graph, project: Path, run: Path, *args: str) -> list[Any]:
    """graphgan train and the exported train.py, same seed and steps: identical metrics."""
    train(graph, TrainOptions(out=run, steps=STEPS, seed=SEED, device="cpu", progress=False))
    command = ("--out", "out", "--seed", str(SEED), "--device", "cpu", "--steps", str(STEPS))
    done = run_exported(project, *command, *args)
    assert done.returncode == 0, done.stderr
    expected = read_metrics(run / "metrics.jsonl")
    found = read_metrics(project / "out" / "metrics.jsonl")
    assert [m["step"] for m in found] == list(range(1, STEPS + 1))
    assert [{k: v for k, v in m.items() if k not in TIMINGS} for m in expected] == found
    return found


def trained_templates() -> list[str]:
    return [name for name in template_names() if open_document(name).training is not None]


@pytest.mark.parametrize("name", trained_templates())
def test_template_training_logs_graphgan_losses(name: str, tmp_path: Path) -> None:
    graph = logged_every_step(demo(name, **FAST.get(name, {})))
    project = tmp_path / "project"
    export_project(graph, project, ExportOptions(seed=SEED))
    # pix2pix's scenes are rendered by train.py from the seed, so it holds no data file.
    assert (project / "data.npz").is_file() == (name != "pix2pix")
    if name == "stackgan":  # its images too are rendered: data.npz holds only the tokens
        with np.load(project / "data.npz") as stored:
            assert sorted(stored.files) == ["attributes", "tokens"]

    found = assert_same_losses(graph, project, tmp_path / "run")
    assert "d_loss" in found[-1]  # the adversarial phase is reached (after SRGAN's pre-training)
    assert (project / "out" / "samples" / "step-00000002.png").is_file()
