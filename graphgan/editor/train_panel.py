"""The train panel: trains the open graph in a separate process, or on a graphgan server, and
follows the run.

On this computer the run is `python -m graphgan train GRAPH --out RUN --no-progress`, exactly
the CLI's, so the window never freezes and a crash of the run cannot take the editor down;
Resume continues a stopped one with `python -m graphgan train RUN --resume --no-progress`. The
panel reads what the run writes into its folder (metrics.jsonl, status.json,
samples/latest.png) a few times a second, and Stop sends the interrupt the CLI treats as
Ctrl-C: a checkpoint, then a clean exit.

On a server the graph is posted to `POST /runs`, and the panel asks for the run's state, new
metrics and newest sample grid a few times a second; Stop and Resume are the server's. Every
request is made on a worker thread, so a slow or absent server never freezes the window.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QProcess, Qt, QTemporaryDir, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from graphgan.client import ServerError
from graphgan.editor import background
from graphgan.editor.document import Document
from graphgan.editor.loss_plot import LossPlot
from graphgan.editor.metrics_tail import MetricsTail
from graphgan.editor.remote_run import Progress, RemoteRun
from graphgan.editor.train_target import TrainTarget
from graphgan.errors import GraphganError
from graphgan.graph import save

POLL_MS = 300
STOP_WAIT_MS = 15_000  # how long closing the window waits for a stopped run's checkpoint
SAMPLE_MIN = 120  # pixels: the smallest the latest sample grid is drawn
_panels = itertools.count(1)


def choose_run(parent: QWidget, start: Path) -> Path | None:
    """Ask for a run folder with Qt's folder dialog; None if the user cancels."""
    chosen = QFileDialog.getExistingDirectory(parent, "Resume a stopped run", str(start))
    return Path(chosen) if chosen else None


