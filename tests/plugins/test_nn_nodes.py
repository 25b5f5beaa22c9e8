"""The `nn` pack's node kinds: error text, paper parameter counts and run-time behaviour."""

from __future__ import annotations

import re
from typing import Any

import pytest
import torch

from graphgan.compiler import compile_network
from graphgan.errors import GraphInvalidError
from graphgan.graph.document import Graph
from graphgan.plugin import Module
from graphgan.registry import default_registry
from graphgan.tensors import TensorKind, TensorSpec, flat, labels, spatial
from graphgan.validation import analyse
from tests.plugins.conftest import NETWORK, NODE, random_inputs, single_node_graph


def problem(kind: str, params: dict[str, Any], text: str, **inputs: TensorSpec) -> Any:
    return pytest.param(kind, params, inputs, text, id=f"{kind}: {text[:40]}")


PROBLEMS = [
    problem(
        "nn.Conv2d",
        {"out_channels": 8, "kernel_size": 3, "in_channels": 4},
        "expected 4 input channels, got 3 (from 'in_x.x'); set in_channels=3 or leave it "
        "unset to infer it",
        x=spatial(3, 8, 8, TensorKind.IMAGE),
    ),
    problem(
        "nn.Conv2d",
        {"out_channels": 8, "kernel_size": 5},
        "a 3x3 input is too small for a 5x5 kernel (stride 1, padding 0, dilation 1): the "
        "output would be -1x-1 (from 'in_x.x'); lower kernel_size or dilation, or add "
        "padding, or feed a larger input",
        x=spatial(3, 3, 3),
    ),
    problem(
        "nn.Conv2d",
        {"out_channels": 8, "kernel_size": 3, "padding": 3, "padding_mode": "reflect"},
        "reflect padding of 3 reaches past the 3x3 input",
        x=spatial(3, 3, 3),
    ),
    problem(
        "nn.Conv2d",
        {"out_channels": 8, "kernel_size": 3, "groups": 2},
        "3 input channels do not divide into 2 groups",
        x=spatial(3, 3, 3),
    ),
    problem(
        "nn.Conv2d",
        {"out_channels": 9, "kernel_size": 3, "groups": 2},
        "out_channels=9 does not divide into 2 groups; use a divisor of out_channels",
        x=spatial(4, 3, 3),
    ),
    problem(
        "nn.ConvTranspose2d",
        {"out_channels": 2, "kernel_size": 1, "padding": 1},
        "a 1x1 input is too small for a 1x1 kernel (stride 1, padding 1): the output would "
        "be -1x-1",
        x=spatial(4, 1, 1),
    ),
    problem(
        "nn.ConvTranspose2d",
        {"out_channels": 2, "kernel_size": 3, "stride": 2, "output_padding": 2},
        "output_padding must be smaller than stride (2); lower it",
        x=spatial(4, 1, 1),
    ),
    problem(
        "nn.Upsample",
        {"align_corners": True},
        "align_corners applies only to mode 'bilinear'; set it to false",
        x=spatial(4, 2, 2),
    ),
    problem(
        "nn.PixelShuffle",
        {"upscale_factor": 2},
        "upscale_factor 2 needs channels divisible by 4, got 6 (from 'in_x.x'); feed 8 "
        "channels or change upscale_factor",
        x=spatial(6, 3, 3),
    ),
    problem(
        "nn.Reshape",
        {"shape": [2, 3, 3]},
        "cannot reshape (N, 16) (16 values per sample) to (N, 2, 3, 3) (18 values) (from "
        "'in_x.z'); choose a shape whose sizes multiply to 16",
        x=flat(16),
    ),
    problem(
        "nn.Reshape",
        {"shape": [2, 3]},
        "give 1 size (a vector) or 3 (channels, height, width), got 2",
        x=flat(6),
    ),
    problem(
        "nn.Concat",
        {},
        "cannot join (N, 2, 8, 8) to (N, 2, 4, 4) at input 'x1': every dimension but the "
        "channels must match (from 'in_x2.x'); resize one input (nn.Upsample, gan.Broadcast) "
        "so they match",
        x1=spatial(2, 4, 4),
        x2=spatial(2, 8, 8),
    ),
    problem(
        "nn.Concat",
        {},
        "cannot join class labels (N,): they have no feature dimension (from 'in_x2.y'); "
        "turn them into vectors first with gan.OneHot or gan.LabelEmbedding",
        x1=flat(4),
        x2=labels(),
    ),
    problem(
        "nn.Add",
        {},
        "cannot add (N, 3, 4, 4) to (N, 2, 4, 4) at input 'x1': an elementwise sum needs "
        "identical shapes",
        x1=spatial(2, 4, 4),
        x2=spatial(3, 4, 4),
    ),
    problem(
        "nn.PReLU",
        {"num_parameters": 3},
        "num_parameters=3 must equal the input channels, got (N, 4, 4, 4) (from 'in_x.x'); "
        "set num_parameters=1 to share one slope, or to the channel count",
        x=spatial(4, 4, 4),
    ),
    problem(
        "nn.Tanh",
        {},
        "expected real-valued features, got int64 class labels (N,) (from 'in_x.y'); turn "
        "labels into vectors first with gan.OneHot or gan.LabelEmbedding",
        x=labels(),
    ),
    problem(
        "nn.InstanceNorm2d",
        {},
        "instance normalisation needs more than one pixel per channel, got (N, 4, 1, 1)",
        x=spatial(4, 1, 1),
    ),
    problem(
        "nn.BatchNorm1d",
        {"num_features": 3},
        "expected 3 channels, got 4 (from 'in_x.z'); set num_features=4 or leave it unset",
        x=flat(4),
    ),
    problem(
        "nn.Maxout",
        {"out_features": 3, "in_features": 3},
        "expected 3 input features, got 4 (from 'in_x.z'); set in_features=4",
        x=flat(4),
    ),
]


