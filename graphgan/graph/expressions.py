"""Param expressions: `"=8 * base_width"` reads graph variables with safe arithmetic.

Only numbers, variable names, + - * / // % **, parentheses, comparisons, `a if c else b`
and the functions below are allowed; nothing is evaluated with Python's `eval`.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from graphgan.errors import ExpressionError

PREFIX = "="

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "int": int,
    "round": round,
    "abs": abs,
    "log2": math.log2,
}
# Exponents past this would let a one-line expression allocate gigabytes of integer.
_MAX_EXPONENT = 64


def is_expression(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


@lru_cache(maxsize=4096)
def _parse(source: str) -> ast.expr:
    if len(source) > 500:
        raise ExpressionError(f"expression is {len(source)} characters long; the limit is 500")
    try:
        return ast.parse(source, mode="eval").body
    except SyntaxError as error:
        raise ExpressionError(f"cannot parse {source!r}: {error.msg}") from None


def names_in(expression: str) -> set[str]:
    """The variable names an expression reads."""
    tree = _parse(expression.removeprefix(PREFIX).strip())
    return {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id not in _FUNCTIONS
    }


def evaluate(expression: str, scope: Mapping[str, Any]) -> Any:
    """Evaluate `expression` (with or without its leading "=") against `scope`."""
    source = expression.removeprefix(PREFIX).strip()
    return _Evaluator(scope, source).visit(_parse(source))


class _Evaluator:
    def __init__(self, scope: Mapping[str, Any], source: str) -> None:
        self.scope = scope
        self.source = source

    def fail(self, what: str) -> ExpressionError:
        return ExpressionError(f"in {self.source!r}: {what}")

    def visit(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool)):
            return node.value
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return self.binary(node)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](self.visit(node.operand))
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
            compare = _COMPARE[type(node.ops[0])]
            return compare(self.visit(node.left), self.visit(node.comparators[0]))
        if isinstance(node, ast.IfExp):
            return self.visit(node.body) if self.visit(node.test) else self.visit(node.orelse)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            function = _FUNCTIONS.get(node.func.id)
            if function is None:
                raise self.fail(
                    f"unknown function {node.func.id!r}; use one of {sorted(_FUNCTIONS)}"
                )
            return function(*(self.visit(arg) for arg in node.args))
        raise self.fail(f"{ast.unparse(node)!r} is not allowed in an expression")

    def name(self, name: str) -> Any:
        if name not in self.scope:
            known = ", ".join(sorted(self.scope)) or "none"
            raise self.fail(f"unknown variable {name!r} (known: {known})")
        return self.scope[name]

    def binary(self, node: ast.BinOp) -> Any:
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > _MAX_EXPONENT:
            raise self.fail(f"exponent {right} is larger than {_MAX_EXPONENT}")
        try:
            return _BINARY[type(node.op)](left, right)
        except (ZeroDivisionError, TypeError, OverflowError) as error:
            raise self.fail(str(error)) from None
