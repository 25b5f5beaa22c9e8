"""The node catalogue and templates endpoints."""

from __future__ import annotations

from fastapi.testclient import TestClient

from graphgan.templates import template_names


def test_nodes_list_ports_and_a_params_schema_per_kind(client: TestClient) -> None:
    kinds = {kind["kind"]: kind for kind in client.get("/nodes").json()}
    linear = kinds["nn.Linear"]
    assert [port["name"] for port in linear["inputs"]] == ["x"]
    assert linear["params_schema"]["type"] == "object"
    assert "out_features" in linear["params_schema"]["properties"]
    assert any(param["name"] == "out_features" for param in linear["params"])


def test_templates_have_descriptions_and_read_as_documents(client: TestClient) -> None:
    listed = client.get("/templates").json()
    assert [t["name"] for t in listed] == template_names()
    assert all(t["description"] for t in listed)
    cgan = client.get("/templates/cgan").json()
    assert cgan["document"]["networks"]["generator"]["role"] == "generator"


def test_an_unknown_template_is_404_naming_the_shipped_ones(client: TestClient) -> None:
    answer = client.get("/templates/nope")
    assert answer.status_code == 404
    assert answer.json()["code"] == "name-unknown"
    assert "cgan" in answer.json()["message"]
