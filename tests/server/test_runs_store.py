"""The run store and queue: history survives restarts, a crashed worker fails only its run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient

from graphgan.runs import RunQueue, RunStateError, RunStore, Workspace
from graphgan.runs.queue import default_threads
from graphgan.server import ServerSettings, create_app
from tests.server.conftest import LOCAL, wait_for
from tests.server.workers import die, report_threads


def test_a_restart_marks_running_runs_interrupted_and_keeps_the_rest(workspace: Path) -> None:
    store = RunStore(workspace / "runs.sqlite")
    for run_id in ("a", "b", "c"):
        store.create(run_id, "tiny", "{}", {"steps": 4})
    store.claim("a")
    store.claim("b")
    store.set_state("b", "finished")
    store.close()

    again = RunStore(workspace / "runs.sqlite")
    assert again.recover() == ["a"]
    states = {record.id: record.state for record in again.runs()}
    assert states == {"a": "interrupted", "b": "finished", "c": "queued"}
    assert again.get("a").resumable
    assert [event.kind for event in again.events("a")] == ["queued", "interrupted"]


def test_active_runs_can_be_neither_deleted_nor_requeued(workspace: Path) -> None:
    store = RunStore(workspace / "runs.sqlite")
    store.create("a", "tiny", "{}", {})
    store.claim("a")
    with pytest.raises(RunStateError, match="stop it first"):
        store.delete("a")
    with pytest.raises(RunStateError, match="stop it first"):
        store.requeue("a", {})
    store.set_state("a", "interrupted")
    store.requeue("a", {"steps": 9})
    assert store.get("a").mode == "resume"
    assert store.get("a").options == {"steps": 9}


def test_events_replay_after_a_sequence_number(workspace: Path) -> None:
    store = RunStore(workspace / "runs.sqlite")
    store.create("a", "tiny", "{}", {})
    seqs = [store.add_event("a", "metrics", step, {"step": step}) for step in (1, 2, 3)]
    assert [event.step for event in store.events("a", after=seqs[0])] == [2, 3]


def test_a_crashing_worker_fails_its_run_and_the_queue_goes_on(workspace: Path) -> None:
    space = Workspace.open(workspace)
    store = RunStore(space.database)
    queue = RunQueue(space, store, concurrency=1, target=die)
    queue.start()
    try:
        store.create("a", "tiny", "{}", {})
        store.create("b", "tiny", "{}", {})
        queue.wake()
        wait_for(lambda: all(store.get(r).state == "failed" for r in ("a", "b")))
    finally:
        queue.close()
    assert "exit code 3" in store.get("a").message
    assert [event.kind for event in store.events("b")] == ["queued", "failed"]


@pytest.mark.parametrize("given", [None, 3])
def test_cpu_runs_leave_a_core_to_the_server_unless_told(
    workspace: Path, given: int | None
) -> None:
    if torch.cuda.is_available():
        pytest.skip("runs on a GPU keep torch's default threads")
    space = Workspace.open(workspace)
    store = RunStore(space.database)
    queue = RunQueue(space, store, concurrency=1, target=report_threads, threads=given)
    queue.start()
    try:
        store.create("a", "tiny", "{}", {})
        queue.wake()
        wait_for(lambda: store.get("a").state == "failed")
    finally:
        queue.close()
    written = (space.runs / "a" / "threads.txt").read_text(encoding="utf-8")
    cores = len(os.sched_getaffinity(0))
    assert int(written) == (given or max(1, cores - 1)) == (given or default_threads(1))


def test_the_server_answers_after_a_worker_crash(
    workspace: Path, tiny_document: dict[str, object]
) -> None:
    app = create_app(ServerSettings(workspace=workspace))
    app.state.context.queue.target = die
    with TestClient(app, base_url=LOCAL) as client:
        run = client.post("/runs", json={"document": tiny_document}).json()
        failed = wait_for(lambda: client.get(f"/runs/{run['id']}").json()["state"] == "failed")
        assert failed
        assert client.get("/templates").status_code == 200
        assert client.get(f"/runs/{run['id']}").json()["resumable"] is True


def test_a_queued_run_stopped_before_it_starts_is_interrupted(
    workspace: Path, tiny_document: dict[str, object]
) -> None:
    app = create_app(ServerSettings(workspace=workspace))
    # No lifespan: the queue never starts, so the run stays queued until stopped.
    client = TestClient(app, base_url=LOCAL)
    run = client.post("/runs", json={"document": tiny_document}).json()
    assert run["state"] == "queued"
    stopped = client.post(f"/runs/{run['id']}/stop").json()
    assert stopped["state"] == "interrupted"
    assert client.post(f"/runs/{run['id']}/stop").status_code == 409
    assert client.delete(f"/runs/{run['id']}").status_code == 204
    assert client.get(f"/runs/{run['id']}").status_code == 404
