"""Reading, migrating and canonically writing graph documents."""

from __future__ import annotations

import json
from typing import Any

import pytest

from graphgan.errors import DocumentError, GraphInvalidError
from graphgan.graph import dumps, load, loads
from graphgan.graph import files as graph_files
from graphgan.graph.files import graph_from_data, parse_json
from graphgan.templates import template_names, template_path


@pytest.mark.parametrize("name", template_names())
def test_shipped_templates_save_byte_identical(name: str) -> None:
    text = template_path(name).read_text(encoding="utf-8")
    assert dumps(loads(text)) == text


def test_round_trip_is_canonical(tiny_data: dict[str, Any]) -> None:
    once = dumps(graph_from_data(tiny_data))
    assert dumps(loads(once)) == once
    assert once.startswith('{\n  "format_version": 1,')


def test_edit_diff_touches_only_the_changed_line(tiny_data: dict[str, Any]) -> None:
    before = dumps(graph_from_data(tiny_data)).splitlines()
    tiny_data["networks"]["generator"]["nodes"][3]["params"]["out_features"] = 5
    after = dumps(graph_from_data(tiny_data)).splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1
    assert '"out_features": 5' in changed[0][1]


def test_misspelled_field_names_field_place_and_fix(tiny_data: dict[str, Any]) -> None:
    node = tiny_data["networks"]["generator"]["nodes"][1]
    node["parmas"] = node.pop("params")
    with pytest.raises(GraphInvalidError) as caught:
        graph_from_data(tiny_data)
    (problem,) = caught.value.report.diagnostics
    assert problem.code == "field-unknown"
    assert problem.node == "g_fc1"
    assert "networks.generator.nodes[1].parmas" in problem.message
    assert "did you mean 'params'?" in problem.message


def test_every_schema_problem_is_reported(tiny_data: dict[str, Any]) -> None:
    tiny_data["networks"]["generator"]["role"] = "painter"
    tiny_data["networks"]["generator"]["nodes"][0]["id"] = "2z"
    tiny_data["colour"] = "blue"
    with pytest.raises(GraphInvalidError) as caught:
        graph_from_data(tiny_data)
    codes = sorted(d.code for d in caught.value.report.diagnostics)
    assert codes == ["field-invalid", "field-invalid", "field-unknown"]


def test_node_id_must_be_identifier(tiny_data: dict[str, Any]) -> None:
    tiny_data["networks"]["generator"]["nodes"][0]["id"] = "class"
    with pytest.raises(GraphInvalidError, match="must be a Python identifier"):
        graph_from_data(tiny_data)


def test_endpoint_must_name_node_and_port(tiny_data: dict[str, Any]) -> None:
    tiny_data["networks"]["generator"]["edges"][0]["from"] = "g_z"
    with pytest.raises(GraphInvalidError, match=r"must be written 'node\.port'"):
        graph_from_data(tiny_data)


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(DocumentError, match="line 2, column 1"):
        parse_json('{"a": 1,\n}')


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    with pytest.raises(DocumentError, match="nested deeper"):
        parse_json("[" * 100_000 + "]" * 100_000)


def test_format_version_is_required(tiny_data: dict[str, Any]) -> None:
    del tiny_data["format_version"]
    with pytest.raises(DocumentError, match='add "format_version": 1'):
        graph_from_data(tiny_data)


def test_newer_format_asks_for_upgrade(tiny_data: dict[str, Any]) -> None:
    tiny_data["format_version"] = 99
    with pytest.raises(DocumentError, match="newer graphgan"):
        graph_from_data(tiny_data)


def test_older_formats_are_migrated_step_by_step(
    tiny_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend the current format is 2, whose step renamed "title" to "name".
    def rename_title(data: dict[str, Any]) -> dict[str, Any]:
        data["name"] = data.pop("title")
        return data

    monkeypatch.setattr(graph_files, "FORMAT_VERSION", 2)
    monkeypatch.setitem(graph_files.MIGRATIONS, 1, rename_title)
    tiny_data["title"] = tiny_data.pop("name")
    migrated = graph_files.migrate(tiny_data)
    assert migrated["format_version"] == 2
    assert migrated["name"] == "tiny"


def test_save_is_atomic_and_loadable(tmp_path: Any, tiny_data: dict[str, Any]) -> None:
    path = tmp_path / "graph.json"
    graph_files.save(graph_from_data(tiny_data), path)
    assert load(path).name == "tiny"
    assert not list(tmp_path.glob(".*partial"))
    assert json.loads(path.read_text())["format_version"] == 1
