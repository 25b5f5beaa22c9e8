"""The node catalogue as data: each kind's ports and params, for the CLI, server and editor."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticUndefined

from graphgan.plugin import NodeSpec, Port
from graphgan.registry import Registry


def describe_params(spec: NodeSpec[Any]) -> list[dict[str, Any]]:
    """Each param with its type, default, range, choices and description."""
    schema = spec.params.model_json_schema()
    rows = []
    for name, field in spec.params.model_fields.items():
        prop = schema.get("properties", {}).get(name, {})
        default = None if field.default is PydanticUndefined else field.default
        rows.append(
            {
                "name": name,
                "type": _type_name(prop),
                "required": field.is_required(),
                "default": getattr(default, "value", default),
                "minimum": _bound(prop, "minimum"),
                "maximum": _bound(prop, "maximum"),
                "choices": _choices(prop, schema),
                "description": field.description or "",
            }
        )
    return rows


def describe_kind(spec: NodeSpec[Any], pack: str) -> dict[str, Any]:
    """One kind, as the `nodes --json` command and the server's catalogue give it."""
    defaults = _default_params(spec)
    return {
        "kind": spec.kind,
        "category": spec.category,
        "pack": pack,
        "description": spec.description,
        "role": spec.role,
        "inputs": [_port(p) for p in _ports(spec, defaults, "input")],
        "outputs": [_port(p) for p in _ports(spec, defaults, "output")],
        "params": describe_params(spec),
        "params_schema": spec.params.model_json_schema(),
    }


def catalogue(registry: Registry) -> list[dict[str, Any]]:
    return [describe_kind(spec, registry.owners[spec.kind]) for spec in registry]


def _ports(spec: NodeSpec[Any], params: Any, side: str) -> tuple[Port, ...]:
    if params is None:
        return spec.inputs if side == "input" else spec.outputs
    return spec.input_ports(params) if side == "input" else spec.output_ports(params)


def _default_params(spec: NodeSpec[Any]) -> Any:
    """The params with every default, when the kind has no required params, else None."""
    try:
        return spec.params()
    except ValueError:
        return None


def _port(port: Port) -> dict[str, Any]:
    return {
        "name": port.name,
        "kind": port.kind.value,
        "optional": port.optional,
        "description": port.description,
    }


def _type_name(prop: dict[str, Any]) -> str:
    if "anyOf" in prop:
        names = [_type_name(option) for option in prop["anyOf"]]
        return " | ".join(n for n in names if n != "null") + (" | None" if "null" in names else "")
    if "enum" in prop or "$ref" in prop:
        return "choice"
    return str(prop.get("type", "any"))


def _bound(prop: dict[str, Any], key: str) -> float | None:
    if key in prop:
        return float(prop[key])
    for option in prop.get("anyOf", []):
        if key in option:
            return float(option[key])
    return None


def _choices(prop: dict[str, Any], schema: dict[str, Any]) -> list[Any] | None:
    if "enum" in prop:
        return list(prop["enum"])
    ref = prop.get("$ref") or next(
        (o.get("$ref") for o in prop.get("anyOf", []) if "$ref" in o), None
    )
    if ref:
        target = schema.get("$defs", {}).get(ref.rsplit("/", 1)[-1], {})
        return list(target.get("enum", [])) or None
    return None
