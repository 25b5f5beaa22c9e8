"""The training loop: finite steps, the right weights move, seeds, resume, stops, failures."""

from __future__ import annotations

import json
import math
import os
import signal
from pathlib import Path
from typing import Any

import pytest
import torch

from graphgan.compiler import compile_network
from graphgan.errors import GraphganError
from graphgan.graph.files import graph_from_data
from graphgan.plugin import DataOptions
from graphgan.training import losses
from graphgan.training.checkpoints import load_checkpoint
from graphgan.training.context import Networks
from graphgan.training.data import open_dataset
from graphgan.training.loop import NonFiniteLossError, TrainOptions, resume, train
from graphgan.training.runs import RunPaths, read_status
from graphgan.training.sinks import MetricSink, read_metrics
from graphgan.validation import analyse
from tests.training.gan import tiny_gan, tiny_gan_data


def options(tmp_path: Path, name: str = "run", **extra: Any) -> TrainOptions:
    return TrainOptions(out=tmp_path / name, progress=False, **extra)


def losses_of(run_dir: Path) -> list[dict[str, float]]:
    keep = ("step", "d_loss", "g_loss")
    return [{k: m[k] for k in keep} for m in read_metrics(RunPaths(run_dir).metrics)]


def test_a_run_writes_everything_a_user_needs(tmp_path: Path) -> None:
    result = train(tiny_gan(), options(tmp_path))
    paths = RunPaths(result.run_dir)
    assert (result.status, result.step) == ("finished", 12)
    for path in (paths.graph, paths.config, paths.manifest, paths.metrics):
        assert path.is_file(), path
    assert sorted(p.name for p in paths.samples.glob("step-*.png")) == [
        "step-00000006.png",
        "step-00000012.png",
    ]
    metrics = read_metrics(paths.metrics)
    assert [m["step"] for m in metrics] == list(range(1, 13))
    assert {"d_loss", "g_loss", "step_time", "lr/d", "lr/g"} <= set(metrics[-1])
    assert all(torch.isfinite(torch.tensor(m["d_loss"])) for m in metrics)
    assert read_status(paths).state == "finished"
    manifest = json.loads(paths.manifest.read_text())
    assert manifest["seed"] == 0 and manifest["dataset"] == "digits"
    assert len(manifest["dataset_fingerprint"]) == 16


def test_each_update_moves_only_its_networks(tmp_path: Path) -> None:
    start = train(tiny_gan(steps=0), options(tmp_path, "zero"))
    before = load_checkpoint(start.run_dir).weights
    data = tiny_gan_data()
    data["variables"]["steps"]["value"] = 1
    data["training"]["phases"][0]["optimizers"] = ["g"]  # generator only: D must not move
    after = load_checkpoint(train(graph_from_data(data), options(tmp_path, "one")).run_dir).weights
    for name, tensor in before["generator"].items():
        assert not torch.equal(tensor, after["generator"][name]), name
    for name, tensor in before["discriminator"].items():
        assert torch.equal(tensor, after["discriminator"][name]), name


def test_same_seed_same_losses_other_seed_other_losses(tmp_path: Path) -> None:
    first = losses_of(train(tiny_gan(), options(tmp_path, "a")).run_dir)
    again = losses_of(train(tiny_gan(), options(tmp_path, "b")).run_dir)
    other = losses_of(train(tiny_gan(), options(tmp_path, "c", seed=1)).run_dir)
    assert first == again
    assert first != other


def test_stopped_and_resumed_equals_uninterrupted(tmp_path: Path) -> None:
    whole = losses_of(train(tiny_gan(), options(tmp_path, "whole")).run_dir)
    stopped = train(tiny_gan(), options(tmp_path, "parts", stop=lambda step: step == 7))
    assert (stopped.status, stopped.step) == ("interrupted", 7)
    assert load_checkpoint(stopped.run_dir).step == 7
    resumed = resume(stopped.run_dir, TrainOptions(progress=False))
    assert (resumed.status, resumed.step) == ("finished", 12)
    assert losses_of(resumed.run_dir) == whole


class _InterruptAt(MetricSink):
    def __init__(self, step: int) -> None:
        self.step = step

    def log(self, step: int, metrics: Any) -> None:
        if step == self.step:
            raise KeyboardInterrupt


def test_ctrl_c_writes_a_checkpoint_and_exits_cleanly(tmp_path: Path) -> None:
    result = train(tiny_gan(), options(tmp_path, sinks=[_InterruptAt(3)]))
    assert (result.status, result.step) == ("interrupted", 3)
    assert load_checkpoint(result.run_dir).step == 3
    assert "resume" in read_status(RunPaths(result.run_dir)).message


def test_non_finite_loss_stops_naming_term_and_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real_g_loss = losses.g_loss

    def poisoned(variant: str, fake: torch.Tensor) -> torch.Tensor:
        calls["n"] += 1
        value = real_g_loss(variant, fake)
        return value * float("nan") if calls["n"] >= 7 else value

    monkeypatch.setattr(losses, "g_loss", poisoned)
    with pytest.raises(NonFiniteLossError, match="loss term 'g_adversarial' became nan at step 7"):
        train(tiny_gan(), options(tmp_path))
    paths = RunPaths(tmp_path / "run")
    assert load_checkpoint(paths.root).step == 5  # the last good one
    assert read_status(paths).state == "failed"


