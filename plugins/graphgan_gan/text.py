"""Text encoder nodes: caption token ids to a text embedding, either trained with the GAN (a
bidirectional GRU) or fixed (a random projection of the words, never trained)."""

from __future__ import annotations

from pydantic import Field, model_validator

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

MAX_WIDTH = 1 << 14


class TextEncoderParams(Params):
    vocabulary: int = Field(64, ge=2, le=1 << 20, description="Token ids, padding (0) included.")
    words: int = Field(64, ge=1, le=MAX_WIDTH, description="Size of each word's vector.")
    dim: int = Field(128, ge=2, le=MAX_WIDTH, description="Size of the caption embedding (even).")

    @model_validator(mode="after")
    def _dim_is_even(self) -> TextEncoderParams:
        if self.dim % 2:
            raise ValueError(f"dim must be even (two GRU directions of dim/2), got {self.dim}")
        return self


class TextEncoder(NodeSpec[TextEncoderParams]):
    kind = "gan.TextEncoder"
    category = "conditioning"
    description = "Caption token ids to one embedding: word vectors, a bidirectional GRU, a mean."
    params = TextEncoderParams
    inputs = (Port("t", TensorKind.TOKENS, "token ids (N, L), 0 pads"),)
    outputs = (Port("e", TensorKind.TEXT_EMBEDDING, "caption embeddings (N, dim)"),)
    key_params = ("vocabulary", "dim")

    def infer(self, params: TextEncoderParams, inputs: Inputs) -> Outputs:
        _check_tokens(inputs)
        return {"e": flat(params.dim, TensorKind.TEXT_EMBEDDING)}

    def build(self, params: TextEncoderParams, inputs: Inputs) -> Built:
        return Module(
            "graphgan_gan.modules.TextEncoder", (params.vocabulary, params.words, params.dim)
        )

    def macs(self, params: TextEncoderParams, inputs: Inputs, outputs: Outputs) -> int:
        length = int(inputs["t"].shape[1])
        hidden = params.dim // 2
        # Two directions, three gates, each an input and a hidden product per word.
        return 2 * 3 * length * hidden * (params.words + hidden)


class BagOfWordsParams(Params):
    vocabulary: int = Field(64, ge=2, le=1 << 20, description="Token ids, padding (0) included.")
    dim: int = Field(128, ge=1, le=MAX_WIDTH, description="Size of the caption embedding.")
    seed: int = Field(0, ge=0, le=(1 << 63) - 1, description="Draws the fixed projection.")


class BagOfWords(NodeSpec[BagOfWordsParams]):
    """A fixed encoder, as StackGAN's pretrained char-CNN-RNN was fixed: nothing to train, so
    the generators' text cannot drift or collapse while the discriminators learn to read it."""

    kind = "gan.BagOfWords"
    category = "conditioning"
    description = (
        "Caption token ids to one embedding: word counts times a fixed random Gaussian matrix "
        "(never trained)."
    )
    params = BagOfWordsParams
    inputs = (Port("t", TensorKind.TOKENS, "token ids (N, L), 0 pads"),)
    outputs = (Port("e", TensorKind.TEXT_EMBEDDING, "caption embeddings (N, dim)"),)
    key_params = ("vocabulary", "dim")

    def infer(self, params: BagOfWordsParams, inputs: Inputs) -> Outputs:
        _check_tokens(inputs)
        return {"e": flat(params.dim, TensorKind.TEXT_EMBEDDING)}

    def build(self, params: BagOfWordsParams, inputs: Inputs) -> Built:
        return Module(
            "graphgan_gan.modules.BagOfWords",
            (params.vocabulary, params.dim),
            {"seed": params.seed},
        )

    def macs(self, params: BagOfWordsParams, inputs: Inputs, outputs: Outputs) -> int:
        # The count vector times the projection.
        return params.vocabulary * params.dim


def _check_tokens(inputs: Inputs) -> None:
    t = inputs["t"]
    if t.rank != 2 or t.dtype != "int64":
        raise ShapeError(
            f"expected token ids (N, L) int64, got {t.dtype} {t}; feed it from io.Tokens"
        )
