"""`graphgan export`: what it writes, what it refuses, and exports of trained runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from graphgan.cli.export_commands import run_export
from graphgan.cli.main import build_parser, main
from graphgan.compiler import compile_network
from graphgan.export import ExportError, export_project
from graphgan.export.naming import Namer, class_name
from graphgan.graph import Graph, dumps
from graphgan.graph.files import graph_from_data
from graphgan.templates import template_path
from graphgan.training.checkpoints import load_checkpoint
from graphgan.training.loop import TrainOptions, train
from graphgan.validation import analyse
from tests.export.project import import_file
from tests.export.test_training import small_cgan


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def with_training(graph: Graph, **changes: object) -> Graph:
    assert graph.training is not None
    return graph.model_copy(update={"training": {**graph.training, **changes}})


def test_export_writes_a_project_and_nothing_outside_it(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("untouched", encoding="utf-8")
    before = tree(tmp_path)

    code = main(["export", "cgan", "--out", str(tmp_path / "out"), "--set", "latent_dim=7"])

    assert code == 0
    assert tree(tmp_path).keys() - before.keys() == {
        f"out/{name}"
        for name in ("models.py", "train.py", "recipe.json", "data.npz", "graph.json", "README.md")
    }
    assert tree(tmp_path)["mine.txt"] == before["mine.txt"]
    models = (tmp_path / "out" / "models.py").read_text(encoding="utf-8")
    assert "self.g_fc_z = nn.Linear(7, 200)" in models  # --set applies
    assert (
        json.loads((tmp_path / "out" / "graph.json").read_text())["variables"]["latent_dim"][
            "value"
        ]
        == 7
    )


def test_invalid_graph_prints_the_report_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(template_path("cgan").read_text(encoding="utf-8"))
    (reshape,) = [n for n in data["networks"]["generator"]["nodes"] if n["id"] == "g_reshape"]
    reshape["params"]["shape"] = [1, 27, 28]  # 756 values where 784 arrive
    document = tmp_path / "broken.json"
    document.write_text(json.dumps(data), encoding="utf-8")

    out = tmp_path / "out"
    code = main(["export", str(document), "--out", str(out)])
    assert code == 1
    assert "node 'g_reshape' (nn.Reshape)" in capsys.readouterr().err
    assert not out.exists()


def test_non_empty_folder_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "models.py").write_text("# mine", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")

    assert main(["export", "cgan", "--out", str(out), "--no-data"]) == 1
    assert (out / "models.py").read_text(encoding="utf-8") == "# mine"

    (out / "data.npz").write_bytes(b"from an earlier export")
    assert main(["export", "cgan", "--out", str(out), "--no-data", "--force"]) == 0
    assert (out / "models.py").read_text(encoding="utf-8").startswith('"""Conditional GAN')
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / "data.npz").exists()  # stale, and no longer what recipe.json reads
    assert json.loads((out / "recipe.json").read_text())["data"]["file"] is None


def test_export_of_a_run_holds_weights_the_exported_models_load(tmp_path: Path) -> None:
    graph = small_cgan()
    run = tmp_path / "run"
    train(graph, TrainOptions(out=run, steps=2, seed=1, device="cpu", progress=False))

    assert main(["export", str(run), "--out", str(tmp_path / "out")]) == 0

    models = import_file(tmp_path / "out" / "models.py")
    networks = models.build_networks(str(tmp_path / "out" / "weights.pt"))
    checkpoint = load_checkpoint(run)
    analysis = analyse(graph)
    for name, network in networks.items():
        state = network.state_dict()
        for key, tensor in checkpoint.weights[name].items():
            assert torch.equal(state[key], tensor), key
        compiled = compile_network(analysis, name, torch_compile="off")
        compiled.load_state_dict(checkpoint.weights[name])
        compiled.eval()
        network.eval()
        inputs = [torch.rand(4, 100), torch.arange(4)] if name == "generator" else None
        if inputs is not None:
            assert torch.equal(compiled(*inputs), network(*inputs))


def test_a_run_folder_takes_no_variables(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "graph.json").write_text(dumps(small_cgan()), encoding="utf-8")
    (run / "config.json").write_text("{}", encoding="utf-8")
    args = build_parser().parse_args(["export", str(run), "--out", "x", "--set", "steps=1"])
    with pytest.raises(ExportError, match="--set and --preset do not apply to a run folder"):
        run_export(args)


def test_a_loss_term_train_py_lacks_is_refused_by_name(tmp_path: Path) -> None:
    graph = small_cgan()
    assert graph.training is not None
    (phase,) = graph.training["phases"]
    term = {"term": "perceptual", "args": {"output": "g_image", "target": "data:image"}}
    changed = with_training(graph, phases=[{**phase, "losses": [term]}])
    with pytest.raises(ExportError, match=r"loss term 'perceptual'.*graphgan train"):
        export_project(changed, tmp_path / "out")


def test_names_are_unique_and_never_keywords_or_builtins() -> None:
    namer = Namer({"self"})
    assert [namer.name(n) for n in ("input", "input", "class", "self", "x", "x", "9lives")] == [
        "input_",
        "input_2",
        "class_",
        "self_2",
        "x",
        "x_2",
        "_9lives",
    ]
    classes = Namer({"Maxout"}, joiner="")
    assert classes.name(class_name("maxout")) == "Maxout2"
    assert class_name("res_block") == "ResBlock"


def test_a_node_named_like_a_module_method_is_refused(tmp_path: Path) -> None:
    data = json.loads(template_path("cgan").read_text(encoding="utf-8"))
    text = json.dumps(data).replace("g_sigmoid", "eval")
    graph = graph_from_data(json.loads(text))
    with pytest.raises(ExportError, match=r"node 'eval' \(nn.Sigmoid\): its id names an nn.Module"):
        export_project(graph, tmp_path / "out")


def test_a_templates_folder_replaces_the_shipped_templates_it_has(tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "README.md.j2").write_text("# {{ title }}, my way\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["export", "cgan", "--out", str(out), "--no-data", "--templates", str(mine)]) == 0
    assert (out / "README.md").read_text(encoding="utf-8") == "# Conditional GAN, my way\n"
    assert "class Generator(nn.Module):" in (out / "models.py").read_text(encoding="utf-8")
