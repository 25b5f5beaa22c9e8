"""The run folder: paths, naming, manifest, status, listing, atomic JSON."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from graphgan.training import runs
from graphgan.training.files import write_json_atomic
from graphgan.training.runs import (
    Manifest,
    RunError,
    RunPaths,
    Status,
    list_runs,
    make_manifest,
    new_run_dir,
    read_manifest,
    read_status,
    write_manifest,
    write_status,
)
from graphgan.training.sinks import JsonlSink

NOW = datetime(2026, 1, 2, 3, 4, 5)


def manifest(created: datetime) -> Manifest:
    return make_manifest(
        seed=7,
        graph_text='{"name": "tiny"}\n',
        device="cpu",
        dataset="digits",
        dataset_fingerprint="abc123",
        command=["graphgan", "train", "tiny.json"],
    ).model_copy(update={"created": created})


def make_run(base: Path, name: str, created: datetime) -> RunPaths:
    paths = RunPaths(new_run_dir(base, name, now=created))
    paths.make_dirs()
    write_manifest(paths, manifest(created.replace(tzinfo=timezone.utc)))
    return paths


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_run_paths_name_every_file(tmp_path: Path) -> None:
    paths = RunPaths(tmp_path / "run")
    named = {
        paths.graph: "graph.json",
        paths.config: "config.json",
        paths.metrics: "metrics.jsonl",
        paths.samples: "samples",
        paths.checkpoints: "checkpoints",
        paths.manifest: "manifest.json",
        paths.status: "status.json",
        paths.log: "train.log",
    }
    assert all(path == tmp_path / "run" / name for path, name in named.items())
    paths.make_dirs()
    assert paths.samples.is_dir() and paths.checkpoints.is_dir()


def test_new_run_dir_is_stamped_slugged_and_unique(tmp_path: Path) -> None:
    made = [new_run_dir(tmp_path / "runs", "My GAN: digits!", now=NOW) for _ in range(3)]
    assert [p.name for p in made] == [
        "20260102-030405-my-gan-digits",
        "20260102-030405-my-gan-digits-2",
        "20260102-030405-my-gan-digits-3",
    ]
    assert all(p.is_dir() for p in made)
    assert new_run_dir(tmp_path, "***", now=NOW).name == "20260102-030405-run"


def test_manifest_round_trip(tmp_path: Path) -> None:
    paths = RunPaths(tmp_path)
    written = manifest(NOW.replace(tzinfo=timezone.utc))
    write_manifest(paths, written)
    assert read_manifest(paths) == written
    assert written.graph_hash == hashlib.sha256(b'{"name": "tiny"}\n').hexdigest()
    assert written.versions["torch"] and written.versions["python"]


def test_missing_packages_have_no_version(monkeypatch: pytest.MonkeyPatch) -> None:
    def version(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    versions = runs.package_versions()
    assert versions["graphgan"] is None and versions["numpy"] is None
    assert versions["python"]


def test_missing_or_damaged_manifest_is_named(tmp_path: Path) -> None:
    paths = RunPaths(tmp_path)
    with pytest.raises(RunError, match=r"manifest.json is missing; the folder is not a run"):
        read_manifest(paths)
    paths.manifest.write_text('{"seed": "seven"}')
    with pytest.raises(RunError, match=r"manifest.json is unreadable .*damaged") as caught:
        read_manifest(paths)
    assert caught.value.code == "run-invalid"


def test_status_records_the_process(tmp_path: Path) -> None:
    paths = RunPaths(tmp_path)
    write_status(paths, "running", 10, 100)
    status = read_status(paths)
    assert (status.state, status.step, status.total_steps, status.message) == (
        "running",
        10,
        100,
        "",
    )
    assert status.pid == os.getpid() and status.hostname == socket.gethostname()
    write_status(paths, "failed", 12, 100, message="loss became NaN")
    assert read_status(paths).message == "loss became NaN"


def test_list_runs_newest_first_skipping_other_folders(tmp_path: Path) -> None:
    old = make_run(tmp_path, "old", NOW)
    new = make_run(tmp_path, "new", NOW + timedelta(hours=1))
    write_status(old, "finished", 100, 100)
    write_status(new, "running", 5, 100)
    with JsonlSink(new.metrics) as sink:
        sink.log(5, {"d_loss": 0.5})
    (tmp_path / "notes").mkdir()
    (tmp_path / "readme.txt").write_text("not a run")

    listed = list_runs(tmp_path)
    assert [run.name for run in listed] == [new.name, old.name]
    assert (listed[0].status, listed[0].step, listed[0].total_steps) == ("running", 5, 100)
    assert listed[0].metrics == {"step": 5, "d_loss": 0.5}
    assert listed[0].created == NOW.replace(tzinfo=timezone.utc) + timedelta(hours=1)
    assert (listed[1].status, listed[1].metrics) == ("finished", {})


def test_running_run_whose_process_is_gone_is_interrupted(tmp_path: Path) -> None:
    paths = make_run(tmp_path, "crashed", NOW)
    here = socket.gethostname()
    status = Status(state="running", step=3, total_steps=9, pid=dead_pid(), hostname=here)
    write_json_atomic(paths.status, status.model_dump(mode="json"))
    assert list_runs(tmp_path)[0].status == "interrupted"

    elsewhere = status.model_copy(update={"hostname": f"not-{here}"})
    write_json_atomic(paths.status, elsewhere.model_dump(mode="json"))
    assert list_runs(tmp_path)[0].status == "running"  # another host: cannot tell


def test_run_without_status_is_listed_as_unknown(tmp_path: Path) -> None:
    make_run(tmp_path, "starting", NOW)
    (summary,) = list_runs(tmp_path)
    assert (summary.status, summary.step) == ("unknown", 0)
    assert list_runs(tmp_path / "missing") == []


def test_write_json_atomic_replaces_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    write_json_atomic(path, {"a": 1})
    write_json_atomic(path, {"a": [2, "é"]})
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": [2, "é"]}
    with pytest.raises(ValueError, match="Out of range float values"):
        write_json_atomic(path, {"a": math.nan})
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": [2, "é"]}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
