"""Runs as the API shows them: store records joined with the files in their folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphgan.runs import EventRecord, RunRecord, Workspace
from graphgan.server.models import CheckpointModel, EventModel, RunDetail, RunInfo

CHECKPOINT_FILES = ("weights.safetensors", "optimizers.safetensors", "state.json")


def run_info(record: RunRecord) -> RunInfo:
    return RunInfo(
        id=record.id,
        graph_name=record.graph_name,
        state=record.state,
        step=record.step,
        total_steps=record.total_steps,
        message=record.message,
        metrics=record.metrics,
        options=record.options,
        resumable=record.resumable,
        created=record.created,
        updated=record.updated,
    )


def run_detail(record: RunRecord, workspace: Workspace) -> RunDetail:
    folder = run_folder(workspace, record.id)
    return RunDetail(
        **run_info(record).model_dump(),
        samples=sample_names(folder),
        checkpoints=checkpoints(folder),
    )


def run_folder(workspace: Workspace, run_id: str) -> Path:
    return workspace.child(workspace.runs, run_id)


def sample_names(folder: Path) -> list[str]:
    samples = folder / "samples"
    if not samples.is_dir() or samples.is_symlink():
        return []
    return sorted(p.name for p in samples.glob("*.png") if p.is_file() and not p.is_symlink())


def checkpoints(folder: Path) -> list[CheckpointModel]:
    found = []
    root = folder / "checkpoints"
    if not root.is_dir() or root.is_symlink():
        return []
    for step_folder in sorted(root.glob("step-*")):
        step = step_folder.name.removeprefix("step-")
        if step.isdigit() and step_folder.is_dir() and not step_folder.is_symlink():
            files = [n for n in CHECKPOINT_FILES if (step_folder / n).is_file()]
            found.append(CheckpointModel(step=int(step), files=files))
    return found


def read_metrics(path: Path, after: int, limit: int) -> list[dict[str, Any]]:
    """Records of steps after `after`, at most `limit`; a torn last line is skipped."""
    if not path.is_file():
        return []
    records = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and int(record.get("step", 0)) > after:
                records.append(record)
                if len(records) >= limit:
                    break
    return records


def event_model(event: EventRecord) -> EventModel:
    return EventModel(
        seq=event.seq,
        run_id=event.run_id,
        kind=event.kind,
        step=event.step,
        data=event.data,
        time=event.time,
    )
