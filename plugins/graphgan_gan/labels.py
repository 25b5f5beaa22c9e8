"""Class labels into vectors: one-hot codes and learned embeddings."""

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
    flat,
)

MAX_CLASSES = 1 << 16


class OneHotParams(Params):
    n_classes: int = Field(10, ge=2, le=MAX_CLASSES, description="Number of classes.")


class OneHot(NodeSpec[OneHotParams]):
    kind = "gan.OneHot"
    category = "conditioning"
    description = "Class labels to one-hot vectors, the conditional GAN paper's condition y."
    params = OneHotParams
    inputs = (Port("x", TensorKind.LABEL, "class indices (N,) in [0, n_classes)"),)
    outputs = (Port("y", TensorKind.VECTOR, "one-hot vectors (N, n_classes)"),)
    key_params = ("n_classes",)

    def infer(self, params: OneHotParams, inputs: Inputs) -> Outputs:
        return {"y": flat(params.n_classes)}

    def build(self, params: OneHotParams, inputs: Inputs) -> Built:
        return Module("graphgan_gan.modules.OneHot", (params.n_classes,))


class LabelEmbeddingParams(Params):
    n_classes: int = Field(10, ge=2, le=MAX_CLASSES, description="Number of classes.")
    dim: int = Field(10, ge=1, le=1 << 16, description="Size of each class's vector.")


class LabelEmbedding(NodeSpec[LabelEmbeddingParams]):
    kind = "gan.LabelEmbedding"
    category = "conditioning"
    description = "Class labels to learned vectors, one trainable row per class."
    params = LabelEmbeddingParams
    inputs = (Port("x", TensorKind.LABEL, "class indices (N,) in [0, n_classes)"),)
    outputs = (Port("y", TensorKind.VECTOR, "class vectors (N, dim)"),)
    key_params = ("n_classes", "dim")

    def infer(self, params: LabelEmbeddingParams, inputs: Inputs) -> Outputs:
        return {"y": flat(params.dim)}

    def build(self, params: LabelEmbeddingParams, inputs: Inputs) -> Built:
        return Module("torch.nn.Embedding", (params.n_classes, params.dim))

    def macs(self, params: LabelEmbeddingParams, inputs: Inputs, outputs: Outputs) -> int:
        return 0  # a row lookup: weights, but no multiplies
