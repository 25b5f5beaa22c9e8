"""2-D convolutions: strided convolution and transposed (up-)convolution."""

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
    conv_output_size,
    declared_size,
    spatial,
)
from graphgan_nn.options import changed, spectral_norm

MAX_CHANNELS = 1 << 16
MAX_KERNEL = 256
CHANNELS = "input channels"

PaddingMode = Literal["zeros", "reflect", "replicate", "circular"]

# How far each padding mode may reach past the input size (PyTorch refuses more): a
# reflection mirrors inside the input, circular padding wraps around it at most once.
PADDING_SLACK = {"reflect": 0, "circular": 1}


class Conv2dParams(Params):
    out_channels: int = Field(ge=1, le=MAX_CHANNELS, description="Output channels.")
    kernel_size: int = Field(ge=1, le=MAX_KERNEL, description="Square kernel size.")
    stride: int = Field(1, ge=1, le=MAX_KERNEL, description="Step between kernel positions.")
    padding: int = Field(0, ge=0, le=MAX_KERNEL, description="Pixels added on every side.")
    dilation: int = Field(1, ge=1, le=MAX_KERNEL, description="Spacing between kernel taps.")
    groups: int = Field(1, ge=1, le=MAX_CHANNELS, description="Blocked channel groups.")
    bias: bool = Field(True, description="Learn an additive bias (off before batch norm).")
    padding_mode: PaddingMode = Field("zeros", description="What the padding is filled with.")
    in_channels: int | None = Field(
        None, ge=1, le=MAX_CHANNELS, description="Input channels; inferred when unset."
    )
    spectral_norm: bool = Field(False, description="Wrap the layer in spectral normalisation.")

    @field_validator("groups")
    @classmethod
    def _groups_divide_outputs(cls, groups: int, info: ValidationInfo) -> int:
        out_channels = info.data.get("out_channels")
        if out_channels is not None and out_channels % groups:
            raise ValueError(
                f"out_channels={out_channels} does not divide into {groups} groups; "
                "use a divisor of out_channels"
            )
        return groups


class Conv2d(NodeSpec[Conv2dParams]):
    kind = "nn.Conv2d"
    category = "convolution"
    description = "2-D convolution over a feature map or image."
    params = Conv2dParams
    inputs = (Port("x", TensorKind.FEATURE_MAP, "feature map or image (N, C, H, W)"),)
    outputs = (Port("y", TensorKind.FEATURE_MAP, "feature map (N, out_channels, H', W')"),)
    key_params = ("out_channels", "kernel_size", "stride", "padding")

    def infer(self, params: Conv2dParams, inputs: Inputs) -> Outputs:
        x = inputs["x"]
        channels = declared_size(params.in_channels, x.channels, "in_channels", CHANNELS)
        if channels % params.groups:
            raise ShapeError(
                f"{channels} input channels do not divide into {params.groups} groups",
                port="x",
                fix="set groups to a divisor of both channel counts",
            )
        _check_padding_reach(params, x)
        k, s, p, d = params.kernel_size, params.stride, params.padding, params.dilation
        height, width = (conv_output_size(size, k, s, p, d) for size in x.shape[2:])
        what = f"a {k}x{k} kernel (stride {s}, padding {p}, dilation {d})"
        _check_output(x, height, width, what, "lower kernel_size or dilation, or add padding")
        return {"y": spatial(params.out_channels, height, width)}

    def build(self, params: Conv2dParams, inputs: Inputs) -> Built:
        names = ("stride", "padding", "dilation", "groups", "bias", "padding_mode")
        layer = Module(
            "torch.nn.Conv2d",
            (inputs["x"].channels, params.out_channels, params.kernel_size),
            changed(params, names),
        )
        return spectral_norm(layer) if params.spectral_norm else layer

    def macs(self, params: Conv2dParams, inputs: Inputs, outputs: Outputs) -> int:
        taps = inputs["x"].channels // params.groups * params.kernel_size**2
        return outputs["y"].sample_numel * taps


