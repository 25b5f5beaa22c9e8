"""Python expressions as text laid out the way `ruff format` lays them out.

An expression that fits its line is written on it; one that does not is exploded one item a
line with a trailing comma, which `ruff format` keeps as it is. Rendering this way (rather
than running a formatter) keeps export free of dev tools.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from graphgan.export.errors import ExportError

WIDTH = 100
INDENT = "    "


@dataclass(frozen=True)
class Atom:
    """Text that is never split."""

    text: str


@dataclass(frozen=True)
class Group:
    """A bracketed run of items: a call `head(...)`, a list, a tuple, a dict or a signature."""

    head: str
    items: tuple[Expr, ...]
    close: str
    # A one-item tuple keeps its comma even on one line.
    single_comma: bool = False


@dataclass(frozen=True)
class Prefixed:
    """An item with text before it: a keyword argument `dim=` or a dict key `"a": `."""

    prefix: str
    value: Expr


Expr = Atom | Group | Prefixed


def call(
    function: str, args: Sequence[Expr] = (), kwargs: Sequence[tuple[str, Expr]] = ()
) -> Group:
    items = (*args, *(Prefixed(f"{name}=", value) for name, value in kwargs))
    return Group(f"{function}(", items, ")")


def flat(expr: Expr) -> str:
    """The expression on one line."""
    if isinstance(expr, Atom):
        return expr.text
    if isinstance(expr, Prefixed):
        return expr.prefix + flat(expr.value)
    inner = ", ".join(flat(item) for item in expr.items)
    comma = "," if expr.single_comma and len(expr.items) == 1 else ""
    return f"{expr.head}{inner}{comma}{expr.close}"


def lines(expr: Expr, column: int, suffix: str = "") -> list[str]:
    """The expression starting at `column`, followed by `suffix`, as lines.

    Continuation lines carry their indentation relative to the first line's.
    """
    one_line = flat(expr) + suffix
    if column + len(one_line) <= WIDTH or isinstance(expr, Atom) or not _items(expr):
        return [one_line]
    if isinstance(expr, Prefixed):
        inner = lines(expr.value, column + len(expr.prefix), suffix)
        return [expr.prefix + inner[0], *inner[1:]]
    body = []
    for item in expr.items:
        for line in lines(item, column + len(INDENT), ","):
            body.append(INDENT + line)
    return [expr.head, *body, expr.close + suffix]


def statement(prefix: str, expr: Expr, column: int, suffix: str = "") -> str:
    """`prefix` then the expression, laid out for a line starting at `column`."""
    laid = lines(Prefixed(prefix, expr), column, suffix)
    return "\n".join(laid)


def _items(expr: Expr) -> bool:
    if isinstance(expr, Prefixed):
        return _items(expr.value)
    return isinstance(expr, Group) and bool(expr.items)


def literal(value: object, where: str) -> Expr:
    """A plain value (number, string, bool, None, tuple, list, dict) as an expression."""
    if value is None or isinstance(value, (bool, int)):
        return Atom(repr(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"{where}: the value {value} has no literal; use a finite number")
        return Atom(repr(value))
    if isinstance(value, str):
        return Atom(string(value))
    if isinstance(value, tuple):
        items = tuple(literal(item, where) for item in value)
        return Group("(", items, ")", single_comma=True)
    if isinstance(value, list):
        return Group("[", tuple(literal(item, where) for item in value), "]")
    if isinstance(value, dict):
        items = tuple(
            Prefixed(f"{string(str(key))}: ", literal(item, where)) for key, item in value.items()
        )
        return Group("{", items, "}")
    raise ExportError(
        f"{where}: cannot write {type(value).__name__} value {value!r} as Python source; "
        "a node's build() may pass only numbers, strings, booleans, None, tuples, lists, dicts "
        "and nested Modules"
    )


def string(text: str) -> str:
    """A string literal in double quotes, as `ruff format` writes them."""
    if '"' not in text and "\\" not in text and text.isprintable():
        return f'"{text}"'
    quoted = repr(text)
    if quoted.startswith("'") and '"' not in text:
        return '"' + quoted[1:-1].replace("\\'", "'") + '"'
    return quoted
