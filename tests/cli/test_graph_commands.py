"""The validate, summary, nodes and templates commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graphgan.cli.main import main
from tests.conftest import nodes_of, write_json


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_valid_graph(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    code, out, _ = run(capsys, "validate", write_json(tmp_path / "g.json", tiny_data))
    assert (code, out.strip()) == (0, "valid: no problems found")


def test_validate_invalid_graph_exits_1_with_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    nodes_of(tiny_data)[3]["params"]["in_features"] = 5
    code, out, _ = run(capsys, "validate", "--json", write_json(tmp_path / "g.json", tiny_data))
    report = json.loads(out)
    assert code == 1
    assert report["valid"] is False
    (problem,) = report["diagnostics"]
    assert {k: problem[k] for k in ("code", "severity", "node", "port")} == {
        "code": "shape-mismatch",
        "severity": "error",
        "node": "g_fc2",
        "port": "x",
    }
    assert "set in_features=8" in problem["message"]


def test_validate_schema_problem_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    tiny_data["netwroks"] = tiny_data.pop("networks")
    code, _, err = run(capsys, "validate", write_json(tmp_path / "g.json", tiny_data))
    assert code == 1
    assert "did you mean 'networks'?" in err


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_validate_unparseable_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str
) -> None:
    path = tmp_path / "g.json"
    path.write_text(content)
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert err.startswith("graphgan: ")


def test_validate_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--json", "nowhere/g.json")
    assert code == 2
    assert json.loads(out)["valid"] is False


def test_validate_accepts_template_name_set_and_preset(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", "cgan", "--set", "latent_dim=64")[0] == 0
    code, _, err = run(capsys, "validate", "cgan", "--set", "latent_dims=64")
    assert code == 2
    assert "did you mean 'latent_dim'" in err


def test_summary_shows_shapes_parameters_and_macs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "summary", "cgan")
    assert code == 0
    assert "total: 2,413,984 parameters" in out
    assert "total: 1,224,351 parameters" in out
    assert "(N, 1, 28, 28)" in out


def test_summary_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "summary", "cgan", "--json")
    data = json.loads(out)["networks"]["generator"]
    assert code == 0
    assert data["parameters"] == 2_413_984
    assert data["macs_per_sample"] == 2_410_800
    edge = next(e for e in data["edges"] if e["source"] == "g_join.y")
    assert edge["shape"] == "(N, 1200)"


def test_nodes_lists_ports_and_params(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "nodes", "--json")
    kinds = {k["kind"]: k for k in json.loads(out)["nodes"]}
    assert code == 0
    linear = kinds["nn.Linear"]
    assert linear["inputs"][0] == {
        "name": "x",
        "kind": "vector",
        "optional": False,
        "description": "input features (N, in_features)",
    }
    out_features = next(p for p in linear["params"] if p["name"] == "out_features")
    assert out_features["required"] and out_features["minimum"] == 1
    code, text, _ = run(capsys, "nodes")
    assert "nn.Linear  (x:vector) -> (y:vector)" in text


def test_templates_lists_cgan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "--json")
    assert code == 0
    presets = {t["name"]: t["presets"] for t in json.loads(out)}
    assert presets["cgan"] == ["demo", "conv"]
    assert "    presets: demo, conv" in run(capsys, "templates")[1]


def test_module_entry_point_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text("{")
    result = subprocess.run(
        [sys.executable, "-m", "graphgan", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr


def test_summary_names_the_nodes_the_variables_leave_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["summary", "cgan", "--preset", "conv"]) == 0
    out = capsys.readouterr().out
    assert "cg_up1" in out
    assert "left out by the variables: g_fc_z, g_act_z, g_fc_y" in out
