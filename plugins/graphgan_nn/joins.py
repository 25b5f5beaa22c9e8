"""Nodes that join tensors: concatenation and addition."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

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

MAX_INPUTS = 64


class JoinParams(Params):
    inputs: int = Field(2, ge=2, le=MAX_INPUTS, description="Number of tensors to join.")


class _Join(NodeSpec[JoinParams]):
    """Shared ports x1..xn and the guard against raw class labels."""

    category = "join"
    params = JoinParams
    outputs = (Port("y", TensorKind.ANY, "the joined tensor"),)
    key_params = ("inputs",)

    def input_ports(self, params: JoinParams) -> tuple[Port, ...]:
        return tuple(Port(f"x{i}", TensorKind.ANY) for i in range(1, params.inputs + 1))

    def check_labels(self, inputs: Inputs) -> None:
        for port, spec in inputs.items():
            if spec.rank == 1:
                raise ShapeError(
                    f"cannot join class labels {spec}: they have no feature dimension",
                    port=port,
                    fix="turn them into vectors first with gan.OneHot or gan.LabelEmbedding",
                )


class Concat(_Join):
    kind = "nn.Concat"
    description = (
        "Join tensors along the channel (feature) dimension; all other dimensions must match."
    )

    def infer(self, params: JoinParams, inputs: Inputs) -> Outputs:
        self.check_labels(inputs)
        first_port, first = next(iter(inputs.items()))
        for port, spec in inputs.items():
            if spec.rank != first.rank or spec.shape[2:] != first.shape[2:]:
                raise ShapeError(
                    f"cannot join {spec} to {first} at input '{first_port}': every "
                    "dimension but the channels must match",
                    port=port,
                    fix="resize one input (nn.Upsample, gan.Broadcast) so they match",
                )
        channels = sum(spec.channels for spec in inputs.values())
        kind = _joined_kind(inputs.values())
        return {"y": TensorSpec(kind, (first.shape[0], channels, *first.shape[2:]))}

    def build(self, params: JoinParams, inputs: Inputs) -> Built:
        # (N, C1, ...) + (N, C2, ...) -> (N, C1 + C2, ...)
        tensors = [Input(port.name) for port in self.input_ports(params)]
        return Function("torch.cat", (tensors,), {"dim": 1})


class Add(_Join):
    kind = "nn.Add"
    description = "Elementwise sum of tensors of identical shape, as in a residual skip."

    def infer(self, params: JoinParams, inputs: Inputs) -> Outputs:
        self.check_labels(inputs)
        first_port, first = next(iter(inputs.items()))
        for port, spec in inputs.items():
            if spec.shape != first.shape:
                raise ShapeError(
                    f"cannot add {spec} to {first} at input '{first_port}': an elementwise "
                    "sum needs identical shapes",
                    port=port,
                    fix="match channels with a 1x1 nn.Conv2d and sizes with nn.Upsample",
                )
        kind = _joined_kind(inputs.values())
        return {"y": TensorSpec(kind, first.shape, first.dtype)}

    def build(self, params: JoinParams, inputs: Inputs) -> Built:
        return Module("graphgan_nn.modules.Sum")


def _joined_kind(specs: Iterable[TensorSpec]) -> TensorKind:
    """The inputs' common kind, or the generic kind of their family when they differ."""
    specs = list(specs)
    kinds = {spec.kind for spec in specs}
    if len(kinds) == 1:
        return kinds.pop()
    return TensorKind.FEATURE_MAP if specs[0].rank == 4 else TensorKind.VECTOR
