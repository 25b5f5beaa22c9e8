"""A tiny trainable GAN on 4x4 digits, shared by the training tests."""

from __future__ import annotations

import copy
from typing import Any

from graphgan.graph import Graph
from graphgan.graph.files import graph_from_data

TINY_GAN: dict[str, Any] = {
    "format_version": 1,
    "name": "tiny gan",
    "variables": {"steps": {"value": 12}, "lr": {"value": 0.001}},
    "networks": {
        "generator": {
            "role": "generator",
            "nodes": [
                {"id": "g_z", "kind": "io.Noise", "params": {"dim": 8}},
                {"id": "g_y", "kind": "io.ClassLabel", "params": {"n_classes": 10}},
                {"id": "g_onehot", "kind": "gan.OneHot", "params": {"n_classes": 10}},
                {"id": "g_join", "kind": "nn.Concat"},
                {"id": "g_fc", "kind": "nn.Linear", "params": {"out_features": 16}},
                {"id": "g_tanh", "kind": "nn.Tanh"},
                {"id": "g_shape", "kind": "nn.Reshape", "params": {"shape": [1, 4, 4]}},
                {"id": "g_image", "kind": "io.Output"},
            ],
            "edges": [
                {"from": "g_y.y", "to": "g_onehot.x"},
                {"from": "g_z.z", "to": "g_join.x1"},
                {"from": "g_onehot.y", "to": "g_join.x2"},
                {"from": "g_join.y", "to": "g_fc.x"},
                {"from": "g_fc.y", "to": "g_tanh.x"},
                {"from": "g_tanh.y", "to": "g_shape.x"},
                {"from": "g_shape.y", "to": "g_image.x"},
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
                {"id": "d_y", "kind": "io.ClassLabel", "params": {"n_classes": 10}},
                {"id": "d_onehot", "kind": "gan.OneHot", "params": {"n_classes": 10}},
                {"id": "d_flat", "kind": "nn.Flatten"},
                {"id": "d_join", "kind": "nn.Concat"},
                {"id": "d_fc", "kind": "nn.Linear", "params": {"out_features": 1}},
                {"id": "d_score", "kind": "io.Output"},
            ],
            "edges": [
                {"from": "d_x.x", "to": "d_flat.x"},
                {"from": "d_y.y", "to": "d_onehot.x"},
                {"from": "d_flat.y", "to": "d_join.x1"},
                {"from": "d_onehot.y", "to": "d_join.x2"},
                {"from": "d_join.y", "to": "d_fc.x"},
                {"from": "d_fc.y", "to": "d_score.x"},
            ],
        },
    },
    "training": {
        "data": {"dataset": "digits", "image_size": 4, "channels": 1},
        "batch_size": 16,
        "inputs": {"g_z": "sample", "g_y": "sample"},
        "optimizers": {
            "d": {"networks": ["discriminator"], "lr": "=lr", "betas": [0.5, 0.999]},
            "g": {"networks": ["generator"], "lr": "=lr", "betas": [0.5, 0.999]},
        },
        "phases": [
            {
                "steps": "=steps",
                "generator": "generator",
                "output": "g_image",
                "adversarial": {
                    "discriminator": "discriminator",
                    "output": "d_score",
                    "real": {"d_x": "data:image", "d_y": "data:label"},
                    "fake": {"d_x": "g_image", "d_y": "g_y"},
                },
                "optimizers": ["d", "g"],
            }
        ],
        "samples": {"count": 20, "rows_by": "g_y"},
        "sample_every": 6,
        "checkpoint_every": 5,
        "log_every": 1,
    },
}


def tiny_gan_data() -> dict[str, Any]:
    return copy.deepcopy(TINY_GAN)


def tiny_gan(steps: int | None = None, **training: Any) -> Graph:
    data = tiny_gan_data()
    if steps is not None:
        data["variables"]["steps"]["value"] = steps
    data["training"].update(training)
    return graph_from_data(data)
