"""Schemathesis against the OpenAPI schema, at a bounded size: no 5xx, no schema violations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from graphgan.server import ServerSettings, create_app

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture
def api_schema(tmp_path: Path) -> Iterator[schemathesis.BaseSchema]:
    # Schemathesis's in-process client names its host "testserver".
    app = create_app(ServerSettings(workspace=tmp_path, allowed_hosts=("testserver",)))
    # The lifespan is not started, so no run leaves the queue however valid a request is.
    with TestClient(app) as client:
        cgan = client.get("/templates/cgan").json()["document"]
        client.post("/graphs", json={"name": "cgan", "document": cgan})
    yield schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=5000,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,
)
def test_the_api_keeps_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
