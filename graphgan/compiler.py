"""Compile: each network of a validated graph becomes a `torch.fx.GraphModule`.

Submodules are named by node ids, so parameter names read like the graph (`g_fc1.weight`),
and fx generates a plain Python `forward`, so running a network costs nothing per node.
"""

from __future__ import annotations

import logging
import operator
from typing import Any, Literal

import torch
from torch import fx, nn

from graphgan.errors import GraphganError, GraphInvalidError
from graphgan.graph.document import Graph
from graphgan.plugin import Function, Input, Module
from graphgan.registry import Registry
from graphgan.validation import Analysis, NetworkInfo, NodeInfo, analyse
from graphgan.validation.blocks import BlockSpec

log = logging.getLogger(__name__)

TorchCompile = Literal["auto", "on", "off"] | bool

# A network past this many parameters is a mistake in its sizes, caught before allocation.
MAX_PARAMETERS = 1 << 31


class CompileError(GraphganError, RuntimeError):
    """A node whose module could not be built although its graph validated."""

    code = "compile-failed"


def compile_network(
    source: Graph | Analysis,
    network: str,
    *,
    registry: Registry | None = None,
    torch_compile: TorchCompile = "auto",
    device: str | torch.device | None = None,
) -> nn.Module:
    """Compile one network of a graph to a module (validating the graph first)."""
    analysis = source if isinstance(source, Analysis) else analyse(source, registry)
    if not analysis.valid:
        raise GraphInvalidError(analysis.report)
    if network not in analysis.networks:
        known = ", ".join(analysis.networks) or "none"
        raise GraphInvalidError(f"no network '{network}' in the graph (it has: {known})")

    net = analysis.networks[network]
    _check_size(net)
    module = _compile_body(net, _class_name(network), outputs_as="dict")
    if device is not None:
        module = module.to(device)
    return maybe_torch_compile(module, torch_compile, device)


def compile_graph(
    source: Graph | Analysis, *, registry: Registry | None = None, **options: Any
) -> dict[str, nn.Module]:
    """Compile every network of a graph, by network name."""
    analysis = source if isinstance(source, Analysis) else analyse(source, registry)
    return {name: compile_network(analysis, name, **options) for name in analysis.networks}


def maybe_torch_compile(
    module: nn.Module, mode: TorchCompile, device: str | torch.device | None
) -> nn.Module:
    """Apply `torch.compile` when asked, or on CUDA when `auto`.

    On CPU it was measured to cost 20 to 50 s a model for no speed-up, so `auto` leaves it off.
    """
    on_cuda = device is not None and torch.device(device).type == "cuda"
    if mode in ("on", True) or (mode == "auto" and on_cuda):
        log.info("compiling %s with torch.compile", type(module).__name__)
        return torch.compile(module)  # type: ignore[return-value]
    return module


def _compile_body(net: NetworkInfo, class_name: str, outputs_as: str) -> fx.GraphModule:
    root = nn.Module()
    graph = fx.Graph()
    values: dict[tuple[str, str], fx.Node] = {}

    # Phase 1: forward's arguments, one per input node, in document order.
    for info in net.nodes.values():
        if info.role == "input":
            values[(info.id, info.output_ports[0].name)] = graph.placeholder(info.id)

    # Phase 2: every layer, in an order where inputs come first.
    results: dict[str, fx.Node] = {}
    for node_id in net.order:
        info = net.nodes[node_id]
        if info.role == "input":
            continue
        arriving = {
            port.name: values[(source.node, source.port)]
            for port in info.input_ports
            if (source := net.sources.get((node_id, port.name))) is not None
        }
        if info.role == "output":
            results[node_id] = next(iter(arriving.values()))
            continue
        result = _emit(root, graph, info, arriving)
        ports = info.output_ports
        if len(ports) == 1:
            values[(node_id, ports[0].name)] = result
        else:
            for index, port in enumerate(ports):
                values[(node_id, port.name)] = graph.call_function(
                    operator.getitem, (result, index)
                )

    # Phase 3: the return value: one tensor, a dict for networks, a tuple for blocks.
    if len(results) == 1:
        graph.output(next(iter(results.values())))
    elif outputs_as == "dict":
        graph.output(results)
    else:
        # A block's callers unpack its outputs in port order: the document order of its
        # output nodes, not the order they were reached in.
        outputs = [node_id for node_id, info in net.nodes.items() if info.role == "output"]
        graph.output(tuple(results[node_id] for node_id in outputs))
    return fx.GraphModule(root, graph, class_name=class_name)


def _emit(
    root: nn.Module, graph: fx.Graph, info: NodeInfo, arriving: dict[str, fx.Node]
) -> fx.Node:
    spec, params = info.spec, info.params
    if spec is None or params is None:
        raise CompileError(f"node '{info.id}' ({info.kind}) was not resolved")
    if isinstance(spec, BlockSpec):
        body = spec.body(params, info.inputs)
        root.add_module(info.id, _compile_body(body, _class_name(spec.name), outputs_as="tuple"))
        return graph.call_module(info.id, tuple(arriving.values()))

    built = spec.build(params, info.inputs)
    if isinstance(built, Module):
        root.add_module(info.id, _instantiate(info, built))
        return graph.call_module(info.id, tuple(arriving.values()))
    if isinstance(built, Function):
        call_args = _substitute(built.args, arriving)
        call_kwargs = {k: _substitute(v, arriving) for k, v in built.kwargs.items()}
        return graph.call_function(built.function(), tuple(call_args), call_kwargs)
    raise CompileError(
        f"node '{info.id}' ({info.kind}): build() returned {built!r}; a layer must return a "
        "graphgan.plugin.Module or Function; this is a bug in its plugin pack"
    )


def _instantiate(info: NodeInfo, built: Module) -> nn.Module:
    try:
        module = built.instantiate()
    except Exception as error:
        raise CompileError(
            f"node '{info.id}' ({info.kind}) failed to build {built.target}: "
            f"{type(error).__name__}: {error}"
        ) from error
    if not isinstance(module, nn.Module):
        raise CompileError(f"node '{info.id}' ({info.kind}): {built.target} is not an nn.Module")
    return module


def _substitute(value: Any, by_port: dict[str, fx.Node]) -> Any:
    if isinstance(value, Input):
        return by_port[value.port]
    if isinstance(value, (list, tuple)):
        return type(value)(_substitute(v, by_port) for v in value)
    return value


def _check_size(net: NetworkInfo) -> None:
    """Count parameters on the meta device, allocating nothing, and refuse absurd totals."""
    total = 0
    with torch.device("meta"):
        for info in net.nodes.values():
            if info.role == "layer" and info.spec is not None and info.params is not None:
                total += count_parameters(info)
                if total > MAX_PARAMETERS:
                    raise CompileError(
                        f"network '{net.name}' would hold over {MAX_PARAMETERS:,} parameters by "
                        f"node '{info.id}' ({info.kind}); reduce its sizes"
                    )


def count_parameters(info: NodeInfo) -> int:
    """Parameters of one node, counted on the meta device (nothing is allocated)."""
    if info.spec is None or info.params is None or info.role != "layer":
        return 0
    with torch.device("meta"):
        if isinstance(info.spec, BlockSpec):
            body = info.spec.body(info.params, info.inputs)
            return sum(count_parameters(i) for i in body.nodes.values())
        built = info.spec.build(info.params, info.inputs)
        if not isinstance(built, Module):
            return 0
        return sum(p.numel() for p in _instantiate(info, built).parameters())


def _class_name(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_")) or "Network"
