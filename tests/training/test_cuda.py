"""Training on a CUDA device: bf16 autocast, torch.compile and channels-last switched on by
`auto`. Skipped without a GPU; bench/gpu/run.sh runs these on a GPU machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from graphgan.compiler import compile_network
from graphgan.graph.files import graph_from_data
from graphgan.training.loop import TrainOptions, train
from graphgan.training.runs import RunPaths
from graphgan.training.sinks import read_metrics
from graphgan.validation import analyse
from tests.handwritten import CONV_GRAPH
from tests.training.gan import tiny_gan

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def test_auto_trains_in_bf16_through_torch_compile(tmp_path: Path) -> None:
    result = train(tiny_gan(steps=6), TrainOptions(out=tmp_path / "run", progress=False))

    config = json.loads(RunPaths(result.run_dir).config.read_text())
    assert config["acceleration"] == "bf16 autocast, torch.compile, channels-last"
    assert result.status == "finished"
    metrics = read_metrics(RunPaths(result.run_dir).metrics)
    assert all(torch.isfinite(torch.tensor(m["g_loss"])) for m in metrics)


def test_torch_compile_matches_eager_on_cuda() -> None:
    analysis = analyse(graph_from_data(CONV_GRAPH))
    torch.manual_seed(0)
    eager = compile_network(analysis, "discriminator", device="cuda", torch_compile="off")
    compiled = torch.compile(eager)
    images = torch.randn(8, 3, 32, 32, device="cuda")

    eager.eval()
    with torch.no_grad():
        assert torch.allclose(compiled(images), eager(images), atol=1e-4, rtol=1e-4)
