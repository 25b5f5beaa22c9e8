"""The event stream: server-sent events replayed from the store, resumable by Last-Event-ID."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from graphgan.runs import RunStore


def _recorded_run(workspace: Path) -> list[int]:
    store = RunStore(workspace / "runs.sqlite")
    store.create("r1", "tiny", "{}", {})
    seqs = [1]
    seqs.append(store.add_event("r1", "started", 0, {"total_steps": 2}))
    seqs.append(store.add_event("r1", "metrics", 2, {"metrics": {"d_loss": "NaN"}}))
    seqs.append(store.add_event("r1", "failed", 2, {"reason": "loss term 'd_loss' became nan"}))
    store.set_state("r1", "failed", "loss term 'd_loss' became nan")
    store.close()
    return seqs


def _read(client: TestClient, **headers: str) -> list[tuple[str, str, dict[str, object]]]:
    events = []
    with client.stream("GET", "/runs/r1/events", headers=headers) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        fields: dict[str, str] = {}
        for line in stream.iter_lines():
            if line:
                name, _, value = line.partition(": ")
                fields[name] = value
            elif "data" in fields:
                events.append((fields["id"], fields["event"], json.loads(fields["data"])))
                fields = {}
    return events


def test_a_finished_stream_replays_every_event_and_ends(
    client: TestClient, workspace: Path
) -> None:
    seqs = _recorded_run(workspace)
    events = _read(client)
    assert [kind for _, kind, _ in events] == ["queued", "started", "metrics", "failed"]
    assert [int(seq) for seq, _, _ in events] == seqs
    assert events[-1][2]["data"] == {"reason": "loss term 'd_loss' became nan"}


def test_last_event_id_resumes_after_that_event(client: TestClient, workspace: Path) -> None:
    seqs = _recorded_run(workspace)
    events = _read(client, **{"Last-Event-ID": str(seqs[1])})
    assert [kind for _, kind, _ in events] == ["metrics", "failed"]
    history = client.get("/runs/r1/history", params={"after": seqs[2]}).json()
    assert [event["kind"] for event in history] == ["failed"]


def test_the_stream_of_an_unknown_run_is_404(client: TestClient) -> None:
    assert client.get("/runs/nope/events").status_code == 404
