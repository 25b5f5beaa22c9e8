"""Does a template learn? Train it at its demo preset and score what it generates.

The conditional GAN is scored by a classifier fitted to real digits (logistic regression on
the training split, checked on the held-out split): the share of generated digits it assigns
the class they were asked for (chance is 10%), and how much the samples of one class vary.
InfoGAN is scored by how well its categorical code, matched one-to-one to digit classes,
agrees with what a digit classifier sees (median of 3 seeds), against the same network
trained without the information terms. Pix2Pix is scored as the paper's FCN-score: a fixed
colour rule segments its outputs on held-out label maps (mean IoU against the true maps),
beside an L1-only U-Net at equal steps and the mean training image as the control. SRGAN is
scored by Y-channel PSNR (4-pixel border cropped) on held-out photos at 4x: the
MSE-pretrained SRResNet against bicubic up-sampling and an untrained generator, with the
adversarial stage's PSNR reported beside it (the paper's SRGAN is below bicubic in PSNR).
StackGAN is scored on held-out captions: the share of stage-II images in which a small CNN,
trained on real renders only, recognises every attribute the caption states (the data pack's
own parser reads them from the caption), against the same images scored with shuffled captions.

`python bench/template_quality.py [TEMPLATE ...]` runs the named checks (all by default) and
merges their figures into bench/results/template_quality.json, keeping the other templates'
figures; the exit code is 1 if a goal is missed.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, Literal

import numpy as np
import torch
from common import RESULTS, write_results
from scipy.optimize import linear_sum_assignment
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from graphgan.graph import Graph
from graphgan.graph.document import VariableValue
from graphgan.graph.training import training_spec
from graphgan.graph.variables import configure
from graphgan.plugin import DataOptions
from graphgan.registry import default_registry
from graphgan.templates import open_document
from graphgan.training.checkpoints import load_checkpoint
from graphgan.training.generate import open_run, sample_images
from graphgan.training.loop import TrainOptions, train
from graphgan_data.captions import ATTRIBUTES, parse
from graphgan_data.labelmaps import segment

GOAL_ACCURACY = 0.6  # of generated digits classified as the class asked for
PER_CLASS = 100
INFOGAN_GOAL = 0.75  # median matched code/class agreement (reference section 10.2)
INFOGAN_CONTROL_CEILING = 0.35  # the no-information-term control must stay below this
INFOGAN_SEEDS = (0, 1, 2)
PIX2PIX_GOAL = 0.75  # mean IoU of the segmented outputs (reference section 10.4)
SRGAN_MARGIN = 0.2  # dB the SRResNet stage must beat bicubic by (reference section 10.3)
STACKGAN_GOAL = 0.6  # stage-II images with every caption attribute recognised (section 11)
STACKGAN_CONTROL_CEILING = 0.02  # the same images against shuffled captions
SCORER_STEPS = 1500
SCORER_JITTER = 0.5  # real renders with shape jitter, so the scorer does not memorise pixels


def digit_arrays(split: Literal["train", "test"]) -> tuple[np.ndarray, np.ndarray]:
    """The embedded MNIST split as (N, 784) floats in [0, 1] and (N,) labels."""
    options = DataOptions(value_range=(0.0, 1.0), split=split)
    dataset = default_registry().datasets["mnist"].load(options)
    items = [dataset[i] for i in range(len(dataset))]
    images = np.stack([item["image"].numpy().reshape(-1) for item in items])
    return images, np.array([int(item["label"]) for item in items])


def cgan_quality() -> dict[str, Any]:
    train_x, train_y = digit_arrays("train")
    test_x, test_y = digit_arrays("test")
    classifier = LogisticRegression(max_iter=300).fit(train_x, train_y)
    real_accuracy = float(classifier.score(test_x, test_y))

    graph = configure(open_document("cgan"), "demo")
    started = time.perf_counter()
    with TemporaryDirectory() as folder:
        result = train(graph, TrainOptions(out=Path(folder) / "run", progress=False))
        seconds = time.perf_counter() - started
        run = open_run(result.run_dir, torch.device("cpu"))
        hits, spread = 0, []
        for label in range(10):
            images = sample_images(run, PER_CLASS, torch.device("cpu"), seed=1, label=label)
            flat = images.reshape(PER_CLASS, -1).numpy()
            hits += int((classifier.predict(flat) == label).sum())
            spread.append(float(flat.std(axis=0).mean()))
    accuracy = hits / (10 * PER_CLASS)
    return {
        "steps": training_spec(graph).total_steps,
        "train_seconds": round(seconds, 1),
        "classifier_accuracy_on_real_test_digits": round(real_accuracy, 3),
        "conditional_accuracy": round(accuracy, 3),
        "mean_pixel_std_within_a_class": round(float(np.mean(spread)), 4),
        "goal": GOAL_ACCURACY,
        "meets_goal": accuracy >= GOAL_ACCURACY,
    }


def matched_agreement(confusion: np.ndarray) -> float:
    """Share of samples on the diagonal after the best one-to-one code-to-class matching."""
    rows, cols = linear_sum_assignment(-confusion)
    return float(confusion[rows, cols].sum() / confusion.sum())


def trained_run(graph: Graph, folder: str, seed: int) -> tuple[Any, dict[str, float], float]:
    """Train `graph` into `folder`; its run opened on the CPU, last metrics and seconds."""
    started = time.perf_counter()
    result = train(graph, TrainOptions(out=Path(folder) / "run", seed=seed, progress=False))
    seconds = time.perf_counter() - started
    return open_run(result.run_dir, torch.device("cpu")), result.metrics, seconds


def infogan_agreement(
    classifier: MLPClassifier, values: Mapping[str, VariableValue], seed: int
) -> dict[str, Any]:
    """Train InfoGAN's demo once and match its categorical code to the scorer's classes."""
    graph = configure(open_document("infogan"), "demo", values)
    categories = 10
    with TemporaryDirectory() as folder:
        run, metrics, seconds = trained_run(graph, folder, seed)
        confusion = np.zeros((categories, categories))
        for code in range(categories):
            images = sample_images(
                run, PER_CLASS * 2, torch.device("cpu"), seed=seed + 1, codes={"g_cat": str(code)}
            )
            predicted = classifier.predict(images.reshape(len(images), -1).numpy())
            confusion[code] += np.bincount(predicted, minlength=categories)
    cross_entropy = metrics.get("g_info_categorical", float("nan"))
    return {
        "seed": seed,
        "train_seconds": round(seconds, 1),
        "matched_accuracy": round(matched_agreement(confusion), 3),
        "information_nats": round(math.log(categories) - cross_entropy, 3),
    }


def infogan_quality() -> dict[str, Any]:
    train_x, train_y = digit_arrays("train")
    test_x, test_y = digit_arrays("test")
    classifier = MLPClassifier((256,), max_iter=60, random_state=0).fit(train_x, train_y)
    runs = [infogan_agreement(classifier, {}, seed) for seed in INFOGAN_SEEDS]
    control = infogan_agreement(
        classifier, {"lambda_categorical": 0.0, "lambda_continuous": 0.0}, INFOGAN_SEEDS[0]
    )
    median = statistics.median(run["matched_accuracy"] for run in runs)
    real_accuracy = float(classifier.score(test_x, test_y))
    return {
        "steps": training_spec(configure(open_document("infogan"), "demo")).total_steps,
        "classifier_accuracy_on_real_test_digits": round(real_accuracy, 3),
        "seeds": runs,
        "median_matched_accuracy": median,
        "control_without_information_terms": control,
        "goal": INFOGAN_GOAL,
        "control_ceiling": INFOGAN_CONTROL_CEILING,
        "meets_goal": median >= INFOGAN_GOAL
        and control["matched_accuracy"] <= INFOGAN_CONTROL_CEILING,
    }


def test_items(name: str, graph: Graph) -> dict[str, torch.Tensor]:
    """The held-out split of a template's dataset, stacked field by field."""
    spec = training_spec(graph)
    data = spec.data
    options = DataOptions(
        image_size=data.image_size,
        channels=data.channels,
        value_range=data.value_range,
        split="test",
        extra=data.options,
    )
    dataset = default_registry().datasets[name].load(options)
    items = [dataset[i] for i in range(len(dataset))]
    return {key: torch.stack([item[key] for item in items]) for key in items[0]}


