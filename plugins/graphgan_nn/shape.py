"""Nodes that change a tensor's shape but not its values: flatten and reshape."""

from __future__ import annotations

import math

from pydantic import Field, field_validator

from graphgan.plugin import (
    BATCH,
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
    flat,
    require_float,
)


class Flatten(NodeSpec[Params]):
    kind = "nn.Flatten"
    category = "shape"
    description = "Flatten each sample's feature map into one feature vector."
    inputs = (Port("x", TensorKind.FEATURE_MAP, "feature map or image (N, C, H, W)"),)
    outputs = (Port("y", TensorKind.VECTOR, "features (N, C*H*W)"),)

    def infer(self, params: Params, inputs: Inputs) -> Outputs:
        return {"y": flat(inputs["x"].sample_numel)}

    def build(self, params: Params, inputs: Inputs) -> Built:
        # (N, C, H, W) -> (N, C*H*W)
        return Module("torch.nn.Flatten")


class ReshapeParams(Params):
    # A tuple, not a list, so the frozen params model stays hashable.
    shape: tuple[int, ...] = Field(
        description="Shape of one sample: [features] for a vector, [channels, height, width] "
        "for a feature map.",
    )

    @field_validator("shape")
    @classmethod
    def _vector_or_map(cls, shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(shape) not in (1, 3):
            raise ValueError(
                f"give 1 size (a vector) or 3 (channels, height, width), got {len(shape)}"
            )
        if any(size < 1 for size in shape):
            raise ValueError("every size must be at least 1")
        return shape


class Reshape(NodeSpec[ReshapeParams]):
    kind = "nn.Reshape"
    category = "shape"
    description = "Reshape each sample, keeping its values, such as a vector into a feature map."
    params = ReshapeParams
    inputs = (Port("x", TensorKind.ANY, "any real-valued tensor (N, ...)"),)
    outputs = (Port("y", TensorKind.ANY, "(N, *shape): a vector or a feature map"),)
    key_params = ("shape",)

    def infer(self, params: ReshapeParams, inputs: Inputs) -> Outputs:
        x = inputs["x"]
        require_float(x, "x")
        wanted = math.prod(params.shape)
        if wanted != x.sample_numel:
            raise ShapeError(
                f"cannot reshape {x} ({x.sample_numel} values per sample) to "
                f"{_batched(params.shape)} ({wanted} values)",
                port="x",
                fix=f"choose a shape whose sizes multiply to {x.sample_numel}",
            )
        kind = TensorKind.VECTOR if len(params.shape) == 1 else TensorKind.FEATURE_MAP
        return {"y": TensorSpec(kind, (BATCH, *params.shape), x.dtype)}

    def build(self, params: ReshapeParams, inputs: Inputs) -> Built:
        # (N, ...) -> (N, *shape)
        return Module("graphgan_nn.modules.Reshape", (params.shape,))


def _batched(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join([BATCH, *(str(size) for size in shape)]) + ")"
