"""One training step of the cGAN template against a hand-written PyTorch step.

Both run the same architecture, optimisers, losses and data in one process on one thread,
in paired, interleaved rounds; the figure is the median of per-round time ratios. Goal
(issue #3): 1.05 or less. A second figure is the loop's own overhead (data, metrics, progress
bar): the share of a step's wall time spent outside the step itself, goal 5% or less.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from common import seconds, write_results

from graphgan.compiler import compile_network
from graphgan.graph.training import training_spec
from graphgan.graph.variables import configure
from graphgan.templates import open_document
from graphgan.training.context import Networks
from graphgan.training.loop import TrainOptions, train
from graphgan.training.optim import build_optimizer
from graphgan.training.recipe import Optimisation, train_step
from graphgan.training.sinks import MetricSink
from graphgan.validation import analyse
from tests.handwritten import CganDiscriminator, CganGenerator

GOAL_RATIO, GOAL_OVERHEAD = 1.05, 0.05
BATCH = 64


def graphgan_step(batch: dict[str, torch.Tensor]) -> tuple[Callable[[], None], Any]:
    # The paper's networks (ReLU, dropout 0.5 in both, unit-uniform noise), which the
    # hand-written twin reproduces layer for layer, with Adam in place of decaying SGD.
    adam = {"optimizer": "adam", "g_lr": 4e-4, "d_lr": 1e-4, "lr_decay": 1.0}
    graph = configure(open_document("cgan"), None, adam)
    analysis = analyse(graph)
    spec = training_spec(graph)
    modules = {name: compile_network(analysis, name) for name in analysis.networks}
    networks = Networks(modules, analysis.networks, spec.inputs)
    optimizers = {
        name: build_optimizer(opt, modules[opt.networks[0]].parameters())
        for name, opt in spec.optimizers.items()
    }
    covered = {name: list(opt.networks) for name, opt in spec.optimizers.items()}
    optimisation = Optimisation(optimizers, covered)
    phase = spec.phases[0]
    device = torch.device("cpu")
    return (lambda: train_step(phase, networks, optimisation, batch, device)), modules


def hand_written_step(
    batch: dict[str, torch.Tensor], modules: dict[str, torch.nn.Module]
) -> Callable[[], None]:
    generator, discriminator = CganGenerator(), CganDiscriminator()
    generator.load_state_dict(modules["generator"].state_dict())
    discriminator.load_state_dict(modules["discriminator"].state_dict())
    opt_g = torch.optim.Adam(generator.parameters(), lr=4e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=1e-4, betas=(0.5, 0.999))

    def step() -> None:
        z = torch.rand(BATCH, 100)
        y = torch.randint(0, 10, (BATCH,))
        fake = generator(z, y)
        real_score = discriminator(batch["image"], batch["label"])
        fake_score = discriminator(fake.detach(), y)
        loss_d = F.binary_cross_entropy_with_logits(real_score, torch.ones_like(real_score))
        loss_d = loss_d + F.binary_cross_entropy_with_logits(
            fake_score, torch.zeros_like(fake_score)
        )
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        discriminator.requires_grad_(False)
        score = discriminator(fake, y)
        loss_g = F.binary_cross_entropy_with_logits(score, torch.ones_like(score))
        discriminator.requires_grad_(True)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        float(loss_d.detach()), float(loss_g.detach())  # the loop reads losses every step too

    return step


def step_ratio(rounds: int) -> dict[str, Any]:
    batch = {"image": torch.rand(BATCH, 1, 28, 28), "label": torch.randint(0, 10, (BATCH,))}
    ours, modules = graphgan_step(batch)
    theirs = hand_written_step(batch, modules)
    for run in (ours, theirs):
        for _ in range(5):
            run()
    times: dict[str, list[float]] = {"graphgan": [], "hand_written": []}
    for index in range(rounds):
        pair = [("graphgan", ours), ("hand_written", theirs)]
        for name, run in pair if index % 2 == 0 else reversed(pair):
            times[name].append(seconds(run))
    ratios = [a / b for a, b in zip(times["graphgan"], times["hand_written"], strict=True)]
    return {
        "rounds": rounds,
        "median_ratio": round(statistics.median(ratios), 4),
        "median_step_ms": round(statistics.median(times["graphgan"]) * 1000, 2),
        "goal": GOAL_RATIO,
        "meets_goal": statistics.median(ratios) <= GOAL_RATIO,
    }


class _Clock(MetricSink):
    """Wall-clock marks at each logged step, and the time the step itself took there."""

    def __init__(self) -> None:
        self.step_times: list[float] = []
        self.marks: list[tuple[int, float]] = []

    def log(self, step: int, metrics: Any) -> None:
        self.step_times.append(float(metrics["step_time"]))
        self.marks.append((step, time.perf_counter()))


def loop_overhead(steps: int, repeats: int = 3) -> dict[str, Any]:
    """Wall time per step of the whole loop against the time inside the step itself.

    Every step is logged (log_every 1, the most the loop can do outside the step) with the
    progress bar on; the figure is the median over `repeats` runs, since a busy machine makes
    single runs noisy.
    """
    graph = configure(
        open_document("cgan"), "demo", {"sample_every": 10**6, "checkpoint_every": 10**6}
    )
    assert graph.training is not None
    graph = graph.model_copy(update={"training": {**graph.training, "log_every": 1}})
    overheads, walls, insides = [], [], []
    for _ in range(repeats):
        clock = _Clock()
        with TemporaryDirectory() as folder:
            train(graph, TrainOptions(out=Path(folder) / "run", steps=steps, sinks=[clock]))
        (first_step, first_time), (last_step, last_time) = clock.marks[0], clock.marks[-1]
        wall = (last_time - first_time) / (last_step - first_step)
        inside = statistics.mean(clock.step_times[1:])
        overheads.append(1 - inside / wall)
        walls.append(wall)
        insides.append(inside)
    overhead = statistics.median(overheads)
    return {
        "steps": steps,
        "repeats": repeats,
        "wall_ms_per_step": round(statistics.median(walls) * 1000, 2),
        "step_ms": round(statistics.median(insides) * 1000, 2),
        "overhead": round(overhead, 4),
        "overheads": [round(o, 4) for o in overheads],
        "goal": GOAL_OVERHEAD,
        "meets_goal": overhead <= GOAL_OVERHEAD,
    }


def main() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(0)
    write_results(
        "training_step",
        {"cgan_step_vs_hand_written": step_ratio(rounds=200), "loop_overhead": loop_overhead(300)},
    )


if __name__ == "__main__":
    main()
