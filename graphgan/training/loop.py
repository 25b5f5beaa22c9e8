"""The training loop: seeds, data, compiled networks, steps, metrics, samples, checkpoints.

A run is fully described by its folder: the resolved graph, the training config, a manifest
(seed, graph hash, versions, device, dataset fingerprint), metrics, sample grids and
checkpoints. `resume` continues exactly where the last checkpoint left off.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
from torch import nn

from graphgan.compiler import compile_network
from graphgan.errors import GraphganError, GraphInvalidError
from graphgan.graph import Graph, dumps, load
from graphgan.graph.training import TrainingSpec, training_spec, with_total_steps
from graphgan.training import acceleration, distributed
from graphgan.training.checkpoints import apply_checkpoint, load_checkpoint, save_checkpoint
from graphgan.training.context import Networks
from graphgan.training.data import (
    BatchStream,
    Position,
    data_options,
    fingerprint,
    open_dataset,
    to_device,
)
from graphgan.training.grids import save_grid
from graphgan.training.interrupts import StopSignals
from graphgan.training.optim import build_optimizer, build_scheduler, initialise, parameters_of
from graphgan.training.plots import plot_losses
from graphgan.training.recipe import Optimisation, recipe_step
from graphgan.training.runs import (
    RunPaths,
    State,
    make_manifest,
    new_run_dir,
    write_json_atomic,
    write_manifest,
    write_status,
)
from graphgan.training.sampling import draw, fixed_context, sample_layout
from graphgan.training.sinks import (
    FanOut,
    JsonlSink,
    MetricSink,
    ProgressSink,
    make_tensorboard_sink,
    read_metrics,
)
from graphgan.validation import analyse

log = logging.getLogger(__name__)

Device = Literal["auto", "cpu", "cuda", "mps"]
STATUS_EVERY_S = 5.0  # how often a running run rewrites status.json with its step


class NonFiniteLossError(GraphganError, FloatingPointError):
    """A loss term became NaN or infinite; the run stops with its last good checkpoint."""

    code = "loss-non-finite"


@dataclass(frozen=True)
class TrainOptions:
    """How to run a graph's training: everything the command line can set."""

    out: Path | None = None
    runs_root: Path = Path("runs")
    steps: int | None = None
    epochs: int | None = None  # instead of steps: whole passes over the training data
    seed: int = 0
    device: Device = "auto"
    data: str | None = None
    # auto: torch.compile and bf16 autocast on CUDA, plain fp32 eager elsewhere.
    torch_compile: acceleration.Switch = "auto"
    precision: acceleration.Precision = "auto"
    progress: bool = True
    sinks: Sequence[MetricSink] = field(default_factory=tuple)
    # Polled after every step; True stops the run with a checkpoint (a server's stop button).
    stop: Callable[[int], bool] | None = None


@dataclass(frozen=True)
class RunResult:
    run_dir: Path
    step: int
    status: str
    metrics: dict[str, float]


def pick_device(choice: Device) -> torch.device:
    """CUDA, then Apple's MPS, then the CPU, unless one is asked for."""
    if choice != "auto":
        if choice == "cuda" and not torch.cuda.is_available():
            raise GraphganError("--device cuda was asked for, but torch sees no CUDA device")
        return torch.device(choice)
    if torch.cuda.is_available():
        return torch.device("cuda", distributed.local_rank())
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def train(graph: Graph, options: TrainOptions) -> RunResult:
    """Train a graph as its training section says; see TrainOptions for what may change."""
    return Trainer(graph, options).run()


