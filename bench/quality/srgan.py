"""SRGAN: does the MSE-trained SRResNet beat bicubic up-sampling at 4x?

Y-channel PSNR (ITU-R BT.601 luma, a 4-pixel border cropped), as super-resolution papers
measure it, on held-out crops of the bundled photos: the generator after its MSE
pre-training against bicubic up-sampling, with an untrained generator as the control. The
adversarial stage's PSNR is reported without a gate: the paper's SRGAN is below bicubic in
PSNR, by design.
"""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import torch

from graphgan.graph.training import training_spec
from graphgan.graph.variables import configure
from graphgan.templates import open_document
from graphgan.training.checkpoints import load_checkpoint

from .outcome import Gate, Outcome, Samples
from .scoring import test_items, trained_run, translate

MARGIN = 0.2  # dB the SRResNet stage must beat bicubic by (reference section 10.3)
SHOWN = 6  # held-out crops in the sample picture


def y_channel(images: torch.Tensor) -> torch.Tensor:
    """ITU-R BT.601 luma in [16, 235] of RGB images in [-1, 1], as SR papers measure it."""
    rgb = (images.clamp(-1, 1) + 1) / 2
    weights = torch.tensor([65.481, 128.553, 24.966]).view(1, 3, 1, 1)
    return 16 + (rgb * weights).sum(dim=1)


def y_psnr(output: torch.Tensor, target: torch.Tensor, border: int = 4) -> float:
    """Mean over images of Y-channel PSNR with `border` pixels cropped on every side."""
    crop = (slice(None), slice(border, -border), slice(border, -border))
    mse = (y_channel(output)[crop] - y_channel(target)[crop]).square().mean(dim=(1, 2))
    return float((10 * torch.log10(255**2 / mse)).mean())


@torch.no_grad()
def upscaled(run: Any, checkpoint: Path | None, conditions: torch.Tensor) -> torch.Tensor:
    """The run's generator outputs, with the weights of `checkpoint` when given."""
    if checkpoint is not None:
        weights = load_checkpoint(checkpoint).weights["generator"]
        run.networks.modules["generator"].load_state_dict(weights)
    run.networks.modules["generator"].eval()
    return translate(run, conditions)


def check() -> Outcome:
    graph = configure(open_document("srgan"), "demo")
    items = test_items("photos-sr", graph)
    bicubic = (
        torch.nn.functional.interpolate(
            items["condition"], scale_factor=4, mode="bicubic", align_corners=False
        ).clamp(0, 1)
        * 2
        - 1
    )
    bicubic_psnr = round(y_psnr(bicubic, items["image"]), 2)
    pretrain_steps = int(graph.variables["pretrain_steps"].value)
    with TemporaryDirectory() as folder:
        untrained, _, _ = trained_run(
            configure(graph, None, {"pretrain_steps": 0, "steps": 0}), folder + "/zero", 0
        )
        control = round(y_psnr(upscaled(untrained, None, items["condition"]), items["image"]), 2)
        run, _, seconds = trained_run(graph, folder, seed=0)
        adversarial = upscaled(run, None, items["condition"])
        step_folder = run.paths.root / "checkpoints" / f"step-{pretrain_steps:08d}"
        srresnet = upscaled(run, step_folder, items["condition"])
    srresnet_psnr = round(y_psnr(srresnet, items["image"]), 2)
    # Rows: bicubic, SRResNet (MSE), SRGAN (adversarial), the true high-resolution crop.
    shown = torch.cat([t[:SHOWN] for t in (bicubic, srresnet, adversarial, items["image"])])
    return Outcome(
        figures={
            "steps": training_spec(graph).total_steps,
            "pretrain_steps": pretrain_steps,
            "train_seconds": seconds,
            "test_crops": len(items["image"]),
            "bicubic_y_psnr_db": bicubic_psnr,
            "srresnet_mse_y_psnr_db": srresnet_psnr,
            "srgan_mse_y_psnr_db_not_gated": round(y_psnr(adversarial, items["image"]), 2),
            "control_untrained_generator_y_psnr_db": control,
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
