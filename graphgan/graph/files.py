"""Reading, migrating and canonically writing graph documents.

Load then save gives byte-identical output, and the layout keeps short records on one line,
so a diff of two versions reads as the change that was made.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graphgan.diagnostics import Diagnostic, Report
from graphgan.errors import DocumentError, GraphInvalidError
from graphgan.graph.document import (
    FORMAT_VERSION,
    Block,
    BlockParam,
    Edge,
    EditorData,
    Endpoint,
    Graph,
    Network,
    Node,
    Variable,
)

# Each entry upgrades a document from format version N to N + 1. Version 1 is the first
# published format, so none are needed yet; a format change adds its step here and a test.
Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}

# Documents are small; these limits stop a hostile file from exhausting memory or the stack.
MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
LINE_WIDTH = 100

_FIELD_NAMES = sorted(
    {
        name
        for model in (Graph, Network, Node, Edge, Endpoint, Block, BlockParam, Variable, EditorData)
        for name, info in model.model_fields.items()
        for name in (name, info.alias or name)
    }
)


def read_json(path: str | Path) -> Any:
    """Read a file as JSON; `DocumentError` when it cannot be read or parsed."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DocumentError(f"{path}: larger than the {MAX_BYTES // 2**20} MiB limit")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DocumentError(f"cannot read {path}: {error}") from None
    return parse_json(text, source=str(path))


def parse_json(text: str, source: str = "document") -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(
            f"{source}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise DocumentError(f"{source}: nested deeper than JSON can be read") from None
    if _depth(data) > MAX_DEPTH:
        raise DocumentError(f"{source}: nested deeper than {MAX_DEPTH} levels")
    return data


def _depth(value: Any) -> int:
    depth, level = 0, [value]
    while level:
        depth += 1
        level = [
            child
            for item in level
            if isinstance(item, (dict, list))
            for child in (item.values() if isinstance(item, dict) else item)
        ]
    return depth


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a document's data to the current format version."""
    version = data.get("format_version")
    if version is None:
        raise DocumentError(f'no "format_version"; add "format_version": {FORMAT_VERSION}')
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DocumentError(f'"format_version" must be a positive integer, got {version!r}')
    if version > FORMAT_VERSION:
        raise DocumentError(
            f"format_version {version} was written by a newer graphgan "
            f"(this one reads up to {FORMAT_VERSION}); upgrade graphgan"
        )
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](dict(data))
        version += 1
        data["format_version"] = version
    return data


def graph_from_data(data: Any) -> Graph:
    """Build a Graph from parsed JSON; `GraphInvalidError` lists every schema problem."""
    if not isinstance(data, dict):
        raise DocumentError(f"a graph document is a JSON object, got {type(data).__name__}")
    data = migrate(data)
    try:
        return Graph.model_validate(data)
    except ValidationError as error:
        raise GraphInvalidError(Report(schema_diagnostics(error, data))) from None


def load(path: str | Path) -> Graph:
    return graph_from_data(read_json(path))


def loads(text: str) -> Graph:
    return graph_from_data(parse_json(text))


def schema_diagnostics(error: ValidationError, data: dict[str, Any]) -> list[Diagnostic]:
    """Turn pydantic's errors into diagnostics that say where in the file and what to do."""
    diagnostics = []
    for item in error.errors():
        loc = tuple(item["loc"])
        network, node = _locate(loc, data)
        where = _format_loc(loc)
        if item["type"] == "extra_forbidden":
            field = str(loc[-1])
            near = difflib.get_close_matches(field, _FIELD_NAMES, n=1)
            hint = f"; did you mean '{near[0]}'?" if near else "; remove it"
            message = f"unknown field '{field}' at {where}{hint}"
            code = "field-unknown"
        else:
            found = _short(item.get("input"))
            message = f"{where}: {item['msg']} (found {found})"
            code = "field-invalid"
        diagnostics.append(Diagnostic(code, message, network=network, node=node))
    return diagnostics


def _locate(loc: tuple[Any, ...], data: dict[str, Any]) -> tuple[str | None, str | None]:
    """The network and node id an error location points into, where it has them."""
    network = node = None
    if len(loc) >= 2 and loc[0] == "networks":
        network = str(loc[1])
    if len(loc) >= 4 and loc[2] == "nodes" and isinstance(loc[3], int):
        try:
            node_id = data[loc[0]][loc[1]]["nodes"][loc[3]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            node_id = None
        node = node_id if isinstance(node_id, str) else None
    return network, node


def _format_loc(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the top level"


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def to_data(graph: Graph) -> dict[str, Any]:
    """The document as canonical JSON data: defaults left out, format_version first."""
    data = graph.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data.pop("format_version", None)
    return {"format_version": graph.format_version, **data}


def dumps(graph: Graph) -> str:
    return _layout(to_data(graph), indent=0, lead=0) + "\n"


def save(graph: Graph, path: str | Path) -> None:
    """Write the document canonically and atomically (a crash never leaves half a file)."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(dumps(graph), encoding="utf-8")
    partial.replace(path)


def _layout(value: Any, indent: int, lead: int) -> str:
    """JSON with short objects and lists on one line and long ones broken one item a line.

    `lead` is how many characters precede the value on its line (indent and key).
    """
    flat = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, (dict, list)) or not value or lead + len(flat) < LINE_WIDTH:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            head = f"{pad}{json.dumps(key, ensure_ascii=False)}: "
            items.append(head + _layout(item, indent + 2, len(head) + 1))
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + _layout(item, indent + 2, len(pad) + 1) for item in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
