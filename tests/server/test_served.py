"""The main flows against a real `graphgan serve` (uvicorn) process on a loopback port."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from safetensors.torch import load as load_safetensors

from tests.server.conftest import Served, wait_for

TOKEN = "a-token-of-twenty-chars"
MAX_BODY = 64 * 1024


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the module's flows, with a token and a body limit, as off loopback."""
    workspace = tmp_path_factory.mktemp("served") / "workspace"
    workspace.mkdir()
    server = Served(workspace, "--token", TOKEN, "--max-body", str(MAX_BODY), token=TOKEN)
    yield server
    server.stop()


def read_stream(served: Served, run_id: str, after: int = 0) -> list[dict[str, Any]]:
    """Every event of the run's server-sent event stream, until the server ends it."""
    events, kind = [], None
    url = f"/runs/{run_id}/events"
    with served.client.stream("GET", url, params={"after": after}, timeout=90) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                event = json.loads(line.removeprefix("data: "))
                assert event["kind"] == kind
                events.append(event)
    return events


def start_run(served: Served, body: dict[str, Any]) -> str:
    answer = served.client.post("/runs", json=body)
    assert answer.status_code == 202, answer.text
    run_id: str = answer.json()["id"]
    return run_id


def test_a_run_trains_to_the_end_streaming_its_events(
    served: Served, tiny_document: dict[str, Any]
) -> None:
    created = served.client.post("/graphs", json={"name": "tiny", "document": tiny_document})
    assert created.status_code == 201
    options = {"steps": 12, "device": "cpu", "metrics_every": 3}
    run_id = start_run(served, {"graph": "tiny", "options": options})

    events = read_stream(served, run_id)
    kinds = [event["kind"] for event in events]
    assert kinds[0] == "queued" and kinds[1] == "started" and kinds[-1] == "finished"
    assert [e["step"] for e in events if e["kind"] == "metrics"] == [3, 6, 9, 12]
    assert {"sample", "checkpoint"} <= set(kinds)
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    assert "d_loss" in "".join(events[kinds.index("metrics")]["data"]["metrics"])

    # Replaying from the middle gives only what came after.
    middle = events[len(events) // 2]["seq"]
    assert [e["seq"] for e in read_stream(served, run_id, after=middle)] == [
        e["seq"] for e in events if e["seq"] > middle
    ]

    detail = served.client.get(f"/runs/{run_id}").json()
    assert detail["state"] == "finished" and detail["step"] == 12
    png = served.client.get(f"/runs/{run_id}/samples/{detail['samples'][-1]}")
    assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
    last = detail["checkpoints"][-1]
    weights = served.client.get(f"/runs/{run_id}/checkpoints/{last['step']}/weights.safetensors")
    assert any(name.startswith("generator") for name in load_safetensors(weights.content))
    records = served.client.get(f"/runs/{run_id}/metrics").json()["records"]
    assert [record["step"] for record in records] == list(range(1, 13))

    exported = served.client.get(f"/runs/{run_id}/export")
    assert exported.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(exported.content)).namelist()
    assert any(name.endswith("/weights.pt") for name in names)

    assert served.client.delete(f"/runs/{run_id}").status_code == 204
    assert run_id not in [run["id"] for run in served.client.get("/runs").json()]


def test_a_run_stops_with_a_checkpoint_and_resumes(
    served: Served, tiny_document: dict[str, Any]
) -> None:
    body = {"document": tiny_document, "options": {"steps": 100_000, "metrics_every": 5}}
    run_id = start_run(served, body)
    history = f"/runs/{run_id}/history"

    def metrics_seen() -> bool:
        return any(e["kind"] == "metrics" for e in served.client.get(history).json())

    wait_for(metrics_seen)
    assert served.client.delete(f"/runs/{run_id}").status_code == 409
    assert served.client.post(f"/runs/{run_id}/stop").status_code == 202
    stopped = wait_for(lambda: _state(served, run_id, "interrupted"))
    assert stopped["resumable"] and stopped["checkpoints"]

    answer = served.client.post(f"/runs/{run_id}/resume", json={"steps": stopped["step"] + 3})
    assert answer.status_code == 202
    finished = wait_for(lambda: _state(served, run_id, "finished"))
    assert finished["step"] == stopped["step"] + 3
    again = served.client.post(f"/runs/{run_id}/resume")
    assert again.status_code == 409


@pytest.mark.slow
def test_a_server_killed_mid_run_leaves_it_resumable_after_a_restart(
    serve: Any, tiny_document: dict[str, Any]
) -> None:
    served = serve()
    finished = start_run(served, {"document": tiny_document, "options": {"steps": 2}})
    wait_for(lambda: _state(served, finished, "finished"))
    long = {"document": tiny_document, "options": {"steps": 100_000, "metrics_every": 5}}
    running = start_run(served, long)
    wait_for(lambda: _state(served, running, "running"))

    # Killed outright, the server cannot stop its worker; the worker notices and stops
    # itself, and the next server keeps the history and offers the run for resuming.
    served.stop(hard=True)
    restarted = serve()
    runs = {run["id"]: run for run in restarted.client.get("/runs").json()}
    assert runs[finished]["state"] == "finished"
    interrupted = wait_for(lambda: _state(restarted, running, "interrupted"))
    assert interrupted["resumable"]


def _state(served: Served, run_id: str, state: str) -> Any:
    run = served.client.get(f"/runs/{run_id}").json()
    return run if run["state"] == state else None


def test_over_the_wire_the_token_and_the_body_limit_hold(served: Served) -> None:
    with httpx2.Client(base_url=served.url) as stranger:
        assert stranger.get("/templates").status_code == 401
        wrong = {"Authorization": "Bearer " + "x" * len(TOKEN)}
        assert stranger.get("/runs", headers=wrong).status_code == 401
    assert served.client.get("/templates").status_code == 200

    json_type = {"content-type": "application/json"}
    big = b'{"template": "' + b"x" * MAX_BODY + b'"}'
    assert served.client.post("/validate", content=big, headers=json_type).status_code == 413
    chunks = iter([big[:1024], big[1024:]])
    streamed = served.client.post("/validate", content=chunks, headers=json_type)
    assert streamed.status_code == 413
    traversal = served.client.get("/graphs/..%2F..%2Fruns.sqlite")
    assert 400 <= traversal.status_code < 500
    assert served.client.get("/templates").status_code == 200  # the server is still there