class ConvTranspose2dParams(Params):
    out_channels: int = Field(ge=1, le=MAX_CHANNELS, description="Output channels.")
    kernel_size: int = Field(ge=1, le=MAX_KERNEL, description="Square kernel size.")
    stride: int = Field(1, ge=1, le=MAX_KERNEL, description="Upsampling factor.")
    padding: int = Field(0, ge=0, le=MAX_KERNEL, description="Pixels cropped from every side.")
    output_padding: int = Field(
        0, ge=0, le=MAX_KERNEL, description="Extra rows and columns added on one side."
    )
    bias: bool = Field(True, description="Learn an additive bias (off before batch norm).")
    in_channels: int | None = Field(
        None, ge=1, le=MAX_CHANNELS, description="Input channels; inferred when unset."
    )
    spectral_norm: bool = Field(False, description="Wrap the layer in spectral normalisation.")

    @field_validator("output_padding")
    @classmethod
    def _below_stride(cls, output_padding: int, info: ValidationInfo) -> int:
        stride = info.data.get("stride")
        if stride is not None and output_padding >= stride:
            raise ValueError(f"output_padding must be smaller than stride ({stride}); lower it")
        return output_padding


class ConvTranspose2d(NodeSpec[ConvTranspose2dParams]):
    kind = "nn.ConvTranspose2d"
    category = "convolution"
    description = "2-D transposed convolution: a learned upsampling of a feature map."
    params = ConvTranspose2dParams
    inputs = (Port("x", TensorKind.FEATURE_MAP, "feature map or image (N, C, H, W)"),)
    outputs = (Port("y", TensorKind.FEATURE_MAP, "feature map (N, out_channels, H', W')"),)
    key_params = ("out_channels", "kernel_size", "stride", "padding")

    def infer(self, params: ConvTranspose2dParams, inputs: Inputs) -> Outputs:
        x = inputs["x"]
        declared_size(params.in_channels, x.channels, "in_channels", CHANNELS)
        k, s, p = params.kernel_size, params.stride, params.padding
        height, width = (
            (int(size) - 1) * s - 2 * p + (k - 1) + params.output_padding + 1
            for size in x.shape[2:]
        )
        what = f"a {k}x{k} kernel (stride {s}, padding {p})"
        _check_output(x, height, width, what, "lower padding")
        return {"y": spatial(params.out_channels, height, width)}

    def build(self, params: ConvTranspose2dParams, inputs: Inputs) -> Built:
        layer = Module(
            "torch.nn.ConvTranspose2d",
            (inputs["x"].channels, params.out_channels, params.kernel_size),
            changed(params, ("stride", "padding", "output_padding", "bias")),
        )
        return spectral_norm(layer) if params.spectral_norm else layer

    def macs(self, params: ConvTranspose2dParams, inputs: Inputs, outputs: Outputs) -> int:
        # Every input value is scattered through a full kernel into every output channel.
        return inputs["x"].sample_numel * params.out_channels * params.kernel_size**2


def _check_padding_reach(params: Conv2dParams, x: TensorSpec) -> None:
    slack = PADDING_SLACK.get(params.padding_mode)
    smallest = min(int(size) for size in x.shape[2:])
    if slack is not None and params.padding >= smallest + slack:
        raise ShapeError(
            f"{params.padding_mode} padding of {params.padding} reaches past the "
            f"{x.shape[2]}x{x.shape[3]} input",
            port="x",
            fix="lower padding, or use padding_mode 'zeros' or 'replicate'",
        )


def _check_output(x: TensorSpec, height: int, width: int, what: str, fix: str) -> None:
    if height < 1 or width < 1:
        raise ShapeError(
            f"a {x.shape[2]}x{x.shape[3]} input is too small for {what}: the output would "
            f"be {height}x{width}",
            port="x",
            fix=f"{fix}, or feed a larger input",
        )
