"""Loss plots: which series are drawn, and the smoothing that keeps noisy GAN losses legible."""

from __future__ import annotations

import math

from graphgan.training.plots import curves, smooth


def test_curves_keep_losses_terms_and_scores_and_leave_out_timing() -> None:
    records = [
        {"step": 10, "d_loss": 1.0, "g_loss": 2.0, "d_real_score": 0.5, "step_time": 0.1},
        {"step": 20, "d_loss": 0.9, "g_loss": 2.1, "g_l1": 3.0, "lr/g": 0.1},
    ]
    series, steps = curves(records)

    assert steps == [10, 20]
    assert sorted(series) == ["d_loss", "d_real_score", "g_l1", "g_loss"]
    assert math.isnan(series["g_l1"][0]) and series["g_l1"][1] == 3.0


def test_smooth_is_a_trailing_mean_that_skips_gaps() -> None:
    assert smooth([1.0, 3.0, 5.0, 7.0], window=2) == [1.0, 2.0, 4.0, 6.0]
    assert smooth([float("nan"), 2.0], window=3)[1] == 2.0
    assert math.isnan(smooth([float("nan")], window=1)[0])
