"""Property: any mutation of a valid document is either valid or reported, never a crash."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphgan.errors import DocumentError, GraphInvalidError
from graphgan.graph.files import graph_from_data
from graphgan.templates import template_path
from graphgan.validation import analyse
from tests.conftest import TINY

DOCUMENTS = [TINY, json.loads(template_path("cgan").read_text())]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
interesting = st.sampled_from(
    [
        "nn.Linear",
        "nn.Concat",
        "nn.Nope",
        "io.Output",
        "=width * 1000",
        "=nope",
        "g_z.z",
        "g_act.y",
        "x.y",
        0,
        -1,
        10**9,
        3.5,
        True,
        "",
        None,
    ]
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(DOCUMENTS)))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(paths(data)[1:]))
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "duplicate", "interesting"]))
        if action == "delete":
            del parent[where[-1]]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[where[-1]]))
        elif action == "interesting":
            parent[where[-1]] = draw(interesting)
        else:
            parent[where[-1]] = draw(json_values)
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_documents_are_valid_or_reported(data: Any) -> None:
    try:
        graph = graph_from_data(data)
    except DocumentError:
        return
    except GraphInvalidError as error:
        assert error.report.errors
        return
    report = analyse(graph).report
    assert report.valid or report.errors
