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


def test_a_run_trains_in_the_background_and_is_followed(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "tiny_gan.json"
    save(graph_from_data(TINY_GAN), path)
    window = EditorWindow(Document.open(path))
    qtbot.addWidget(window)
    panel = window.train

    assert panel.start()
    assert panel.running and not panel.start_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.running, timeout=120_000)
    QApplication.processEvents()

    assert panel.run_dir is not None and panel.run_dir.parent == tmp_path / "runs"
    assert panel.status.text().startswith("run finished at step 12 (exit code 0)")
    assert (panel.progress.value(), panel.progress.maximum()) == (12, 12)
    assert [len(panel.plot.series[k]) for k in ("d_loss", "g_loss")] == [12, 12]
    assert panel.sample.pixmap() is not None and not panel.sample.pixmap().isNull()
    assert panel.start_button.isEnabled() and panel.folder_button.isEnabled()


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