def mean_iou(predicted: torch.Tensor, truth: torch.Tensor) -> float:
    """Mean over the classes present in either map of intersection over union."""
    scores = []
    for label in torch.unique(torch.cat([predicted.unique(), truth.unique()])):
        union = ((predicted == label) | (truth == label)).sum()
        scores.append(float(((predicted == label) & (truth == label)).sum() / union))
    return float(np.mean(scores))


def psnr(output: torch.Tensor, target: torch.Tensor) -> float:
    """PSNR in dB of images in [-1, 1]."""
    mse = float(((output - target) / 2).square().mean())
    return 10 * math.log10(1 / mse)


@torch.no_grad()
def translate(run: Any, conditions: torch.Tensor, network: str = "generator") -> torch.Tensor:
    """The generator's outputs in batches of 50 (Pix2Pix keeps its dropout on)."""
    node = run.networks.infos[network].input_nodes[0].id
    parts = [
        run.networks.call(network, {node: conditions[i : i + 50]})["g_image"]
        for i in range(0, len(conditions), 50)
    ]
    return torch.cat(parts).clamp(-1, 1)


def pix2pix_scores(images: torch.Tensor, items: dict[str, torch.Tensor]) -> dict[str, float]:
    return {
        "mean_iou": round(mean_iou(segment(images), items["label_map"]), 3),
        "pixel_accuracy": round(float((segment(images) == items["label_map"]).float().mean()), 3),
        "psnr_db": round(psnr(images, items["image"]), 2),
    }


