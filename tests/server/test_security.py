"""Safe by default: paths stay in the workspace, bodies are bounded, the token is enforced."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graphgan.cli.main import main
from graphgan.runs import RunStore
from graphgan.server import ServerSettings, SettingsError, create_app
from tests.server.conftest import LOCAL

TOKEN = "a-token-of-twenty-chars"


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[Path]:
    """A folder beside the workspace, with a file nothing may read or change."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.json").write_text('{"secret": true}')
    yield folder
    assert sorted(p.name for p in folder.iterdir()) == ["secret.json"]
    assert (folder / "secret.json").read_text() == '{"secret": true}'


@pytest.mark.parametrize(
    "path",
    [
        "/graphs/..",
        "/graphs/..%2Foutside%2Fsecret",
        "/graphs/%2E%2E%2Foutside%2Fsecret",
        "/graphs/%2Ftmp%2Fsecret",
        "/graphs/.hidden",
        "/graphs/..%5Coutside",
        "/templates/..%2F..%2Fpyproject",
        "/runs/..",
        "/runs/..%2Fgraphs",
        "/runs/x/samples/..%2F..%2Fruns.sqlite",
        "/runs/x/checkpoints/1/..%2F..%2Fsecret",
    ],
)
def test_traversal_in_a_path_is_4xx(client: TestClient, outside: Path, path: str) -> None:
    answer = client.get(path)
    assert 400 <= answer.status_code < 500, (path, answer.text)
    assert "secret" not in answer.text.replace("secret.json", "")


def test_a_symlinked_graph_is_neither_listed_read_nor_written(
    client: TestClient, workspace: Path, outside: Path, tiny_document: dict[str, Any]
) -> None:
    (workspace / "graphs" / "link.json").symlink_to(outside / "secret.json")
    assert client.get("/graphs").json() == []
    assert client.get("/graphs/link").status_code == 400
    write = {"version": "x", "document": tiny_document}
    assert client.put("/graphs/link", json=write).status_code == 400
    create = {"name": "link", "document": tiny_document}
    assert client.post("/graphs", json=create).status_code == 400
    assert client.delete("/graphs/link").status_code == 400
    assert client.post("/validate", json={"graph": "link"}).status_code == 400


def test_a_symlinked_run_file_is_refused(
    client: TestClient, workspace: Path, outside: Path
) -> None:
    store = RunStore(workspace / "runs.sqlite")
    store.create("r1", "tiny", "{}", {})
    store.set_state("r1", "finished")
    samples = workspace / "runs" / "r1" / "samples"
    samples.mkdir(parents=True)
    (samples / "evil.png").symlink_to(outside / "secret.json")
    (workspace / "runs" / "r2").symlink_to(outside)
    store.create("r2", "tiny", "{}", {})
    assert client.get("/runs/r1/samples/evil.png").status_code == 400
    assert client.get("/runs/r1").json()["samples"] == []
    assert client.get("/runs/r2").status_code == 400
    store.set_state("r2", "finished")
    assert client.delete("/runs/r2").status_code == 400


@pytest.mark.parametrize(
    "data", ["/etc", "../outside", "folder:../outside", "classes:/etc", "nowhere"]
)
def test_a_dataset_outside_the_workspace_is_refused(
    client: TestClient, outside: Path, tiny_document: dict[str, Any], data: str
) -> None:
    body = {"document": tiny_document, "options": {"data": data, "steps": 1}}
    answer = client.post("/runs", json=body)
    assert 400 <= answer.status_code < 500, answer.text
    assert client.get("/runs").json() == []


def test_a_graph_naming_an_outside_dataset_is_refused(
    client: TestClient, outside: Path, tiny_document: dict[str, Any]
) -> None:
    tiny_document["training"]["data"]["dataset"] = str(outside)
    answer = client.post("/runs", json={"document": tiny_document})
    assert answer.status_code == 400
    assert answer.json()["code"] == "path-outside-workspace"


def test_a_body_over_the_limit_is_413_declared_or_streamed(workspace: Path) -> None:
    app = create_app(ServerSettings(workspace=workspace, max_body_bytes=2048))
    big = b'{"template": "' + b"x" * 4096 + b'"}'
    json_type = {"content-type": "application/json"}
    with TestClient(app, base_url=LOCAL) as client:
        assert client.post("/validate", content=big, headers=json_type).status_code == 413
        chunks = iter([big[:1000], big[1000:3000], big[3000:]])
        streamed = client.post("/validate", content=chunks, headers=json_type)
        assert streamed.status_code == 413
        assert streamed.json()["code"] == "body-too-large"


def test_a_body_that_is_not_json_is_415(client: TestClient) -> None:
    form = client.post(
        "/validate", content=b"template=cgan", headers={"content-type": "text/plain"}
    )
    assert form.status_code == 415


def test_with_a_token_every_request_needs_it(workspace: Path) -> None:
    app = create_app(ServerSettings(workspace=workspace, token=TOKEN))
    with TestClient(app, base_url="http://example.test") as client:
        assert client.get("/templates").status_code == 401
        assert client.get("/openapi.json").status_code == 401
        wrong = {"Authorization": "Bearer " + "b" * len(TOKEN)}
        assert client.get("/templates", headers=wrong).status_code == 401
        assert client.get("/templates", headers={"Authorization": TOKEN}).status_code == 401
        right = {"Authorization": f"Bearer {TOKEN}"}
        assert client.get("/templates", headers=right).status_code == 200


def test_without_a_token_a_foreign_host_header_is_refused(workspace: Path) -> None:
    with TestClient(create_app(ServerSettings(workspace=workspace))) as client:
        for host in ("evil.example", "127.0.0.1.evil.example:8765"):
            answer = client.get("/templates", headers={"host": host})
            assert answer.status_code == 400
            assert answer.json()["code"] == "host-refused"
        assert client.get("/templates", headers={"host": "localhost:8765"}).status_code == 200


def test_cors_is_closed_unless_origins_are_named(workspace: Path) -> None:
    preflight = {
        "Origin": "http://editor.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    with TestClient(create_app(ServerSettings(workspace=workspace)), base_url=LOCAL) as closed:
        answer = closed.get("/templates", headers={"Origin": "http://editor.example"})
        assert "access-control-allow-origin" not in answer.headers
        assert (
            "access-control-allow-origin"
            not in closed.options("/validate", headers=preflight).headers
        )
    settings = ServerSettings(workspace=workspace, cors_origins=("http://editor.example",))
    with TestClient(create_app(settings), base_url=LOCAL) as opened:
        answer = opened.options("/validate", headers=preflight)
        assert answer.headers["access-control-allow-origin"] == "http://editor.example"


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        (dict(host="0.0.0.0"), "pass --token"),
        (dict(host="192.168.1.4"), "pass --token"),
        (dict(host="0.0.0.0", token="short"), "at least 16"),
        (dict(cors_origins=("*",)), "name the origins"),
    ],
)
def test_unsafe_settings_are_refused(workspace: Path, settings: dict[str, Any], match: str) -> None:
    with pytest.raises(SettingsError, match=match):
        create_app(ServerSettings(workspace=workspace, **settings))


def test_serve_off_loopback_without_a_token_exits_with_the_fix(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GRAPHGAN_TOKEN", raising=False)
    assert main(["serve", "--workspace", str(workspace), "--host", "0.0.0.0"]) == 1
    assert "pass --token" in capsys.readouterr().err


def test_serve_without_the_server_extra_names_the_install(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert main(["serve", "--workspace", str(workspace)]) == 1
    assert "pip install graphgan[server]" in capsys.readouterr().err
