from __future__ import annotations

import sys
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from graphgan.editor.refcount_guard import HEADROOM, make_none_immortal


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_none_survives_many_void_qt_calls(qtbot: Any) -> None:
    assert make_none_immortal()
    assert sys.getrefcount(None) > HEADROOM
    widget = QWidget()
    qtbot.addWidget(widget)
    for _ in range(20_000):  # more than None's whole reference count without the guard
        widget.setToolTip("x")
    assert sys.getrefcount(None) > HEADROOM - 20_000


def test_the_guard_is_idempotent() -> None:
    make_none_immortal()
    before = sys.getrefcount(None)
    make_none_immortal()
    assert abs(sys.getrefcount(None) - before) < 10
