"""Every shipped template opens and draws: `graphgan edit NAME --screenshot PNG` for each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from graphgan.editor.launch import SCREENSHOT_SIZE, open_window, screenshot
from graphgan.templates import template_names


@pytest.mark.parametrize("name", template_names())
def test_each_template_opens_and_is_screenshotted(qtbot: Any, tmp_path: Path, name: str) -> None:
    window = open_window(name, recover=False)
    qtbot.addWidget(window)
    path = screenshot(window, tmp_path / f"editor-{name}.png")

    image = QImage(str(path))
    assert path.stat().st_size > 20_000  # a drawn window, not a blank one
    assert (image.width(), image.height()) == SCREENSHOT_SIZE
    assert window.document.analysis.valid and not window.document.pending
    for network, canvas in window.canvases.items():
        assert set(canvas.nodes) == set(window.document.analysis.networks[network].nodes)
    # The canvas is drawn, not empty: its middle holds more than the background's colours.
    shown = window.current_canvas()
    assert shown is not None
    grab = shown.grab().toImage()
    colours = {grab.pixel(x, grab.height() // 2) for x in range(0, grab.width(), 3)}
    assert len(colours) > 5


def test_a_long_wires_shape_sits_near_the_port_it_feeds(qtbot: Any) -> None:
    from PySide6.QtCore import QLineF

    from graphgan.editor.wire import LONG_WIRE

    if "pix2pix" not in template_names():
        pytest.skip("the pix2pix template is not shipped in this build")
    window = open_window("pix2pix", recover=False)
    qtbot.addWidget(window)
    window.document.settle()  # in a fresh process the shapes arrive after the first drawing
    wires = window.canvases["generator"].wires.values()
    long = [wire.grEdge for wire in wires if wire.grEdge.path().length() > LONG_WIRE]
    assert long  # the U-Net's skip connections
    for edge in long:
        path, label = edge.path(), edge.labelItem
        centre = label.mapToParent(label.boundingRect().center())
        to_end = QLineF(centre, path.pointAtPercent(1.0)).length()
        to_middle = QLineF(centre, path.pointAtPercent(0.5)).length()
        assert to_end < to_middle
