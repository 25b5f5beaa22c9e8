"""The exported train.py against `graphgan train`: same seed, data and steps, same losses."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import torch

from graphgan.export import ExportOptions, export_project
from graphgan.graph import Graph
from graphgan.graph.variables import configure
from graphgan.templates import open_document
from graphgan.training.loop import TrainOptions, train

STEPS = 4
SEED = 3
# cgan shrunk to 8x8 digits so that a run takes a fraction of a second.
SMALL = {
    "dataset": "digits",
    "image_size": 8,
    "g_hidden_z": 16,
    "g_hidden_y": 16,
    "g_joint": 32,
    "d_maxout_x": 16,
    "d_maxout_y": 8,
    "d_joint": 16,
    "batch_size": 16,
    "steps": STEPS,
}
TIMINGS = {"step_time", "data_time"}


def small_cgan(preset: str | None = None, **values: Any) -> Graph:
    graph = configure(open_document("cgan"), preset, {**SMALL, **values})
    assert graph.training is not None
    # Log every step; draw a sample grid mid-run, since drawing may consume random numbers.
    training = {**graph.training, "log_every": 1, "sample_every": 2}
    return graph.model_copy(update={"training": training})


def two_phase_critic(graph: Graph) -> Graph:
    """wgan-gp with two critic updates a step, DCGAN init, then a hinge phase."""
    assert graph.training is not None
    (phase,) = graph.training["phases"]
    # Labels come from the data, so that the image is the one input real and fake differ in.
    fake = {"d_image": "g_image", "d_label": "data:label"}
    game = {**phase["adversarial"], "loss": "wgan-gp", "d_steps": 2, "fake": fake}
    first = {**phase, "name": "critic", "steps": 2, "adversarial": game}
    second = {
        **phase,
        "name": "hinge",
        "steps": STEPS - 2,
        "adversarial": {**game, "loss": "hinge", "d_steps": 1},
    }
    inputs = {**graph.training["inputs"], "g_label": "data:label"}
    training = {
        **graph.training,
        "init": "normal_0.02",
        "inputs": inputs,
        "samples": {"count": 16},
        "phases": [first, second],
    }
    return graph.model_copy(update={"training": training})


def every_loss_term(graph: Graph) -> Graph:
    """Each weighted term train.py implements, and a mismatched-pairs pass, on the small cgan.

    The pairings are numerically valid rather than meaningful: what matters is that both
    trainers compute the same numbers.
    """
    assert graph.training is not None
    (phase,) = graph.training["phases"]
    images = {"output": "g_image", "target": "data:image"}
    noise = {"code": "g_noise", "estimate": "g_noise"}
    losses = [
        {"term": "l1", "weight": 0.2, "args": images},
        {"term": "l2", "weight": 0.5, "args": images},
        {"term": "kl", "weight": 0.01, "args": {"mu": "g_noise", "logvar": "g_noise"}},
        {"term": "info_categorical", "weight": 0.1, "args": noise},
    ]
    # The discriminator's terms read its own heads of the fake pass.
    d_terms = [{"term": "info_continuous", "weight": 0.1, "args": {**noise, "estimate": "d_logit"}}]
    wrong = {"d_image": "data:image", "d_label": "data:label:rolled"}
    game = {
        **phase["adversarial"],
        "wrong": wrong,
        "wrong_weight": 0.3,
        "fake_weight": 0.6,
        "loss": "lsgan",
    }
    changed = {
        **phase,
        "adversarial": game,
        "losses": losses,
        "d_losses": d_terms,
    }
    return graph.model_copy(update={"training": {**graph.training, "phases": [changed]}})


def joint_batch(graph: Graph) -> Graph:
    """The graph with each phase's discriminator passes scored in one joined batch."""
    assert graph.training is not None
    phases = [
        {**phase, "adversarial": {**phase["adversarial"], "joint_batch": True}}
        for phase in graph.training["phases"]
    ]
    return graph.model_copy(update={"training": {**graph.training, "phases": phases}})


def read_metrics(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run_exported(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-W", "error", "train.py", *args]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


@pytest.mark.parametrize(
    "graph",
    [
        small_cgan(),
        small_cgan("demo"),
        two_phase_critic(small_cgan("demo")),
        every_loss_term(small_cgan("demo")),
        joint_batch(every_loss_term(small_cgan("demo"))),
    ],
    ids=["paper-sgd", "demo-adam", "wgan-gp-then-hinge", "lsgan-every-term", "joint-batch"],
)
def test_exported_training_logs_graphgan_losses(graph: Graph, tmp_path: Path) -> None:
    project, run = tmp_path / "project", tmp_path / "run"

    export_project(graph, project, ExportOptions(seed=SEED))
    train(graph, TrainOptions(out=run, seed=SEED, device="cpu", progress=False))

    done = run_exported(project, "--out", "out", "--seed", str(SEED), "--device", "cpu")
    assert done.returncode == 0, done.stderr

    expected = read_metrics(run / "metrics.jsonl")
    found = read_metrics(project / "out" / "metrics.jsonl")
    assert [m["step"] for m in found] == list(range(1, STEPS + 1))
    for want, got in zip(expected, found, strict=True):
        assert {k: v for k, v in want.items() if k not in TIMINGS} == got
    assert (project / "out" / "samples" / "step-00000002.png").is_file()
    assert (project / "out" / "weights.pt").is_file()


def test_exported_training_reads_a_folder_of_images(tmp_path: Path) -> None:
    from PIL import Image

    for label in ("cats", "dogs"):
        (tmp_path / "images" / label).mkdir(parents=True)
        for index in range(8):
            pixels = (torch.rand(12, 12, 3) * 255).to(torch.uint8).numpy()
            Image.fromarray(pixels).save(tmp_path / "images" / label / f"{index}.png")
    graph = small_cgan(n_classes=2, batch_size=4)
    export_project(graph, tmp_path / "project", ExportOptions(data=False))

    missing = run_exported(tmp_path / "project", "--steps", "1")
    assert missing.returncode != 0
    assert "this export holds no data file (the graph reads 'digits')" in missing.stderr

    args = ("--data", str(tmp_path / "images"), "--steps", "2", "--out", "out")
    done = run_exported(tmp_path / "project", *args)
    assert done.returncode == 0, done.stderr
    found = read_metrics(tmp_path / "project" / "out" / "metrics.jsonl")
    assert [m["step"] for m in found] == [1, 2]
    assert all(math.isfinite(m["d_loss"]) and math.isfinite(m["g_loss"]) for m in found)


@pytest.mark.slow
def test_full_size_cgan_on_mnist_logs_graphgan_losses(tmp_path: Path) -> None:
    graph = configure(open_document("cgan"), "demo", {"steps": STEPS})
    assert graph.training is not None
    graph = graph.model_copy(update={"training": {**graph.training, "log_every": 1}})
    export_project(graph, tmp_path / "project", ExportOptions(seed=SEED))
    train(graph, TrainOptions(out=tmp_path / "run", seed=SEED, device="cpu", progress=False))

    done = run_exported(tmp_path / "project", "--out", "out", "--seed", str(SEED))
    assert done.returncode == 0, done.stderr
    expected = read_metrics(tmp_path / "run" / "metrics.jsonl")
    found = read_metrics(tmp_path / "project" / "out" / "metrics.jsonl")
    assert [{k: v for k, v in m.items() if k not in TIMINGS} for m in expected] == found
