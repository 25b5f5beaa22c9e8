"""The editor's speed: opening the largest template, an edit on a 500-node graph, and how long
the window's thread ever stalls while a run trains.

Goals (issue #7): a drawn canvas under 1 s after opening the largest template; shapes and
problems updated under 100 ms after an edit of a 500-node graph; no stall of the window's
thread over 100 ms while a tiny run trains. Qt runs offscreen, so no display is needed.

"Cold" is a fresh interpreter that imports only the editor, opens the template and draws it,
timed from its first line: the wait after typing `graphgan edit srgan`. The window draws the
document first and analyses it after, so the cold figures are the first drawn canvas (with the
CPU seconds it took, which a machine shared with other work does not inflate), and the canvas
redrawn with every shape, parameter count and problem once the analysis (which loads the
plugin packs, and torch with them) has arrived. Each is the median of three fresh processes.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import graphgan.editor  # noqa: F401 (guards PySide6 before any Qt call)

# Not `common`: it imports torch, which the cold open must not find already loaded.
BENCH = Path(__file__).resolve().parent

GOAL_OPEN_S, GOAL_EDIT_MS, GOAL_STALL_MS = 1.0, 100.0, 100.0
EDIT_NODES = 500
COLD_ROUNDS = 3
HEARTBEAT_MS = 10


def largest_template() -> str:
    """The shipped template with the most nodes, counting its blocks' insides."""
    from graphgan.graph import load
    from graphgan.templates import template_names, template_path

    def size(name: str) -> int:
        graph = load(template_path(name))
        nodes = sum(len(net.nodes) for net in graph.networks.values())
        return nodes + sum(len(block.nodes) for block in graph.blocks.values())

    return max(template_names(), key=size)


def open_to_drawn(name: str, started: float | None = None) -> dict[str, float]:
    """Seconds from `started` (default: now) to a window with the template's canvases drawn
    into a picture, then to the same picture with the analysis drawn; and the CPU seconds
    this process had used when the first picture was ready."""
    from graphgan.editor.launch import application, open_window

    app = application()
    started = time.perf_counter() if started is None else started
    window = open_window(name, recover=False)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    window.grab()  # paints every visible widget, the canvas included
    drawn, cpu = time.perf_counter() - started, time.process_time()
    while window.document.pending:  # the analysis starts once the canvas has been painted
        app.processEvents()
        time.sleep(0.002)
    window.grab()
    complete = time.perf_counter() - started
    if not window.node_palette.filled or not all(c.nodes for c in window.canvases.values()):
        raise SystemExit("the analysed window lacks its palette or its nodes")
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()
    app.processEvents()
    return {"drawn_s": drawn, "complete_s": complete, "drawn_cpu_s": cpu}


