"""Shape inference: TensorSpecs flow through the network in topological order.

Each node's shape rule sees the specs arriving at its inputs. A node whose inputs are unknown
(because of an earlier problem) is skipped, so one mistake is reported once, not downstream.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphgan.diagnostics import Diagnostic
from graphgan.errors import ShapeError
from graphgan.plugin import NodeSpec, Params
from graphgan.tensors import TensorSpec
from graphgan.validation.model import NetworkInfo, NodeInfo

# Sizes past these are mistakes (a typo of 10**9 channels), flagged before any allocation.
MAX_DIM = 1 << 24
MAX_SAMPLE_ELEMENTS = 1 << 28


def infer_shapes(
    net: NetworkInfo, given: Mapping[str, TensorSpec] | None = None
) -> Iterator[Diagnostic]:
    """Fill `inputs` and `outputs` of every node; `given` feeds input nodes (block inputs)."""
    for node_id in net.order:
        info = net.nodes[node_id]
        if info.spec is None or info.params is None:
            continue
        if info.role == "input":
            arrived = given.get(node_id) if given is not None else None
            if arrived is None and info.spec.kind == "io.BlockInput":
                continue  # a block checked on its own: its input shapes come with each use
            info.inputs = {"x": arrived} if arrived is not None else {}
        else:
            inputs = _gather_inputs(net, info)
            if inputs is None:
                continue
            problems = list(_check_input_kinds(net, info, inputs))
            if problems:
                yield from (p for p in problems if p is not None)
                continue
            info.inputs = inputs
        yield from _run_rule(net, info, info.spec, info.params)


def _gather_inputs(net: NetworkInfo, info: NodeInfo) -> dict[str, TensorSpec] | None:
    inputs: dict[str, TensorSpec] = {}
    for port in info.input_ports:
        spec = net.input_spec(info.id, port.name)
        if spec is None:
            if not port.optional or (info.id, port.name) in net.sources:
                return None
            continue
        inputs[port.name] = spec
    return inputs


def _check_input_kinds(
    net: NetworkInfo, info: NodeInfo, inputs: dict[str, TensorSpec]
) -> Iterator[Diagnostic | None]:
    """Problems with what arrives; None marks a wire structure.py already reported."""
    for port in info.input_ports:
        spec = inputs.get(port.name)
        rank = port.kind.rank
        if spec is None or rank is None or (spec.rank == rank and port.kind.accepts(spec.kind)):
            continue
        if not port.kind.accepts(spec.kind):
            yield None
            continue
        yield Diagnostic(
            "port-kind-mismatch",
            f"input '{port.name}' takes {rank}-dimensional tensors, got "
            f"{spec.kind.value} {spec} from '{net.sources[(info.id, port.name)]}'; insert a "
            "node that converts it (nn.Flatten, nn.Reshape, gan.Broadcast)",
            network=net.name,
            node=info.id,
            kind=info.kind,
            port=port.name,
        )


def _run_rule(
    net: NetworkInfo, info: NodeInfo, spec: NodeSpec[Any], params: Params
) -> Iterator[Diagnostic]:
    try:
        outputs = spec.infer(params, info.inputs)
    except ShapeError as error:
        yield _shape_problem(net, info, error)
        return
    except Exception as error:  # plugin code must never crash validation
        yield Diagnostic(
            "plugin-error",
            f"the shape rule of {info.kind} raised {type(error).__name__}: {error}; this is "
            "a bug in the plugin pack that declares it, so report it there",
            network=net.name,
            node=info.id,
            kind=info.kind,
        )
        return

    declared = {p.name for p in info.output_ports}
    if set(outputs) != declared or not all(isinstance(s, TensorSpec) for s in outputs.values()):
        yield Diagnostic(
            "plugin-error",
            f"the shape rule of {info.kind} returned ports {sorted(outputs)} but the kind "
            f"declares {sorted(declared)}; this is a bug in its plugin pack",
            network=net.name,
            node=info.id,
            kind=info.kind,
        )
        return
    for port, tensor in outputs.items():
        problem = _size_problem(tensor)
        if problem:
            yield Diagnostic(
                "size-absurd",
                f"output '{port}' would be {tensor}: {problem}",
                network=net.name,
                node=info.id,
                kind=info.kind,
                port=port,
            )
            return
    info.outputs = dict(outputs)


def _shape_problem(net: NetworkInfo, info: NodeInfo, error: ShapeError) -> Diagnostic:
    message = str(error)
    source = net.sources.get((info.id, error.port)) if error.port else None
    if source is not None:
        message += f" (from '{source}')"
    if error.fix:
        message += f"; {error.fix}"
    return Diagnostic(
        "shape-mismatch",
        message,
        network=net.name,
        node=info.id,
        kind=info.kind,
        port=error.port,
    )


def _size_problem(spec: TensorSpec) -> str | None:
    dims = [d for d in spec.shape[1:] if isinstance(d, int) and d >= 1]
    if len(dims) != len(spec.shape) - 1:
        return "every size must be a positive whole number; check the params that set it"
    if any(d > MAX_DIM for d in dims):
        return f"a size over {MAX_DIM:,} is surely a mistake; check the params that set it"
    if spec.sample_numel > MAX_SAMPLE_ELEMENTS:
        return (
            f"{spec.sample_numel:,} values per sample is more than the {MAX_SAMPLE_ELEMENTS:,} "
            "limit; reduce the sizes"
        )
    return None