@pytest.mark.parametrize(("kind", "params", "inputs", "text"), PROBLEMS)
def test_problem_is_reported_with_its_fix(
    kind: str, params: dict[str, Any], inputs: dict[str, TensorSpec], text: str
) -> None:
    with pytest.raises(GraphInvalidError, match=re.escape(text)):
        compile_network(single_node_graph(kind, params, inputs), NETWORK)


def cgan_discriminator() -> Graph:
    """The conditional GAN paper's maxout discriminator for 28x28 images and 10 classes."""
    nodes = [
        ("d_x", "io.Image", {"channels": 1, "height": 28, "width": 28}),
        ("d_y", "io.ClassLabel", {"n_classes": 10}),
        ("d_flat", "nn.Flatten", {}),
        ("d_onehot", "gan.OneHot", {"n_classes": 10}),
        ("d_max_x", "nn.Maxout", {"out_features": 240, "pieces": 5}),
        ("d_max_y", "nn.Maxout", {"out_features": 50, "pieces": 5}),
        ("d_join", "nn.Concat", {}),
        ("d_max_joint", "nn.Maxout", {"out_features": 240, "pieces": 4}),
        ("d_fc", "nn.Linear", {"out_features": 1}),
        ("d_prob", "nn.Sigmoid", {}),
        ("d_out", "io.Output", {}),
    ]
    wires = [
        ("d_x.x", "d_flat.x"),
        ("d_flat.y", "d_max_x.x"),
        ("d_y.y", "d_onehot.x"),
        ("d_onehot.y", "d_max_y.x"),
        ("d_max_x.y", "d_join.x1"),
        ("d_max_y.y", "d_join.x2"),
        ("d_join.y", "d_max_joint.x"),
        ("d_max_joint.y", "d_fc.x"),
        ("d_fc.y", "d_prob.x"),
        ("d_prob.y", "d_out.x"),
    ]
    network = {
        "role": "discriminator",
        "nodes": [{"id": i, "kind": k, "params": p} for i, k, p in nodes],
        "edges": [{"from": a, "to": b} for a, b in wires],
    }
    return Graph.model_validate({"name": "cgan d", "networks": {"d": network}})