def resume(run_dir: Path, options: TrainOptions) -> RunResult:
    """Continue a run from its latest checkpoint, with the graph and seed it started with."""
    paths = RunPaths(Path(run_dir))
    if not paths.graph.is_file():
        raise GraphganError(f"{run_dir} is not a run folder (it has no {paths.graph.name})")
    if options.epochs:
        raise GraphganError("--epochs sizes a new run; lengthen a resumed run with --steps")
    config = _read_json(paths.config)
    # The seed and data are the run's own; --steps may lengthen or shorten it.
    steps = config["steps"] if options.steps is None else options.steps
    kept = dict(seed=config["seed"], data=config["data"], steps=steps)
    resumed = TrainOptions(**{**options.__dict__, **kept, "out": Path(run_dir)})
    if steps != config["steps"]:
        log.info("resumed run %s now ends at step %d (was %d)", run_dir, steps, config["steps"])
        write_json_atomic(paths.config, {**config, "steps": steps})
    return Trainer(load(paths.graph), resumed, resuming=True).run()


class Trainer:
    """Owns one run from set-up to the last checkpoint."""

    def __init__(self, graph: Graph, options: TrainOptions, resuming: bool = False) -> None:
        self.graph = graph
        self.options = options
        self.resuming = resuming
        self.rank, self.world = distributed.setup()
        self.device = pick_device(options.device)
        self.speed = acceleration.resolve(self.device, options.precision, options.torch_compile)
        self.spec = self._training_spec()
        self.total = self.spec.total_steps

    def _training_spec(self) -> TrainingSpec:
        analysis = analyse(self.graph)
        if not analysis.valid:
            raise GraphInvalidError(analysis.report)
        self.analysis = analysis
        spec = training_spec(self.graph)
        steps = self.options.steps
        return spec if steps is None else with_total_steps(spec, steps)

    # Set-up ------------------------------------------------------------------------------

    def _build_networks(self) -> Networks:
        seed_everything(self.options.seed)
        modules: dict[str, nn.Module] = {}
        runners: dict[str, Any] = {}
        for name in self.analysis.networks:
            module = compile_network(self.analysis, name, device=self.device, torch_compile="off")
            initialise(module, self.spec.init)
            distributed.broadcast_parameters(module)
            modules[name] = module
            runners[name] = acceleration.prepare(module, name, self.speed)
        if self.world > 1:
            # Same weights everywhere, but each process draws its own noise.
            torch.manual_seed(self.options.seed + 1_000_003 * self.rank)
        infos, inputs = self.analysis.networks, self.spec.inputs
        return Networks(modules, infos, inputs, runners=runners, autocast=self.speed.autocast)

    def _build_optimisation(self, networks: Networks) -> tuple[Optimisation, dict[str, Any]]:
        optimizers, schedulers, covered = {}, {}, {}
        for name, opt in self.spec.optimizers.items():
            optimizers[name] = build_optimizer(opt, parameters_of(opt, networks.modules))
            schedulers[name] = build_scheduler(optimizers[name], opt.schedule, self.total)
            covered[name] = list(opt.networks)
        return Optimisation(optimizers, covered, distributed.average_gradients), schedulers

    def _open_data(self) -> tuple[str, Any]:
        text = self.options.data or self.spec.data.dataset
        options = data_options(self.spec.data, self.options.seed)
        _, dataset = open_dataset(text, options)
        return text, dataset

    def _set_epochs(self, epochs: int, items: int) -> None:
        """Make the run `epochs` passes over the data (whole batches, as the stream serves)."""
        per_epoch = items // self.spec.batch_size
        if per_epoch == 0:
            raise GraphganError(
                f"--epochs: the dataset's {items} items make no whole batch of "
                f"{self.spec.batch_size}; lower batch_size or use --steps"
            )
        self.spec = with_total_steps(self.spec, epochs * per_epoch)
        self.total = self.spec.total_steps

    def _run_folder(self) -> RunPaths:
        if self.options.out is not None:
            root = Path(self.options.out)
        else:
            root = new_run_dir(self.options.runs_root, self.graph.name)
        paths = RunPaths(root)
        if self.rank == 0:
            root.mkdir(parents=True, exist_ok=True)
            paths.samples.mkdir(exist_ok=True)
        return paths

    def _write_run_files(self, paths: RunPaths, data_name: str, dataset: Any) -> None:
        if self.rank != 0 or self.resuming:
            return
        paths.graph.write_text(dumps(self.graph), encoding="utf-8")
        config = {
            "seed": self.options.seed,
            "data": data_name,
            "steps": self.total,
            "device": str(self.device),
            "acceleration": self.speed.describe(),
            "world_size": self.world,
            "training": self.spec.model_dump(mode="json"),
        }
        write_json_atomic(paths.config, config)
        manifest = make_manifest(
            seed=self.options.seed,
            graph_text=dumps(self.graph),
            device=str(self.device),
            dataset=data_name,
            dataset_fingerprint=fingerprint(dataset),
        )
        write_manifest(paths, manifest)

    def _sinks(self, paths: RunPaths, start: int) -> MetricSink:
        if self.rank != 0:
            return FanOut([])
        sinks: list[MetricSink] = [JsonlSink(paths.metrics, resume_from=start)]
        if self.options.progress:
            sinks.append(ProgressSink(self.total, start))
        tensorboard = make_tensorboard_sink(paths.root / "tensorboard")
        if tensorboard is not None:
            sinks.append(tensorboard)
        return FanOut([*sinks, *self.options.sinks])

    # The run -----------------------------------------------------------------------------

    def run(self) -> RunResult:
        data_name, dataset = self._open_data()
        if self.options.epochs:
            self._set_epochs(self.options.epochs, len(dataset))
        networks = self._build_networks()
        optimisation, schedulers = self._build_optimisation(networks)
        paths = self._run_folder()
        self._write_run_files(paths, data_name, dataset)

        start, position = 0, Position()
        if self.resuming:
            start, position = self._restore(paths, networks, optimisation, schedulers)
        stream = BatchStream(
            dataset,
            self.spec.batch_size // self.world,
            self.options.seed,
            self.spec.data.workers,
            self.rank,
            self.world,
            position,
        )
        fixed = fixed_context(self.spec, networks, dataset, self.device, self.options.seed)
        if self.rank == 0:
            log.info(
                "training '%s' for %d steps on %s (%s), data '%s', run folder %s",
                self.graph.name,
                self.total,
                self.device,
                self.speed.describe(),
                data_name,
                paths.root,
            )
        sink = self._sinks(paths, start)
        state = _Loop(self, paths, networks, optimisation, schedulers, stream, fixed, sink)
        return state.run(start)

    def _restore(
        self,
        paths: RunPaths,
        networks: Networks,
        optimisation: Optimisation,
        schedulers: dict[str, Any],
    ) -> tuple[int, Position]:
        checkpoint = load_checkpoint(paths.root)
        apply_checkpoint(checkpoint, networks.modules, optimisation.optimizers, schedulers)
        data = checkpoint.extra.get("data", {})
        log.info("resuming %s from step %d", paths.root, checkpoint.step)
        return checkpoint.step, Position(int(data.get("epoch", 0)), int(data.get("batch", 0)))


