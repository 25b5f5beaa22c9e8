"""Shared pieces of the benchmarks: timing rounds, and writing figures as JSON."""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

# The benchmarks import the hand-written twins kept beside the tests.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def seconds(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def write_results(name: str, figures: dict[str, Any]) -> Path:
    """Print the figures and write them, with the machine they came from, as JSON."""
    figures = {
        "benchmark": name,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "machine": platform.machine(),
        "threads": torch.get_num_threads(),
        **figures,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return path
