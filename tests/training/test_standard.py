"""The standard training section written for a graph built without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphgan.graph import Graph
from graphgan.templates import open_document
from graphgan.training.loop import TrainOptions, train
from graphgan.training.standard import StandardTrainingError, standard_training
from graphgan.validation import analyse


def without_training(name: str) -> Graph:
    return open_document(name).model_copy(update={"training": None})


def test_the_cgan_networks_get_the_conditional_game_and_train(tmp_path: Path) -> None:
    section = standard_training(analyse(without_training("cgan")))
    assert section["inputs"] == {"g_noise": "sample", "g_label": "sample"}
    game = section["phases"][0]["adversarial"]
    assert game["real"] == {"d_image": "data:image", "d_label": "data:label"}
    assert game["fake"] == {"d_image": "g_image", "d_label": "g_label"}
    assert section["data"]["value_range"] == [0.0, 1.0]  # the generator ends in a sigmoid
    assert section["samples"]["rows_by"] == "g_label"

    graph = without_training("cgan").model_copy(update={"training": section})
    assert analyse(graph).valid
    result = train(graph, TrainOptions(out=tmp_path / "run", steps=2, progress=False))
    assert result.step == 2


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("pix2pix", "is not noise, a latent code or a class label"),
        ("stackgan", "exactly one generator network"),
    ],
)
def test_graphs_the_standard_game_does_not_fit_are_refused_by_name(
    template: str, message: str
) -> None:
    with pytest.raises(StandardTrainingError, match=message):
        standard_training(analyse(without_training(template)))
