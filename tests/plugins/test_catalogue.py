"""Every node kind of the `nn` and `gan` packs, by example: validated, compiled and run.

Each example's real output shapes and dtypes must equal the TensorSpecs its shape rule inferred.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from graphgan.compiler import compile_network
from graphgan.registry import default_registry
from graphgan.tensors import TensorKind, TensorSpec, flat, labels, spatial, tokens
from graphgan.validation import analyse
from tests.plugins.conftest import (
    NETWORK,
    NODE,
    output_ports,
    random_inputs,
    run,
    single_node_graph,
)

PACKS = ("nn", "gan")
IMAGE = TensorKind.IMAGE


def example(kind: str, params: dict[str, Any], **inputs: TensorSpec) -> Any:
    name = kind + "".join(f"-{key}={value}" for key, value in params.items())
    return pytest.param(kind, params, inputs, id=name)


EXAMPLES = [
    # Dense
    example("nn.Linear", {"out_features": 8}, x=flat(5)),
    example("nn.Linear", {"out_features": 2, "bias": False, "spectral_norm": True}, x=flat(5)),
    example("nn.Maxout", {"out_features": 4, "pieces": 3, "in_features": 6}, x=flat(6)),
    # Convolution
    example(
        "nn.Conv2d",
        {"out_channels": 4, "kernel_size": 4, "stride": 2, "padding": 1},
        x=spatial(3, 8, 8, IMAGE),
    ),
    example(
        "nn.Conv2d",
        {
            "out_channels": 6,
            "kernel_size": 3,
            "padding": 2,
            "dilation": 2,
            "groups": 2,
            "padding_mode": "reflect",
            "bias": False,
            "spectral_norm": True,
        },
        x=spatial(4, 5, 5),
    ),
    example(
        "nn.ConvTranspose2d",
        {"out_channels": 3, "kernel_size": 4, "stride": 2, "padding": 1},
        x=spatial(4, 4, 4),
    ),
    example(
        "nn.ConvTranspose2d",
        {
            "out_channels": 2,
            "kernel_size": 3,
            "stride": 2,
            "padding": 1,
            "output_padding": 1,
            "bias": False,
            "spectral_norm": True,
        },
        x=spatial(4, 3, 5),
    ),
    # Resampling
    example("nn.Upsample", {}, x=spatial(2, 3, 3, IMAGE)),
    example(
        "nn.Upsample",
        {"scale_factor": 3, "mode": "bilinear", "align_corners": True},
        x=spatial(2, 3, 5),
    ),
    example("nn.PixelShuffle", {"upscale_factor": 2}, x=spatial(8, 3, 3)),
    # Normalisation and dropout
    example("nn.BatchNorm1d", {}, x=flat(6)),
    example("nn.BatchNorm2d", {"momentum": 0.2, "num_features": 4}, x=spatial(4, 3, 3)),
    example("nn.InstanceNorm2d", {}, x=spatial(3, 4, 4)),
    example("nn.InstanceNorm2d", {"affine": True, "track_running_stats": True}, x=spatial(3, 2, 1)),
    example("nn.Dropout", {"p": 0.3}, x=spatial(2, 3, 3)),
    example("nn.Dropout", {"always_on": True}, x=flat(4)),
    # Activations
    example("nn.ReLU", {}, x=spatial(2, 3, 3)),
    example("nn.LeakyReLU", {"negative_slope": 0.1}, x=flat(4)),
    example("nn.PReLU", {}, x=flat(4)),
    example("nn.PReLU", {"num_parameters": 4, "init": 0.1}, x=spatial(4, 2, 2)),
    example("nn.Tanh", {}, x=spatial(3, 4, 4, IMAGE)),
    example("nn.Sigmoid", {}, x=flat(1)),
    # Shape
    example("nn.Flatten", {}, x=spatial(2, 3, 3)),
    example("nn.Reshape", {"shape": [2, 3, 3]}, x=flat(18)),
    example("nn.Reshape", {"shape": [12]}, x=spatial(3, 2, 2)),
    # Joins
    example(
        "nn.Concat",
        {"inputs": 3},
        x1=spatial(2, 4, 4, IMAGE),
        x2=spatial(3, 4, 4),
        x3=spatial(1, 4, 4),
    ),
    example("nn.Concat", {}, x1=flat(3), x2=flat(2, TensorKind.CODE)),
    example("nn.Add", {}, x1=spatial(2, 3, 3), x2=spatial(2, 3, 3)),
    example("nn.Add", {"inputs": 3}, x1=flat(4), x2=flat(4), x3=flat(4)),
    # Conditioning
    example("gan.OneHot", {"n_classes": 10}, x=labels()),
    example("gan.LabelEmbedding", {"n_classes": 10, "dim": 4}, x=labels()),
    example("gan.TextEncoder", {"vocabulary": 20, "words": 8, "dim": 6}, t=tokens(5)),
    example("gan.BagOfWords", {"vocabulary": 20, "dim": 6, "seed": 2}, t=tokens(5)),
    example("gan.Broadcast", {"height": 3, "width": 2}, x=flat(4)),
    example("gan.Broadcast", {}, x=flat(4), like=spatial(2, 5, 3)),
    example(
        "gan.ConditioningAugmentation",
        {"dim": 4, "activation": "leaky_relu"},
        t=flat(12, TensorKind.TEXT_EMBEDDING),
    ),
]


def test_every_kind_of_the_packs_has_an_example() -> None:
    registry = default_registry()
    kinds = {kind for kind, pack in registry.owners.items() if pack in PACKS}
    covered = {param.values[0] for param in EXAMPLES}
    assert kinds - covered == set(), "add an example to EXAMPLES for each new kind"
    assert covered - kinds == set()


@pytest.mark.parametrize(("kind", "params", "inputs"), EXAMPLES)
def test_example_compiles_and_runs_as_inferred(
    kind: str, params: dict[str, Any], inputs: dict[str, TensorSpec]
) -> None:
    analysis = analyse(single_node_graph(kind, params, inputs))
    assert analysis.valid, str(analysis.report)
    inferred = analysis.networks[NETWORK].nodes[NODE].outputs
    ports = output_ports(kind, params)
    assert sorted(inferred) == sorted(ports)

    torch.manual_seed(0)
    module = compile_network(analysis, NETWORK)
    tensors = random_inputs(inputs)
    for training in (True, False):
        module.train(training)
        outputs = run(module, tensors, ports)
        assert sorted(outputs) == sorted(ports)
        for port, tensor in outputs.items():
            spec = inferred[port]
            assert tuple(tensor.shape) == (3, *spec.sample_shape), port
            assert str(tensor.dtype) == f"torch.{spec.dtype}", port
            if not training:
                assert torch.isfinite(tensor).all(), port


@pytest.mark.parametrize(("kind", "params", "inputs"), EXAMPLES)
def test_layers_with_weights_count_their_macs(
    kind: str, params: dict[str, Any], inputs: dict[str, TensorSpec]
) -> None:
    analysis = analyse(single_node_graph(kind, params, inputs))
    info = analysis.networks[NETWORK].nodes[NODE]
    module = compile_network(analysis, NETWORK)
    layer = dict(module.named_modules()).get(NODE)  # none for a function such as torch.cat
    weights = sum(p.numel() for p in layer.parameters()) if layer is not None else 0

    assert info.spec is not None
    macs = info.spec.macs(info.params, info.inputs, info.outputs)
    assert isinstance(macs, int)
    assert macs >= 0
    lookup = kind == "gan.LabelEmbedding"  # a table lookup multiplies nothing
    if weights and not lookup:
        assert macs > 0


def pack_kinds() -> list[Any]:
    registry = default_registry()
    return [spec for spec in registry if registry.owners[spec.kind] in PACKS]


@pytest.mark.parametrize("spec", pack_kinds(), ids=lambda spec: spec.kind)
def test_kind_is_described_for_the_editor(spec: Any) -> None:
    assert spec.category
    assert spec.description.endswith(".")
    assert ". " not in spec.description, "one sentence"
    fields = spec.params.model_fields
    assert set(spec.key_params) <= set(fields)
    for name, field in fields.items():
        assert field.description, f"param '{name}' needs a description"
    spec.params.model_json_schema()  # the inspector and the server are generated from it
