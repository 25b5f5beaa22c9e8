"""Drawing from a trained run: by class, by latent code, and from a caption."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from graphgan.graph.files import graph_from_data
from graphgan.graph.variables import configure
from graphgan.templates import open_document
from graphgan.training.generate import (
    SampleError,
    Sweep,
    open_run,
    parse_sweep,
    sample_images,
    sweep_images,
)
from graphgan.training.loop import TrainOptions, train
from graphgan_data.captions import TOKENIZER
from graphgan_data.errors import VocabularyError
from tests.training.gan import tiny_gan, tiny_gan_data

CPU = torch.device("cpu")
SIZE = 16  # the smallest images shapes-captions draws


def captioned_gan() -> dict[str, Any]:
    """The tiny GAN conditioned on captions instead of labels: tokens, a text encoder, concat."""
    data = tiny_gan_data()
    tokens = {"length": TOKENIZER.length, "vocabulary": len(TOKENIZER)}
    encoder = {"vocabulary": len(TOKENIZER), "words": 8, "dim": 8}
    for side, net in (("g", "generator"), ("d", "discriminator")):
        network = data["networks"][net]
        network["nodes"] = [
            n for n in network["nodes"] if n["kind"] not in ("io.ClassLabel", "gan.OneHot")
        ]
        network["nodes"] += [
            {"id": f"{side}_t", "kind": "io.Tokens", "params": tokens},
            {"id": f"{side}_text", "kind": "gan.TextEncoder", "params": encoder},
        ]
        network["edges"] = [e for e in network["edges"] if "onehot" not in e["to"] + e["from"]]
        network["edges"] += [
            {"from": f"{side}_t.t", "to": f"{side}_text.t"},
            {"from": f"{side}_text.e", "to": f"{side}_join.x2"},
        ]
    data["networks"]["generator"]["nodes"] = [
        {**n, "params": {"shape": [3, SIZE, SIZE]}} if n["kind"] == "nn.Reshape" else n
        for n in data["networks"]["generator"]["nodes"]
    ]
    data["networks"]["generator"]["nodes"] = [
        {**n, "params": {"out_features": 3 * SIZE * SIZE}} if n["id"] == "g_fc" else n
        for n in data["networks"]["generator"]["nodes"]
    ]
    data["networks"]["discriminator"]["nodes"] = [
        {**n, "params": {"channels": 3, "height": SIZE, "width": SIZE}}
        if n["kind"] == "io.Image"
        else n
        for n in data["networks"]["discriminator"]["nodes"]
    ]
    training = data["training"]
    training["data"] = {"dataset": "shapes-captions", "image_size": SIZE, "channels": 3}
    training["inputs"] = {"g_z": "sample", "g_t": "data:tokens"}
    game = training["phases"][0]["adversarial"]
    game["real"] = {"d_x": "data:image", "d_t": "data:tokens"}
    game["fake"] = {"d_x": "g_image", "d_t": "data:tokens"}
    training["samples"] = {"count": 4}
    data["variables"]["steps"]["value"] = 2
    return data


@pytest.fixture(scope="module")
def captioned_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("captioned")
    result = train(graph_from_data(captioned_gan()), TrainOptions(out=folder, progress=False))
    return result.run_dir


def test_a_caption_conditions_every_sample(captioned_run: Path) -> None:
    run = open_run(captioned_run, CPU)
    first, second = (TOKENIZER.decode(TOKENIZER.encode(c)) for c in _two_captions())

    one = sample_images(run, 3, CPU, seed=1, caption=first)
    again = sample_images(run, 3, CPU, seed=1, caption=first)
    other = sample_images(run, 3, CPU, seed=1, caption=second)

    assert one.shape == (3, 3, SIZE, SIZE)
    assert torch.equal(one, again)
    assert not torch.equal(one, other)


def test_a_word_outside_the_vocabulary_is_named(captioned_run: Path) -> None:
    run = open_run(captioned_run, CPU)
    with pytest.raises(VocabularyError, match="'zebra' not in the"):
        sample_images(run, 2, CPU, caption="a zebra")


def test_a_graph_without_captions_refuses_one(tmp_path: Path) -> None:
    result = train(tiny_gan(steps=1), TrainOptions(out=tmp_path / "run", progress=False))
    with pytest.raises(SampleError, match="reads no captions"):
        sample_images(open_run(result.run_dir, CPU), 2, CPU, caption="a red circle")


def _two_captions() -> list[str]:
    from graphgan.plugin import DataOptions
    from graphgan.registry import default_registry

    dataset = default_registry().datasets["shapes-captions"].load(DataOptions(image_size=SIZE))
    captions = [dataset[i]["caption"] for i in range(20)]  # type: ignore[index]
    return [captions[0], next(c for c in captions if c != captions[0])]


@pytest.fixture(scope="module")
def infogan_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    graph = configure(open_document("infogan"), "demo", {"steps": 2})
    folder = tmp_path_factory.mktemp("infogan")
    return train(graph, TrainOptions(out=folder, progress=False)).run_dir


def test_a_categorical_sweep_has_a_column_per_category(infogan_run: Path) -> None:
    run = open_run(infogan_run, CPU)
    images, columns = sweep_images(run, parse_sweep("g_cat"), 3, CPU)
    assert columns == 10
    assert images.shape == (30, 1, 28, 28)


def test_a_sweep_holds_every_other_input_along_a_row(infogan_run: Path) -> None:
    run = open_run(infogan_run, CPU)
    still, columns = sweep_images(run, Sweep("g_cont", 1, 0.5, 0.5), 2, CPU, codes={"g_cat": "4"})
    rows = still.reshape(2, columns, -1)
    assert torch.equal(rows[:, :1].expand_as(rows), rows)  # nothing moves along a row
    assert not torch.equal(rows[0], rows[1])  # each row has its own noise
    moving, _ = sweep_images(run, parse_sweep("g_cont:1=-2:2"), 2, CPU, codes={"g_cat": "4"})
    moving_rows = moving.reshape(2, columns, -1)
    assert not torch.equal(moving_rows[:, :1].expand_as(moving_rows), moving_rows)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("g_noise", "no latent code input of that id"),
        ("g_cont:7", "dimensions run 0 to 1"),
        ("g_cat:3", "give no dimension"),
        ("g_cont:0=low:high", "expected CODE, CODE:DIM or CODE:DIM=LOW:HIGH"),
    ],
)
def test_a_sweep_that_cannot_be_drawn_says_why(infogan_run: Path, text: str, message: str) -> None:
    run = open_run(infogan_run, CPU)
    with pytest.raises(SampleError, match=message):
        sweep_images(run, parse_sweep(text), 2, CPU)
