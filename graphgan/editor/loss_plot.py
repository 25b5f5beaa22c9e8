"""The loss plot: one line per loss term against the step, redrawn as metrics arrive."""

# Qt names its virtual methods in camelCase; an override must use the same name.
# ruff: noqa: N802

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

COLOURS = ["#4fc3f7", "#ff8a65", "#aed581", "#ba68c8", "#ffd54f", "#90a4ae"]
MARGIN = 36.0


class LossPlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: dict[str, list[tuple[int, float]]] = {}
        self.setMinimumHeight(80)

    def clear(self) -> None:
        self.series = {}
        self.update()

    def add(self, step: int, metrics: dict[str, float]) -> None:
        """Append one step's loss terms (keys ending in 'loss'), skipping non-finite values."""
        for name, value in metrics.items():
            if name.endswith("loss") and isinstance(value, (int, float)) and math.isfinite(value):
                self.series.setdefault(name, []).append((step, float(value)))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#14171a"))
        area = QRectF(self.rect()).adjusted(MARGIN, 10, -10, -22)
        points = [p for line in self.series.values() for p in line]
        painter.setPen(QColor("#9aa3ab"))
        if not points:
            painter.drawText(
                area, Qt.AlignmentFlag.AlignCenter, "losses appear here while a run trains"
            )
            return
        steps = [s for s, _ in points]
        values = [v for _, v in points]
        low, high = min(values), max(values)
        high = high if high > low else low + 1.0
        first, last = min(steps), max(max(steps), min(steps) + 1)

        def place(step: int, value: float) -> QPointF:
            x = area.left() + (step - first) / (last - first) * area.width()
            y = area.bottom() - (value - low) / (high - low) * area.height()
            return QPointF(x, y)

        painter.drawRect(area)
        painter.drawText(QPointF(2, area.top() + 10), f"{high:.3g}")
        painter.drawText(QPointF(2, area.bottom()), f"{low:.3g}")
        painter.drawText(QPointF(area.left(), self.height() - 6), f"step {first}")
        painter.drawText(QPointF(area.right() - 60, self.height() - 6), f"step {last}")
        for index, (name, line) in enumerate(sorted(self.series.items())):
            colour = QColor(COLOURS[index % len(COLOURS)])
            painter.setPen(QPen(colour, 1.6))
            painter.drawPolyline(QPolygonF([place(s, v) for s, v in line]))
            painter.drawText(QPointF(area.left() + 8 + 90 * index, area.top() + 14), name)
