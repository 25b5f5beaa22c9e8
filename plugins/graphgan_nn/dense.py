"""Dense (fully connected) layers: linear and maxout."""

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
    TensorKind,
    declared_size,
    flat,
)
from graphgan_nn.options import spectral_norm

MAX_FEATURES = 1 << 20


class LinearParams(Params):
    out_features: int = Field(ge=1, le=MAX_FEATURES, description="Output features.")
    in_features: int | None = Field(
        None, ge=1, le=MAX_FEATURES, description="Input features; inferred when unset."
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
        declared_size(params.in_features, inputs["x"].channels, "in_features", "input features")
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


class MaxoutParams(Params):
    out_features: int = Field(ge=1, le=MAX_FEATURES, description="Output units.")
    pieces: int = Field(5, ge=2, le=64, description="Linear pieces each unit takes the max of.")
    in_features: int | None = Field(
        None, ge=1, le=MAX_FEATURES, description="Input features; inferred when unset."
    )
    bias: bool = Field(True, description="Learn an additive bias for every piece.")


class Maxout(NodeSpec[MaxoutParams]):
    kind = "nn.Maxout"
    category = "dense"
    description = "Maxout layer: each unit is the max of `pieces` linear maps of the input."
    params = MaxoutParams
    inputs = (Port("x", TensorKind.VECTOR, "input features (N, in_features)"),)
    outputs = (Port("y", TensorKind.VECTOR, "unit activations (N, out_features)"),)
    key_params = ("out_features", "pieces")

    def infer(self, params: MaxoutParams, inputs: Inputs) -> Outputs:
        declared_size(params.in_features, inputs["x"].channels, "in_features", "input features")
        return {"y": flat(params.out_features)}

    def build(self, params: MaxoutParams, inputs: Inputs) -> Built:
        return Module(
            "graphgan_nn.modules.Maxout",
            (inputs["x"].channels, params.out_features, params.pieces),
            {} if params.bias else {"bias": False},
        )

    def macs(self, params: MaxoutParams, inputs: Inputs, outputs: Outputs) -> int:
        return inputs["x"].channels * params.out_features * params.pieces
