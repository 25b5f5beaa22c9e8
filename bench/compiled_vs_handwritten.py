"""Compiled networks against their hand-written twins: forward and backward, one thread.

Paired, interleaved rounds (the order alternates each round) cancel drift in machine load;
the figure is the median of per-round time ratios. Goal (issue #2): 1.05 or less.
"""

from __future__ import annotations

import copy
import statistics
from collections.abc import Callable
from typing import Any

import torch
from common import seconds, write_results
from torch import nn

from graphgan.compiler import compile_network
from graphgan.graph.files import graph_from_data
from graphgan.templates import open_document
from tests.handwritten import CONV_GRAPH, CganGenerator, ConvDiscriminator

GOAL = 1.05


def step(module: nn.Module, inputs: tuple[torch.Tensor, ...]) -> Callable[[], None]:
    def run() -> None:
        module.zero_grad(set_to_none=True)
        module(*inputs).square().mean().backward()

    return run


def compare(
    compiled: nn.Module, twin: nn.Module, inputs: tuple[torch.Tensor, ...], rounds: int
) -> dict[str, Any]:
    twin.load_state_dict(compiled.state_dict())
    runs = {"compiled": step(compiled, inputs), "hand_written": step(twin, inputs)}
    for run in runs.values():
        for _ in range(5):
            run()  # warm-up: allocator and kernels
    times: dict[str, list[float]] = {name: [] for name in runs}
    for index in range(rounds):
        order = list(runs) if index % 2 == 0 else list(reversed(runs))
        for name in order:
            times[name].append(seconds(runs[name]))
    ratios = [c / h for c, h in zip(times["compiled"], times["hand_written"], strict=True)]
    median_ratio = statistics.median(ratios)
    return {
        "rounds": rounds,
        "median_ratio": round(median_ratio, 4),
        "ratio_of_medians": round(
            statistics.median(times["compiled"]) / statistics.median(times["hand_written"]), 4
        ),
        "goal": GOAL,
        "meets_goal": median_ratio <= GOAL,
    }


def main() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(0)
    generator = compile_network(open_document("cgan"), "generator")
    conv = compile_network(graph_from_data(copy.deepcopy(CONV_GRAPH)), "discriminator")
    labels = torch.randint(0, 10, (64,))
    figures = {
        "cgan_generator_dense": compare(
            generator, CganGenerator(), (torch.rand(64, 100), labels), rounds=200
        ),
        "conv_discriminator": compare(
            conv, ConvDiscriminator(), (torch.randn(64, 3, 32, 32),), rounds=200
        ),
    }
    write_results("compiled_vs_handwritten", figures)


if __name__ == "__main__":
    main()
