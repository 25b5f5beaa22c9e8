"""Validate, summarise and export, for posted, stored and shipped graphs."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from fastapi.testclient import TestClient


def test_validate_reports_every_problem_naming_the_node(
    client: TestClient, tiny_document: dict[str, Any]
) -> None:
    tiny_document["networks"]["generator"]["nodes"][4]["params"]["out_features"] = 17
    answer = client.post("/validate", json={"document": tiny_document})
    assert answer.status_code == 200
    report = answer.json()
    assert report["valid"] is False
    assert any(d["node"] == "g_shape" and d["severity"] == "error" for d in report["diagnostics"])


def test_validate_a_stored_graph_and_a_template_with_variables(
    client: TestClient, tiny_document: dict[str, Any]
) -> None:
    client.post("/graphs", json={"name": "tiny", "document": tiny_document})
    assert client.post("/validate", json={"graph": "tiny"}).json()["valid"] is True
    answer = client.post("/validate", json={"template": "cgan", "variables": {"nope": 1}})
    assert answer.status_code == 404
    assert "unknown variable 'nope'" in answer.json()["message"]


def test_a_document_that_is_not_a_graph_gets_its_schema_report(client: TestClient) -> None:
    answer = client.post("/validate", json={"document": {"format_version": 1}})
    assert answer.status_code == 200
    assert answer.json()["valid"] is False
    assert answer.json()["diagnostics"]


def test_exactly_one_source_is_required(client: TestClient) -> None:
    answer = client.post("/validate", json={"template": "cgan", "graph": "x"})
    assert answer.status_code == 400
    assert "exactly one of document, graph or template" in answer.json()["message"]


def test_malformed_json_is_422_never_5xx(client: TestClient) -> None:
    answer = client.post(
        "/validate", content=b'{"document": ', headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "json-invalid"


def test_summary_gives_shapes_on_edges_and_parameters_per_node(client: TestClient) -> None:
    summary = client.post("/summary", json={"template": "cgan"}).json()
    generator = summary["networks"]["generator"]
    assert generator["parameters"] == sum(row["parameters"] for row in generator["nodes"])
    assert all(edge["shape"].startswith("(") for edge in generator["edges"])


def test_summary_of_a_preset_names_the_nodes_it_leaves_out(client: TestClient) -> None:
    summary = client.post("/summary", json={"template": "cgan", "preset": "conv"}).json()
    generator = summary["networks"]["generator"]
    assert "cg_up1" in [row["node"] for row in generator["nodes"]]
    assert generator["left_out"][:3] == ["g_fc_z", "g_act_z", "g_fc_y"]


def test_summary_of_an_invalid_graph_is_422_with_the_report(
    client: TestClient, tiny_document: dict[str, Any]
) -> None:
    tiny_document["networks"]["generator"]["nodes"][4]["params"]["out_features"] = 17
    answer = client.post("/summary", json={"document": tiny_document})
    assert answer.status_code == 422
    assert any(d["node"] == "g_shape" for d in answer.json()["diagnostics"])


def test_export_is_a_zip_of_the_standalone_project(client: TestClient) -> None:
    answer = client.post("/export", json={"template": "cgan"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert {"models.py", "train.py", "README.md"} <= {name.split("/")[-1] for name in names}


def test_a_stored_graph_is_revalidated_once_it_changes(
    client: TestClient, tiny_document: dict[str, Any]
) -> None:
    version = client.post("/graphs", json={"name": "tiny", "document": tiny_document}).json()
    assert client.post("/validate", json={"graph": "tiny"}).json()["valid"] is True
    tiny_document["networks"]["generator"]["nodes"][4]["params"]["out_features"] = 17
    update = {"version": version["version"], "document": tiny_document}
    assert client.put("/graphs/tiny", json=update).status_code == 200
    assert client.post("/validate", json={"graph": "tiny"}).json()["valid"] is False
