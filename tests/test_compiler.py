"""Compile: networks become fx modules that match hand-written PyTorch bit for bit."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch import nn

from graphgan.compiler import CompileError, compile_network, maybe_torch_compile
from graphgan.errors import GraphInvalidError
from graphgan.graph import Graph
from graphgan.graph.files import graph_from_data
from graphgan.templates import open_document
from tests.conftest import nodes_of
from tests.handwritten import CONV_GRAPH, CganGenerator, ConvDiscriminator


def twin_pair(graph: Graph, network: str, twin: nn.Module) -> tuple[nn.Module, nn.Module]:
    torch.manual_seed(0)
    compiled = compile_network(graph, network)
    twin.load_state_dict(compiled.state_dict())
    return compiled, twin


def run_both(
    compiled: nn.Module, twin: nn.Module, make_inputs: Callable[[], tuple[torch.Tensor, ...]]
) -> None:
    """Same seed, same inputs: outputs, gradients and buffers must be identical."""
    for mode in ("train", "eval"):
        compiled.train(mode == "train")
        twin.train(mode == "train")
        results = []
        for module in (compiled, twin):
            module.zero_grad()
            torch.manual_seed(1)
            inputs = make_inputs()
            torch.manual_seed(2)
            out = module(*inputs)
            out.square().mean().backward()
            results.append((out, {n: p.grad for n, p in module.named_parameters()}))
        assert torch.equal(results[0][0], results[1][0]), mode
        for name, grad in results[0][1].items():
            assert torch.equal(grad, results[1][1][name]), (mode, name)
        for (name, a), (_, b) in zip(compiled.named_buffers(), twin.named_buffers(), strict=True):
            assert torch.equal(a, b), name


def test_dense_network_matches_hand_written() -> None:
    compiled, twin = twin_pair(open_document("cgan"), "generator", CganGenerator())
    run_both(compiled, twin, lambda: (torch.rand(16, 100), torch.randint(0, 10, (16,))))


def test_conv_network_matches_hand_written() -> None:
    graph = graph_from_data(copy.deepcopy(CONV_GRAPH))
    compiled, twin = twin_pair(graph, "discriminator", ConvDiscriminator())
    run_both(compiled, twin, lambda: (torch.randn(8, 3, 32, 32),))


def test_parameter_names_come_from_node_ids(tiny: Graph) -> None:
    names = [name for name, _ in compile_network(tiny, "generator").named_parameters()]
    assert names == ["g_fc1.weight", "g_fc1.bias", "g_fc2.weight", "g_fc2.bias"]


def test_forward_is_generated_code_not_an_interpreter(tiny: Graph) -> None:
    module = compile_network(tiny, "generator")
    assert isinstance(module, torch.fx.GraphModule)
    assert "def forward(self, g_z):" in module.code
    assert type(module).__name__ == "Generator"


def test_several_outputs_come_back_by_node_id(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data).append({"id": "g_hidden", "kind": "io.Output"})
    tiny_data["networks"]["generator"]["edges"].append({"from": "g_act.y", "to": "g_hidden.x"})
    module = compile_network(graph_from_data(tiny_data), "generator")
    out = module(torch.randn(2, 4))
    assert set(out) == {"g_out", "g_hidden"}
    assert out["g_hidden"].shape == (2, 8)


def test_invalid_graph_is_refused_with_its_report(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data)[1]["kind"] = "nn.Nope"
    with pytest.raises(GraphInvalidError, match=r"unknown node kind 'nn\.Nope'"):
        compile_network(graph_from_data(tiny_data), "generator")


def test_unknown_network_lists_the_networks(tiny: Graph) -> None:
    with pytest.raises(GraphInvalidError, match="it has: generator, discriminator"):
        compile_network(tiny, "critic")


def test_absurd_parameter_count_is_refused_before_allocation(tiny_data: dict[str, Any]) -> None:
    nodes_of(tiny_data)[1]["params"]["out_features"] = 1_000_000
    nodes_of(tiny_data)[3]["params"]["out_features"] = 5_000
    with pytest.raises(CompileError, match="over 2,147,483,648 parameters by node 'g_fc2'"):
        compile_network(graph_from_data(tiny_data), "generator")


def test_torch_compile_auto_is_off_on_cpu(tiny: Graph) -> None:
    module = compile_network(tiny, "generator", device="cpu")
    assert maybe_torch_compile(module, "auto", "cpu") is module
    assert isinstance(module, torch.fx.GraphModule)


TWO_OUTPUT_BLOCK: dict[str, Any] = {
    "format_version": 1,
    "name": "two outputs",
    "blocks": {
        "split": {
            # `deep` is listed first but computed last: callers read outputs in this order.
            "nodes": [
                {"id": "x", "kind": "io.BlockInput", "params": {"tensor": "vector"}},
                {"id": "deep", "kind": "io.BlockOutput"},
                {"id": "fc", "kind": "nn.Linear", "params": {"out_features": 3}},
                {"id": "shallow", "kind": "io.BlockOutput"},
            ],
            "edges": [
                {"from": "x.x", "to": "fc.x"},
                {"from": "fc.y", "to": "deep.x"},
                {"from": "x.x", "to": "shallow.x"},
            ],
        }
    },
    "networks": {
        "main": {
            "role": "generator",
            "nodes": [
                {"id": "z", "kind": "io.Noise", "params": {"dim": 5}},
                {"id": "parts", "kind": "block.split"},
                {"id": "deep_out", "kind": "io.Output"},
                {"id": "shallow_out", "kind": "io.Output"},
            ],
            "edges": [
                {"from": "z.z", "to": "parts.x"},
                {"from": "parts.deep", "to": "deep_out.x"},
                {"from": "parts.shallow", "to": "shallow_out.x"},
            ],
        }
    },
}


def test_a_blocks_outputs_arrive_at_their_own_ports() -> None:
    network = compile_network(graph_from_data(TWO_OUTPUT_BLOCK), "main")
    z = torch.randn(2, 5)

    outputs = network(z)

    assert outputs["deep_out"].shape == (2, 3)
    assert torch.equal(outputs["shallow_out"], z)
