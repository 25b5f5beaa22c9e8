"""Helpers for export tests: write a project, import its files, compare it with graphgan."""

from __future__ import annotations

import importlib.util
import itertools
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import torch
from torch import nn

from graphgan.compiler import compile_network
from graphgan.export import render_models
from graphgan.validation import Analysis

_count = itertools.count()


def import_file(path: Path, name: str | None = None) -> ModuleType:
    """Import one exported file as a fresh module, every warning an error."""
    unique = name or f"exported_{path.stem}_{next(_count)}"
    spec = importlib.util.spec_from_file_location(unique, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec.loader.exec_module(module)
    return module


def exported_models(analysis: Analysis, folder: Path) -> ModuleType:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "models.py"
    path.write_text(render_models(analysis), encoding="utf-8")
    return import_file(path)


def pair(analysis: Analysis, network: str, models: ModuleType) -> tuple[nn.Module, nn.Module]:
    """graphgan's compiled network and the exported class, holding the same weights."""
    torch.manual_seed(0)
    compiled = compile_network(analysis, network, torch_compile="off")
    exported: nn.Module = models.NETWORKS[network]()
    exported.load_state_dict(compiled.state_dict())
    return compiled, exported


def outputs_of(module: nn.Module, inputs: list[torch.Tensor], seed: int) -> list[torch.Tensor]:
    torch.manual_seed(seed)  # dropout and sampling layers draw the same numbers in both
    result = module(*inputs)
    if isinstance(result, dict):
        return [result[key] for key in sorted(result)]
    return [result]


def assert_same_behaviour(
    compiled: nn.Module, exported: nn.Module, inputs: list[torch.Tensor]
) -> None:
    """Equal outputs and equal gradients (inputs and weights), in train and eval mode."""
    for training in (True, False):
        compiled.train(training)
        exported.train(training)
        runs = []
        for module in (compiled, exported):
            leaves = [t.clone().requires_grad_(t.is_floating_point()) for t in inputs]
            outputs = outputs_of(module, leaves, seed=1)
            floats = [o for o in outputs if o.is_floating_point() and o.requires_grad]
            if floats:
                torch.manual_seed(2)
                total = sum((o * torch.randn_like(o)).sum() for o in floats)
                module.zero_grad(set_to_none=True)
                total.backward()  # type: ignore[union-attr]
            grads = {n: p.grad for n, p in module.named_parameters()}
            runs.append((outputs, [leaf.grad for leaf in leaves], grads))
        (out_a, in_a, w_a), (out_b, in_b, w_b) = runs
        assert len(out_a) == len(out_b)
        for a, b in zip(out_a, out_b, strict=True):
            assert torch.equal(a, b), f"outputs differ (training={training})"
        for a, b in zip(in_a, in_b, strict=True):
            assert (a is None) == (b is None)
            assert a is None or torch.equal(a, b), f"input gradients differ ({training=})"
        assert w_a.keys() == w_b.keys()
        for name, grad in w_a.items():
            other = w_b[name]
            assert (grad is None) == (other is None), name
            assert grad is None or torch.equal(grad, other), f"{name}: gradients differ"


EXAMPLE_SRC = Path(__file__).resolve().parents[2] / "plugins" / "graphgan_example" / "src"


def example_pack_analysis(monkeypatch: Any) -> Analysis:
    """A critic using the third-party example pack: a copied class and a copied function."""
    from graphgan.graph import Graph
    from graphgan.registry import discover
    from graphgan.validation import analyse

    monkeypatch.syspath_prepend(str(EXAMPLE_SRC))
    import graphgan_example

    registry = discover(["io", "nn"])
    registry.add(graphgan_example.pack)
    image = {"channels": 3, "height": 4, "width": 4}
    nodes = [
        {"id": "image", "kind": "io.Image", "params": image},
        {"id": "stddev", "kind": "example.MinibatchStdDev", "params": {"group_size": 2}},
        {"id": "gate", "kind": "example.Swish", "params": {"beta": 0.5}},
        {"id": "silu", "kind": "example.Swish", "params": {}},
        {"id": "learnt", "kind": "example.Swish", "params": {"learnable": True}},
        {"id": "score", "kind": "io.Output"},
    ]
    chain = ["image.x", "stddev.x", "stddev.y", "gate.x", "gate.y", "silu.x", "silu.y"]
    chain += ["learnt.x", "learnt.y", "score.x"]
    edges = [{"from": a, "to": b} for a, b in zip(chain[::2], chain[1::2], strict=True)]
    network = {"role": "discriminator", "nodes": nodes, "edges": edges}
    graph = Graph.model_validate({"name": "critic", "networks": {"critic": network}})
    analysis = analyse(graph, registry)
    assert analysis.valid, str(analysis.report)
    return analysis
