"""Turning a request's graph source into a checked Graph, and datasets into safe names.

Reports are cached by the document's canonical text: an editor re-validates the same document
many times, and analysis is the costly part of a request.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphgan.diagnostics import Diagnostic, Report
from graphgan.errors import DocumentError, GraphganError, GraphInvalidError
from graphgan.graph import Graph, load, loads
from graphgan.graph.files import graph_from_data
from graphgan.graph.variables import configure
from graphgan.registry import default_registry
from graphgan.runs import Workspace
from graphgan.server.errors import BadRequestError
from graphgan.server.graph_files import GraphFiles
from graphgan.server.models import GraphSource
from graphgan.templates import template_path
from graphgan.validation import Analysis, analyse

_CACHE_SIZE = 64


@dataclass(frozen=True)
class Source:
    """A graph with its variables applied, and the name to record it under."""

    name: str
    graph: Graph


def open_source(source: GraphSource, graphs: GraphFiles) -> Source:
    """The one graph `source` names; a GraphInvalidError if it is not a graph document."""
    check_source(source)
    if source.document is not None:
        graph = graph_from_data(source.document)
        name = graph.name
    elif source.graph is not None:
        graph, name = loads(graphs.read(source.graph).text), source.graph
    else:
        name = _template_name(str(source.template))
        graph = load(template_path(name))
    return Source(name, configure(graph, source.preset, source.variables))


def check_source(source: GraphSource) -> None:
    """A BadRequestError unless exactly one of document, graph and template is given."""
    given = [f for f in ("document", "graph", "template") if getattr(source, f) is not None]
    if len(given) != 1:
        raise BadRequestError(
            f"give exactly one of document, graph or template (got {', '.join(given) or 'none'})"
        )


def _template_name(name: str) -> str:
    # Found by name among the shipped files only, never as a path on the server's disk.
    if not name.isidentifier():
        raise BadRequestError(f"{name!r} is not a template name; see GET /templates")
    return name


class Analyses:
    """`analyse` and reports, cached by canonical JSON, computed once however many ask at once.

    An editor (or fifty) re-validating one document should cost one analysis, not fifty.
    """

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self.size = size
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._pending: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def __call__(self, graph: Graph) -> Analysis:
        key = _key(["analysis", graph.model_dump(mode="json", by_alias=True)])
        analysis: Analysis = self._once(key, lambda: analyse(graph))
        return analysis

    def report_key(self, source: GraphSource, graphs: GraphFiles, body: bytes = b"") -> str:
        """What a report depends on: the request (its raw body, if given) and a stored file."""
        check_source(source)
        stored = graphs.read(source.graph).text if source.graph is not None else None
        if body:
            text = hashlib.sha256(body).hexdigest()
            return _key(["report-body", text, stored])
        return _key(["report", source.model_dump(mode="json"), stored])

    def cached(self, key: str) -> Report | None:
        """The report for `key` if it is at hand; never waits, never computes."""
        with self._lock:
            found: Report | None = self._cache.get(key)
            return found

    def report(self, source: GraphSource, graphs: GraphFiles, key: str | None = None) -> Report:
        """The report for a source: schema problems and analysis problems alike."""
        key = key or self.report_key(source, graphs)
        report: Report = self._once(key, lambda: _fresh_report(self, source, graphs))
        return report

    def _once(self, key: str, compute: Callable[[], Any]) -> Any:
        while True:
            with self._lock:
                if key in self._cache:
                    self._cache.move_to_end(key)
                    return self._cache[key]
                waiting = self._pending.get(key)
                if waiting is None:
                    self._pending[key] = threading.Event()
                    break
            waiting.wait()  # another thread is computing it; then read its result
        try:
            value = compute()
            with self._lock:
                self._cache[key] = value
                while len(self._cache) > self.size:
                    self._cache.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._pending.pop(key).set()


def _fresh_report(analyses: Analyses, source: GraphSource, graphs: GraphFiles) -> Report:
    try:
        return analyses(open_source(source, graphs).graph).report
    except GraphInvalidError as error:
        return error.report
    except DocumentError as error:
        return Report([Diagnostic(error.code, str(error))])


def _key(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def require_valid(analysis: Analysis) -> Analysis:
    if not analysis.valid:
        raise GraphInvalidError(analysis.report)
    return analysis


def safe_dataset(workspace: Workspace, text: str) -> str:
    """`text` if it names an embedded dataset; a folder inside the workspace, made absolute.

    A graph or request may name any folder; only the workspace's are the server's to read.
    """
    datasets = default_registry().datasets
    if text in datasets and not datasets[text].needs_root:
        return text
    loader, colon, path = text.partition(":")
    if colon and loader in datasets:
        return f"{loader}:{workspace.data_path(path)}"
    if text in datasets:
        raise GraphganError(f"dataset '{text}' reads a folder; name it as {text}:FOLDER")
    return str(workspace.data_path(text))