class _Loop:
    """The steps of one run, with what each needs at hand."""

    def __init__(
        self,
        trainer: Trainer,
        paths: RunPaths,
        networks: Networks,
        optimisation: Optimisation,
        schedulers: dict[str, Any],
        stream: BatchStream,
        fixed: Any,
        sink: MetricSink,
    ) -> None:
        self.trainer, self.spec, self.paths = trainer, trainer.spec, paths
        self.networks, self.optimisation, self.schedulers = networks, optimisation, schedulers
        self.stream, self.fixed, self.sink = stream, fixed, sink
        self.rank = trainer.rank
        self.metrics: dict[str, float] = {}
        self.status_written = time.monotonic()

    def run(self, start: int) -> RunResult:
        total = self.trainer.total
        self._status("running", start)
        self.sink.event("started", start, total_steps=total, run_dir=str(self.paths.root))
        step = start
        stop = self.trainer.options.stop
        try:
            with StopSignals() as signals:
                while step < total:
                    self._one_step(step)
                    step += 1
                    self._after_step(step)
                    if step < total and distributed.any_rank(signals.requested is not None):
                        message = f"stopped by {signals.requested or 'a signal'}"
                        return self._interrupted(step, f"{message}; resume with --resume")
                    if stop is not None and step < total and stop(step):
                        return self._interrupted(step, "stopped on request; resume with --resume")
        except KeyboardInterrupt:
            return self._interrupted(step, "stopped by the user; resume with --resume")
        except Exception as error:
            self._status("failed", step, str(error))
            self.sink.event("failed", step, reason=str(error))
            self.sink.close()
            raise
        distributed.check_in_sync(self.networks.modules.values())
        if step % self.spec.checkpoint_every != 0 or step == start:
            self._checkpoint(step)
        if step % self.spec.sample_every != 0 or step == start:
            self._samples(step)
        self._status("finished", step)
        self.sink.event("finished", step)
        self.sink.close()
        return RunResult(self.paths.root, step, "finished", self.metrics)

    def _interrupted(self, step: int, message: str) -> RunResult:
        """Keep the work done so far: a checkpoint at this step, and a status saying so."""
        self._checkpoint(step)
        self._status("interrupted", step, message)
        self.sink.event("interrupted", step)
        self.sink.close()
        return RunResult(self.paths.root, step, "interrupted", self.metrics)

    def _one_step(self, step: int) -> None:
        phase, _ = self.spec.phase_at(step)
        began = time.perf_counter()
        batch = to_device(next(self.stream), self.trainer.device)
        fetched = time.perf_counter()
        run_recipe = recipe_step(phase.recipe)
        device = self.trainer.device
        metrics = dict(run_recipe(phase, self.networks, self.optimisation, batch, device, step))
        metrics["step_time"] = time.perf_counter() - fetched
        metrics["data_time"] = fetched - began
        for name, value in metrics.items():
            if not math.isfinite(value):
                raise NonFiniteLossError(
                    f"loss term '{name}' became {value} at step {step + 1} (phase "
                    f"'{phase.name}'); the last good checkpoint is kept. Lower the learning "
                    "rate or check the data's value range"
                )
        distributed.broadcast_buffers(self.networks.modules.values())
        for name in phase.optimizers:
            self.schedulers[name].step()
        for name, optimizer in self.optimisation.optimizers.items():
            metrics[f"lr/{name}"] = optimizer.param_groups[0]["lr"]
        self.metrics = metrics

    def _after_step(self, step: int) -> None:
        if step % self.spec.log_every == 0 or step == self.trainer.total:
            self.sink.log(step, self.metrics)
        if step % self.spec.sample_every == 0:
            self._samples(step)
        if step % self.spec.checkpoint_every == 0:
            self._checkpoint(step)
        if time.monotonic() - self.status_written > STATUS_EVERY_S:
            self._status("running", step)  # so `graphgan runs` and the faces see progress

    def _samples(self, step: int) -> None:
        if self.rank != 0:
            return
        phase, _ = self.spec.phase_at(max(0, step - 1))
        images = draw(self.networks, phase, self.fixed)
        _, cols = sample_layout(self.spec, self.networks)
        path = self.paths.samples / f"step-{step:08d}.png"
        save_grid(images, path, self.spec.data.value_range, nrow=cols)
        save_grid(images, self.paths.samples / "latest.png", self.spec.data.value_range, nrow=cols)
        plot_losses(read_metrics(self.paths.metrics), self.paths.losses, self.trainer.graph.name)
        self.sink.event("sample", step, path=str(path))

    def _checkpoint(self, step: int) -> None:
        if self.rank != 0:
            return
        position = self.stream.position
        folder = save_checkpoint(
            self.paths.root,
            step,
            self.networks.modules,
            self.optimisation.optimizers,
            self.schedulers,
            {"data": {"epoch": position.epoch, "batch": position.batch}},
            keep=self.spec.keep_checkpoints,
        )
        self.sink.event("checkpoint", step, path=str(folder))

    def _status(self, state: State, step: int, message: str = "") -> None:
        if self.rank == 0:
            write_status(self.paths, state, step, self.trainer.total, message)
            self.status_written = time.monotonic()


def _read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
