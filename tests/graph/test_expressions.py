"""Param expressions over graph variables."""

from __future__ import annotations

import pytest

from graphgan.errors import ExpressionError
from graphgan.graph.expressions import evaluate, names_in


def test_arithmetic_over_variables() -> None:
    scope = {"base": 64, "size": 28}
    assert evaluate("=8 * base", scope) == 512
    assert evaluate("=size * size // 4", scope) == 196
    assert evaluate("=max(1, base // 128)", scope) == 1
    assert evaluate("=int(log2(base))", scope) == 6
    assert evaluate("=base if size > 20 else 1", scope) == 64


def test_unknown_variable_lists_the_known_ones() -> None:
    with pytest.raises(ExpressionError, match=r"unknown variable 'bse' \(known: base\)"):
        evaluate("=bse * 2", {"base": 1})


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("=__import__('os')", "unknown function"),
        ("=base.real", "is not allowed"),
        ("=2 ** 1000", "exponent 1000 is larger"),
        ("=1 / 0", "division by zero"),
        ("=(", "cannot parse"),
        ("=[1, 2]", "is not allowed"),
    ],
)
def test_unsafe_or_broken_expressions_are_refused(source: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        evaluate(source, {"base": 2})


def test_names_in_lists_variables_not_functions() -> None:
    assert names_in("=max(a, b * c)") == {"a", "b", "c"}
