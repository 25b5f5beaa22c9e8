"""The open document: the graph the editor shows, its file, its undo history and its analysis.

The graph is the single source of truth. Every change is an undoable `GraphChange` holding the
graph before and after; each change is re-validated with `graphgan.validation.analyse`, as the
CLI does, and the canvases, inspector and panels redraw once its analysis is ready.

Analysis runs on a worker thread, so an edit of a big graph never holds up the window. The
window waits a few milliseconds for it, which is all a template needs, so small graphs update
within the edit; a longer analysis arrives later, and only the newest graph's is applied.
Opening a document is analysed the same way: in a fresh process the first analysis also loads
the plugin packs (and with them torch), so until it arrives the canvas draws the nodes and
wires the document itself holds, and their ports' kinds, shapes and parameter counts follow.
"""

# Qt and the node editor library name their virtual methods and attributes in camelCase;
# an override must use the same name, so pep8-naming's rules cannot apply here.
# ruff: noqa: N802

from __future__ import annotations

import itertools
import logging
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from graphgan.diagnostics import Report
from graphgan.editor import background
from graphgan.editor.labels import Labeller, NodeLabel
from graphgan.graph import Graph, load, save
from graphgan.registry import default_registry
from graphgan.validation import Analysis, NetworkInfo, NodeInfo, analyse
from graphgan.validation.presence import present

log = logging.getLogger(__name__)

# Qt merges consecutive undo commands that share an id; one id suffices because a command's
# merge key (which node and param it changes) decides whether two really belong together.
_MERGEABLE = 1

# How long an edit waits for its analysis before letting the window go on; a template's takes
# a few milliseconds, a 500-node network's 10 to 30.
WAIT_S = 0.015

Labels = dict[str, dict[str, NodeLabel]]  # network -> node id -> what the node shows


class Result(NamedTuple):
    """One analysis, what every node shows after it, and the seconds the analysis took."""

    analysis: Analysis
    labels: Labels
    seconds: float


_serials = itertools.count(1)


class GraphChange(QUndoCommand):
    """One undoable edit: the whole graph before and after (unchanged parts are shared)."""

    def __init__(
        self, document: Document, text: str, after: Graph, merge_key: str | None = None
    ) -> None:
        super().__init__(text)
        self.document = document
        self.before = document.graph
        self.after = after
        self.merge_key = merge_key

    def redo(self) -> None:
        self.document.replace(self.after)

    def undo(self) -> None:
        self.document.replace(self.before)

    def id(self) -> int:
        return _MERGEABLE if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Typing 1, 2, 8 into one field is one change to undo, not three.
        if not isinstance(other, GraphChange) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True


