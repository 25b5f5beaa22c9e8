"""Presets and --set values."""

from __future__ import annotations

import pytest

from graphgan.errors import DocumentError, UnknownNameError
from graphgan.graph import Graph
from graphgan.graph.variables import configure, parse_assignments


def test_preset_then_set_values(tiny: Graph) -> None:
    graph = configure(tiny, "wide", {"latent_dim": 7})
    assert graph.variable_values() == {"latent_dim": 7, "width": 16}
    assert tiny.variable_values() == {"latent_dim": 4, "width": 8}


def test_assignments_parse_numbers_booleans_and_text() -> None:
    values = parse_assignments(["a=3", "b=0.5", "c=true", "d=relu"])
    assert values == {"a": 3, "b": 0.5, "c": True, "d": "relu"}


def test_bad_assignment_shows_the_form() -> None:
    with pytest.raises(DocumentError, match="expected NAME=VALUE"):
        parse_assignments(["latent_dim"])


def test_unknown_variable_suggests_the_near_one(tiny: Graph) -> None:
    with pytest.raises(UnknownNameError, match="did you mean 'latent_dim'"):
        configure(tiny, None, {"latent_dims": 3})


def test_unknown_preset_lists_presets(tiny: Graph) -> None:
    with pytest.raises(UnknownNameError, match=r"unknown preset 'demo' \(this graph has: wide\)"):
        configure(tiny, "demo")
