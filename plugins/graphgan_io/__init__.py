"""Built-in pack `io`: where tensors enter and leave a network or a block.

Input nodes also say how the trainer fills them: noise and latent codes are sampled, labels,
images and text embeddings come from the dataset or from another network.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from graphgan.plugin import (
    Built,
    Inputs,
    NodeSpec,
    Outputs,
    Pack,
    Params,
    Port,
    TensorKind,
    TensorSpec,
    flat,
    labels,
    spatial,
    tokens,
)

MAX_FEATURES = 1 << 20


class NoiseParams(Params):
    dim: int = Field(100, ge=1, le=MAX_FEATURES, description="Number of noise variables.")
    distribution: Literal["normal", "uniform", "unit_uniform"] = Field(
        "normal",
        description="normal: N(0, 1); uniform: U(-1, 1); unit_uniform: U(0, 1), the unit "
        "hypercube of the conditional GAN paper.",
    )


class Noise(NodeSpec[NoiseParams]):
    kind = "io.Noise"
    category = "input"
    description = "Random noise z fed to a generator, sampled fresh for every batch."
    params = NoiseParams
    outputs = (Port("z", TensorKind.VECTOR, "noise vectors"),)
    role = "input"
    key_params = ("dim", "distribution")

    def infer(self, params: NoiseParams, inputs: Inputs) -> Outputs:
        return {"z": flat(params.dim)}

    def build(self, params: NoiseParams, inputs: Inputs) -> Built:
        return None


class ClassLabelParams(Params):
    n_classes: int = Field(10, ge=2, le=MAX_FEATURES, description="Number of classes.")


class ClassLabel(NodeSpec[ClassLabelParams]):
    kind = "io.ClassLabel"
    category = "input"
    description = "Integer class labels: from the dataset for real images, sampled for fakes."
    params = ClassLabelParams
    outputs = (Port("y", TensorKind.LABEL, "class indices in [0, n_classes)"),)
    role = "input"
    key_params = ("n_classes",)

    def infer(self, params: ClassLabelParams, inputs: Inputs) -> Outputs:
        return {"y": labels()}

    def build(self, params: ClassLabelParams, inputs: Inputs) -> Built:
        return None


class ImageParams(Params):
    channels: int = Field(3, ge=1, le=4096, description="Colour channels (1 grey, 3 RGB).")
    height: int = Field(64, ge=1, le=65536, description="Height in pixels.")
    width: int = Field(64, ge=1, le=65536, description="Width in pixels.")


class Image(NodeSpec[ImageParams]):
    kind = "io.Image"
    category = "input"
    description = "A batch of images: real ones from the dataset, or another network's output."
    params = ImageParams
    outputs = (Port("x", TensorKind.IMAGE, "images (N, C, H, W)"),)
    role = "input"
    key_params = ("channels", "height", "width")

    def infer(self, params: ImageParams, inputs: Inputs) -> Outputs:
        return {"x": spatial(params.channels, params.height, params.width, TensorKind.IMAGE)}

    def build(self, params: ImageParams, inputs: Inputs) -> Built:
        return None


class TextEmbeddingParams(Params):
    dim: int = Field(1024, ge=1, le=MAX_FEATURES, description="Embedding size.")


class TextEmbedding(NodeSpec[TextEmbeddingParams]):
    kind = "io.TextEmbedding"
    category = "input"
    description = "A caption's embedding, from the dataset's text encoder."
    params = TextEmbeddingParams
    outputs = (Port("t", TensorKind.TEXT_EMBEDDING, "caption embeddings"),)
    role = "input"
    key_params = ("dim",)

    def infer(self, params: TextEmbeddingParams, inputs: Inputs) -> Outputs:
        return {"t": flat(params.dim, TensorKind.TEXT_EMBEDDING)}

    def build(self, params: TextEmbeddingParams, inputs: Inputs) -> Built:
        return None


class TokensParams(Params):
    length: int = Field(16, ge=1, le=4096, description="Tokens per caption, padding included.")
    vocabulary: int = Field(
        64, ge=2, le=MAX_FEATURES, description="Token ids, padding (0) included."
    )


class Tokens(NodeSpec[TokensParams]):
    kind = "io.Tokens"
    category = "input"
    description = "Captions as token ids from the dataset (`data:tokens`), for a text encoder."
    params = TokensParams
    outputs = (Port("t", TensorKind.TOKENS, "token ids (N, length), 0 pads"),)
    role = "input"
    key_params = ("length", "vocabulary")

    def infer(self, params: TokensParams, inputs: Inputs) -> Outputs:
        return {"t": tokens(params.length)}

    def build(self, params: TokensParams, inputs: Inputs) -> Built:
        return None


class LatentCodeParams(Params):
    distribution: Literal["categorical", "uniform", "normal"] = Field(
        "categorical",
        description="categorical: one-hot over dim categories; uniform: U(-1, 1); normal: N(0, 1).",
    )
    dim: int = Field(10, ge=1, le=MAX_FEATURES, description="Categories, or continuous codes.")


class LatentCode(NodeSpec[LatentCodeParams]):
    kind = "io.LatentCode"
    category = "input"
    description = "A structured latent code (InfoGAN): sampled, and recovered by a Q head."
    params = LatentCodeParams
    outputs = (Port("c", TensorKind.CODE, "codes; one-hot when categorical"),)
    role = "input"
    key_params = ("distribution", "dim")

    def infer(self, params: LatentCodeParams, inputs: Inputs) -> Outputs:
        return {"c": flat(params.dim, TensorKind.CODE)}

    def build(self, params: LatentCodeParams, inputs: Inputs) -> Built:
        return None


class Output(NodeSpec[Params]):
    kind = "io.Output"
    category = "output"
    description = "A network output, named by this node's id (images, logits, code estimates)."
    inputs = (Port("x", TensorKind.ANY, "the tensor to return"),)
    role = "output"

    def infer(self, params: Params, inputs: Inputs) -> Outputs:
        return {}

    def build(self, params: Params, inputs: Inputs) -> Built:
        return None


class BlockInputParams(Params):
    tensor: TensorKind = Field(TensorKind.ANY, description="Kind of tensor the block accepts.")


class BlockInput(NodeSpec[BlockInputParams]):
    kind = "io.BlockInput"
    category = "block"
    description = "An input port of a reusable block, named by this node's id."
    params = BlockInputParams
    outputs = (Port("x", TensorKind.ANY, "the tensor given to the block"),)
    role = "input"

    def output_ports(self, params: BlockInputParams) -> tuple[Port, ...]:
        return (Port("x", params.tensor, "the tensor given to the block"),)

    def infer(self, params: BlockInputParams, inputs: Inputs) -> Outputs:
        # A block's input shape comes from the edge into each use of the block; the block's
        # shape pass supplies it under the port name "x".
        arrived: TensorSpec = inputs["x"]
        return {"x": arrived}

    def build(self, params: BlockInputParams, inputs: Inputs) -> Built:
        return None


class BlockOutput(NodeSpec[Params]):
    kind = "io.BlockOutput"
    category = "block"
    description = "An output port of a reusable block, named by this node's id."
    inputs = (Port("x", TensorKind.ANY, "the tensor the block returns"),)
    role = "output"

    def infer(self, params: Params, inputs: Inputs) -> Outputs:
        return {}

    def build(self, params: Params, inputs: Inputs) -> Built:
        return None


pack = Pack(
    name="io",
    description="Network and block inputs and outputs.",
    nodes=(
        Noise(),
        ClassLabel(),
        Image(),
        TextEmbedding(),
        Tokens(),
        LatentCode(),
        Output(),
        BlockInput(),
        BlockOutput(),
    ),
)
