"""Runs in other processes: killed with SIGKILL and resumed, and two processes under torchrun."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from graphgan.graph import save
from graphgan.graph.files import graph_from_data
from graphgan.training.checkpoints import load_checkpoint
from graphgan.training.loop import TrainOptions, resume
from graphgan.training.runs import RunPaths, list_runs, read_status
from graphgan.training.sinks import read_metrics
from tests.training.gan import tiny_gan, tiny_gan_data

ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": "1"}


def graph_file(tmp_path: Path, steps: int, **training: object) -> Path:
    path = tmp_path / "tiny.json"
    save(tiny_gan(steps, **training), path)
    return path


def graph_with_batch_norm(tmp_path: Path, steps: int) -> Path:
    """The tiny GAN with batch norm in its generator: running statistics to keep in step."""
    data = tiny_gan_data()
    data["variables"]["steps"]["value"] = steps
    generator = data["networks"]["generator"]
    generator["nodes"].append({"id": "g_bn", "kind": "nn.BatchNorm1d"})
    generator["edges"] = [e for e in generator["edges"] if e["from"] != "g_fc.y"]
    generator["edges"] += [{"from": "g_fc.y", "to": "g_bn.x"}, {"from": "g_bn.y", "to": "g_tanh.x"}]
    path = tmp_path / "tiny_bn.json"
    save(graph_from_data(data), path)
    return path


def test_kill_9_loses_only_steps_since_the_last_checkpoint(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    command = [
        sys.executable,
        "-m",
        "graphgan",
        "train",
        str(graph_file(tmp_path, 100_000, checkpoint_every=20, sample_every=10_000)),
        "--out",
        str(run_dir),
        "--no-progress",
    ]
    process = subprocess.Popen(
        command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    latest = run_dir / "checkpoints" / "latest.json"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if latest.is_file() and json.loads(latest.read_text())["step"] >= 60:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)

    checkpoint = load_checkpoint(run_dir)  # never corrupt, whenever the kill landed
    logged = read_metrics(RunPaths(run_dir).metrics)[-1]["step"]
    assert checkpoint.step >= 60
    assert logged - checkpoint.step < 20 + 1
    (listed,) = list_runs(tmp_path)
    assert listed.status == "interrupted"  # it says running, but its process is gone

    result = resume(run_dir, TrainOptions(progress=False, steps=checkpoint.step + 5))
    assert (result.status, result.step) == ("finished", checkpoint.step + 5)


def test_two_processes_under_torchrun_stay_identical(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--nproc_per_node",
        "2",
        "--master_port",
        "29531",
        "-m",
        "graphgan",
        "-v",
        "train",
        str(graph_with_batch_norm(tmp_path, 8)),
        "--out",
        str(run_dir),
        "--no-progress",
        "--device",
        "cpu",
    ]
    result = subprocess.run(
        command, env=ENV, capture_output=True, text=True, timeout=240, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "weights identical across 2 processes" in result.stderr
    paths = RunPaths(run_dir)
    assert read_status(paths).state == "finished"
    assert [m["step"] for m in read_metrics(paths.metrics)] == list(range(1, 9))
    assert load_checkpoint(run_dir).step == 8
    assert json.loads(paths.config.read_text())["world_size"] == 2
