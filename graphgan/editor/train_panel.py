"""The train panel: runs the open graph's training in a separate process and follows it.

The run is `python -m graphgan train GRAPH --out RUN --no-progress`, exactly the CLI's, so the
window never freezes and a crash of the run cannot take the editor down; Resume continues a
stopped one with `python -m graphgan train RUN --resume --no-progress`. The panel reads what
the run writes into its folder (metrics.jsonl, status.json, samples/latest.png) a few times a
second, and Stop sends the interrupt the CLI treats as Ctrl-C: a checkpoint, then a clean exit.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QProcess, QTemporaryDir, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from graphgan.editor.document import Document
from graphgan.editor.loss_plot import LossPlot
from graphgan.editor.metrics_tail import MetricsTail
from graphgan.graph import save

POLL_MS = 300
STOP_WAIT_MS = 15_000  # how long closing the window waits for a stopped run's checkpoint


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
        self.progress = QProgressBar(self)
        self.status = QLabel("Train the open graph in a background process.", self)
        self.status.setWordWrap(True)
        self.plot = LossPlot(self)
        self.sample = QLabel(self)
        self.sample.setFixedSize(100, 100)
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
        controls.addWidget(self.progress)
        controls.addWidget(self.status)
        controls.addWidget(self.output, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(controls, 2)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.sample)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.resume_button.clicked.connect(lambda: self.resume())  # not with `checked`
        self.folder_button.clicked.connect(self.open_folder)

    def set_document(self, document: Document) -> None:
        self.document = document

    @property
    def running(self) -> bool:
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
        return not self.running and self._status().get("state") == "interrupted"

    def _launch(self, run_dir: Path, arguments: list[str], note: str) -> None:
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
        self._step = 0
        self.plot.clear()
        self.output.clear()
        self.progress.setRange(0, 0)  # busy until the run reports its length
        self.status.setText(note)
        self.process.start()
        self.timer.start()
        self._update_buttons()

    def _cannot_start(self) -> str:
        if self.running:
            return "a run is already training; stop it first"
        graph = self.document.graph
        if not graph.training:
            return "this graph has no training section, so there is nothing to run"
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
        if self.process is None or not self.running:
            return
        pid = self.process.processId()
        if os.name == "posix" and pid:
            os.kill(pid, signal.SIGINT)
        else:
            self.process.terminate()
        self.status.setText("stopping: writing a checkpoint")

    def shutdown(self) -> None:
        """Stop a run before the window closes, waiting briefly for its checkpoint."""
        if self.process is not None and self.running:
            self.stop()
            if not self.process.waitForFinished(STOP_WAIT_MS):
                self.process.kill()

    def open_folder(self) -> None:
        if self.run_dir is not None and self.run_dir.is_dir():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.run_dir)))

    # Following the run.

    def poll(self) -> None:
        """Read what the run has written since the last poll."""
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
                self.sample.setPixmap(pixmap.scaled(self.sample.size()))

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
        self.stop_button.setEnabled(running)
        self.resume_button.setEnabled(not running)
        self.folder_button.setEnabled(self.run_dir is not None)
