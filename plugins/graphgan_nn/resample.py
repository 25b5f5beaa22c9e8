"""Parameter-free upsampling: interpolation and sub-pixel (pixel shuffle) rearrangement."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from graphgan.plugin import (
    Built,
    Inputs,
    Module,
    NodeSpec,
    Outputs,
    Params,
    Port,
    ShapeError,
    TensorKind,
    TensorSpec,
    spatial,
)

MAX_FACTOR = 64


class UpsampleParams(Params):
    scale_factor: int = Field(2, ge=1, le=MAX_FACTOR, description="Size multiplier.")
    mode: Literal["nearest", "bilinear"] = Field(
        "nearest", description="nearest: repeat pixels; bilinear: interpolate."
    )
    align_corners: bool = Field(
        False, description="bilinear only: align the corner pixels of input and output."
    )

    @field_validator("align_corners")
    @classmethod
    def _bilinear_only(cls, align_corners: bool, info: ValidationInfo) -> bool:
        if align_corners and info.data.get("mode") == "nearest":
            raise ValueError("align_corners applies only to mode 'bilinear'; set it to false")
        return align_corners


class Upsample(NodeSpec[UpsampleParams]):
    kind = "nn.Upsample"
    category = "resample"
    description = "Enlarge a feature map or image by a whole factor, without weights."
    params = UpsampleParams
    inputs = (Port("x", TensorKind.FEATURE_MAP, "feature map or image (N, C, H, W)"),)
    outputs = (Port("y", TensorKind.FEATURE_MAP, "the same kind, (N, C, H*s, W*s)"),)
    key_params = ("scale_factor", "mode")

    def infer(self, params: UpsampleParams, inputs: Inputs) -> Outputs:
        x = inputs["x"]
        height, width = (int(size) * params.scale_factor for size in x.shape[2:])
        # An upsampled image is still an image (SRGAN's bicubic-style baseline path).
        return {"y": spatial(x.channels, height, width, x.kind)}

    def build(self, params: UpsampleParams, inputs: Inputs) -> Built:
        kwargs: dict[str, object] = {"scale_factor": params.scale_factor, "mode": params.mode}
        if params.mode == "bilinear":
            kwargs["align_corners"] = params.align_corners
        return Module("torch.nn.Upsample", (), kwargs)


class PixelShuffleParams(Params):
    upscale_factor: int = Field(
        2, ge=2, le=MAX_FACTOR, description="Size multiplier r; channels shrink by r^2."
    )


class PixelShuffle(NodeSpec[PixelShuffleParams]):
    kind = "nn.PixelShuffle"
    category = "resample"
    description = "Sub-pixel upsampling: move channel groups of r^2 into r x r pixel blocks."
    params = PixelShuffleParams
    inputs = (Port("x", TensorKind.FEATURE_MAP, "feature map (N, C*r^2, H, W)"),)
    outputs = (Port("y", TensorKind.FEATURE_MAP, "feature map (N, C, H*r, W*r)"),)
    key_params = ("upscale_factor",)

    def infer(self, params: PixelShuffleParams, inputs: Inputs) -> Outputs:
        x, r = inputs["x"], params.upscale_factor
        if x.channels % (r * r):
            raise ShapeError(
                f"upscale_factor {r} needs channels divisible by {r * r}, got {x.channels}",
                port="x",
                fix=f"feed {_nearest_multiple(x, r * r)} channels or change upscale_factor",
            )
        height, width = (int(size) * r for size in x.shape[2:])
        return {"y": spatial(x.channels // (r * r), height, width)}

    def build(self, params: PixelShuffleParams, inputs: Inputs) -> Built:
        # (N, C*r^2, H, W) -> (N, C, H*r, W*r)
        return Module("torch.nn.PixelShuffle", (params.upscale_factor,))


def _nearest_multiple(x: TensorSpec, step: int) -> int:
    return max(step, round(x.channels / step) * step)