def pix2pix_run(values: Mapping[str, VariableValue]) -> dict[str, Any]:
    graph = configure(open_document("pix2pix"), "demo", values)
    items = test_items("shapes-pix2pix", graph)
    with TemporaryDirectory() as folder:
        run, _, seconds = trained_run(graph, folder, seed=0)
        images = translate(run, items["condition"])
    return {"train_seconds": round(seconds, 1), **pix2pix_scores(images, items)}


def pix2pix_quality() -> dict[str, Any]:
    graph = configure(open_document("pix2pix"), "demo")
    items = test_items("shapes-pix2pix", graph)
    spec = training_spec(graph)
    options = DataOptions(image_size=spec.data.image_size, value_range=(-1.0, 1.0))
    train_set = default_registry().datasets["shapes-pix2pix"].load(options)
    mean_image = torch.stack([train_set[i]["image"] for i in range(len(train_set))]).mean(0)
    control = pix2pix_scores(mean_image.expand_as(items["image"]), items)

    full = pix2pix_run({})
    l1_only = pix2pix_run({"adversarial_weight": 0.0})
    return {
        "steps": spec.total_steps,
        "l1_and_cgan": full,
        "l1_only_at_equal_steps": l1_only,
        "control_mean_training_image": control,
        "goal_mean_iou": PIX2PIX_GOAL,
        "meets_goal": full["mean_iou"] >= PIX2PIX_GOAL and control["mean_iou"] < PIX2PIX_GOAL,
    }


def y_channel(images: torch.Tensor) -> torch.Tensor:
    """ITU-R BT.601 luma in [16, 235] of RGB images in [-1, 1], as SR papers measure it."""
    rgb = (images.clamp(-1, 1) + 1) / 2
    weights = torch.tensor([65.481, 128.553, 24.966]).view(1, 3, 1, 1)
    return 16 + (rgb * weights).sum(dim=1)


def y_psnr(output: torch.Tensor, target: torch.Tensor, border: int = 4) -> float:
    """Mean over images of Y-channel PSNR with `border` pixels cropped on every side."""
    crop = (slice(None), slice(border, -border), slice(border, -border))
    mse = (y_channel(output)[crop] - y_channel(target)[crop]).square().mean(dim=(1, 2))
    return float((10 * torch.log10(255**2 / mse)).mean())


