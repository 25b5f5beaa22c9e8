"""Activation functions: elementwise, so the output has the input's shape and kind."""

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
    require_float,
)

P = TypeVar("P", bound=Params)


class _Activation(NodeSpec[P]):
    """Shared ports and shape rule of every activation; subclasses say what to build."""

    category = "activation"
    inputs = (Port("x", TensorKind.ANY, "any real-valued tensor"),)
    outputs = (Port("y", TensorKind.ANY, "the activated tensor, same shape and kind"),)
    target: ClassVar[str]

    def infer(self, params: P, inputs: Inputs) -> Outputs:
        require_float(inputs["x"], "x")
        return {"y": inputs["x"]}

    def build(self, params: P, inputs: Inputs) -> Built:
        return Module(self.target)


class ReLU(_Activation[Params]):
    kind = "nn.ReLU"
    description = "Rectified linear unit: max(0, x)."
    target = "torch.nn.ReLU"


class Tanh(_Activation[Params]):
    kind = "nn.Tanh"
    description = "Hyperbolic tangent, squashing to (-1, 1): the usual image output."
    target = "torch.nn.Tanh"


class Sigmoid(_Activation[Params]):
    kind = "nn.Sigmoid"
    description = "Logistic sigmoid, squashing to (0, 1): a probability output."
    target = "torch.nn.Sigmoid"


class LeakyReLUParams(Params):
    negative_slope: float = Field(0.2, ge=0, le=1, description="Slope for negative inputs.")


class LeakyReLU(_Activation[LeakyReLUParams]):
    kind = "nn.LeakyReLU"
    description = "Leaky rectifier: x for positive inputs, negative_slope * x otherwise."
    params = LeakyReLUParams
    key_params = ("negative_slope",)

    def build(self, params: LeakyReLUParams, inputs: Inputs) -> Built:
        return Module("torch.nn.LeakyReLU", (params.negative_slope,))


class PReLUParams(Params):
    num_parameters: int = Field(
        1, ge=1, le=1 << 16, description="Learned slopes: 1 shared, or one per input channel."
    )
    init: float = Field(0.25, ge=0, le=1, description="Initial slope for negative inputs.")


class PReLU(_Activation[PReLUParams]):
    kind = "nn.PReLU"
    description = "Parametric rectifier: a leaky ReLU whose negative slope is learned."
    params = PReLUParams
    key_params = ("num_parameters",)

    def infer(self, params: PReLUParams, inputs: Inputs) -> Outputs:
        x = inputs["x"]
        if params.num_parameters > 1 and (x.rank < 2 or x.channels != params.num_parameters):
            raise ShapeError(
                f"num_parameters={params.num_parameters} must equal the input channels, got {x}",
                port="x",
                fix="set num_parameters=1 to share one slope, or to the channel count",
            )
        return super().infer(params, inputs)

    def build(self, params: PReLUParams, inputs: Inputs) -> Built:
        kwargs = {"init": params.init} if params.init != 0.25 else {}
        return Module("torch.nn.PReLU", (params.num_parameters,), kwargs)

    def macs(self, params: PReLUParams, inputs: Inputs, outputs: Outputs) -> int:
        # One learned-slope multiply per value.
        return inputs["x"].sample_numel