def cold_open(name: str) -> dict[str, float]:
    """Opening in a fresh interpreter, timed from its first line: Qt, the editor and (for the
    analysis) the plugin packs all load."""
    code = (
        "import time; started = time.perf_counter(); import json, sys; "
        f"sys.path.insert(0, {str(BENCH)!r}); "
        "import editor_speed; "
        f"print(json.dumps(editor_speed.open_to_drawn({name!r}, started)))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def edit_rounds(rounds: int) -> dict[str, float]:
    """Median milliseconds from an edit of a 500-node network to its shapes and problems drawn."""
    from common import median_ms
    from validation_speed import generated_graph

    from graphgan.editor import edits
    from graphgan.editor.document import Document
    from graphgan.editor.launch import application
    from graphgan.editor.layout import arrange
    from graphgan.editor.window import EditorWindow
    from graphgan.graph.files import graph_from_data

    app = application()
    graph = graph_from_data(generated_graph(EDIT_NODES))
    graph = edits.move(graph, "generator", arrange(graph.networks["generator"]))
    window = EditorWindow(Document(graph))
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    document, canvas = window.document, window.canvases["generator"]

    updated, blocked = [], []
    for round_ in range(rounds):
        width = 32 + round_ % 2  # alternate, so every edit changes a shape
        edited = edits.set_param(document.graph, "generator", "fc80", "out_features", width)
        started = time.perf_counter()
        document.edit(f"width {width}", edited)
        blocked.append(time.perf_counter() - started)
        while document.pending:
            app.processEvents()
        updated.append(time.perf_counter() - started)
        if canvas.wires["fc80.y -> act80.x"].getLabel() != f"(N, {width})":
            raise SystemExit("the canvas did not show the edited shape")
    document.undo_stack.setClean()
    window.close()
    return {
        "edit_to_shapes_and_problems_ms": median_ms(updated),
        "edit_to_shapes_and_problems_max_ms": max(updated) * 1000,
        "edit_blocks_window_ms": median_ms(blocked),
        "analysis_ms": document.analysis_seconds * 1000,
    }


def stall_while_training(steps: int) -> dict[str, Any]:
    """The longest gap between heartbeats of a 10 ms timer while the train panel runs."""
    from PySide6.QtCore import QEventLoop, QTimer

    from graphgan.editor.document import Document
    from graphgan.editor.launch import application
    from graphgan.editor.window import EditorWindow
    from graphgan.graph import save
    from tests.training.gan import tiny_gan

    app = application()
    folder = Path(tempfile.mkdtemp(prefix="graphgan-bench-"))
    save(tiny_gan(steps=steps), folder / "tiny_gan.json")
    window = EditorWindow(Document.open(folder / "tiny_gan.json"))
    window.resize(1920, 1080)
    window.show()
    window.bottom_tabs.setCurrentWidget(window.train)  # its plot and samples are drawn
    app.processEvents()

    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    heartbeat.start()
    started = time.perf_counter()
    if not window.train.start() or window.train.process is None:
        raise SystemExit(f"the run did not start: {window.train.status.text()}")
    loop = QEventLoop()
    window.train.process.finished.connect(loop.quit)
    loop.exec()  # the window's own event loop, as while a user watches the run
    heartbeat.stop()
    gaps = [later - earlier for earlier, later in itertools.pairwise(beats)]
    status = window.train.status.text()
    window.close()
    return {
        "run_seconds": time.perf_counter() - started,
        "run_status": status.split(":")[0],
        "heartbeats": len(beats),
        "longest_stall_ms": (max(gaps) * 1000 - HEARTBEAT_MS) if gaps else float("nan"),
    }


def main() -> None:
    from common import median_ms, write_results

    name = largest_template()
    colds = [cold_open(name) for _ in range(COLD_ROUNDS)]  # the machine is shared: a median
    cold = {key: statistics.median(c[key] for c in colds) for key in colds[0]}
    open_to_drawn(name)  # loads Qt, the editor and the plugin packs in this process
    warm = [open_to_drawn(name) for _ in range(3)]
    edit = edit_rounds(rounds=20)
    stall = stall_while_training(steps=60)
    figures: dict[str, Any] = {
        "load_average": os.getloadavg()[0],
        "largest_template": name,
        "open_cold_s": cold["drawn_s"],
        "open_cold_rounds_s": [c["drawn_s"] for c in colds],
        "open_cold_cpu_s": cold["drawn_cpu_s"],
        "open_cold_analysed_s": cold["complete_s"],
        "open_warm_s": median_ms([w["drawn_s"] for w in warm]) / 1000,
        "open_warm_analysed_s": median_ms([w["complete_s"] for w in warm]) / 1000,
        "goal_open_s": GOAL_OPEN_S,
        "edit_nodes": EDIT_NODES,
        **edit,
        "goal_edit_ms": GOAL_EDIT_MS,
        **{f"training_{key}": value for key, value in stall.items()},
        "goal_stall_ms": GOAL_STALL_MS,
    }
    write_results("editor_speed", figures)


if __name__ == "__main__":
    main()