def test_maxout_reproduces_the_cgan_discriminator_parameter_count() -> None:
    module = compile_network(cgan_discriminator(), "d")
    assert sum(p.numel() for p in module.parameters()) == 1_224_351

    module.eval()
    prob = module(d_x=torch.rand(3, 1, 28, 28), d_y=torch.tensor([0, 4, 9]))
    assert prob.shape == (3, 1)
    assert ((prob > 0) & (prob < 1)).all()


def test_maxout_takes_the_max_over_each_units_adjacent_pieces() -> None:
    inputs = {"x": flat(6)}
    module = compile_network(
        single_node_graph("nn.Maxout", {"out_features": 4, "pieces": 3}, inputs), NETWORK
    )
    x = random_inputs(inputs)["in_x"]
    linear = module.get_submodule(f"{NODE}.linear")
    expected = linear(x).reshape(3, 4, 3).max(dim=2).values  # (N, 12) -> (N, 4, 3) -> (N, 4)
    torch.testing.assert_close(module(in_x=x), expected)


@pytest.mark.parametrize("always_on", [True, False])
def test_dropout_in_eval_mode_drops_only_when_always_on(always_on: bool) -> None:
    graph = single_node_graph("nn.Dropout", {"always_on": always_on}, {"x": flat(2000)})
    module = compile_network(graph, NETWORK).eval()
    x = torch.ones(3, 2000)

    y = module(in_x=x)
    if not always_on:
        assert torch.equal(y, x)
        return
    dropped = (y == 0).float().mean().item()
    assert 0.4 < dropped < 0.6
    assert set(y.unique().tolist()) == {0.0, 2.0}  # survivors are rescaled by 1 / (1 - p)
    assert not torch.equal(y, module(in_x=x))  # a fresh mask on every call


def macs_of(kind: str, params: dict[str, Any], **inputs: TensorSpec) -> int:
    info = analyse(single_node_graph(kind, params, inputs)).networks[NETWORK].nodes[NODE]
    assert info.spec is not None
    return info.spec.macs(info.params, info.inputs, info.outputs)


def test_macs_count_multiply_accumulates_per_sample() -> None:
    conv = {"out_channels": 4, "kernel_size": 4, "stride": 2, "padding": 1}
    # 4 x 4 x 4 outputs, each a 3-channel 4x4 dot product.
    assert macs_of("nn.Conv2d", conv, x=spatial(3, 8, 8)) == 64 * 3 * 16
    # Each of 4 x 4 x 4 inputs scatters through a 4x4 kernel into 3 channels.
    up = {"out_channels": 3, "kernel_size": 4, "stride": 2, "padding": 1}
    assert macs_of("nn.ConvTranspose2d", up, x=spatial(4, 4, 4)) == 64 * 3 * 16
    assert macs_of("nn.Linear", {"out_features": 5}, x=flat(6)) == 30
    assert macs_of("nn.Maxout", {"out_features": 5, "pieces": 3}, x=flat(6)) == 90


def test_builders_pass_only_params_that_differ_from_their_defaults() -> None:
    # Exported code then reads like hand-written code: Conv2d(3, 64, 4, stride=2, padding=1).
    spec = default_registry().node("nn.Conv2d")
    params = spec.params.model_validate(
        {"out_channels": 64, "kernel_size": 4, "stride": 2, "padding": 1}
    )
    built = spec.build(params, {"x": spatial(3, 64, 64)})
    assert built == Module("torch.nn.Conv2d", (3, 64, 4), {"stride": 2, "padding": 1})
