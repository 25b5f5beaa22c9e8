"""The example node kinds, declared against graphgan's plugin contract.

This module imports no torch: listing the installed kinds stays cheap, and the builders name
their torch code by import path instead (see `layers.py`).
"""

from __future__ import annotations

from graphgan.plugin import (
    Built,
    Function,
    Input,
    Inputs,
    Module,
    NodeSpec,
    Outputs,
    Params,
    Port,
    ShapeError,
    TensorKind,
    TensorSpec,
)
from pydantic import Field

LAYERS = "graphgan_example.layers"


class MinibatchStdDevParams(Params):
    group_size: int = Field(
        4,
        ge=0,
        le=4096,
        description=(
            "Samples per statistics group; the batch size must be a multiple of it. "
            "0 takes one figure over the whole batch."
        ),
    )


class MinibatchStdDev(NodeSpec[MinibatchStdDevParams]):
    kind = "example.MinibatchStdDev"
    category = "statistics"
    description = (
        "Append the batch's standard deviation as one extra channel, so a discriminator "
        "can spot a generator that has collapsed to few outputs (Karras et al. 2018)."
    )
    params = MinibatchStdDevParams
    inputs = (Port("x", TensorKind.FEATURE_MAP, "feature maps (N, C, H, W)"),)
    outputs = (Port("y", TensorKind.FEATURE_MAP, "feature maps (N, C + 1, H, W)"),)
    key_params = ("group_size",)

    def infer(self, params: MinibatchStdDevParams, inputs: Inputs) -> Outputs:
        x = inputs["x"]
        if x.rank != 4:
            raise ShapeError(
                f"expected feature maps (N, C, H, W), got {x}",
                port="x",
                fix="place this node before the discriminator flattens its features",
            )
        batch, channels, height, width = x.shape
        # (N, C, H, W) -> (N, C + 1, H, W); an image in is a feature map out.
        shape = (batch, int(channels) + 1, height, width)
        return {"y": TensorSpec(TensorKind.FEATURE_MAP, shape, x.dtype)}

    def build(self, params: MinibatchStdDevParams, inputs: Inputs) -> Built:
        return Module(f"{LAYERS}.MinibatchStdDev", kwargs={"group_size": params.group_size})

    def macs(self, params: MinibatchStdDevParams, inputs: Inputs, outputs: Outputs) -> int:
        # The variance costs about one multiply-accumulate per input value.
        return inputs["x"].sample_numel


class SwishParams(Params):
    beta: float = Field(
        1.0,
        ge=0.0,
        le=100.0,
        description="Sharpness: 0 gives x / 2, 1 is SiLU, large values approach ReLU.",
    )
    learnable: bool = Field(False, description="Learn beta, starting from the value above.")


class Swish(NodeSpec[SwishParams]):
    kind = "example.Swish"
    category = "activation"
    description = "Smooth activation x * sigmoid(beta * x) (Ramachandran et al. 2017)."
    params = SwishParams
    inputs = (Port("x", TensorKind.ANY, "any float tensor"),)
    outputs = (Port("y", TensorKind.ANY, "same shape and kind as x"),)
    key_params = ("beta", "learnable")

    def infer(self, params: SwishParams, inputs: Inputs) -> Outputs:
        x = inputs["x"]
        if x.kind is TensorKind.LABEL:
            raise ShapeError(
                f"expected a float tensor, got integer class labels {x}",
                port="x",
                fix="turn the labels into vectors first (an embedding or one-hot node)",
            )
        return {"y": x}

    def build(self, params: SwishParams, inputs: Inputs) -> Built:
        if params.learnable:
            return Module(f"{LAYERS}.Swish", kwargs={"beta": params.beta})
        # A fixed beta holds no parameters, so a plain function call is enough.
        return Function(f"{LAYERS}.swish", (Input("x"),), {"beta": params.beta})

    def macs(self, params: SwishParams, inputs: Inputs, outputs: Outputs) -> int:
        return inputs["x"].sample_numel  # the multiply by the gate, once per value
