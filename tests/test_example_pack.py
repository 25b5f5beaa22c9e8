"""The example third-party pack: its kinds in a registry, and installed as a package."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import torch

from graphgan.compiler import compile_network
from graphgan.errors import ShapeError
from graphgan.graph import Graph
from graphgan.plugin import Function, Module, flat, spatial
from graphgan.registry import Registry, discover
from graphgan.validation import analyse
from tests.conftest import StepTensors

EXAMPLE = Path(__file__).resolve().parents[1] / "plugins" / "graphgan_example"


@pytest.fixture
def example(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The example package, imported from its source folder."""
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    import graphgan_example

    return graphgan_example


@pytest.fixture
def registry(example: Any) -> Registry:
    registry = discover(["io"])
    registry.add(example.pack)
    return registry


def one_network(nodes: list[dict[str, Any]], edges: list[tuple[str, str]]) -> Graph:
    wires = [{"from": source, "to": target} for source, target in edges]
    network = {"role": "discriminator", "nodes": nodes, "edges": wires}
    return Graph.model_validate({"name": "critic", "networks": {"critic": network}})


IMAGE = {"id": "image", "kind": "io.Image", "params": {"channels": 3, "height": 8, "width": 8}}
OUTPUT = {"id": "features", "kind": "io.Output"}


def swish_node(learnable: bool = True) -> dict[str, Any]:
    return {"id": "act", "kind": "example.Swish", "params": {"beta": 1.5, "learnable": learnable}}


def critic_graph(learnable: bool = True) -> Graph:
    """image -> MinibatchStdDev -> Swish -> output: the smallest graph using both kinds."""
    std = {"id": "mbstd", "kind": "example.MinibatchStdDev", "params": {"group_size": 4}}
    edges = [("image.x", "mbstd.x"), ("mbstd.y", "act.x"), ("act.y", "features.x")]
    return one_network([IMAGE, std, swish_node(learnable), OUTPUT], edges)


def test_pack_declares_namespaced_kinds(registry: Registry) -> None:
    assert registry.owners["example.MinibatchStdDev"] == "example"
    assert registry.owners["example.Swish"] == "example"


def test_graph_using_the_pack_validates_with_shapes(registry: Registry) -> None:
    analysis = analyse(critic_graph(), registry)

    assert analysis.valid, str(analysis.report)
    nodes = analysis.networks["critic"].nodes
    assert nodes["mbstd"].outputs["y"] == spatial(4, 8, 8)
    assert nodes["act"].outputs["y"] == spatial(4, 8, 8)


@pytest.mark.parametrize("learnable", [True, False])
def test_compiled_network_appends_the_std_channel(registry: Registry, learnable: bool) -> None:
    network = compile_network(critic_graph(learnable), "critic", registry=registry)
    x = torch.randn(8, 3, 8, 8)

    y = network(x)

    assert y.shape == (8, 4, 8, 8)
    torch.testing.assert_close(y[:, :3], x * torch.sigmoid(1.5 * x))
    has_beta = any(name == "act.beta" for name, _ in network.named_parameters())
    assert has_beta is learnable


def test_std_channel_is_the_mean_std_of_each_group(example: Any) -> None:
    from graphgan_example.layers import MinibatchStdDev

    x = torch.randn(6, 2, 3, 3)

    y = MinibatchStdDev(group_size=3)(x)

    # Group size 3 over a batch of 6: samples i and i + 2 and i + 4 share a group.
    for member in range(2):
        group = x[member::2]
        expected = torch.sqrt(group.var(dim=0, unbiased=False) + 1e-8).mean()
        torch.testing.assert_close(y[member::2, 2], expected.expand(3, 3, 3))


def test_std_layer_names_a_batch_it_cannot_split(example: Any) -> None:
    from graphgan_example.layers import MinibatchStdDev

    with pytest.raises(ValueError, match="batch size 6 is not a multiple of group_size 4"):
        MinibatchStdDev(group_size=4)(torch.randn(6, 2, 3, 3))


def test_std_rule_refuses_vectors_with_a_fix(example: Any) -> None:
    spec = example.nodes.MinibatchStdDev()
    params = spec.params()

    with pytest.raises(ShapeError, match=r"expected feature maps \(N, C, H, W\)") as caught:
        spec.infer(params, {"x": flat(16)})
    assert caught.value.port == "x"
    assert caught.value.fix is not None


def test_swish_on_labels_is_a_diagnostic_with_the_fix(registry: Registry) -> None:
    label = {"id": "label", "kind": "io.ClassLabel", "params": {"n_classes": 10}}
    edges = [("label.y", "act.x"), ("act.y", "features.x")]
    graph = one_network([label, swish_node(), OUTPUT], edges)

    report = analyse(graph, registry).report

    (problem,) = report.errors
    assert (problem.code, problem.node, problem.port) == ("shape-mismatch", "act", "x")
    assert "integer class labels" in problem.message
    assert "embedding or one-hot" in problem.message


def test_builders_describe_what_export_writes(example: Any) -> None:
    std, swish = example.nodes.MinibatchStdDev(), example.nodes.Swish()
    image = {"x": spatial(3, 8, 8)}

    assert std.build(std.params(), image) == Module(
        "graphgan_example.layers.MinibatchStdDev", kwargs={"group_size": 4}
    )
    fixed = swish.build(swish.params(), image)
    assert isinstance(fixed, Function)
    assert fixed.target == "graphgan_example.layers.swish"
    assert std.macs(std.params(), image, {}) == 3 * 8 * 8


