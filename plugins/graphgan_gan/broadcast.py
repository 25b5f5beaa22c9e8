"""Broadcast: a vector condition tiled over a grid, so it can join a feature map."""

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
    spatial,
)

MAX_SIZE = 1 << 16


class BroadcastParams(Params):
    height: int | None = Field(
        None, ge=1, le=MAX_SIZE, description="Grid height; taken from 'like' when unset."
    )
    width: int | None = Field(
        None, ge=1, le=MAX_SIZE, description="Grid width; taken from 'like' when unset."
    )


class Broadcast(NodeSpec[BroadcastParams]):
    kind = "gan.Broadcast"
    category = "conditioning"
    description = "Tile a vector over every pixel of a grid (StackGAN's replicated text code)."
    params = BroadcastParams
    inputs = (
        Port("x", TensorKind.VECTOR, "vectors (N, D)"),
        Port("like", TensorKind.FEATURE_MAP, "a feature map whose size to match", optional=True),
    )
    outputs = (Port("y", TensorKind.FEATURE_MAP, "tiled vectors (N, D, H, W)"),)
    key_params = ("height", "width")

    def infer(self, params: BroadcastParams, inputs: Inputs) -> Outputs:
        height, width = _grid_size(params, inputs)
        return {"y": spatial(inputs["x"].channels, height, width)}

    def build(self, params: BroadcastParams, inputs: Inputs) -> Built:
        height, width = _grid_size(params, inputs)
        # (N, D) -> (N, D, H, W)
        return Module("graphgan_gan.modules.Broadcast", (height, width))


def _grid_size(params: BroadcastParams, inputs: Inputs) -> tuple[int, int]:
    """The grid size: from 'like' when connected (checked against params), else params."""
    like = inputs.get("like")
    if like is not None:
        size = (int(like.shape[2]), int(like.shape[3]))
        given = (params.height, params.width)
        for name, wanted, found in zip(("height", "width"), given, size, strict=True):
            if wanted is not None and wanted != found:
                raise ShapeError(
                    f"{name}={wanted} contradicts 'like', which is {like}",
                    port="like",
                    fix=f"set {name}={found} or leave it unset to follow 'like'",
                )
        return size
    if params.height is None or params.width is None:
        raise ShapeError(
            "no grid size to tile to",
            port="like",
            fix="connect a feature map to 'like', or set both height and width",
        )
    return params.height, params.width