class Document(QObject):
    """A graph, where it is saved, and what analysing it found."""

    changed = Signal()  # the graph was replaced (an edit, an undo, a redo) and re-analysed
    saved = Signal()

    def __init__(self, graph: Graph, path: Path | None = None, deferred: bool = False) -> None:
        """With `deferred`, the first analysis waits for `start` (or `settle`), so a window can
        draw the document before the analysis competes with it for the interpreter."""
        super().__init__()
        self.graph = graph
        self.path = path
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        # Only the worker thread counts parameters, so only it touches the labeller's cache.
        self._labeller = Labeller()
        self.analysis = unanalysed(graph)
        self._labels: Labels = {}
        self.analysis_seconds = 0.0
        self._edits = 1  # versions of the graph so far; each result carries its version's number
        self._applied = 0
        self._future: Future[Result] | None = None
        self._serial = next(_serials)
        self._jobs = background.jobs("analyse")
        self._jobs.finished.connect(self._arrived)
        if not deferred:
            self._analyse()

    @classmethod
    def open(cls, path: Path, deferred: bool = False) -> Document:
        """The document saved at `path`; `DocumentError` or `GraphInvalidError` if unreadable."""
        return cls(load(path), path, deferred)

    def start(self) -> None:
        """Start a deferred first analysis; nothing if analysis has started already."""
        if self._future is None:
            self._analyse()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def edit(self, text: str, graph: Graph, merge_key: str | None = None) -> bool:
        """Make `graph` the document as one undoable step named `text`; False if unchanged."""
        if graph == self.graph:
            return False
        self.undo_stack.push(GraphChange(self, text, graph, merge_key))
        return True

    @property
    def pending(self) -> bool:
        """Whether the graph has changed since the analysis the window shows."""
        return self._applied < self._edits

    def replace(self, graph: Graph) -> None:
        """Make `graph` the document and analyse it; only undo commands call this."""
        self.graph = graph
        self._edits += 1
        self._analyse()

    def _analyse(self) -> None:
        if self._future is not None:
            self._future.cancel()  # still queued: this newer graph supersedes it
        # One worker runs analyses in the order of the edits, and one still queued when a
        # newer edit arrives is cancelled, so a burst of edits costs one analysis, not one each.
        token = (self._serial, self._edits)
        self._future = self._jobs.submit(token, _timed_analysis, self.graph, self._labeller)
        self.settle(WAIT_S)

    def settle(self, timeout: float | None = None) -> bool:
        """Wait up to `timeout` seconds (None: as long as it takes) for the newest analysis,
        and show it; whether it is shown."""
        self.start()
        future = self._future
        if future is None or not self.pending:
            return True
        try:
            result = future.result(timeout)
        except FutureTimeout:
            return False  # it arrives through _arrived
        self._apply(self._edits, result)
        return True

    def _arrived(self, token: object, future: Future[Result]) -> None:
        if token == (self._serial, self._edits) and self.pending:
            self._apply(self._edits, future.result())  # an older graph's is never shown

    def _apply(self, edit: int, result: Result) -> None:
        self.analysis, self._labels, self.analysis_seconds = result
        self._applied = edit
        self.changed.emit()

    @property
    def analysed(self) -> bool:
        """Whether any analysis has arrived; before the first, labels come from the document."""
        return self._applied > 0

    def labels(self, network: str) -> dict[str, NodeLabel]:
        """What each node of `network` shows, from the current analysis."""
        if network not in self._labels:
            # Before the first analysis: ids, kinds and the ports wires name, nothing counted.
            self._labels[network] = Labeller().network(self.analysis, network)
        return self._labels[network]

    def save(self, path: Path | None = None) -> Path:
        """Write the graph as the CLI does (canonical JSON, atomically) and mark it clean."""
        target = path or self.path
        if target is None:
            raise ValueError("the document has no file yet; save it under a name")
        save(self.graph, target)
        self.path = target
        self.undo_stack.setClean()
        self.saved.emit()
        log.info("saved %s", target)
        return target

    def _clean_changed(self, _clean: bool) -> None:
        # Undoing back to the saved state makes the document unmodified again: say so.
        self.saved.emit()


def unanalysed(graph: Graph) -> Analysis:
    """The graph as it stands before analysis: its nodes and wires, no kinds, no problems.

    Nodes and wires the variables leave out (a false `when`) are left out here too, so a
    document opened in a fresh process is first drawn as its analysis will show it.
    """
    networks = {}
    scope = graph.variable_values()
    for name, net in graph.networks.items():
        kept = present(net.nodes, net.edges, scope, name)
        nodes = {node.id: NodeInfo(node) for node in kept.nodes}
        networks[name] = NetworkInfo(name, nodes, kept.edges, off=kept.off)
    return Analysis(graph, Report(), networks)


def _timed_analysis(graph: Graph, labeller: Labeller) -> Result:
    registry = default_registry()  # loading the plugin packs once is not analysis time
    started = time.perf_counter()
    analysis = analyse(graph, registry)
    seconds = time.perf_counter() - started
    log.debug("analysed in %.1f ms", seconds * 1000)
    # Counting parameters builds layers with torch, so it is done here, off the window's thread.
    labels = {name: labeller.network(analysis, name) for name in analysis.networks}
    return Result(analysis, labels, seconds)
