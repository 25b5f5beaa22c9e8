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
        try:
            values[name] = _resolve(raw, scope)
        except ExpressionError as error:
            diagnostics.append(_diagnostic(info, network, "expression-invalid", name, str(error)))
    if diagnostics:
        return None, diagnostics

    try:
        return spec.params.model_validate(values), []
    except ValidationError as error:
        return None, [_param_problem(info, network, spec, item) for item in error.errors()]


def _resolve(raw: Any, scope: Mapping[str, Any]) -> Any:
    if isinstance(raw, list):
        return [_resolve(item, scope) for item in raw]
    return evaluate(raw, scope) if is_expression(raw) else raw


def _param_problem(info: NodeInfo, network: str, spec: NodeSpec[Any], item: Any) -> Diagnostic:
    name = ".".join(str(part) for part in item["loc"]) or "params"
    fields = spec.params.model_fields
    if item["type"] == "extra_forbidden":
        known = ", ".join(fields) or "none"
        message = f"unknown param '{name}' for {spec.kind} (its params: {known}); remove it"
        return _diagnostic(info, network, "param-unknown", name, message)

    field = fields.get(str(item["loc"][0])) if item["loc"] else None
    description = f" ({field.description})" if field is not None and field.description else ""
    found = info.node.params.get(str(item["loc"][0]), item.get("input")) if item["loc"] else None
    # A params model's own check reads best without pydantic's "Value error, " prefix.
    problem = str(item["ctx"]["error"]) if item["type"] == "value_error" else item["msg"]
    message = f"{problem}; found {found!r}{description}"
    return _diagnostic(info, network, "param-invalid", name, message)


def _diagnostic(info: NodeInfo, network: str, code: str, param: str, message: str) -> Diagnostic:
    return Diagnostic(code, message, network=network, node=info.id, kind=info.kind, param=param)
