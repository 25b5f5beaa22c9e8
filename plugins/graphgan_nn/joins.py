"""Nodes that join tensors: concatenation and addition."""

from __future__ import annotations

from pydantic import Field

from graphgan.plugin import (
    Built,
    Function,
    Input,
    Inputs,
    NodeSpec,
    Outputs,
    Params,
    Port,
    ShapeError,
    TensorKind,
    TensorSpec,
)


class ConcatParams(Params):
    inputs: int = Field(2, ge=2, le=64, description="Number of tensors to join.")


class Concat(NodeSpec[ConcatParams]):
    kind = "nn.Concat"
    category = "join"
    description = (
        "Join tensors along the channel (feature) dimension; all other dimensions must match."
    )
    params = ConcatParams
    outputs = (Port("y", TensorKind.ANY, "the joined tensor"),)
    key_params = ("inputs",)

    def input_ports(self, params: ConcatParams) -> tuple[Port, ...]:
        return tuple(Port(f"x{i}", TensorKind.ANY) for i in range(1, params.inputs + 1))

    def infer(self, params: ConcatParams, inputs: Inputs) -> Outputs:
        first_port, first = next(iter(inputs.items()))
        for port, spec in inputs.items():
            if spec.rank != first.rank or spec.shape[2:] != first.shape[2:]:
                raise ShapeError(
                    f"cannot join {spec} with {first} from '{first_port}': every dimension "
                    "but the channels must match",
                    port=port,
                    fix="resize one input (nn.Upsample, gan.Broadcast) so they match",
                )
        channels = sum(spec.channels for spec in inputs.values())
        kind = first.kind if all(s.kind == first.kind for s in inputs.values()) else (
            TensorKind.FEATURE_MAP if first.rank == 4 else TensorKind.VECTOR
        )
        return {"y": TensorSpec(kind, (first.shape[0], channels, *first.shape[2:]))}

    def build(self, params: ConcatParams, inputs: Inputs) -> Built:
        # (N, C1, ...) + (N, C2, ...) -> (N, C1 + C2, ...)
        return Function("torch.cat", ([Input(p.name) for p in self.input_ports(params)],), {"dim": 1})
