"""The example pack's loss term: total variation, a smoothness prior on generated images.

A document adds it to a phase's generator losses:
`{"term": "example.total_variation", "weight": 0.01, "args": {"output": "g_image"}}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from graphgan.plugin import LossTerm, TermInputs


def total_variation(inputs: TermInputs, args: Mapping[str, Any]) -> torch.Tensor:
    """Mean absolute difference between neighbouring pixels of an image batch."""
    if "output" not in args:
        raise ValueError("example.total_variation needs args.output, the image node to smooth")
    images = inputs.value(str(args["output"]))
    if images.dim() != 4:
        raise ValueError(
            f"example.total_variation: '{args['output']}' holds a {images.dim()}-D tensor; "
            "it needs images (N, C, H, W)"
        )
    down = (images[:, :, 1:, :] - images[:, :, :-1, :]).abs().mean()  # (N, C, H-1, W)
    across = (images[:, :, :, 1:] - images[:, :, :, :-1]).abs().mean()  # (N, C, H, W-1)
    return down + across


TOTAL_VARIATION = LossTerm(
    name="example.total_variation",
    description="Total variation of an image output: penalises pixel-to-pixel noise.",
    compute=total_variation,
)
