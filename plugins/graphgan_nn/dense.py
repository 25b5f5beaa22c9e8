"""Dense (fully connected) layers."""

from __future__ import annotations

from pydantic import Field

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
    flat,
)
from graphgan_nn.options import spectral_norm


class LinearParams(Params):
    out_features: int = Field(ge=1, description="Output features.")
    in_features: int | None = Field(
        None, ge=1, description="Input features; inferred from the input when unset."
    )
    bias: bool = Field(True, description="Learn an additive bias.")
    spectral_norm: bool = Field(False, description="Wrap the layer in spectral normalisation.")


class Linear(NodeSpec[LinearParams]):
    kind = "nn.Linear"
    category = "dense"
    description = "Fully connected layer: y = x W^T + b."
    params = LinearParams
    inputs = (Port("x", TensorKind.VECTOR, "input features (N, in_features)"),)
    outputs = (Port("y", TensorKind.VECTOR, "output features (N, out_features)"),)
    key_params = ("out_features",)

    def infer(self, params: LinearParams, inputs: Inputs) -> Outputs:
        features = inputs["x"].channels
        if params.in_features is not None and params.in_features != features:
            raise ShapeError(
                f"expected {params.in_features} input features, got {features}",
                port="x",
                fix=f"set in_features={features} or leave it unset to infer it",
            )
        return {"y": flat(params.out_features)}

    def build(self, params: LinearParams, inputs: Inputs) -> Built:
        layer = Module(
            "torch.nn.Linear",
            (inputs["x"].channels, params.out_features),
            {} if params.bias else {"bias": False},
        )
        return spectral_norm(layer) if params.spectral_norm else layer

    def macs(self, params: LinearParams, inputs: Inputs, outputs: Outputs) -> int:
        return inputs["x"].channels * params.out_features
