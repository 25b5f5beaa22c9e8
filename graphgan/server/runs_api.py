"""Training runs: start, list, status and metrics, stop, resume, delete, files and export."""

from __future__ import annotations

import shutil
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import FileResponse

from graphgan.export import ExportOptions, is_run_dir
from graphgan.export import open_run as open_trained_run
from graphgan.graph import dumps
from graphgan.graph.training import training_spec
from graphgan.runs import ACTIVE, RunStateError
from graphgan.server.context import ServerContext, server_context
from graphgan.server.documents import open_source, require_valid, safe_dataset
from graphgan.server.errors import BadRequestError, MissingFileError
from graphgan.server.exports import ZIP_RESPONSE, project_zip, zip_response
from graphgan.server.models import MetricsModel, ResumeRequest, RunCreate, RunDetail, RunInfo
from graphgan.server.runs_view import (
    CHECKPOINT_FILES,
    read_metrics,
    run_detail,
    run_folder,
    run_info,
)
from graphgan.training.runs import new_run_dir

router = APIRouter(prefix="/runs", tags=["runs"])
Context = Annotated[ServerContext, Depends(server_context)]
RunId = Annotated[str, Path(description="A run's id, as POST /runs returned it.")]
_FILE = {"content": {"application/octet-stream": {}, "image/png": {}}, "description": "The file"}


@router.post("", response_model=RunInfo, status_code=202, summary="Queue a training run")
def start_run(body: RunCreate, context: Context) -> Any:
    """Checks the graph and its training section first: an invalid one is refused with 422."""
    if body.options.steps and body.options.epochs:
        raise BadRequestError("give steps or epochs, not both")
    source = open_source(body, context.graphs)
    require_valid(context.analyses(source.graph))
    spec = training_spec(source.graph)
    options = body.options.model_dump()
    options["data"] = safe_dataset(context.workspace, body.options.data or spec.data.dataset)

    run_id = _new_run_id(context, source.name)
    context.store.create(run_id, source.name, dumps(source.graph), options)
    context.queue.wake()
    return run_info(context.store.get(run_id))


def _new_run_id(context: ServerContext, name: str) -> str:
    """A fresh run folder's name, also unknown to the store (a folder may be deleted by hand)."""
    known = {record.id for record in context.store.runs()}
    for _ in range(100):
        run_id = new_run_dir(context.workspace.runs, name).name
        if run_id not in known:
            return run_id
    raise RunStateError(f"could not find a free run id for '{name}'; delete old runs")


@router.get("", response_model=list[RunInfo], summary="Every run, newest first")
def list_runs(context: Context) -> Any:
    return [run_info(record) for record in context.store.runs()]


@router.get("/{run_id}", response_model=RunDetail, summary="A run's status, metrics and files")
def read_run(run_id: RunId, context: Context) -> Any:
    run_folder(context.workspace, run_id)
    return run_detail(context.store.get(run_id), context.workspace)


@router.get("/{run_id}/metrics", response_model=MetricsModel, summary="A run's logged metrics")
def metrics(
    run_id: RunId,
    context: Context,
    after: Annotated[int, Query(ge=0, description="Only steps after this one.")] = 0,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> Any:
    folder = run_folder(context.workspace, run_id)
    context.store.get(run_id)
    return MetricsModel(records=read_metrics(folder / "metrics.jsonl", after, limit))


@router.post("/{run_id}/stop", response_model=RunInfo, status_code=202, summary="Stop a run")
def stop_run(run_id: RunId, context: Context) -> Any:
    """A running run stops after its current step, with a checkpoint; it can be resumed."""
    run_folder(context.workspace, run_id)
    context.queue.stop(run_id)
    return run_info(context.store.get(run_id))


@router.post("/{run_id}/resume", response_model=RunInfo, status_code=202, summary="Resume")
def resume_run(run_id: RunId, context: Context, body: ResumeRequest | None = None) -> Any:
    """Queue a stopped, failed or interrupted run again, from its latest checkpoint.

    A finished run resumes only with `steps` beyond the ones it ran, to train it longer.
    """
    run_folder(context.workspace, run_id)
    record = context.store.get(run_id)
    steps = body.steps if body else None
    if record.state in ACTIVE:
        raise RunStateError(f"run '{run_id}' is {record.state}; it needs no resuming")
    if record.state == "finished" and (steps is None or steps <= record.step):
        raise RunStateError(
            f"run '{run_id}' finished at step {record.step}; pass steps above it to train longer"
        )
    options = {**record.options, "epochs": None}
    if steps is not None:
        options["steps"] = steps
    context.store.requeue(run_id, options)
    context.queue.wake()
    return run_info(context.store.get(run_id))


@router.delete("/{run_id}", status_code=204, response_class=Response, summary="Delete a run")
def delete_run(run_id: RunId, context: Context) -> Response:
    """Removes the record, its events and its folder; an active run must be stopped first."""
    folder = run_folder(context.workspace, run_id)
    context.store.delete(run_id)
    if folder.is_dir():
        shutil.rmtree(folder)
    return Response(status_code=204)


@router.get(
    "/{run_id}/samples/{file}",
    response_class=FileResponse,
    responses={200: _FILE},
    summary="A sample grid",
)
def sample(run_id: RunId, file: str, context: Context) -> Any:
    folder = run_folder(context.workspace, run_id)
    context.store.get(run_id)
    path = context.workspace.child(folder / "samples", file)
    if path.suffix != ".png" or not path.is_file():
        raise MissingFileError(f"run '{run_id}' has no sample '{file}'")
    return FileResponse(path, media_type="image/png")


@router.get(
    "/{run_id}/checkpoints/{step}/{file}",
    response_class=FileResponse,
    responses={200: _FILE},
    summary="A checkpoint file (safetensors or JSON)",
)
def checkpoint_file(
    run_id: RunId, step: Annotated[int, Path(ge=0)], file: str, context: Context
) -> Any:
    folder = run_folder(context.workspace, run_id)
    context.store.get(run_id)
    if file not in CHECKPOINT_FILES:
        raise MissingFileError(f"checkpoints hold only {', '.join(CHECKPOINT_FILES)}")
    path = context.workspace.check_inside(folder / "checkpoints" / f"step-{step:08d}" / file)
    if not path.is_file():
        raise MissingFileError(f"run '{run_id}' has no checkpoint file step {step}/{file}")
    kind = "application/json" if file.endswith(".json") else "application/octet-stream"
    return FileResponse(path, media_type=kind, filename=file)


@router.get(
    "/{run_id}/export",
    response_class=Response,
    responses=ZIP_RESPONSE,
    summary="Export a run with its trained weights (zip)",
)
def export_run(
    run_id: RunId,
    context: Context,
    data: Annotated[bool, Query(description="Embed the dataset as data.npz.")] = False,
) -> Response:
    folder = context.workspace.check_inside(run_folder(context.workspace, run_id))
    record = context.store.get(run_id)
    if record.state in ACTIVE:
        raise RunStateError(f"run '{run_id}' is {record.state}; export it once it has stopped")
    if not is_run_dir(folder):
        raise RunStateError(f"run '{run_id}' never started training; it has nothing to export")
    trained = open_trained_run(folder)
    options = ExportOptions(data=data, seed=trained.seed, dataset=trained.data)
    return zip_response(project_zip(trained.graph, options, trained), record.graph_name)
