"""Networks as readable `nn.Module` classes: named layers, a plain `forward`, shape comments.

Each node renders exactly the `Module` or `Function` its NodeSpec's `build` returns, the
description the compiler instantiates, so exported code and compiled modules cannot drift.
Layers are constructed in the compiler's order, so a seed gives both the same initial weights.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from torch import nn

from graphgan.export.errors import ExportError
from graphgan.export.layout import INDENT, Atom, Expr, Group, call, literal, statement
from graphgan.export.naming import MODULE_NAMES, Namer, class_name
from graphgan.export.sources import Sources
from graphgan.plugin import Function, Input, Module
from graphgan.tensors import TensorSpec
from graphgan.validation import NetworkInfo, NodeInfo
from graphgan.validation.blocks import BlockSpec

BODY_COLUMN = 8  # statements inside a method
DOC_WIDTH = 92


@dataclass
class ClassCode:
    """One exported class, as the template lays it out."""

    name: str
    docstring: str
    init: list[str]
    signature: str
    forward: list[str]
    network: str | None = None  # the network it implements; None for a block


@dataclass
class _Scope:
    """The names inside one class's forward, and the tensor each (node, port) is in."""

    namer: Namer
    used: set[tuple[str, str]]  # the (node, port) outputs some node reads
    values: dict[tuple[str, str], str] = field(default_factory=dict)


class NetworkWriter:
    """Renders networks, and the blocks they use, into classes sharing one `Sources`."""

    def __init__(self, sources: Sources, reserved: set[str]) -> None:
        self.sources = sources
        self.reserved = reserved  # names no local may take (copied definitions)
        self.class_names = Namer(MODULE_NAMES | reserved, joiner="")
        self.classes: list[ClassCode] = []
        self._blocks: dict[int, str] = {}

    def network(self, net: NetworkInfo, description: str) -> ClassCode:
        name = self.class_names.name(class_name(net.name))
        summary = description or f"The {net.name.replace('_', ' ')} network."
        code = self._body(net, name, summary, "dict")
        code.network = net.name
        self.classes.append(code)
        return code

    def _block(self, spec: BlockSpec, info: NodeInfo) -> str:
        if info.params is None:
            raise ExportError(f"node '{info.id}' ({info.kind}) was not resolved")
        body = spec.body(info.params, info.inputs)
        known = self._blocks.get(id(body))
        if known is not None:
            return known
        name = self.class_names.name(class_name(spec.name))
        self._blocks[id(body)] = name
        self.classes.append(self._body(body, name, spec.description, "tuple"))
        return name

    def _body(self, net: NetworkInfo, name: str, summary: str, outputs_as: str) -> ClassCode:
        used = {(source.node, source.port) for source in net.sources.values()}
        scope = _Scope(Namer(MODULE_NAMES | self.reserved | {"self"}), used)
        init: list[str] = []
        forward: list[str] = []

        # Phase 1: forward's arguments, one per input node, in document order.
        arguments = []
        for info in net.input_nodes:
            local = scope.namer.name(info.id)
            scope.values[(info.id, info.output_ports[0].name)] = local
            arguments.append(f"{local}: torch.Tensor")

        # Phase 2: each layer's construction and call, in the compiler's order.
        results: dict[str, str] = {}
        for node_id in net.order:
            info = net.nodes[node_id]
            arriving = _arriving(net, info, scope)
            if info.role == "output":
                results[node_id] = arriving[0][1]
            elif info.role == "layer":
                self._layer(info, arriving, scope, init, forward)

        # Phase 3: the return value: one tensor, a dict for networks, a tuple for blocks
        # (in the order of the block's output ports, the order its users unpack).
        if outputs_as == "tuple":
            results = {n: results[n] for n, info in net.nodes.items() if info.role == "output"}
        returns, annotation = _returns(results, outputs_as)
        forward.append(statement("return ", returns, BODY_COLUMN))
        signature = Group(
            "def forward(", (Atom("self"), *map(Atom, arguments)), f") -> {annotation}:"
        )
        return ClassCode(
            name=name,
            docstring=_docstring(summary, net),
            init=init,
            signature=statement("", signature, len(INDENT)),
            forward=forward,
        )

    def _layer(
        self,
        info: NodeInfo,
        arriving: list[tuple[str, str]],
        scope: _Scope,
        init: list[str],
        forward: list[str],
    ) -> None:
        where = f"node '{info.id}' ({info.kind})"
        spec, params = info.spec, info.params
        if spec is None or params is None:
            raise ExportError(f"{where} was not resolved")
        if hasattr(nn.Module, info.id):
            raise ExportError(
                f"{where}: its id names an nn.Module attribute, which a layer cannot replace; "
                f"rename the node (e.g. '{info.id}_layer')"
            )
        by_port = dict(arriving)
        args = tuple(Atom(local) for _, local in arriving)
        if isinstance(spec, BlockSpec):
            init.append(f"self.{info.id} = {self._block(spec, info)}()")
            expr: Expr = call(f"self.{info.id}", args)
        else:
            built = spec.build(params, info.inputs)
            if isinstance(built, Module):
                init.append(
                    statement(f"self.{info.id} = ", self._module(built, where), BODY_COLUMN)
                )
                expr = call(f"self.{info.id}", args)
            elif isinstance(built, Function):
                expr = self._function(built, by_port, where)
            else:
                raise ExportError(
                    f"{where}: build() returned {built!r}; a layer must return a "
                    "graphgan.plugin.Module or Function to be exported"
                )

        targets = [
            scope.namer.name(_local_name(info, port.name, scope)) for port in info.output_ports
        ]
        for port, local in zip(info.output_ports, targets, strict=True):
            scope.values[(info.id, port.name)] = local
        comment = _shape_comment(info)
        if comment:
            forward.append(comment)
        forward.append(statement(f"{', '.join(targets)} = ", expr, BODY_COLUMN))

    def _module(self, built: Module, where: str) -> Expr:
        function = self.sources.reference(built.target, where)
        args = [self._value(a, where) for a in built.args]
        kwargs = [(k, self._value(v, where)) for k, v in built.kwargs.items()]
        return call(function, args, kwargs)

    def _value(self, value: Any, where: str) -> Expr:
        return self._module(value, where) if isinstance(value, Module) else literal(value, where)

    def _function(self, built: Function, by_port: dict[str, str], where: str) -> Expr:
        function = self.sources.reference(built.target, where)
        args = [_substituted(a, by_port, where) for a in built.args]
        kwargs = [(k, _substituted(v, by_port, where)) for k, v in built.kwargs.items()]
        return call(function, args, kwargs)


