"""StackGAN: does the stage-II image show everything its caption says?

A small CNN with one head per caption attribute (shape, colour, size, horizontal and
vertical position), trained on real renders only, reads the stage-II image drawn for each
held-out caption; the score is the share of images with every attribute the caption states
(read by the data pack's own parser) recognised. The control scores the same images against
shuffled captions, which a generator that ignores its text matches as well as the true ones.
"""

from __future__ import annotations

from tempfile import TemporaryDirectory
from typing import Any

import torch

from graphgan.graph.training import training_spec
from graphgan.graph.variables import configure
from graphgan.plugin import DataOptions
from graphgan.registry import default_registry
from graphgan.templates import open_document
from graphgan_data.captions import ATTRIBUTES, parse

from .outcome import Gate, Outcome, Samples
from .scoring import trained_run

FLOOR = 0.6  # stage-II images with every caption attribute recognised (reference section 11)
CONTROL_CEILING = 0.02  # the same images against shuffled captions
SCORER_STEPS = 1500
SCORER_JITTER = 0.5  # real renders with shape jitter, so the scorer does not memorise pixels
SHOWN = 8


class AttributeScorer(torch.nn.Module):
    """A small CNN with one head per caption attribute, for 64x64 images in [-1, 1]."""

    def __init__(self) -> None:
        super().__init__()
        layers: list[torch.nn.Module] = []
        for inputs, outputs in ((3, 32), (32, 64), (64, 64)):
            layers += [torch.nn.Conv2d(inputs, outputs, 3, 2, 1), torch.nn.ReLU()]
        self.trunk = torch.nn.Sequential(*layers, torch.nn.Flatten(), torch.nn.Linear(4096, 128))
        self.heads = torch.nn.ModuleList(torch.nn.Linear(128, len(v)) for v in ATTRIBUTES.values())

    def forward(self, images: torch.Tensor) -> list[torch.Tensor]:
        features = torch.relu(self.trunk(images))  # (N, 3, 64, 64) -> (N, 128)
        return [head(features) for head in self.heads]

    @torch.no_grad()
    def predict(self, images: torch.Tensor) -> torch.Tensor:
        """(N, 5) attribute indices, in ATTRIBUTES order."""
        self.eval()
        images = torch.nn.functional.interpolate(images, size=64, mode="bilinear")
        parts = [
            torch.stack([h.argmax(1) for h in self(images[i : i + 100])], 1)
            for i in range(0, len(images), 100)
        ]
        return torch.cat(parts)


def fitted_scorer() -> AttributeScorer:
    """The attribute scorer trained on jittered real renders of the training split."""
    options = DataOptions(image_size=64, extra={"size": 4000, "jitter": SCORER_JITTER})
    dataset = default_registry().datasets["shapes-captions"].load(options)
    items = [dataset[i] for i in range(len(dataset))]
    images = torch.stack([item["image"] for item in items])
    attributes = torch.stack([item["attributes"] for item in items])
    scorer = AttributeScorer()
    optimiser = torch.optim.Adam(scorer.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(0)
    for _ in range(SCORER_STEPS):
        batch = torch.randint(len(images), (64,), generator=generator)
        logits = scorer(images[batch])
        loss = sum(
            torch.nn.functional.cross_entropy(head, attributes[batch, i])
            for i, head in enumerate(logits)
        )
        optimiser.zero_grad()
        loss.backward()  # type: ignore[union-attr]
        optimiser.step()
    return scorer


def attribute_agreement(predicted: torch.Tensor, stated: torch.Tensor) -> dict[str, float]:
    """Per-attribute accuracy and the share of images with every attribute right."""
    right = predicted == stated
    figures = {
        name: round(float(right[:, i].float().mean()), 3) for i, name in enumerate(ATTRIBUTES)
    }
    return {**figures, "all": round(float(right.all(1).float().mean()), 3)}


@torch.no_grad()
def captioned_images(run: Any, tokens: torch.Tensor) -> dict[str, torch.Tensor]:
    """Stage-I and stage-II images for each caption, one fixed noise draw each."""
    call = run.networks.call
    text = call("text_encoder", {"t_tokens": tokens})["t_embedding"]
    noise_dim = run.networks.node("g1_noise").params.dim
    noise = torch.randn(len(tokens), noise_dim, generator=torch.Generator().manual_seed(1))
    first = call("stage1_generator", {"g1_text": text, "g1_noise": noise})["g1_image"]
    second = call("stage2_generator", {"g2_sketch": first, "g2_text": text})["g2_image"]
    return {"stage1": first.clamp(-1, 1), "stage2": second.clamp(-1, 1)}


def caption_items() -> dict[str, Any]:
    """The held-out captions: their token ids, the attributes they state, the real renders."""
    options = DataOptions(image_size=64, split="test")
    dataset = default_registry().datasets["shapes-captions"].load(options)
    items = [dataset[i] for i in range(len(dataset))]
    stated = torch.tensor([parse(item["caption"]) for item in items])
    return {
        "tokens": torch.stack([item["tokens"] for item in items]),
        "captions": [item["caption"] for item in items],
        "image": torch.stack([item["image"] for item in items]),
        "stated": stated,
        # A fixed permutation: each image scored against another caption's attributes.
        "shuffled": stated[torch.randperm(len(stated), generator=torch.Generator().manual_seed(2))],
    }


def check() -> Outcome:
    graph = configure(open_document("stackgan"), "demo")
    items = caption_items()
    stated = items["stated"]
    with TemporaryDirectory() as folder:
        run, _, seconds = trained_run(graph, folder, seed=0)
        images = captioned_images(run, items["tokens"])

    scorer = fitted_scorer()
    real = attribute_agreement(scorer.predict(items["image"]), stated)
    stage2 = attribute_agreement(scorer.predict(images["stage2"]), stated)
    control = attribute_agreement(scorer.predict(images["stage2"]), items["shuffled"])
    # Rows: the real render of a held-out caption, stage I (up-sampled), stage II.
    stage1_big = torch.nn.functional.interpolate(images["stage1"][:SHOWN], size=64, mode="nearest")
    shown = torch.cat([items["image"][:SHOWN], stage1_big, images["stage2"][:SHOWN]])
    return Outcome(
        figures={
            "steps": training_spec(graph).total_steps,
            "train_seconds": seconds,
            "test_captions": len(stated),
            "captions_shown": items["captions"][:SHOWN],
            "scorer_on_real_test_renders": real,
            "stage1_upsampled_not_gated": attribute_agreement(
                scorer.predict(images["stage1"]), stated
            ),
            "stage2": stage2,
            "control_shuffled_captions": control,
        },
        gates=[
            Gate(
                "held-out captions with every attribute recognised in stage II",
                stage2["all"],
                FLOOR,
                "the same images against shuffled captions",
                control["all"],
                CONTROL_CEILING,
            )
        ],
        samples={"captions": Samples(shown, (-1.0, 1.0), nrow=SHOWN)},
    )
