"""Conditioning augmentation: StackGAN's sampled text condition."""

from __future__ import annotations

from typing import Literal

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

MAX_FEATURES = 1 << 20


class AugmentationParams(Params):
    dim: int = Field(128, ge=1, le=MAX_FEATURES, description="Size of the condition c (Ng).")
    in_features: int | None = Field(
        None, ge=1, le=MAX_FEATURES, description="Text embedding size; inferred when unset."
    )
    activation: Literal["relu", "leaky_relu"] = Field(
        "relu",
        description="After the linear map: relu (StackGAN's PyTorch code) or leaky_relu 0.2 "
        "(its TensorFlow code).",
    )


class ConditioningAugmentation(NodeSpec[AugmentationParams]):
    """Outputs mu and logvar exist for the KL term, which the training recipe computes.

    The recipe adds KL(N(mu, exp(logvar)) || N(0, I)) to the generator loss; StackGAN's code
    weights it 2.0. The node itself only samples: c = mu + exp(logvar / 2) * eps, with fresh
    eps ~ N(0, I) on every call, in eval mode too.
    """

    kind = "gan.ConditioningAugmentation"
    category = "conditioning"
    description = (
        "Sample a condition c ~ N(mu, exp(logvar)) from a text embedding; the recipe adds the "
        "KL term from mu and logvar."
    )
    params = AugmentationParams
    inputs = (Port("t", TensorKind.TEXT_EMBEDDING, "text embeddings (N, T)"),)
    outputs = (
        Port("c", TensorKind.VECTOR, "sampled conditions (N, dim)"),
        Port("mu", TensorKind.VECTOR, "means (N, dim), for the KL term"),
        Port("logvar", TensorKind.VECTOR, "log-variances (N, dim), for the KL term"),
    )
    key_params = ("dim",)

    def infer(self, params: AugmentationParams, inputs: Inputs) -> Outputs:
        declared_size(
            params.in_features, inputs["t"].channels, "in_features", "input features", "t"
        )
        return {"c": flat(params.dim), "mu": flat(params.dim), "logvar": flat(params.dim)}

    def build(self, params: AugmentationParams, inputs: Inputs) -> Built:
        kwargs = {"activation": params.activation} if params.activation != "relu" else {}
        return Module(
            "graphgan_gan.modules.ConditioningAugmentation",
            (inputs["t"].channels, params.dim),
            kwargs,
        )

    def macs(self, params: AugmentationParams, inputs: Inputs, outputs: Outputs) -> int:
        # The linear map, then one multiply-add per sampled value.
        return inputs["t"].channels * 2 * params.dim + params.dim
