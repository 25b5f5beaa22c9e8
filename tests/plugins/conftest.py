"""Helpers for plugin tests: a graph around one node, random inputs, and running it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from pydantic import ValidationError
from torch import nn

from graphgan.graph.document import Edge, Graph, Network, Node
from graphgan.registry import default_registry
from graphgan.tensors import TensorKind, TensorSpec

NETWORK = "g"
NODE = "node"
# Every io.ClassLabel these graphs use has this many classes.
N_CLASSES = 10

# The io kind that feeds each tensor kind, and the name of its output port.
FEEDERS = {
    TensorKind.IMAGE: ("io.Image", "x"),
    TensorKind.FEATURE_MAP: ("io.Image", "x"),
    TensorKind.VECTOR: ("io.Noise", "z"),
    TensorKind.TEXT_EMBEDDING: ("io.TextEmbedding", "t"),
    TensorKind.CODE: ("io.LatentCode", "c"),
    TensorKind.LABEL: ("io.ClassLabel", "y"),
    TensorKind.TOKENS: ("io.Tokens", "t"),
}
# Every io.Tokens these graphs use has this many token ids.
VOCABULARY = 20


def single_node_graph(
    kind: str, params: Mapping[str, Any], inputs: Mapping[str, TensorSpec]
) -> Graph:
    """One node of `kind`, fed by an io input node per port, each output to an io.Output.

    Input nodes are named `in_<port>` and output nodes `out_<port>`.
    """
    nodes = [Node(id=NODE, kind=kind, params=dict(params))]
    edges = []
    for port, spec in inputs.items():
        feeder, out_port = FEEDERS[spec.kind]
        nodes.append(Node(id=f"in_{port}", kind=feeder, params=_feeder_params(spec)))
        edges.append(Edge.model_validate({"from": f"in_{port}.{out_port}", "to": f"node.{port}"}))
    for port in output_ports(kind, params):
        nodes.append(Node(id=f"out_{port}", kind="io.Output"))
        edges.append(Edge.model_validate({"from": f"node.{port}", "to": f"out_{port}.x"}))
    network = Network(role="generator", nodes=nodes, edges=edges)
    return Graph(format_version=1, name=f"one {kind}", networks={NETWORK: network})


def output_ports(kind: str, params: Mapping[str, Any]) -> list[str]:
    """The kind's output port names; its declared ports when `params` are invalid."""
    spec = default_registry().node(kind)
    try:
        ports = spec.output_ports(spec.params.model_validate(dict(params)))
    except ValidationError:
        ports = spec.outputs
    return [port.name for port in ports]


def _feeder_params(spec: TensorSpec) -> dict[str, Any]:
    if spec.kind is TensorKind.LABEL:
        return {"n_classes": N_CLASSES}
    if spec.kind is TensorKind.TOKENS:
        return {"length": int(spec.shape[1]), "vocabulary": VOCABULARY}
    if spec.rank == 4:
        channels, height, width = spec.sample_shape
        return {"channels": channels, "height": height, "width": width}
    if spec.kind is TensorKind.CODE:
        return {"dim": spec.channels, "distribution": "normal"}
    return {"dim": spec.channels}


def random_inputs(inputs: Mapping[str, TensorSpec], batch: int = 3) -> dict[str, torch.Tensor]:
    """Random tensors for the input nodes of `single_node_graph`, by input node id."""
    tensors = {}
    for port, spec in inputs.items():
        if spec.kind is TensorKind.LABEL:
            tensors[f"in_{port}"] = torch.randint(0, N_CLASSES, (batch,))
        elif spec.kind is TensorKind.TOKENS:
            tensors[f"in_{port}"] = torch.randint(0, VOCABULARY, (batch, *spec.sample_shape))
        else:
            tensors[f"in_{port}"] = torch.randn(batch, *spec.sample_shape)
    return tensors


def run(
    module: nn.Module, tensors: Mapping[str, torch.Tensor], ports: list[str]
) -> dict[str, torch.Tensor]:
    """Outputs by the node's output port: a network with one output returns a bare tensor."""
    result = module(**tensors)
    if isinstance(result, torch.Tensor):
        (port,) = ports
        return {port: result}
    return {node_id.removeprefix("out_"): tensor for node_id, tensor in result.items()}
