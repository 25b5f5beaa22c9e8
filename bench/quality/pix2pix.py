"""Pix2Pix: can a fixed rule read the true label map back from the translated image?

The paper's FCN-score idea with a segmenter that needs no training: the data pack's colour
rule (`segment`) labels every pixel of the generated image, and the mean IoU against the true
label maps of held-out pairs is the score. The control is the mean training image; an L1-only
U-Net at equal steps is reported beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np
import torch

from graphgan.graph.document import VariableValue
from graphgan.graph.training import training_spec
from graphgan.graph.variables import configure
from graphgan.plugin import DataOptions
from graphgan.registry import default_registry
from graphgan.templates import open_document
from graphgan_data.labelmaps import segment

from .outcome import Gate, Outcome, Samples
from .scoring import psnr, test_items, trained_run, translate

FLOOR = 0.75  # mean IoU of the segmented outputs (reference section 10.4)
SHOWN = 8  # held-out pairs in the sample picture


def mean_iou(predicted: torch.Tensor, truth: torch.Tensor) -> float:
    """Mean over the classes present in either map of intersection over union."""
    scores = []
    for label in torch.unique(torch.cat([predicted.unique(), truth.unique()])):
        union = ((predicted == label) | (truth == label)).sum()
        scores.append(float(((predicted == label) & (truth == label)).sum() / union))
    return float(np.mean(scores))


def scores(images: torch.Tensor, items: dict[str, torch.Tensor]) -> dict[str, float]:
    labels = segment(images)
    return {
        "mean_iou": round(mean_iou(labels, items["label_map"]), 3),
        "pixel_accuracy": round(float((labels == items["label_map"]).float().mean()), 3),
        "psnr_db": round(psnr(images, items["image"]), 2),
    }


def trained(values: Mapping[str, VariableValue]) -> tuple[dict[str, Any], torch.Tensor]:
    graph = configure(open_document("pix2pix"), "demo", values)
    items = test_items("shapes-pix2pix", graph)
    with TemporaryDirectory() as folder:
        run, _, seconds = trained_run(graph, folder, seed=0)
        images = translate(run, items["condition"])
    return {"train_seconds": seconds, **scores(images, items)}, images


def check() -> Outcome:
    graph = configure(open_document("pix2pix"), "demo")
    items = test_items("shapes-pix2pix", graph)
    spec = training_spec(graph)
    options = DataOptions(image_size=spec.data.image_size, value_range=(-1.0, 1.0))
    train_set = default_registry().datasets["shapes-pix2pix"].load(options)
    mean_image = torch.stack([train_set[i]["image"] for i in range(len(train_set))]).mean(0)
    control = scores(mean_image.expand_as(items["image"]), items)

    full, images = trained({})
    l1_only, _ = trained({"adversarial_weight": 0.0})
    # Rows: the input label map, the translation, the true image.
    shown = torch.cat([items["condition"][:SHOWN], images[:SHOWN], items["image"][:SHOWN]])
    return Outcome(
        figures={
            "steps": spec.total_steps,
            "l1_and_cgan": full,
            "l1_only_at_equal_steps": l1_only,
            "control_mean_training_image": control,
        },
        gates=[
            Gate(
                "mean IoU of the segmented translations",
                full["mean_iou"],
                FLOOR,
                "the mean training image",
                control["mean_iou"],
            )
        ],
        samples={"translations": Samples(shown, (-1.0, 1.0), nrow=SHOWN)},
    )
