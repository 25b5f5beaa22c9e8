"""Export: a graph becomes a standalone project folder (models, training script, data, docs).

Everything is rendered and checked before the first file is written, so a graph or dataset
that cannot be exported leaves the output folder as it was.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphgan.errors import GraphInvalidError
from graphgan.export.augment import source as augment_source
from graphgan.export.datasets import DATA_FILE, data_bytes, prepare
from graphgan.export.errors import ExportError, OutputFolderError
from graphgan.export.modelfile import graphgan_version, network_classes, render_models
from graphgan.export.recipe import recipe
from graphgan.export.templating import render
from graphgan.export.weights import WEIGHTS_FILE, TrainedRun, weights_bytes
from graphgan.graph import Graph, dumps
from graphgan.graph.training import training_spec
from graphgan.validation import Analysis, analyse

log = logging.getLogger(__name__)

# Every file an export may write; with --force, those of an earlier export not written again
# are removed, and nothing else in the folder is touched.
PROJECT_FILES = ("models.py", "train.py", "recipe.json", "graph.json", "README.md")
ALL_FILES = (*PROJECT_FILES, DATA_FILE, WEIGHTS_FILE)


@dataclass(frozen=True)
class ExportOptions:
    force: bool = False
    data: bool = True  # embed an embedded dataset as data.npz
    seed: int = 0  # the seed a dataset's items are prepared with (graphgan train --seed)
    dataset: str | None = None  # overrides the graph's dataset, as `graphgan train --data`
    templates: Path | None = None  # a folder of templates replacing some or all shipped ones


@dataclass(frozen=True)
class ExportResult:
    out: Path
    files: tuple[str, ...]


def export_project(
    graph: Graph,
    out: Path,
    options: ExportOptions | None = None,
    run: TrainedRun | None = None,
) -> ExportResult:
    """Write `graph` (with `run`'s trained weights, if given) as a project in `out`."""
    options = options or ExportOptions()

    # Phase 1: validate and render everything in memory.
    analysis = analyse(graph)
    if not analysis.valid:
        raise GraphInvalidError(analysis.report)
    files = _render(graph, analysis, options, run)

    # Phase 2: the output folder, refused when it holds anything and --force is not given.
    out = Path(out)
    _prepare(out, options.force, set(files))

    # Phase 3: write.
    for name, content in files.items():
        (out / name).write_bytes(content)
    log.info("export written: %s (%s)", out, ", ".join(files))
    return ExportResult(out, tuple(files))


def _render(
    graph: Graph, analysis: Analysis, options: ExportOptions, run: TrainedRun | None
) -> dict[str, bytes]:
    files: dict[str, str | bytes] = {"models.py": render_models(analysis, options.templates)}
    data: bytes | None = None
    augment: dict[str, Any] | None = None
    has_training = graph.training is not None
    if has_training:
        spec = training_spec(graph)
        prepared = prepare(spec, options.seed, options.dataset, embed=options.data)
        if options.data and prepared is not None and prepared.arrays:
            data = data_bytes(prepared, options.dataset or spec.data.dataset)
        augment = prepared.augment if prepared is not None else None
        described = recipe(analysis, spec, DATA_FILE if data else None, options.seed, augment)
        files["recipe.json"] = json.dumps(described, indent=2) + "\n"
        files["train.py"] = _train_script(graph, augment, options)
        if data is not None:
            files[DATA_FILE] = data
    files["graph.json"] = dumps(graph)
    if run is not None:
        files[WEIGHTS_FILE] = weights_bytes(run.weights)
    scenes = augment is not None and augment["kind"] == "scenes"
    readme = _readme(graph, analysis, has_training, data is not None, run, options, scenes)
    files["README.md"] = readme
    return {name: c.encode("utf-8") if isinstance(c, str) else c for name, c in files.items()}


def _train_script(graph: Graph, augment: dict[str, Any] | None, options: ExportOptions) -> str:
    scenes = None
    if augment is not None and augment["kind"] == "scenes":
        # The scene renderer is copied only into projects that draw shapes-pix2pix scenes.
        from graphgan.export.scenes import source as scenes_source

        scenes = scenes_source(augment["renderer"])
    return render(
        "train.py.j2",
        options.templates,
        title=graph.name,
        augmentation=augment_source(),
        scenes=scenes,
    )


def _readme(
    graph: Graph,
    analysis: Analysis,
    training: bool,
    data: bool,
    run: TrainedRun | None,
    options: ExportOptions,
    scenes: bool = False,
) -> str:
    classes, _ = network_classes(analysis)
    networks = [{"name": c.network, "cls": c.name} for c in classes if c.network is not None]
    spec = training_spec(graph) if training else None
    context: dict[str, Any] = {
        "title": graph.name,
        "description": graph.description,
        "version": graphgan_version(),
        "networks": networks,
        "training": training,
        "data": data,
        "scenes": scenes,
        "dataset": options.dataset or (spec.data.dataset if spec else None),
        "seed": options.seed,
        "run_step": run.step if run else None,
    }
    return render("README.md.j2", options.templates, **context)


def _prepare(out: Path, force: bool, writing: set[str]) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; give a folder for --out")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise OutputFolderError(
                f"{out} is not empty; choose an empty or new folder, or pass --force to replace "
                "an earlier export there"
            )
        for name in ALL_FILES:
            stale = out / name
            if name not in writing and stale.is_file():
                stale.unlink()
    out.mkdir(parents=True, exist_ok=True)
