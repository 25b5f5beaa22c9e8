"""The tiny graph the whole suite shares, and helpers to change it."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import torch

from graphgan.graph import Graph
from graphgan.graph.files import graph_from_data

TINY: dict[str, Any] = {
    "format_version": 1,
    "name": "tiny",
    "variables": {"latent_dim": {"value": 4}, "width": {"value": 8}},
    "presets": {"wide": {"width": 16}},
    "networks": {
        "generator": {
            "role": "generator",
            "nodes": [
                {"id": "g_z", "kind": "io.Noise", "params": {"dim": "=latent_dim"}},
                {"id": "g_fc1", "kind": "nn.Linear", "params": {"out_features": "=width"}},
                {"id": "g_act", "kind": "nn.ReLU"},
                {"id": "g_fc2", "kind": "nn.Linear", "params": {"out_features": 3}},
                {"id": "g_out", "kind": "io.Output"},
            ],
            "edges": [
                {"from": "g_z.z", "to": "g_fc1.x"},
                {"from": "g_fc1.y", "to": "g_act.x"},
                {"from": "g_act.y", "to": "g_fc2.x"},
                {"from": "g_fc2.y", "to": "g_out.x"},
            ],
        },
        "discriminator": {
            "role": "discriminator",
            "nodes": [
                {
                    "id": "d_x",
                    "kind": "io.Image",
                    "params": {"channels": 1, "height": 4, "width": 4},
                },
                {"id": "d_flat", "kind": "nn.Flatten"},
                {"id": "d_fc", "kind": "nn.Linear", "params": {"out_features": 1}},
                {"id": "d_out", "kind": "io.Output"},
            ],
            "edges": [
                {"from": "d_x.x", "to": "d_flat.x"},
                {"from": "d_flat.y", "to": "d_fc.x"},
                {"from": "d_fc.y", "to": "d_out.x"},
            ],
        },
    },
}


@pytest.fixture
def tiny_data() -> dict[str, Any]:
    """The tiny graph as JSON data, a fresh copy to mutate."""
    return copy.deepcopy(TINY)


@pytest.fixture
def tiny(tiny_data: dict[str, Any]) -> Graph:
    return graph_from_data(tiny_data)


def write_json(path: Any, data: Any) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def nodes_of(data: dict[str, Any], network: str = "generator") -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = data["networks"][network]["nodes"]
    return nodes


def edges_of(data: dict[str, Any], network: str = "generator") -> list[dict[str, Any]]:
    edges: list[dict[str, Any]] = data["networks"][network]["edges"]
    return edges


class StepTensors:
    """A training step's tensors by node id or data source, as a loss term reads them."""

    device = torch.device("cpu")

    def __init__(self, **tensors: torch.Tensor) -> None:
        self.tensors = tensors

    def value(self, ref: str) -> torch.Tensor:
        return self.tensors[ref]
