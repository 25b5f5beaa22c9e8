"""The run folder: where one training run keeps its graph, config, metrics and checkpoints.

Each file has one writer and is replaced atomically, so `graphgan runs` can read a folder
while its run is still training.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import platform
import re
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graphgan.errors import GraphganError
from graphgan.training.files import write_json_atomic
from graphgan.training.sinks import read_last_metrics

log = logging.getLogger(__name__)

State = Literal["running", "finished", "failed", "interrupted"]
_PACKAGES = ("graphgan", "torch", "numpy")
_Model = TypeVar("_Model", bound=BaseModel)


class RunError(GraphganError, ValueError):
    """A run folder whose manifest or status is missing or unreadable."""

    code = "run-invalid"


@dataclass(frozen=True)
class RunPaths:
    """The files and folders inside one run folder."""

    root: Path

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def graph(self) -> Path:
        """The resolved graph document the run trains."""
        return self.root / "graph.json"

    @property
    def config(self) -> Path:
        """The resolved training config."""
        return self.root / "config.json"

    @property
    def metrics(self) -> Path:
        return self.root / "metrics.jsonl"

    @property
    def losses(self) -> Path:
        """The loss curves, redrawn with every sample grid."""
        return self.root / "losses.png"

    @property
    def samples(self) -> Path:
        return self.root / "samples"

    @property
    def checkpoints(self) -> Path:
        return self.root / "checkpoints"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def status(self) -> Path:
        return self.root / "status.json"

    @property
    def log(self) -> Path:
        return self.root / "train.log"

    def make_dirs(self) -> None:
        """Create the run folder and its samples and checkpoints folders."""
        for folder in (self.root, self.samples, self.checkpoints):
            folder.mkdir(parents=True, exist_ok=True)


def new_run_dir(base: Path, name: str, now: datetime | None = None) -> Path:
    """Create and return `base/<YYYYMMDD-HHMMSS>-<slug of name>`, with -2, -3... if taken."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    stem = f"{stamp}-{slug(name)}"
    Path(base).mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 10_000):
        candidate = Path(base) / (stem if attempt == 1 else f"{stem}-{attempt}")
        try:
            # mkdir claims the name, so runs started in the same second differ.
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise RunError(f"{base} holds 10,000 runs named {stem}; choose another name")


def slug(name: str, limit: int = 40) -> str:
    """`name` as lowercase letters, digits and single dashes; "run" if nothing is left."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return text[:limit].rstrip("-") or "run"


# Manifest ---------------------------------------------------------------------


class Manifest(BaseModel):
    """What a run was made from, written once when it starts."""

    model_config = ConfigDict(frozen=True)

    seed: int
    graph_hash: str
    versions: dict[str, str | None]
    device: str
    dataset: str
    dataset_fingerprint: str
    command: list[str]
    created: datetime


def graph_hash(text: str) -> str:
    """The sha256 (hex) of the canonical graph text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def package_versions() -> dict[str, str | None]:
    """Versions of graphgan, torch, numpy and Python; None for a package not installed."""
    versions: dict[str, str | None] = {}
    for package in _PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    versions["python"] = platform.python_version()
    return versions


def make_manifest(
    *,
    seed: int,
    graph_text: str,
    device: str,
    dataset: str,
    dataset_fingerprint: str,
    command: list[str] | None = None,
) -> Manifest:
    """A manifest for a run starting now; `command` defaults to this process's argv."""
    return Manifest(
        seed=seed,
        graph_hash=graph_hash(graph_text),
        versions=package_versions(),
        device=device,
        dataset=dataset,
        dataset_fingerprint=dataset_fingerprint,
        command=list(sys.argv if command is None else command),
        created=datetime.now(timezone.utc),
    )


def write_manifest(paths: RunPaths, manifest: Manifest) -> None:
    write_json_atomic(paths.manifest, manifest.model_dump(mode="json"))


def read_manifest(paths: RunPaths) -> Manifest:
    return _read_model(paths.manifest, Manifest)


# Status -----------------------------------------------------------------------


class Status(BaseModel):
    """Where a run stands; rewritten by the loop as it goes. `pid` and `hostname` find dead runs."""

    model_config = ConfigDict(frozen=True)

    state: State
    step: int
    total_steps: int
    message: str = ""
    pid: int
    hostname: str
    updated: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))


def write_status(
    paths: RunPaths, state: State, step: int, total_steps: int, message: str = ""
) -> None:
    status = Status(
        state=state,
        step=step,
        total_steps=total_steps,
        message=message,
        pid=os.getpid(),
        hostname=socket.gethostname(),
    )
    write_json_atomic(paths.status, status.model_dump(mode="json"))


def read_status(paths: RunPaths) -> Status:
    return _read_model(paths.status, Status)


def _read_model(path: Path, model: type[_Model]) -> _Model:
    try:
        return model.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise RunError(f"{path} is missing; the folder is not a run or it never started") from None
    except (OSError, ValidationError) as error:
        first = str(error).splitlines()[0]
        raise RunError(f"{path} is unreadable ({first}); the run folder is damaged") from None


# Listing ----------------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    """One line of `graphgan runs`."""

    name: str
    path: Path
    status: str
    step: int
    total_steps: int
    created: datetime | None
    metrics: dict[str, Any]


def list_runs(base: Path) -> list[RunSummary]:
    """Every run folder directly under `base`, newest first; other folders are skipped.

    A run whose status says "running" but whose process (same host, recorded pid) is gone
    is reported as "interrupted".
    """
    base = Path(base)
    if not base.is_dir():
        return []
    runs = [_summary(RunPaths(folder)) for folder in base.iterdir() if _is_run(folder)]
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    return sorted(runs, key=lambda run: (run.created or oldest, run.name), reverse=True)


def _is_run(folder: Path) -> bool:
    paths = RunPaths(folder)
    return folder.is_dir() and (paths.manifest.is_file() or paths.status.is_file())


def _summary(paths: RunPaths) -> RunSummary:
    manifest = _or_none(read_manifest, paths)
    status = _or_none(read_status, paths)
    metrics = read_last_metrics(paths.metrics) or {}
    step = status.step if status else int(metrics.get("step", 0))
    return RunSummary(
        name=paths.name,
        path=paths.root,
        status=_state(status) if status else "unknown",
        step=step,
        total_steps=status.total_steps if status else 0,
        created=manifest.created if manifest else None,
        metrics=metrics,
    )


def _or_none(read: Callable[[RunPaths], _Model], paths: RunPaths) -> _Model | None:
    try:
        return read(paths)
    except RunError as error:
        log.debug("%s", error)
        return None


def _state(status: Status) -> str:
    here = status.hostname == socket.gethostname()
    if status.state == "running" and here and not process_alive(status.pid):
        return "interrupted"
    return status.state


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host (True when it cannot be told)."""
    if os.name == "nt":
        return True  # os.kill on Windows would terminate the process, not probe it.
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    return True
