"""A standard training section for a graph that has none: the usual adversarial game.

A graph built on an empty canvas has networks but no `training` section. In the common case,
a generator that draws an image from noise (and perhaps a class label or latent codes) and a
discriminator that scores an image (and perhaps the same label), the section follows from
the graph: sampled inputs, the discriminator fed real images with their labels and generated
ones with the sampled labels, Adam at the DCGAN settings for each network, and the embedded
MNIST digits at the discriminator's image size. Graphs it cannot wire unambiguously (an
image-to-image generator, text, several discriminators) are refused with the reason, and
their section is written by hand (docs/training.md).
"""

from __future__ import annotations

from typing import Any

from graphgan.errors import GraphganError
from graphgan.graph.training import SAMPLE
from graphgan.validation.model import Analysis, NetworkInfo, NodeInfo

SAMPLED = ("io.Noise", "io.LatentCode", "io.ClassLabel")
RANGE_KEEPING = ("nn.Reshape", "nn.Flatten", "nn.Dropout")
STEPS = 5000
ADAM = {"algorithm": "adam", "lr": 2e-4, "betas": [0.5, 0.999]}  # the DCGAN paper's


class StandardTrainingError(GraphganError, ValueError):
    """The graph is not the plain generator-and-discriminator game the standard section wires."""

    code = "training-standard"


def standard_training(analysis: Analysis) -> dict[str, Any]:
    """The training section of the usual game between the graph's generator and discriminator.

    Raises StandardTrainingError naming what does not fit; the graph must be valid.
    """
    if not analysis.valid:
        raise StandardTrainingError("fix the graph's errors first: the section is read from it")
    generator = _only(analysis, "generator")
    discriminator = _only(analysis, "discriminator")
    g_out, d_out = _output(generator), _output(discriminator)

    g_inputs = generator.input_nodes
    for info in g_inputs:
        if info.kind not in SAMPLED:
            raise StandardTrainingError(
                f"generator input '{info.id}' ({info.kind}) is not noise, a latent code or a "
                "class label, so the standard section cannot feed it; write the training "
                "section by hand (docs/training.md)"
            )
    labels = [info for info in g_inputs if info.kind == "io.ClassLabel"]
    if len(labels) > 1:
        raise StandardTrainingError(
            f"the generator takes {len(labels)} class labels; the standard section pairs one"
        )

    image, d_label = _discriminator_inputs(discriminator, bool(labels))
    real = {image.id: "data:image"}
    fake = {image.id: g_out.id}
    if d_label is not None:
        real[d_label.id] = "data:label"
        fake[d_label.id] = labels[0].id
    params: Any = image.params
    section: dict[str, Any] = {
        "data": {
            "dataset": "mnist",
            "image_size": int(params.height),
            "channels": int(params.channels),
            "value_range": list(_value_range(generator, g_out)),
        },
        "batch_size": 64,
        "inputs": {info.id: SAMPLE for info in g_inputs},
        "optimizers": {
            "discriminator": {"networks": [discriminator.name], **ADAM},
            "generator": {"networks": [generator.name], **ADAM},
        },
        "phases": [
            {
                "name": "adversarial",
                "steps": STEPS,
                "generator": generator.name,
                "output": g_out.id,
                "adversarial": {
                    "discriminator": discriminator.name,
                    "output": d_out.id,
                    "loss": "bce",
                    "real": real,
                    "fake": fake,
                },
                "optimizers": ["discriminator", "generator"],
            }
        ],
        "samples": {"count": 100 if labels else 64},
    }
    if labels:
        section["samples"]["rows_by"] = labels[0].id
    return section


def _only(analysis: Analysis, role: str) -> NetworkInfo:
    names = [name for name, net in analysis.graph.networks.items() if net.role == role]
    if len(names) != 1:
        found = ", ".join(names) or "none"
        raise StandardTrainingError(
            f"the standard section needs exactly one {role} network (found: {found})"
        )
    return analysis.networks[names[0]]


def _output(network: NetworkInfo) -> NodeInfo:
    outputs = network.output_nodes
    if len(outputs) != 1:
        raise StandardTrainingError(
            f"network '{network.name}' has {len(outputs)} output nodes; the standard section "
            "needs one (add an io.Output for the image or the score)"
        )
    return outputs[0]


def _discriminator_inputs(network: NetworkInfo, labelled: bool) -> tuple[NodeInfo, NodeInfo | None]:
    """The discriminator's image input, and its class label input where the generator has one."""
    images = [info for info in network.input_nodes if info.kind == "io.Image"]
    labels = [info for info in network.input_nodes if info.kind == "io.ClassLabel"]
    others = [info.id for info in network.input_nodes if info not in images + labels]
    if len(images) != 1 or others or len(labels) > 1:
        raise StandardTrainingError(
            f"discriminator '{network.name}' should take one io.Image (and, for a conditional "
            f"GAN, one io.ClassLabel); it takes {[i.id for i in network.input_nodes]}"
        )
    if labels and not labelled:
        raise StandardTrainingError(
            f"discriminator input '{labels[0].id}' wants a class label, but the generator "
            "takes none; add an io.ClassLabel to the generator or remove this input"
        )
    return images[0], labels[0] if labels else None


def _value_range(network: NetworkInfo, output: NodeInfo) -> tuple[float, float]:
    """[0, 1] after a sigmoid, [-1, 1] otherwise (tanh, or no squashing at all).

    Reshapes and dropout between the activation and the output leave the range as it is.
    """
    node = output
    while (source := network.sources.get((node.id, "x"))) is not None:
        node = network.nodes[source.node]
        if node.kind not in RANGE_KEEPING:
            break
    return (0.0, 1.0) if node.kind == "nn.Sigmoid" else (-1.0, 1.0)