def test_missing_dataset_is_an_error_naming_it(tmp_path: Path) -> None:
    from graphgan.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="no dataset or folder 'mnsit'"):
        train(tiny_gan(), options(tmp_path, data="mnsit"))


def test_bf16_autocast_runs_layers_in_bf16_and_hands_back_fp32(tmp_path: Path) -> None:
    analysis = analyse(tiny_gan())
    generator = compile_network(analysis, "generator")
    networks = Networks({"generator": generator}, analysis.networks, {}, autocast="cpu")
    seen: list[torch.dtype] = []
    generator.get_submodule("g_fc").register_forward_hook(lambda m, a, out: seen.append(out.dtype))

    outputs = networks.call("generator", {"g_z": torch.randn(2, 8), "g_y": torch.tensor([1, 2])})

    assert seen == [torch.bfloat16]
    assert outputs["g_image"].dtype == torch.float32
    assert all(p.dtype == torch.float32 for p in generator.parameters())


def test_a_bf16_run_trains_and_says_so(tmp_path: Path) -> None:
    result = train(tiny_gan(steps=3), options(tmp_path, precision="bf16", device="cpu"))
    config = json.loads(RunPaths(result.run_dir).config.read_text())
    assert config["acceleration"] == "bf16 autocast, eager"
    assert result.status == "finished"
    assert all(math.isfinite(m["g_loss"]) for m in read_metrics(RunPaths(result.run_dir).metrics))


def test_epochs_count_whole_batches_of_the_training_data(tmp_path: Path) -> None:
    result = train(tiny_gan(), options(tmp_path, epochs=2))
    items = len(open_dataset("digits", DataOptions(split="train"))[1])  # type: ignore[arg-type]

    assert result.step == 2 * (items // 16)  # the tiny GAN's batch size is 16
    with pytest.raises(GraphganError, match="lengthen a resumed run with --steps"):
        resume(result.run_dir, options(tmp_path, epochs=3))


def test_each_sample_grid_shows_the_weights_of_its_step(tmp_path: Path) -> None:
    result = train(tiny_gan(), options(tmp_path))
    samples = RunPaths(result.run_dir).samples

    first, second = (samples / f"step-{s:08d}.png" for s in (6, 12))
    assert first.read_bytes() != second.read_bytes()
    assert (samples / "latest.png").read_bytes() == second.read_bytes()


def test_loss_curves_are_drawn_with_the_samples(tmp_path: Path) -> None:
    from PIL import Image

    result = train(tiny_gan(), options(tmp_path))
    with Image.open(RunPaths(result.run_dir).losses) as plot:
        assert plot.format == "PNG" and plot.size == (900, 600)


def test_a_running_run_rewrites_its_status_with_its_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphgan.training import loop

    seen: list[tuple[str, int]] = []

    class Watch(MetricSink):
        def log(self, step: int, metrics: Any) -> None:
            status = read_status(RunPaths(tmp_path / "run"))
            seen.append((status.state, status.step))

    monkeypatch.setattr(loop, "STATUS_EVERY_S", 0.0)  # every step, for the test
    train(tiny_gan(steps=4), options(tmp_path, sinks=[Watch()]))

    assert seen == [("running", 0), ("running", 1), ("running", 2), ("running", 3)]


def test_zero_steps_keeps_the_initial_weights(tmp_path: Path) -> None:
    result = train(tiny_gan(), options(tmp_path, steps=0))

    assert (result.status, result.step) == ("finished", 0)
    assert load_checkpoint(result.run_dir).step == 0


class _SignalAt(MetricSink):
    def __init__(self, step: int, number: int) -> None:
        self.step, self.number = step, number

    def log(self, step: int, metrics: Any) -> None:
        if step == self.step:
            os.kill(os.getpid(), self.number)


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_run_after_its_step_with_a_checkpoint(
    tmp_path: Path, number: int
) -> None:
    previous = signal.getsignal(number)
    result = train(tiny_gan(), options(tmp_path, sinks=[_SignalAt(3, number)]))

    assert (result.status, result.step) == ("interrupted", 3)
    assert load_checkpoint(result.run_dir).step == 3
    assert signal.Signals(number).name in read_status(RunPaths(result.run_dir)).message
    assert signal.getsignal(number) is previous  # the run's handlers are gone again


def test_validation_knows_the_built_in_terms_and_recipes_the_trainer_runs() -> None:
    from graphgan.graph.training import BUILT_IN_RECIPES, BUILT_IN_TERMS
    from graphgan.training.recipe import recipe_step, train_step

    assert sorted(losses.TERMS) == sorted(BUILT_IN_TERMS)
    assert [recipe_step(name) for name in BUILT_IN_RECIPES] == [train_step]
