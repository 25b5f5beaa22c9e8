"""Dropout: random zeroing for regularisation, or as a noise source kept on at test time."""

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
    require_float,
)


class DropoutParams(Params):
    p: float = Field(0.5, ge=0, le=1, description="Probability of zeroing each value.")
    always_on: bool = Field(
        False, description="Keep dropping in eval mode too (Pix2Pix's test-time noise)."
    )


class Dropout(NodeSpec[DropoutParams]):
    kind = "nn.Dropout"
    category = "regularisation"
    description = "Zero each value with probability p and rescale the rest by 1 / (1 - p)."
    params = DropoutParams
    inputs = (Port("x", TensorKind.ANY, "any real-valued tensor"),)
    outputs = (Port("y", TensorKind.ANY, "the same shape and kind"),)
    key_params = ("p", "always_on")

    def infer(self, params: DropoutParams, inputs: Inputs) -> Outputs:
        require_float(inputs["x"], "x")
        return {"y": inputs["x"]}

    def build(self, params: DropoutParams, inputs: Inputs) -> Built:
        if params.always_on:
            return Module("graphgan_nn.modules.AlwaysOnDropout", (params.p,))
        return Module("torch.nn.Dropout", (params.p,))