@torch.no_grad()
def generator_psnr(run: Any, checkpoint: Path | None, items: dict[str, torch.Tensor]) -> float:
    """Y-PSNR of the run's generator, with the weights of `checkpoint` when given."""
    if checkpoint is not None:
        weights = load_checkpoint(checkpoint).weights["generator"]
        run.networks.modules["generator"].load_state_dict(weights)
    run.networks.modules["generator"].eval()
    return round(y_psnr(translate(run, items["condition"]), items["image"]), 2)


def srgan_quality() -> dict[str, Any]:
    graph = configure(open_document("srgan"), "demo")
    items = test_items("photos-sr", graph)
    bicubic = torch.nn.functional.interpolate(
        items["condition"], scale_factor=4, mode="bicubic", align_corners=False
    )
    bicubic_psnr = round(y_psnr(bicubic.clamp(0, 1) * 2 - 1, items["image"]), 2)
    pretrain_steps = int(graph.variables["pretrain_steps"].value)
    with TemporaryDirectory() as folder:
        untrained, _, _ = trained_run(
            configure(graph, None, {"pretrain_steps": 0, "steps": 0}), folder + "/zero", 0
        )
        control = generator_psnr(untrained, None, items)
        run, _, seconds = trained_run(graph, folder, seed=0)
        srgan = generator_psnr(run, None, items)
        step_folder = run.paths.root / "checkpoints" / f"step-{pretrain_steps:08d}"
        srresnet = generator_psnr(run, step_folder, items)
    return {
        "steps": training_spec(graph).total_steps,
        "pretrain_steps": pretrain_steps,
        "train_seconds": round(seconds, 1),
        "test_crops": len(items["image"]),
        "bicubic_y_psnr_db": bicubic_psnr,
        "srresnet_mse_y_psnr_db": srresnet,
        "srgan_mse_y_psnr_db_not_gated": srgan,
        "control_untrained_generator_y_psnr_db": control,
        "goal_margin_over_bicubic_db": SRGAN_MARGIN,
        "meets_goal": srresnet >= bicubic_psnr + SRGAN_MARGIN and control < bicubic_psnr,
    }


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
        "image": torch.stack([item["image"] for item in items]),
        "stated": stated,
        # A fixed permutation: each image scored against another caption's attributes.
        "shuffled": stated[torch.randperm(len(stated), generator=torch.Generator().manual_seed(2))],
    }


def stackgan_quality() -> dict[str, Any]:
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
    return {
        "steps": training_spec(graph).total_steps,
        "train_seconds": round(seconds, 1),
        "test_captions": len(stated),
        "scorer_on_real_test_renders": real,
        "stage1_upsampled_not_gated": attribute_agreement(scorer.predict(images["stage1"]), stated),
        "stage2": stage2,
        "control_shuffled_captions": control,
        "goal_all_attributes": STACKGAN_GOAL,
        "meets_goal": stage2["all"] >= STACKGAN_GOAL and control["all"] <= STACKGAN_CONTROL_CEILING,
    }


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "cgan": cgan_quality,
    "infogan": infogan_quality,
    "pix2pix": pix2pix_quality,
    "srgan": srgan_quality,
    "stackgan": stackgan_quality,
}


def previous_figures() -> dict[str, Any]:
    """The per-template figures of earlier runs, kept when only some checks run."""
    path = RESULTS / "template_quality.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if key.endswith("_demo")}


def main(argv: list[str]) -> int:
    names = argv or list(CHECKS)
    unknown = [name for name in names if name not in CHECKS]
    if unknown:
        print(f"unknown checks {unknown}; known: {', '.join(CHECKS)}", file=sys.stderr)
        return 2
    figures = previous_figures()
    for name in names:
        torch.manual_seed(0)
        figures[f"{name}_demo"] = CHECKS[name]()
    write_results("template_quality", figures)
    return 0 if all(figures[f"{name}_demo"]["meets_goal"] for name in names) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
