"""Graph variables: presets and `--set NAME=VALUE` overrides, applied to a copy of a graph."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping

from graphgan.errors import DocumentError, UnknownNameError
from graphgan.graph.document import Graph, VariableValue


def parse_value(text: str) -> VariableValue:
    """Read a command-line value: a JSON number or boolean, otherwise the text itself."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text
    if isinstance(value, (bool, int, float, str)):
        return value
    raise DocumentError(f"variable values are numbers, booleans or text; got {text!r}")


def parse_assignments(items: Iterable[str]) -> dict[str, VariableValue]:
    """Parse `NAME=VALUE` strings."""
    values: dict[str, VariableValue] = {}
    for item in items:
        name, eq, text = item.partition("=")
        if not eq or not name.strip():
            raise DocumentError(f"expected NAME=VALUE, got {item!r}, e.g. latent_dim=64")
        values[name.strip()] = parse_value(text.strip())
    return values


def with_variables(graph: Graph, values: Mapping[str, VariableValue]) -> Graph:
    """A copy of `graph` with variable values replaced; unknown names are errors."""
    variables = dict(graph.variables)
    for name, value in values.items():
        if name not in variables:
            raise UnknownNameError(_unknown("variable", name, variables))
        variables[name] = variables[name].model_copy(update={"value": value})
    return graph.model_copy(update={"variables": variables})


def with_preset(graph: Graph, preset: str) -> Graph:
    """A copy of `graph` with a named preset's variable values applied."""
    if preset not in graph.presets:
        raise UnknownNameError(_unknown("preset", preset, graph.presets))
    return with_variables(graph, graph.presets[preset])


def configure(
    graph: Graph, preset: str | None = None, values: Mapping[str, VariableValue] | None = None
) -> Graph:
    """Apply a preset, then explicit values, as the CLI's `--preset` and `--set` do."""
    if preset:
        graph = with_preset(graph, preset)
    if values:
        graph = with_variables(graph, values)
    return graph


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    names = sorted(known)
    near = difflib.get_close_matches(name, names, n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    listing = ", ".join(names) or "none"
    return f"unknown {what} '{name}' (this graph has: {listing}){hint}"
