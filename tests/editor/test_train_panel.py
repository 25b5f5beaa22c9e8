"""Training from the editor: a real run of the tiny GAN in a background process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from graphgan.editor import edits
from graphgan.editor.document import Document
from graphgan.editor.metrics_tail import MetricsTail
from graphgan.editor.window import EditorWindow
from graphgan.graph import save
from graphgan.graph.files import graph_from_data
from tests.training.gan import TINY_GAN


def test_a_run_trains_in_the_background_stops_and_resumes(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "tiny_gan.json"
    save(graph_from_data(TINY_GAN), path)
    window = EditorWindow(Document.open(path))
    qtbot.addWidget(window)
    panel = window.train

    # Start a run far longer than it will train, and stop it as Ctrl-C would.
    panel.steps.setValue(100_000)
    assert panel.start()
    assert panel.running and not panel.start_button.isEnabled()
    qtbot.waitUntil(lambda: panel._step >= 2, timeout=120_000)
    panel.stop_button.click()
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    assert panel.run_dir is not None and panel.run_dir.parent == tmp_path / "runs"
    assert panel.status.text().startswith("run interrupted at step ")
    stopped = int(panel.status.text().split()[4])
    assert panel.resumable and panel.folder_button.isEnabled()
    run_dir = panel.run_dir

    # Resume it in a later session, picking its folder, to an end that draws a sample grid.
    window.close()
    window = EditorWindow(Document.open(path))
    qtbot.addWidget(window)
    panel = window.train
    offered: list[Path] = []

    def pick(_parent: Any, start: Path) -> Path | None:
        offered.append(start)
        return run_dir

    panel.chooser = pick
    end = max(12, stopped + 3)
    panel.steps.setValue(end)
    panel.resume_button.click()
    assert offered == [tmp_path / "runs"] and panel.run_dir == run_dir
    assert panel.running and not panel.resume_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.running, timeout=120_000)
    QApplication.processEvents()

    assert panel.status.text().startswith(f"run finished at step {end} (exit code 0)")
    assert (panel.progress.value(), panel.progress.maximum()) == (end, end)
    steps = [record["step"] for record in MetricsTail(panel.run_dir / "metrics.jsonl").read()]
    assert steps == list(range(1, end + 1))
    assert [len(panel.plot.series[k]) for k in ("d_loss", "g_loss")] == [end, end]
    assert panel.sample.pixmap() is not None and not panel.sample.pixmap().isNull()
    assert panel.start_button.isEnabled() and not panel.resumable


def test_only_a_stopped_run_resumes(window: EditorWindow, tmp_path: Path) -> None:
    panel = window.train
    panel.chooser = lambda _parent, _start: None  # the user cancels
    assert panel.resume_button.isEnabled() and not panel.resume()  # cancelled: nothing
    finished = tmp_path / "finished-run"
    finished.mkdir()
    (finished / "status.json").write_text('{"state": "finished", "step": 12}', encoding="utf-8")
    assert not panel.resume(finished)
    assert panel.status.text() == (
        f"{finished} is not a stopped run (state: finished); only a run stopped before its end "
        "resumes"
    )
    assert not panel.resume(tmp_path)
    assert "(state: no status.json)" in panel.status.text() and not panel.running


def test_an_invalid_graph_is_not_started(qtbot: Any, tmp_path: Path) -> None:
    graph = graph_from_data(TINY_GAN)
    graph = edits.remove(graph, "generator", ["g_fc"])
    window = EditorWindow(Document(graph, tmp_path / "broken.json"))
    qtbot.addWidget(window)
    assert not window.train.start()
    assert "before training" in window.train.status.text()
    assert not (tmp_path / "runs").exists()


def test_a_graph_without_training_is_not_started(window: EditorWindow) -> None:
    assert not window.train.start()
    assert "no training section" in window.train.status.text()


def test_metrics_are_read_a_whole_line_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "metrics.jsonl"
    tail = MetricsTail(path)
    assert tail.read() == []
    path.write_text('{"step": 1, "d_loss": 0.5}\n{"step": 2, "d_lo', encoding="utf-8")
    assert tail.read() == [{"step": 1, "d_loss": 0.5}]
    with path.open("a", encoding="utf-8") as handle:
        handle.write('ss": "NaN"}\n')
    record = tail.read()[0]
    assert record["step"] == 2 and record["d_loss"] != record["d_loss"]  # NaN
