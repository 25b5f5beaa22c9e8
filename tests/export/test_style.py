"""Exported code is lint-clean, formatted, and imports without a warning or graphgan."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphgan.export import export_project, render_models
from graphgan.graph.files import graph_from_data
from graphgan.templates import open_document
from graphgan.validation import analyse
from tests.export.project import example_pack_analysis
from tests.export.test_networks import BLOCKS
from tests.plugins.conftest import single_node_graph
from tests.plugins.test_catalogue import EXAMPLES

# The house style: exported code is held to the project's own ruff settings.
CONFIG = Path(__file__).resolve().parents[2] / "pyproject.toml"


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ruff", *args, "--config", str(CONFIG)]
    return subprocess.run(command, capture_output=True, text=True)


def write_examples(folder: Path) -> None:
    """A models.py for every node example and for the block graph, one folder each."""
    for index, example in enumerate(EXAMPLES):
        kind, params, inputs = example.values
        target = folder / f"example_{index}"
        target.mkdir(parents=True)
        source = render_models(analyse(single_node_graph(kind, params, inputs)))
        (target / "models.py").write_text(source, encoding="utf-8")
    blocks = folder / "blocks"
    blocks.mkdir()
    source = render_models(analyse(graph_from_data(BLOCKS)))
    (blocks / "models.py").write_text(source, encoding="utf-8")


def test_exported_code_passes_ruff(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    export_project(open_document("cgan"), tmp_path / "cgan")
    write_examples(tmp_path / "examples")
    (tmp_path / "pack").mkdir()
    source = render_models(example_pack_analysis(monkeypatch))
    (tmp_path / "pack" / "models.py").write_text(source, encoding="utf-8")

    checked = ruff("check", "--no-cache", str(tmp_path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    formatted = ruff("format", "--check", "--no-cache", str(tmp_path))
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_exported_project_imports_without_warnings_or_graphgan(tmp_path: Path) -> None:
    export_project(open_document("cgan"), tmp_path)
    probe = (
        "import sys\n"
        "for name in ('graphgan', 'graphgan_io', 'graphgan_nn', 'graphgan_gan', 'graphgan_data'):\n"
        "    sys.modules[name] = None  # importing graphgan or a pack now fails\n"
        "import models, train\n"
        "networks = models.build_networks()\n"
        "print(sorted(networks))\n"
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-W", "error", "-c", probe]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['discriminator', 'generator']"
    for name in ("models.py", "train.py"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "graphgan_" not in text
        assert "import graphgan" not in text


def test_every_export_template_ships_in_the_wheel() -> None:
    text = CONFIG.read_text(encoding="utf-8")
    folder = CONFIG.parent / "templates" / "export"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["README.md.j2", "models.py.j2", "train.py.j2"]
    assert '"export/*.j2"' in text  # the package-data pattern that installs them
    assert '"graphgan.export",' in text