def _arriving(net: NetworkInfo, info: NodeInfo, scope: _Scope) -> list[tuple[str, str]]:
    """(port, local name) of each connected input, in port order: the call's arguments."""
    arriving = []
    for port in info.input_ports:
        source = net.sources.get((info.id, port.name))
        if source is not None:
            arriving.append((port.name, scope.values[(source.node, source.port)]))
    return arriving


def _local_name(info: NodeInfo, port: str, scope: _Scope) -> str:
    """`node` for a node's one output, `node_port` for one of several; `_...` when unread."""
    name = info.id if len(info.output_ports) == 1 else f"{info.id}_{port}"
    return name if (info.id, port) in scope.used else f"_{name}"


def _substituted(value: Any, by_port: dict[str, str], where: str) -> Expr:
    if isinstance(value, Input):
        if value.port not in by_port:
            raise ExportError(
                f"{where}: its Function reads port '{value.port}', which is unconnected"
            )
        return Atom(by_port[value.port])
    if isinstance(value, list):
        return Group("[", tuple(_substituted(v, by_port, where) for v in value), "]")
    if isinstance(value, tuple):
        items = tuple(_substituted(v, by_port, where) for v in value)
        return Group("(", items, ")", single_comma=True)
    return literal(value, where)


def _returns(results: dict[str, str], outputs_as: str) -> tuple[Expr, str]:
    if len(results) == 1:
        return Atom(next(iter(results.values()))), "torch.Tensor"
    if outputs_as == "dict":
        items = tuple(Atom(f'"{node}": {local}') for node, local in results.items())
        return Group("{", items, "}"), "dict[str, torch.Tensor]"
    annotation = ", ".join("torch.Tensor" for _ in results)
    return Group("(", tuple(map(Atom, results.values())), ")", True), f"tuple[{annotation}]"


def _shape_comment(info: NodeInfo) -> str | None:
    """A comment where the shape changes rank, is rearranged, or tensors are joined."""
    inputs = [spec for spec in info.inputs.values()]
    outputs = list(info.outputs.values())
    if not inputs or not outputs:
        return None
    joins = len(inputs) > 1
    reshapes = any(o.rank != inputs[0].rank for o in outputs) or (
        info.spec is not None and info.spec.category == "shape"
    )
    if not (joins or reshapes):
        return None
    return f"# {' + '.join(map(_shape, inputs))} -> {', '.join(map(_shape, outputs))}"


def _shape(spec: TensorSpec) -> str:
    return str(spec) if spec.dtype.startswith("float") else f"{spec} {spec.dtype}"


def _docstring(summary: str, net: NetworkInfo) -> str:
    """The class docstring: what the network does, then what goes in and comes out."""
    takes = ", ".join(
        f"{n.id} {_shape(n.outputs[n.output_ports[0].name])}" for n in net.input_nodes
    )
    gives = ", ".join(
        f"{n.id} {_shape(spec)}" for n in net.output_nodes if (spec := _output_spec(net, n))
    )
    text = summary.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    paragraphs = [text, f"Takes {takes or 'nothing'}; returns {gives or 'nothing'}."]
    wrapped = [textwrap.fill(p, DOC_WIDTH) for p in paragraphs]
    body = "\n\n".join(wrapped).split("\n")
    if len(body) == 1:
        return f'"""{body[0]}"""'
    lines = [f'"""{body[0]}', *body[1:], '"""']
    return "\n".join(lines)


def _output_spec(net: NetworkInfo, node: NodeInfo) -> TensorSpec | None:
    port = node.input_ports[0].name if node.input_ports else "x"
    return net.input_spec(node.id, port)
