"""Copying a plugin's layers into exported code: what they read comes along, or export refuses."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from graphgan.export import ExportError
from graphgan.export.sources import Sources

PACK = """
import os

import torch
from torch import nn

MODE = 'fast'
SCALE = 2.0


def helper(x):
    return x * SCALE


class Layer(nn.Module):
    def forward(self, x):
        return helper(x) if MODE == 'fast' else torch.relu(x)


class Leaky(nn.Module):
    def forward(self, x):
        return x if os.environ else x
"""


@pytest.fixture
def pack(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    (tmp_path / "copied_pack.py").write_text(textwrap.dedent(PACK), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "copied_pack"


def test_a_layer_is_copied_with_its_helpers_and_constants(pack: str) -> None:
    sources = Sources()
    assert sources.reference(f"{pack}.Layer", "node 'a' (x.Layer)") == "Layer"
    assert sources.reference("torch.nn.functional.relu", "node 'b' (x.Relu)") == "F.relu"
    assert sources.reference("torch.nn.Linear", "node 'c' (x.Linear)") == "nn.Linear"

    definitions = list(sources.definitions())
    assert definitions[:2] == ['MODE = "fast"', "SCALE = 2.0"]
    assert definitions[2].startswith("def helper(x):")
    assert definitions[3].startswith("class Layer(nn.Module):")
    assert sources.imports() == [
        "import torch",
        "import torch.nn.functional as F  # noqa: N812 - the name torch readers expect",
        "from torch import nn",
    ]


def test_a_layer_reading_another_module_is_refused_by_name(pack: str) -> None:
    with pytest.raises(ExportError, match=r"node 'a' \(x.Leaky\): copied code refers to module os"):
        Sources().reference(f"{pack}.Leaky", "node 'a' (x.Leaky)")


def test_an_unknown_target_is_refused_by_name() -> None:
    with pytest.raises(ExportError, match=r"node 'a' \(x.Gone\): cannot import torch.nn.Gone"):
        Sources().reference("torch.nn.Gone", "node 'a' (x.Gone)")