def read_status(run_dir: Path) -> dict[str, Any]:
    """What a run's status.json says; empty while it is not written (or being replaced)."""
    try:
        data = json.loads((run_dir / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class TrainPanel(QWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.chooser: Callable[[QWidget, Path], Path | None] = (
            choose_run  # tests give their own, so no real file dialog opens
        )
        self.process: QProcess | None = None
        self.run_dir: Path | None = None
        self._scratch: QTemporaryDir | None = None
        self._tail: MetricsTail | None = None
        self._sample_time = 0.0
        self._step = 0
        # A run on a server: the run, its last look, and the requests still out for it.
        self.remote: RemoteRun | None = None
        self.progress_seen: Progress | None = None
        self._requests: set[str] = set()
        self._serial = next(_panels)
        self._jobs = background.jobs("server")
        self._jobs.finished.connect(self._answered)
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self._update_buttons()

    def _build(self) -> None:
        self.start_button = QPushButton("Start", self)
        self.stop_button = QPushButton("Stop", self)
        self.resume_button = QPushButton("Resume", self)
        self.resume_button.setToolTip(
            "Continue the stopped run from its last checkpoint (or pick a stopped run's folder)"
        )
        self.folder_button = QPushButton("Open run folder", self)
        self.steps = QSpinBox(self)
        self.steps.setRange(0, 100_000_000)
        self.steps.setSpecialValueText("steps from the graph")
        self.steps.setToolTip("Total training steps; 0 keeps the graph's own")
        self.target = TrainTarget(self)
        self.progress = QProgressBar(self)
        self.status = QLabel("Train the open graph in a background process or on a server.", self)
        self.status.setWordWrap(True)
        self.plot = LossPlot(self)
        self.sample = QLabel(self)
        # As tall as the panel, so a grid of digits stays readable; square, as grids are.
        self.sample.setMinimumSize(SAMPLE_MIN, SAMPLE_MIN)
        self.sample.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.sample.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.output = QPlainTextEdit(self)
        self.output.setReadOnly(True)
        self.output.setMaximumBlockCount(500)

        # Controls and the run's output on the left; the loss plot and latest samples beside.
        buttons = QHBoxLayout()
        for widget in (
            self.start_button,
            self.stop_button,
            self.resume_button,
            self.steps,
            self.folder_button,
        ):
            buttons.addWidget(widget)
        controls = QVBoxLayout()
        controls.addLayout(buttons)
        controls.addWidget(self.target)
        controls.addWidget(self.progress)
        controls.addWidget(self.status)
        controls.addWidget(self.output, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(controls, 2)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.sample, 1)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.resume_button.clicked.connect(lambda: self.resume())  # not with `checked`
        self.folder_button.clicked.connect(self.open_folder)

    def set_document(self, document: Document) -> None:
        self.document = document

    @property
    def running(self) -> bool:
        """Whether a run is training (or queued on a server, or being started there)."""
        if "start" in self._requests:
            return True
        if self.remote is not None:
            return self.progress_seen is None or self.progress_seen.active
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    def runs_root(self) -> Path:
        """Runs go beside the document's file, in runs/; an unsaved one's in the working folder."""
        base = self.document.path.parent if self.document.path else Path.cwd()
        return base / "runs"

    # Starting and stopping.

    def start(self) -> bool:
        """Start training the graph as it is now; False, with the reason shown, if it cannot."""
        reason = self._cannot_start()
        if reason:
            self.status.setText(reason)
            return False
        if self.target.remote:
            return self._start_remote()
        run_dir = self.run_dir = self._new_run_dir()
        self._scratch = QTemporaryDir()
        graph_file = Path(self._scratch.path()) / "graph.json"
        save(self.document.graph, graph_file)
        self._launch(run_dir, [str(graph_file), "--out", str(run_dir)], f"starting {run_dir.name}")
        return True

    def resume(self, run_dir: Path | None = None) -> bool:
        """Continue a stopped run from its checkpoint, with the graph it started with.

        The run is `run_dir`, else the panel's last run if it stopped, else one the user picks
        (a run stopped in an earlier session, or from the command line).
        """
        if self.running:
            self.status.setText("a run is already training; stop it first")
            return False
        if self.target.remote and run_dir is None:
            return self._resume_remote()
        if run_dir is None:
            run_dir = self.run_dir if self.resumable else self.chooser(self, self.runs_root())
        if run_dir is None:
            return False
        state = read_status(run_dir).get("state")
        if state != "interrupted":
            self.status.setText(
                f"{run_dir} is not a stopped run (state: {state or 'no status.json'}); "
                "only a run stopped before its end resumes"
            )
            return False
        self.run_dir = run_dir
        self._launch(run_dir, [str(run_dir), "--resume"], f"resuming {run_dir.name}")
        return True

    @property
    def resumable(self) -> bool:
        """Whether the panel's last run stopped before its end, with a checkpoint to go on from."""
        if self.remote is not None:
            seen = self.progress_seen
            return not self.running and seen is not None and seen.resumable
        return not self.running and self._status().get("state") == "interrupted"

    def _launch(self, run_dir: Path, arguments: list[str], note: str) -> None:
        self.remote = None  # the panel follows this local run now
        # The run is the CLI's own command; --steps, where set, lengthens or shortens it.
        arguments = ["-m", "graphgan", "train", *arguments, "--no-progress"]
        if self.steps.value():
            arguments += ["--steps", str(self.steps.value())]
        self.process = QProcess(self)
        self.process.setProgram(sys.executable)
        self.process.setArguments(arguments)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        self.process.readyReadStandardOutput.connect(self._read_output)
        self.process.finished.connect(self._finished)

        self._tail = MetricsTail(run_dir / "metrics.jsonl")
        self._sample_time = 0.0
        self.plot.clear()
        self.output.clear()
        self.process.start()
        self._reset_view(note)

    def _cannot_start(self) -> str:
        if self.running:
            return "a run is already training; stop it first"
        graph = self.document.graph
        if not graph.training:
            return (
                "this graph has no training section; Graph > Add Standard Training writes the "
                "usual one for a generator and a discriminator"
            )
        self.document.settle()  # judge the graph as it is now, not as last shown
        errors = self.document.analysis.report.errors
        if errors:
            return f"fix the {len(errors)} error(s) in the Problems panel before training"
        return ""

    def _new_run_dir(self) -> Path:
        slug = re.sub(r"[^a-z0-9]+", "-", self.document.graph.name.lower()).strip("-") or "run"
        stem = self.runs_root() / f"{datetime.now():%Y%m%d-%H%M%S}-{slug}"
        candidate, count = stem, 1
        while candidate.exists():
            count += 1
            candidate = stem.with_name(f"{stem.name}-{count}")
        return candidate

    def stop(self) -> None:
        """Ask the run to stop as Ctrl-C would: it writes a checkpoint, then exits."""
        if self.remote is not None and self.running:
            self._ask("stop", self.remote.stop)
            self.status.setText(f"stopping on {self.remote.client.url}: writing a checkpoint")
            return
        if self.process is None or not self.running:
            return
        pid = self.process.processId()
        if os.name == "posix" and pid:
            os.kill(pid, signal.SIGINT)
        else:
            self.process.terminate()
        self.status.setText("stopping: writing a checkpoint")

    def shutdown(self) -> None:
        """Stop a local run before the window closes, waiting briefly for its checkpoint.

        A run on a server goes on training there; only following it ends.
        """
        self.timer.stop()
        if self.remote is None and self.process is not None and self.running:
            self.stop()
            if not self.process.waitForFinished(STOP_WAIT_MS):
                self.process.kill()

    def open_folder(self) -> None:
        if self.run_dir is not None and self.run_dir.is_dir():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.run_dir)))

    # Following the run.

    def poll(self) -> None:
        """Read what the run has written since the last poll (on a server: ask for it)."""
        if self.remote is not None:
            if "look" not in self._requests:
                self._ask("look", self.remote.look)
            return
        if self._tail is not None:
            for record in self._tail.read():
                self._step = int(record.get("step", self._step))
                self.plot.add(self._step, record)
        # status.json is written when the run starts and ends; the metrics tell the step between.
        status = self._status()
        if status:
            total = int(status.get("total_steps", 0))
            step = max(self._step, int(status.get("step", 0)))
            if total:
                self.progress.setRange(0, total)
                self.progress.setValue(min(step, total))
            self.status.setText(f"{status.get('state', '?')} at step {step} of {total}")
        self._show_sample()

    def _status(self) -> dict[str, Any]:
        return read_status(self.run_dir) if self.run_dir is not None else {}

    def _show_sample(self) -> None:
        if self.run_dir is None:
            return
        latest = self.run_dir / "samples" / "latest.png"
        try:
            changed = latest.stat().st_mtime
        except OSError:
            return
        if changed != self._sample_time:
            self._sample_time = changed
            pixmap = QPixmap(str(latest))
            if not pixmap.isNull():
                self._set_sample(pixmap)

    def _set_sample(self, pixmap: QPixmap) -> None:
        """The grid fitted to the label, keeping its shape; nearest neighbour keeps pixels crisp."""
        side = min(self.sample.width(), self.sample.height())
        self.sample.setPixmap(pixmap.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))

    def _read_output(self) -> None:
        if self.process is not None:
            text = bytes(self.process.readAllStandardOutput().data()).decode(errors="replace")
            self.output.appendPlainText(text.rstrip())

    def _finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        self.timer.stop()
        self.poll()
        state = self._status().get("state", "failed")
        step = self._status().get("step", 0)
        self.status.setText(f"run {state} at step {step} (exit code {code}): {self.run_dir}")
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.running
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running and "start" not in self._requests)
        self.resume_button.setEnabled(not running)
        self.folder_button.setEnabled(self.run_dir is not None and self.remote is None)
        self.target.setEnabled(not running)

    # Training on a server: every request on the worker thread, its answer back here.

    def _start_remote(self) -> bool:
        try:
            client = self.target.client()
        except GraphganError as error:
            self.status.setText(str(error))
            return False
        self.remote, self.progress_seen, self.run_dir = None, None, None
        self._ask("start", RemoteRun.start, client, self.document.graph, self.steps.value())
        self.plot.clear()
        self.output.clear()
        self._reset_view(f"queueing the run on {client.url}")
        return True

    def _resume_remote(self) -> bool:
        remote, seen = self.remote, self.progress_seen
        if remote is None:
            self.status.setText("no run on the server to resume: this panel started none")
            return False
        if seen is None or not seen.resumable:
            state = seen.state if seen is not None else "unknown"
            self.status.setText(
                f"run '{remote.id}' is {state} on the server; only a run stopped before its "
                "end resumes"
            )
            return False
        self._ask("resume", remote.resume, self.steps.value())
        self.progress_seen = None  # active again until the server says otherwise
        self._reset_view(f"resuming {remote.id} on {remote.client.url}")
        return True

    def _reset_view(self, note: str) -> None:
        self._step = 0
        self.progress.setRange(0, 0)  # busy until the run reports its length
        self.status.setText(note)
        self.timer.start()
        self._update_buttons()

    def _ask(self, what: str, work: Callable[..., Any], *args: Any) -> None:
        self._requests.add(what)
        self._jobs.submit((self._serial, what), work, *args)

    def _answered(self, token: object, future: Future[Any]) -> None:
        if not (isinstance(token, tuple) and token[0] == self._serial):
            return  # another panel's request
        what = str(token[1])
        self._requests.discard(what)
        error = future.exception()
        if error is not None:
            self._server_failed(what, error)
        elif what == "start":
            self.remote = future.result()
            self.output.appendPlainText(f"run {self.remote.id} queued on {self.remote.client.url}")
        elif what == "look":
            self._show_progress(future.result())
        self._update_buttons()

    def _server_failed(self, what: str, error: BaseException) -> None:
        # A refusal names the URL and status; anything else is an answer the API never gives.
        text = str(error) if isinstance(error, ServerError) else f"unexpected answer: {error!r}"
        self.status.setText(text)
        self.output.appendPlainText(text)
        if what == "start" or getattr(error, "status", None) == 404:
            self.timer.stop()  # nothing on the server to follow
            self.progress_seen = Progress("failed", self._step, 0, text, False, (), None)
            if self.progress.maximum() == 0:
                self.progress.setRange(0, 1)

    def _show_progress(self, seen: Progress) -> None:
        if self.remote is None or "resume" in self._requests:
            return  # a look from before the resume: the run is queued again
        self.progress_seen = seen
        for record in seen.metrics:
            self._step = int(record.get("step", self._step))
            self.plot.add(self._step, record)
        step = max(seen.step, self._step)
        if seen.total_steps:
            self.progress.setRange(0, seen.total_steps)
            self.progress.setValue(min(step, seen.total_steps))
        if seen.sample is not None:
            pixmap = QPixmap()
            if pixmap.loadFromData(seen.sample, "PNG"):
                self._set_sample(pixmap)
        where = f"{self.remote.id} on {self.remote.client.url}"
        self.status.setText(f"{seen.state} at step {step} of {seen.total_steps}: {where}")
        if not seen.active:
            self.timer.stop()
            detail = f": {seen.message}" if seen.message else ""
            self.status.setText(f"run {seen.state} at step {step}{detail} ({where})")
            if self.progress.maximum() == 0:
                self.progress.setRange(0, 1)
