"""Normalisation layers: batch normalisation (vectors, feature maps) and instance norm."""

from __future__ import annotations

from typing import ClassVar, TypeVar

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
    declared_size,
)
from graphgan_nn.options import changed

MAX_FEATURES = 1 << 20


class NormParams(Params):
    eps: float = Field(1e-5, gt=0, le=1, description="Added to the variance for stability.")
    momentum: float = Field(
        0.1, ge=0, le=1, description="Weight of each batch in the running statistics."
    )


class BatchNormParams(NormParams):
    affine: bool = Field(True, description="Learn a per-channel scale and shift.")
    num_features: int | None = Field(
        None, ge=1, le=MAX_FEATURES, description="Channels (features); inferred when unset."
    )


class InstanceNormParams(NormParams):
    affine: bool = Field(False, description="Learn a per-channel scale and shift.")
    track_running_stats: bool = Field(
        False, description="Keep running statistics and use them in eval mode."
    )
    num_features: int | None = Field(
        None, ge=1, le=MAX_FEATURES, description="Channels; inferred when unset."
    )


NormT = TypeVar("NormT", BatchNormParams, InstanceNormParams)


class _Norm(NodeSpec[NormT]):
    """Shared rule: the output has the input's shape; the channel count may be pinned."""

    target: ClassVar[str]
    options: ClassVar[tuple[str, ...]] = ("eps", "momentum", "affine")
    key_params: ClassVar[tuple[str, ...]] = ("eps", "momentum")

    def infer(self, params: NormT, inputs: Inputs) -> Outputs:
        x = inputs["x"]
        declared_size(params.num_features, x.channels, "num_features", "channels")
        return {"y": x.with_kind(self.outputs[0].kind)}

    def build(self, params: NormT, inputs: Inputs) -> Built:
        return Module(self.target, (inputs["x"].channels,), changed(params, self.options))

    def macs(self, params: NormT, inputs: Inputs, outputs: Outputs) -> int:
        # One scale-and-shift per value (what remains once statistics are folded in).
        return inputs["x"].sample_numel


class BatchNorm1d(_Norm[BatchNormParams]):
    kind = "nn.BatchNorm1d"
    category = "normalisation"
    description = "Batch normalisation of feature vectors, one mean and variance per feature."
    params = BatchNormParams
    inputs = (Port("x", TensorKind.VECTOR, "features (N, F)"),)
    outputs = (Port("y", TensorKind.VECTOR, "normalised features (N, F)"),)
    target = "torch.nn.BatchNorm1d"


class BatchNorm2d(_Norm[BatchNormParams]):
    kind = "nn.BatchNorm2d"
    category = "normalisation"
    description = "Batch normalisation of feature maps, one mean and variance per channel."
    params = BatchNormParams
    inputs = (Port("x", TensorKind.FEATURE_MAP, "feature map (N, C, H, W)"),)
    outputs = (Port("y", TensorKind.FEATURE_MAP, "normalised feature map (N, C, H, W)"),)
    target = "torch.nn.BatchNorm2d"


class InstanceNorm2d(_Norm[InstanceNormParams]):
    kind = "nn.InstanceNorm2d"
    category = "normalisation"
    description = "Instance normalisation: each sample's channels normalised on their own."
    params = InstanceNormParams
    inputs = (Port("x", TensorKind.FEATURE_MAP, "feature map (N, C, H, W)"),)
    outputs = (Port("y", TensorKind.FEATURE_MAP, "normalised feature map (N, C, H, W)"),)
    target = "torch.nn.InstanceNorm2d"
    options = ("eps", "momentum", "affine", "track_running_stats")
    key_params = ("affine",)

    def infer(self, params: InstanceNormParams, inputs: Inputs) -> Outputs:
        x = inputs["x"]
        if x.shape[2:] == (1, 1):
            # PyTorch refuses it in training: one value has no variance.
            raise ShapeError(
                f"instance normalisation needs more than one pixel per channel, got {x}",
                port="x",
                fix="remove the normalisation at this resolution (Pix2Pix's innermost block "
                "has none)",
            )
        return super().infer(params, inputs)