# Run in a fresh interpreter, where the pack is known only through its installed metadata.
DISCOVER_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import torch
    from graphgan.compiler import compile_network
    from graphgan.graph import Graph
    from graphgan.registry import discover

    registry = discover()
    graph = Graph.model_validate(json.loads(sys.argv[1]))
    network = compile_network(graph, "critic", registry=registry)
    y = network(torch.randn(4, 3, 8, 8))
    kinds = sorted(k for k in registry.nodes if k.startswith("example."))
    failed = [f.name for f in registry.failures]
    print(json.dumps({"kinds": kinds, "failed": failed, "shape": list(y.shape)}))
    """
)


@pytest.fixture(scope="module")
def installed_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example package installed into a scratch folder, as pip would install it."""
    if importlib.util.find_spec("setuptools") is None:
        # Building offline needs the pack's build backend already installed.
        pytest.skip("setuptools is not installed, so the example pack cannot be built offline")
    work = tmp_path_factory.mktemp("example_pack")
    # pip builds in the source folder; a copy keeps build/ and *.egg-info out of the repository.
    source = work / "source"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    target = work / "site"
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation"]
    command += ["--no-index", "--disable-pip-version-check", "--quiet"]
    command += ["--target", str(target), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"pip could not install the example pack:\n{done.stderr}")
    return target


def test_installed_pack_is_discovered_and_runs(installed_example: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "GRAPHGAN_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(installed_example), env.get("PYTHONPATH")])
    )
    graph = critic_graph().model_dump_json(by_alias=True)
    command = [sys.executable, "-W", "error", "-c", DISCOVER_SCRIPT, graph]

    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["kinds"] == ["example.MinibatchStdDev", "example.Swish"]
    assert "example" not in result["failed"]
    assert result["shape"] == [4, 4, 8, 8]


def test_total_variation_term_is_registered_and_measures_pixel_noise(
    registry: Registry,
) -> None:
    from graphgan.training.losses import term, term_names

    compute = term("example.total_variation", registry)
    flat_image, noisy = torch.ones(2, 1, 4, 4), torch.ones(2, 1, 4, 4)
    noisy[:, :, 1, 1] = 0.0  # one dark pixel: 2 of 12 vertical and 2 of 12 horizontal steps

    assert "example.total_variation" in term_names(registry)
    assert float(compute(StepTensors(g=flat_image), {"output": "g"})) == 0.0
    assert float(compute(StepTensors(g=noisy), {"output": "g"})) == pytest.approx(2 / 12 + 2 / 12)
    with pytest.raises(ValueError, match=r"needs args\.output"):
        compute(StepTensors(), {})


def test_a_training_section_naming_a_missing_term_is_a_diagnostic() -> None:
    from tests.training.gan import tiny_gan_data

    data = tiny_gan_data()
    data["training"]["phases"][0]["losses"] = [{"term": "perceptaul", "args": {}}]
    report = analyse(Graph.model_validate(data)).report

    (problem,) = [d for d in report if d.code == "training-invalid"]
    assert "unknown loss term 'perceptaul'; did you mean 'perceptual'?" in problem.message


def test_a_loss_term_outside_the_packs_namespace_is_refused(example: Any) -> None:
    from graphgan.errors import PluginError
    from graphgan.plugin import LossTerm, Pack

    stray = LossTerm("tv", "unnamespaced", example.losses.total_variation)
    expected = r"must be named in the pack's namespace, e\.g\. 'mine\.tv'"
    with pytest.raises(PluginError, match=expected):
        Registry().add(Pack(name="mine", loss_terms=(stray,)))


def test_installed_pack_adds_a_loss_term_and_a_recipe_to_training(
    installed_example: Path, tmp_path: Path
) -> None:
    from graphgan.graph import save
    from graphgan.graph.files import graph_from_data
    from graphgan.training.runs import RunPaths
    from graphgan.training.sinks import read_metrics
    from tests.training.gan import tiny_gan_data

    data = tiny_gan_data()
    data["variables"]["steps"]["value"] = 4
    phase = data["training"]["phases"][0]
    phase["recipe"], phase["recipe_args"] = "example.lazy_r1", {"gamma": 1.0, "every": 2}
    phase["losses"] = [
        {"term": "example.total_variation", "weight": 0.1, "args": {"output": "g_image"}}
    ]
    save(graph_from_data(data), tmp_path / "tiny.json")
    env = {k: v for k, v in os.environ.items() if k != "GRAPHGAN_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(installed_example), env.get("PYTHONPATH")])
    )
    run = tmp_path / "run"
    command = [sys.executable, "-m", "graphgan", "train", str(tmp_path / "tiny.json")]
    command += ["--out", str(run), "--no-progress"]

    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    assert done.returncode == 0, done.stderr
    metrics = read_metrics(RunPaths(run).metrics)
    assert [("d_r1" in m) for m in metrics] == [False, True, False, True]
    assert all(m["g_example.total_variation"] >= 0 for m in metrics)


def test_a_phase_naming_a_missing_recipe_is_a_diagnostic() -> None:
    from tests.training.gan import tiny_gan_data

    data = tiny_gan_data()
    data["training"]["phases"][0]["recipe"] = "adversrial"
    report = analyse(Graph.model_validate(data)).report

    (problem,) = [d for d in report if d.code == "training-invalid"]
    assert "unknown recipe 'adversrial'; did you mean 'adversarial'?" in problem.message
