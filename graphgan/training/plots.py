"""Loss plots: a run's metrics drawn as curves, written beside its sample grids.

Two panels: the loss terms (the discriminator's and the generator's totals and every weighted
term), and the discriminator's mean scores on real and generated images, where a collapse or
a discriminator that wins outright shows first. matplotlib comes with the embedded datasets'
dependencies; it is imported only when a plot is drawn.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from graphgan.training.files import write_bytes_atomic

SMOOTHING_POINTS = 60  # the moving average spans about 1/60 of the run


def curves(records: Sequence[Mapping[str, Any]]) -> tuple[dict[str, list[float]], list[int]]:
    """Every numeric series worth plotting, by name, and the steps they were logged at."""
    steps = [int(record["step"]) for record in records]
    names = {
        name
        for record in records
        for name, value in record.items()
        if _plotted(name) and isinstance(value, (int, float))
    }
    series = {name: [float(r.get(name, float("nan"))) for r in records] for name in sorted(names)}
    return series, steps


def _plotted(name: str) -> bool:
    return name.startswith(("d_", "g_")) or name.endswith("loss")


def smooth(values: list[float], window: int) -> list[float]:
    """A trailing moving average; NaN (a term not logged at a step) is left out of it."""
    out, kept = [], []
    for value in values:
        if value == value:  # not NaN
            kept.append(value)
        kept = kept[-window:]
        out.append(sum(kept) / len(kept) if kept else float("nan"))
    return out


def plot_losses(records: Sequence[Mapping[str, Any]], path: Path, title: str = "") -> None:
    """Draw the run's loss terms and discriminator scores to a PNG at `path`."""
    if not records:
        return
    import matplotlib

    matplotlib.use("Agg")  # no display: render to a file
    from matplotlib.figure import Figure

    series, steps = curves(records)
    window = max(1, len(steps) // SMOOTHING_POINTS)
    figure = Figure(figsize=(9, 6), dpi=100, layout="constrained")
    losses, scores = figure.subplots(2, 1, sharex=True)
    for name, values in series.items():
        axes = scores if name.endswith("_score") else losses
        (line,) = axes.plot(steps, values, linewidth=0.6, alpha=0.3)
        axes.plot(steps, smooth(values, window), color=line.get_color(), label=name)
    losses.set_title(title or "losses")
    losses.set_ylabel("loss")
    scores.set_ylabel("discriminator score")
    scores.set_xlabel("step")
    for axes in (losses, scores):
        axes.grid(alpha=0.3)
        if axes.lines:
            axes.legend(loc="upper right", fontsize="small")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    write_bytes_atomic(Path(path), buffer.getvalue())
