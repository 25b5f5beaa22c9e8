"""SRGAN: does the MSE-trained SRResNet beat bicubic up-sampling at 4x?

Y-channel PSNR (ITU-R BT.601 luma, a 4-pixel border cropped), as super-resolution papers
measure it, per held-out photo (its tiles' errors pooled) and averaged over the photos: the
generator after its MSE pre-training against bicubic up-sampling, with an untrained
generator as the control. The adversarial stage's PSNR is reported without a gate: the
paper's SRGAN is below bicubic in PSNR, by design.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import torch

from graphgan.graph import Graph
from graphgan.graph.training import training_spec
from graphgan.graph.variables import configure
from graphgan.plugin import DataOptions
from graphgan.registry import default_registry
from graphgan.templates import open_document
from graphgan.training.checkpoints import load_checkpoint

from .outcome import Gate, Outcome, Samples
from .scoring import test_items, trained_run, translate

MARGIN = 0.2  # dB the SRResNet stage must beat bicubic by (reference section 10.3)
BORDER = 4  # pixels cropped from each side before PSNR, as for 4x in the SR papers
SHOWN = 8  # held-out crops in the sample picture


def y_channel(images: torch.Tensor) -> torch.Tensor:
    """ITU-R BT.601 luma in [16, 235] of RGB images in [-1, 1], as SR papers measure it."""
    rgb = (images.clamp(-1, 1) + 1) / 2
    weights = torch.tensor([65.481, 128.553, 24.966]).view(1, 3, 1, 1)
    return 16 + (rgb * weights).sum(dim=1)


def photo_psnrs(
    output: torch.Tensor, target: torch.Tensor, photos: Sequence[str]
) -> dict[str, float]:
    """Y-channel PSNR per photo, a 4-pixel border cropped from every tile.

    `photos[i]` names the photo tile i was cut from. Each photo's squared errors are
    pooled over its tiles before the logarithm, as papers score whole test images: a mean
    of per-tile PSNRs would be ruled by flat tiles (a blurred background), where bicubic
    is near perfect and a few grey levels of noise cost tens of dB.
    """
    crop = (slice(None), slice(BORDER, -BORDER), slice(BORDER, -BORDER))
    errors = (y_channel(output)[crop] - y_channel(target)[crop]).square().mean(dim=(1, 2))
    chosen = {name: torch.tensor([photo == name for photo in photos]) for name in photos}
    return {
        name: round(10 * math.log10(255**2 / float(errors[tiles].mean())), 2)
        for name, tiles in sorted(chosen.items())
    }


def y_psnr(output: torch.Tensor, target: torch.Tensor, photos: Sequence[str]) -> float:
    """The mean over photos of `photo_psnrs`, in dB."""
    scores = photo_psnrs(output, target, photos)
    return round(sum(scores.values()) / len(scores), 2)


@torch.no_grad()
def upscaled(run: Any, checkpoint: Path | None, conditions: torch.Tensor) -> torch.Tensor:
    """The run's generator outputs, with the weights of `checkpoint` when given."""
    if checkpoint is not None:
        weights = load_checkpoint(checkpoint).weights["generator"]
        run.networks.modules["generator"].load_state_dict(weights)
    run.networks.modules["generator"].eval()
    return translate(run, conditions)


def tile_photos(graph: Graph) -> list[str]:
    """The held-out photo each test item of the graph's photos-sr data is cut from."""
    data = training_spec(graph).data
    options = DataOptions(image_size=data.image_size, split="test", extra=data.options)
    dataset = default_registry().datasets["photos-sr"].load(options)
    return [name for name, _box in dataset.tiles]


def bicubic_upscaled(conditions: torch.Tensor) -> torch.Tensor:
    """LR inputs in [0, 1] up-sampled 4x by bicubic interpolation, as images in [-1, 1]."""
    up = torch.nn.functional.interpolate(
        conditions, scale_factor=4, mode="bicubic", align_corners=False
    )
    return up.clamp(0, 1) * 2 - 1


def check() -> Outcome:
    graph = configure(open_document("srgan"), "demo")
    items, photos = test_items("photos-sr", graph), tile_photos(graph)
    conditions, targets = items["condition"], items["image"]
    bicubic = bicubic_upscaled(conditions)
    pretrain_steps = int(graph.variables["pretrain_steps"].value)
    every = int(graph.variables["checkpoint_every"].value)
    if pretrain_steps % every:
        raise ValueError(
            f"the srgan demo pre-trains {pretrain_steps} steps but checkpoints every {every}, "
            "so no checkpoint holds the SRResNet stage; make checkpoint_every divide it"
        )

    # Train the control (no steps at all) and the demo; read the SRResNet stage's weights
    # from the checkpoint written when pre-training ended.
    with TemporaryDirectory() as folder:
        untrained, _, _ = trained_run(
            configure(graph, None, {"pretrain_steps": 0, "steps": 0}), folder + "/zero", 0
        )
        control = y_psnr(upscaled(untrained, None, conditions), targets, photos)
        started = time.process_time()
        run, _, seconds = trained_run(graph, folder, seed=0)
        # CPU time, unlike wall time, does not grow when other jobs share the cores.
        cpu_seconds = round(time.process_time() - started, 1)
        adversarial = upscaled(run, None, conditions)
        step_folder = run.paths.root / "checkpoints" / f"step-{pretrain_steps:08d}"
        srresnet = upscaled(run, step_folder, conditions)

    bicubic_psnr = y_psnr(bicubic, targets, photos)
    srresnet_psnr = y_psnr(srresnet, targets, photos)
    # Rows: bicubic, SRResNet (MSE), SRGAN (adversarial), the true high-resolution crop;
    # columns: tiles spread evenly over the held-out photos.
    picks = torch.linspace(0, len(targets) - 1, SHOWN).round().long()
    shown = torch.cat([t[picks] for t in (bicubic, srresnet, adversarial, targets)])
    return Outcome(
        figures={
            "steps": training_spec(graph).total_steps,
            "pretrain_steps": pretrain_steps,
            "train_seconds": seconds,
            "train_cpu_seconds": cpu_seconds,
            "test_photos": sorted(set(photos)),
            "test_crops": len(targets),
            "bicubic_y_psnr_db": bicubic_psnr,
            "srresnet_mse_y_psnr_db": srresnet_psnr,
            "srgan_mse_y_psnr_db_not_gated": y_psnr(adversarial, targets, photos),
            "control_untrained_generator_y_psnr_db": control,
            "bicubic_y_psnr_db_by_photo": photo_psnrs(bicubic, targets, photos),
            "srresnet_mse_y_psnr_db_by_photo": photo_psnrs(srresnet, targets, photos),
        },
        gates=[
            Gate(
                "Y-PSNR of the MSE-trained SRResNet (floor: bicubic + 0.2 dB)",
                srresnet_psnr,
                round(bicubic_psnr + MARGIN, 2),
                "untrained generator",
                control,
                bicubic_psnr,
                unit="dB",
            )
        ],
        samples={"upscaled": Samples(shown, (-1.0, 1.0), nrow=SHOWN)},
    )
