"""Exported networks against compiled ones: same weights, same outputs, same gradients."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from graphgan.graph.files import graph_from_data
from graphgan.graph.variables import configure
from graphgan.registry import default_registry
from graphgan.templates import open_document
from graphgan.tensors import TensorKind, TensorSpec, flat, labels, spatial
from graphgan.validation import analyse
from tests.export.project import (
    assert_same_behaviour,
    example_pack_analysis,
    exported_models,
    pair,
)
from tests.plugins.conftest import NETWORK, random_inputs, single_node_graph
from tests.plugins.test_catalogue import EXAMPLES

# A port kind's tensor for kinds that have no example of their own in EXAMPLES.
DEFAULT_INPUTS = {
    TensorKind.IMAGE: spatial(3, 8, 8, TensorKind.IMAGE),
    TensorKind.FEATURE_MAP: spatial(4, 8, 8),
    TensorKind.VECTOR: flat(8),
    TensorKind.TEXT_EMBEDDING: flat(8, TensorKind.TEXT_EMBEDDING),
    TensorKind.CODE: flat(4, TensorKind.CODE),
    TensorKind.LABEL: labels(),
    TensorKind.ANY: flat(8),
}


def cgan_inputs(batch: int = 5) -> dict[str, list[torch.Tensor]]:
    torch.manual_seed(3)
    return {
        "generator": [torch.rand(batch, 100), torch.randint(0, 10, (batch,))],
        "discriminator": [torch.rand(batch, 1, 28, 28), torch.randint(0, 10, (batch,))],
    }


@pytest.mark.parametrize("preset", [None, "demo"])
def test_cgan_networks_match_compiled(preset: str | None, tmp_path: Path) -> None:
    analysis = analyse(configure(open_document("cgan"), preset))
    models = exported_models(analysis, tmp_path)
    for network, inputs in cgan_inputs().items():
        compiled, exported = pair(analysis, network, models)
        assert_same_behaviour(compiled, exported, inputs)


def test_cgan_layers_are_constructed_in_compile_order(tmp_path: Path) -> None:
    # Same seed, same initial weights: train.py relies on it to repeat graphgan's runs.
    analysis = analyse(open_document("cgan"))
    models = exported_models(analysis, tmp_path)
    for network in ("generator", "discriminator"):
        compiled, _ = pair(analysis, network, models)
        torch.manual_seed(0)
        fresh = models.NETWORKS[network]()
        for (name, a), (_, b) in zip(
            compiled.state_dict().items(), fresh.state_dict().items(), strict=True
        ):
            assert torch.equal(a, b), name


@pytest.mark.parametrize(("kind", "params", "inputs"), EXAMPLES)
def test_every_example_node_matches_compiled(
    kind: str, params: dict[str, Any], inputs: dict[str, TensorSpec], tmp_path: Path
) -> None:
    analysis = analyse(single_node_graph(kind, params, inputs))
    assert analysis.valid, str(analysis.report)
    models = exported_models(analysis, tmp_path)
    compiled, exported = pair(analysis, NETWORK, models)
    tensors = random_inputs(inputs)
    order = [node.id for node in analysis.networks[NETWORK].input_nodes]
    assert_same_behaviour(compiled, exported, [tensors[node] for node in order])


def layer_kinds() -> list[str]:
    registry = default_registry()
    return sorted(kind for kind, spec in registry.nodes.items() if spec.role == "layer")


@pytest.mark.parametrize("kind", layer_kinds())
def test_every_registered_kind_exports(kind: str, tmp_path: Path) -> None:
    """Each registered layer kind, with its example params or else its defaults."""
    examples = [p.values for p in EXAMPLES if p.values[0] == kind]
    if examples:
        _, params, inputs = examples[0]
    else:
        spec = default_registry().node(kind)
        params = {}
        ports = spec.input_ports(spec.params.model_validate(params))
        inputs = {port.name: DEFAULT_INPUTS[port.kind] for port in ports if not port.optional}
    analysis = analyse(single_node_graph(kind, params, inputs))
    assert analysis.valid, f"{kind}: add an example to tests/plugins/test_catalogue.py"
    models = exported_models(analysis, tmp_path)
    assert NETWORK in models.NETWORKS


BLOCKS: dict[str, Any] = {
    "format_version": 1,
    "name": "blocks",
    "blocks": {
        "dense": {
            "params": {"width": {"default": 8}},
            "nodes": [
                {"id": "x", "kind": "io.BlockInput", "params": {"tensor": "vector"}},
                {"id": "fc", "kind": "nn.Linear", "params": {"out_features": "=width"}},
                {"id": "act", "kind": "nn.LeakyReLU", "params": {"negative_slope": 0.2}},
                {"id": "skip", "kind": "nn.Concat"},
                # Outputs in the order their values are computed: graphgan's compiler returns
                # a block's outputs in that order but its users read them in this one.
                {"id": "pre", "kind": "io.BlockOutput"},
                {"id": "y", "kind": "io.BlockOutput"},
            ],
            "edges": [
                {"from": "x.x", "to": "fc.x"},
                {"from": "fc.y", "to": "act.x"},
                {"from": "act.y", "to": "skip.x1"},
                {"from": "x.x", "to": "skip.x2"},
                {"from": "skip.y", "to": "y.x"},
                {"from": "fc.y", "to": "pre.x"},
            ],
        }
    },
    "networks": {
        "main": {
            "role": "generator",
            "nodes": [
                {"id": "input", "kind": "io.Noise", "params": {"dim": 4}},
                {"id": "first", "kind": "block.dense"},
                {"id": "second", "kind": "block.dense", "params": {"width": 6}},
                {"id": "max", "kind": "nn.Linear", "params": {"out_features": 3}},
                {"id": "out", "kind": "io.Output"},
                {"id": "hidden", "kind": "io.Output"},
            ],
            "edges": [
                {"from": "input.z", "to": "first.x"},
                {"from": "first.y", "to": "second.x"},
                {"from": "second.y", "to": "max.x"},
                {"from": "max.y", "to": "out.x"},
                {"from": "first.pre", "to": "hidden.x"},
            ],
        }
    },
}


def test_blocks_become_classes_and_match_compiled(tmp_path: Path) -> None:
    analysis = analyse(graph_from_data(BLOCKS))
    assert analysis.valid, str(analysis.report)
    models = exported_models(analysis, tmp_path)
    source = (tmp_path / "models.py").read_text(encoding="utf-8")

    # Two uses with different widths are two classes; builtins never name a local.
    assert "class Dense(nn.Module):" in source
    assert "class Dense2(nn.Module):" in source
    assert "def forward(self, input_: torch.Tensor) -> dict[str, torch.Tensor]:" in source
    assert "max_ = self.max(" in source
    compiled, exported = pair(analysis, "main", models)
    assert_same_behaviour(compiled, exported, [torch.randn(5, 4)])


def test_the_graphs_above_use_every_registered_kind() -> None:
    """Inputs, outputs and block ports too: nothing registered goes unexported."""
    graphs = [single_node_graph(*p.values) for p in EXAMPLES]
    graphs += [graph_from_data(BLOCKS), open_document("cgan")]
    used = {
        node.kind
        for graph in graphs
        for network in [*graph.networks.values(), *graph.blocks.values()]
        for node in network.nodes
    }
    assert set(default_registry().nodes) - used == set()


def test_a_third_party_packs_layers_are_copied_and_match(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    analysis = example_pack_analysis(monkeypatch)
    models = exported_models(analysis, tmp_path)
    source = (tmp_path / "models.py").read_text(encoding="utf-8")
    assert "class MinibatchStdDev(nn.Module):" in source
    assert "def swish(x: torch.Tensor, beta: float = 1.0) -> torch.Tensor:" in source
    assert "graphgan_example" not in source
    compiled, exported = pair(analysis, "critic", models)
    assert_same_behaviour(compiled, exported, [torch.randn(4, 3, 4, 4)])
