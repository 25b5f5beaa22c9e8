"""The HTTP client against a real `graphgan serve` process, with a token, on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphgan.client import ServerAddressError, ServerClient, ServerError, ServerUnreachableError
from tests.server.conftest import Served, free_port, wait_for

TOKEN = "a-client-token-of-24-chars"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    workspace = tmp_path_factory.mktemp("client") / "workspace"
    workspace.mkdir()
    server = Served(workspace, "--token", TOKEN, token=TOKEN)
    yield server
    server.stop()


@pytest.fixture
def client(served: Served) -> ServerClient:
    return ServerClient(served.url + "/", TOKEN)


def test_a_run_trains_and_shows_its_metrics_and_samples(
    client: ServerClient, tiny_document: dict[str, Any]
) -> None:
    run = client.start_run(tiny_document, {"steps": 4, "metrics_every": 2})
    assert run["state"] == "queued" and run["graph_name"] == "tiny gan"
    finished = wait_for(lambda: _in_state(client, run["id"], "finished"))
    assert finished["step"] == finished["total_steps"] == 4 and not finished["resumable"]
    assert [r["step"] for r in client.metrics(run["id"])] == [1, 2, 3, 4]
    assert [r["step"] for r in client.metrics(run["id"], after=3)] == [4]
    assert client.sample(run["id"], finished["samples"][-1])[:4] == b"\x89PNG"

    # Stopping and resuming are the train panel's test (tests/editor/test_train_remote.py).
    with pytest.raises(ServerError, match=r"/resume: HTTP 409 \(run-state\): .*finished at step 4"):
        client.resume(run["id"])


def _in_state(client: ServerClient, run_id: str, state: str) -> dict[str, Any] | None:
    run = client.run(run_id)
    return run if run["state"] == state else None


def test_a_refusal_names_the_url_the_status_and_the_servers_reason(served: Served) -> None:
    stranger = ServerClient(served.url, "x" * len(TOKEN))
    with pytest.raises(ServerError, match=rf"GET {served.url}/runs/r1: HTTP 401 .*check the token"):
        stranger.run("r1")

    client = ServerClient(served.url, TOKEN)
    with pytest.raises(ServerError, match=r"/runs/no-such-run: HTTP 404 \(run-unknown\)") as found:
        client.run("no-such-run")
    assert found.value.status == 404 and found.value.body["code"] == "run-unknown"
    with pytest.raises(ServerError, match=r"POST .*/runs: HTTP 422 \(graph-invalid\)"):
        client.start_run({"format_version": 1, "name": "empty", "networks": {}}, {})


def test_no_server_and_no_address_fail_loudly(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ServerUnreachableError, match=rf"GET {url}/runs/r1: cannot reach"):
        ServerClient(url, timeout=5).run("r1")
    with pytest.raises(ServerAddressError, match=r"'127\.0\.0\.1:8765' is not a graphgan server"):
        ServerClient("127.0.0.1:8765")
