"""Training on a graphgan server from the editor: a real `graphgan serve` on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from graphgan.editor.document import Document
from graphgan.editor.train_panel import TrainPanel
from graphgan.editor.window import EditorWindow
from graphgan.graph.files import graph_from_data
from tests.server.conftest import Served, free_port
from tests.training.gan import TINY_GAN

TOKEN = "an-editor-token-of-24-chars"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the module's runs, with a token as it would have off loopback."""
    workspace = tmp_path_factory.mktemp("editor-server") / "workspace"
    workspace.mkdir()
    server = Served(workspace, "--token", TOKEN, token=TOKEN)
    yield server
    server.stop()


def panel_of(qtbot: Any, tmp_path: Path) -> TrainPanel:
    window = EditorWindow(Document(graph_from_data(TINY_GAN), tmp_path / "tiny_gan.json"))
    qtbot.addWidget(window)
    return window.train


def test_a_run_trains_on_a_server_with_progress_losses_and_samples(
    qtbot: Any, tmp_path: Path, served: Served
) -> None:
    panel = panel_of(qtbot, tmp_path)
    panel.target.use_server(served.url, TOKEN)
    panel.steps.setValue(6)
    assert panel.start()
    assert panel.running and not panel.start_button.isEnabled() and not panel.target.isEnabled()
    qtbot.waitUntil(lambda: not panel.running, timeout=120_000)
    QApplication.processEvents()

    assert panel.remote is not None
    assert panel.status.text() == f"run finished at step 6 ({panel.remote.id} on {served.url})"
    assert (panel.progress.value(), panel.progress.maximum()) == (6, 6)
    assert [len(panel.plot.series[k]) for k in ("d_loss", "g_loss")] == [6, 6]
    assert panel.sample.pixmap() is not None and not panel.sample.pixmap().isNull()
    assert not panel.resumable and not panel.folder_button.isEnabled()
    assert not (tmp_path / "runs").exists()  # nothing trained on this computer


@pytest.mark.slow
def test_a_run_on_a_server_stops_and_resumes(qtbot: Any, tmp_path: Path, served: Served) -> None:
    panel = panel_of(qtbot, tmp_path)
    panel.target.use_server(served.url, TOKEN)

    # Start a run far longer than it will train, and stop it on the server.
    panel.steps.setValue(100_000)
    assert panel.start()
    qtbot.waitUntil(lambda: panel._step >= 2, timeout=120_000)  # metrics came over HTTP
    assert panel.remote is not None and panel.progress.maximum() == 100_000
    panel.stop_button.click()
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    assert panel.status.text().startswith("run interrupted at step ")
    assert panel.resumable and panel.progress_seen is not None
    stopped = panel.progress_seen.step

    # Resume it to an end a few steps on.
    end = stopped + 3
    panel.steps.setValue(end)
    panel.resume_button.click()
    assert panel.running and not panel.resume_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.running, timeout=120_000)
    QApplication.processEvents()

    assert panel.status.text().startswith(f"run finished at step {end} ({panel.remote.id} on ")
    assert (panel.progress.value(), panel.progress.maximum()) == (end, end)
    assert [len(panel.plot.series[k]) for k in ("d_loss", "g_loss")] == [end, end]
    assert panel.sample.pixmap() is not None and not panel.sample.pixmap().isNull()
    assert panel.start_button.isEnabled() and not panel.resumable
    assert served.client.get(f"/runs/{panel.remote.id}").json()["step"] == end


def test_a_server_that_does_not_answer_is_named(qtbot: Any, tmp_path: Path) -> None:
    panel = panel_of(qtbot, tmp_path)
    url = f"http://127.0.0.1:{free_port()}"
    panel.target.use_server(url)
    assert panel.start()
    qtbot.waitUntil(lambda: not panel.running, timeout=30_000)
    assert panel.status.text().startswith(f"POST {url}/runs: cannot reach the graphgan server")
    assert panel.start_button.isEnabled() and panel.remote is None

    panel.target.use_server("localhost:8765")
    assert not panel.start()
    assert panel.status.text().startswith("'localhost:8765' is not a graphgan server's address")
