"""Graphs in the workspace: create, list, read, update with a version check, delete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient


def _create(client: TestClient, name: str, document: dict[str, Any]) -> dict[str, Any]:
    answer = client.post("/graphs", json={"name": name, "document": document})
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def test_a_created_graph_is_listed_read_and_written_to_the_workspace(
    client: TestClient, workspace: Path, tiny_document: dict[str, Any]
) -> None:
    created = _create(client, "tiny", tiny_document)
    assert created["title"] == "tiny gan"
    assert (workspace / "graphs" / "tiny.json").is_file()
    assert [g["name"] for g in client.get("/graphs").json()] == ["tiny"]
    read = client.get("/graphs/tiny").json()
    assert read["version"] == created["version"]
    assert read["document"]["networks"].keys() == tiny_document["networks"].keys()


def test_an_update_from_a_stale_version_is_a_conflict_and_changes_nothing(
    client: TestClient, tiny_document: dict[str, Any]
) -> None:
    first = _create(client, "tiny", tiny_document)["version"]
    tiny_document["name"] = "changed once"
    answer = client.put("/graphs/tiny", json={"version": first, "document": tiny_document})
    assert answer.status_code == 200
    second = answer.json()["version"]
    assert second != first

    tiny_document["name"] = "lost change"
    stale = client.put("/graphs/tiny", json={"version": first, "document": tiny_document})
    assert stale.status_code == 409
    assert stale.json()["code"] == "version-conflict"
    assert client.get("/graphs/tiny").json()["title"] == "changed once"


def test_creating_a_taken_name_is_a_conflict(
    client: TestClient, tiny_document: dict[str, Any]
) -> None:
    _create(client, "tiny", tiny_document)
    again = client.post("/graphs", json={"name": "tiny", "document": tiny_document})
    assert again.status_code == 409


def test_an_invalid_document_is_refused_with_its_diagnostics(client: TestClient) -> None:
    document = {"format_version": 1, "networks": 3}
    answer = client.post("/graphs", json={"name": "bad", "document": document})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "graph-invalid"
    assert body["diagnostics"] and all(d["severity"] == "error" for d in body["diagnostics"])
    assert client.get("/graphs").json() == []


def test_a_document_without_a_format_version_is_422_with_one_diagnostic(
    client: TestClient,
) -> None:
    answer = client.post("/graphs", json={"name": "bad", "document": {"networks": {}}})
    assert answer.status_code == 422
    assert answer.json()["code"] == "document-invalid"
    assert [d["code"] for d in answer.json()["diagnostics"]] == ["document-invalid"]


def test_delete_checks_the_version_when_given(
    client: TestClient, workspace: Path, tiny_document: dict[str, Any]
) -> None:
    version = _create(client, "tiny", tiny_document)["version"]
    assert client.delete("/graphs/tiny", params={"version": "0" * 20}).status_code == 409
    assert client.delete("/graphs/tiny", params={"version": version}).status_code == 204
    assert not (workspace / "graphs" / "tiny.json").exists()
    assert client.get("/graphs/tiny").status_code == 404
