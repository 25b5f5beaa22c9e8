"""Params: resolve variable expressions, then validate against each kind's params model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from graphgan.diagnostics import Diagnostic
from graphgan.errors import ExpressionError
from graphgan.graph.expressions import evaluate, is_expression
from graphgan.plugin import NodeSpec, Params
from graphgan.validation.model import NodeInfo


def resolve_params(
    info: NodeInfo, spec: NodeSpec[Any], scope: Mapping[str, Any], network: str
) -> tuple[Params | None, list[Diagnostic]]:
    """Evaluate expressions in a node's params and validate them; every problem is reported."""
    values: dict[str, Any] = {}
    diagnostics: list[Diagnostic] = []
    for name, raw in info.node.params.items():
        if not is_expression(raw):
            values[name] = raw
            continue
        try:
            values[name] = evaluate(str(raw), scope)
        except ExpressionError as error:
            diagnostics.append(_diagnostic(info, network, "expression-invalid", name, str(error)))
    if diagnostics:
        return None, diagnostics

    try:
        return spec.params.model_validate(values), []
    except ValidationError as error:
        return None, [_param_problem(info, network, spec, item) for item in error.errors()]


def _param_problem(
    info: NodeInfo, network: str, spec: NodeSpec[Any], item: Any
) -> Diagnostic:
    name = ".".join(str(part) for part in item["loc"]) or "params"
    fields = spec.params.model_fields
    if item["type"] == "extra_forbidden":
        known = ", ".join(fields) or "none"
        message = f"unknown param '{name}' for {spec.kind} (its params: {known}); remove it"
        return _diagnostic(info, network, "param-unknown", name, message)

    field = fields.get(str(item["loc"][0])) if item["loc"] else None
    description = f" ({field.description})" if field is not None and field.description else ""
    found = info.node.params.get(str(item["loc"][0]), item.get("input")) if item["loc"] else None
    message = f"param '{name}'{description}: {item['msg']}; found {found!r}"
    return _diagnostic(info, network, "param-invalid", name, message)


def _diagnostic(info: NodeInfo, network: str, code: str, param: str, message: str) -> Diagnostic:
    return Diagnostic(code, message, network=network, node=info.id, kind=info.kind, param=param)
