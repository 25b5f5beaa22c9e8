"""Images per second and peak GPU memory per template, with and without torch.compile and bf16.

Run it on a CUDA machine (under 5 minutes): `python bench/gpu_training.py`. Each template
trains at its paper configuration for a hundred steps in each of four settings; the first
steps (where torch.compile compiles) are left out of the rate. Figures go to
bench/results/gpu_training.json. On a machine without CUDA it says so and exits 1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import torch
from common import write_results

from graphgan.graph.training import training_spec
from graphgan.templates import open_document, template_names
from graphgan.training.loop import TrainOptions, train
from graphgan.training.sinks import MetricSink

SETTINGS = {
    "eager_fp32": ("off", "fp32"),
    "eager_bf16": ("off", "bf16"),
    "compiled_fp32": ("on", "fp32"),
    "compiled_bf16": ("on", "bf16"),
}
WARM_UP = 10  # steps left out of the rate: compilation, allocator warm-up


class _StepTimes(MetricSink):
    def __init__(self) -> None:
        self.times: list[float] = []

    def log(self, step: int, metrics: Any) -> None:
        # Only logged steps reach a sink (every `log_every`), which is enough for a median.
        if step > WARM_UP:
            self.times.append(float(metrics["step_time"]))


def measure(template: str, setting: str, steps: int) -> dict[str, Any]:
    compile_mode, precision = SETTINGS[setting]
    graph = open_document(template)
    clock = _StepTimes()
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    with TemporaryDirectory() as folder:
        options = TrainOptions(
            out=Path(folder) / "run",
            steps=steps,
            device="cuda",
            torch_compile=compile_mode,  # type: ignore[arg-type]
            precision=precision,  # type: ignore[arg-type]
            progress=False,
            sinks=[clock],
        )
        result = train(graph, options)
    step_s = statistics.median(clock.times)
    return {
        "status": result.status,
        "images_per_s": round(training_spec(graph).batch_size / step_s, 1),
        "median_step_ms": round(step_s * 1000, 2),
        "peak_memory_mib": round(torch.cuda.max_memory_allocated() / 2**20, 1),
        "wall_s": round(time.perf_counter() - started, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", nargs="*", default=None, help="default: all shipped")
    parser.add_argument("--steps", type=int, default=100, help="steps per setting")
    parser.add_argument("--budget", type=float, default=270, help="seconds before stopping")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("gpu_training: torch sees no CUDA device; run this on a GPU machine")
        return 1

    figures: dict[str, Any] = {"device": torch.cuda.get_device_name(), "steps": args.steps}
    began = time.perf_counter()
    for template in args.templates or template_names():
        figures[template] = {}
        for setting in SETTINGS:
            if time.perf_counter() - began > args.budget:
                figures[template][setting] = "skipped: time budget spent"
                continue
            try:
                figures[template][setting] = measure(template, setting, args.steps)
            except Exception as error:  # report every template, even when one fails
                figures[template][setting] = f"failed: {type(error).__name__}: {error}"
            print(template, setting, figures[template][setting], file=sys.stderr, flush=True)
    write_results("gpu_training", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
