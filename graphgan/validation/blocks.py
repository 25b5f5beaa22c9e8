"""Blocks as node kinds: each document block becomes a NodeSpec named `block.<Name>`.

A use of a block is checked by analysing the block's body with the shapes arriving at its
ports and the params given to it, so a block behaves like any other node.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import Field, create_model

from graphgan.errors import ShapeError
from graphgan.graph.document import Block
from graphgan.plugin import Built, Inputs, NodeSpec, Outputs, Params, Port
from graphgan.registry import BLOCK_PREFIX
from graphgan.tensors import TensorKind, TensorSpec
from graphgan.validation.model import NetworkInfo

# Analyses a block body: (block name, param values, input specs) -> NetworkInfo.
BodyAnalyser = Callable[[str, dict[str, Any], dict[str, TensorSpec]], NetworkInfo]


class BlockSpec(NodeSpec[Params]):
    """The NodeSpec of one document block."""

    category = "block"

    def __init__(self, name: str, block: Block, analyse: BodyAnalyser) -> None:
        self.name = name
        self.block = block
        self.kind = BLOCK_PREFIX + name  # type: ignore[misc]
        self.description = block.description or f"Reusable block '{name}'."  # type: ignore[misc]
        fields: dict[str, Any] = {
            key: (type(p.default), Field(p.default, description=p.description))
            for key, p in block.params.items()
        }
        self.params = create_model(f"{name}Params", __base__=Params, **fields)  # type: ignore[misc]
        self.inputs = tuple(  # type: ignore[misc]
            Port(n.id, TensorKind(n.params.get("tensor", "any")), f"block input '{n.id}'")
            for n in block.nodes
            if n.kind == "io.BlockInput"
        )
        self.outputs = tuple(  # type: ignore[misc]
            Port(n.id, TensorKind.ANY, f"block output '{n.id}'")
            for n in block.nodes
            if n.kind == "io.BlockOutput"
        )
        self._analyse = analyse
        self._bodies: dict[str, NetworkInfo] = {}

    def body(self, params: Params, inputs: Inputs) -> NetworkInfo:
        """The analysed body for these params and input shapes (cached: blocks repeat)."""
        key = params.model_dump_json() + repr(sorted(inputs.items()))
        if key not in self._bodies:
            self._bodies[key] = self._analyse(self.name, params.model_dump(), dict(inputs))
        return self._bodies[key]

    def infer(self, params: Params, inputs: Inputs) -> Outputs:
        body = self.body(params, inputs)
        for problem in body.diagnostics:
            if problem.severity.value == "error":
                where = f" at node '{problem.node}'" if problem.node else ""
                raise ShapeError(f"inside block '{self.name}'{where}: {problem.message}")
        outputs: Outputs = {}
        for port in self.outputs:
            spec = body.input_spec(port.name, "x")
            if spec is None:
                raise ShapeError(f"block '{self.name}' output '{port.name}' has no shape")
            outputs[port.name] = spec
        return outputs

    def build(self, params: Params, inputs: Inputs) -> Built:
        # The compiler compiles a block's body into a submodule itself; see compiler.py.
        return None
