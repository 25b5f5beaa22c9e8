"""A regular (non-editable) install finds the built-in plugin packs and the templates."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import importlib
import sys
from graphgan.registry import default_registry
from graphgan.templates import template_names, templates_dir
registry = default_registry()
assert not registry.failures, registry.failures
assert {"io", "nn", "gan", "data"} <= set(registry.packs), registry.packs
assert "cgan" in template_names(), templates_dir()
assert str(templates_dir()).startswith(sys.argv[1]), templates_dir()
for package in sys.argv[2:]:
    module = importlib.import_module(package)
    assert module.__file__.startswith(sys.argv[1]), module.__file__
"""


def source_packages() -> list[str]:
    """Every package under graphgan/ in the source tree: the wheel must hold them all."""
    return sorted(
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "graphgan").rglob("__init__.py")
    )


def test_wheel_install_finds_plugins_and_templates(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "*.egg-info", "build"))
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "wheel"), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "wheel").glob("graphgan-*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(target), *source_packages()],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
