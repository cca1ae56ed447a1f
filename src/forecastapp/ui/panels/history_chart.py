"""HistoryChart: a small step chart of one question's forecast probabilities over time.

Drawn with QPainter: Qt Charts would cost a heavy import and a chart object per selection for a
picture of a handful of points. Each analyst's line holds its value until the next forecast (the
same carried-forward reading SCORING.md uses for the time-averaged Brier). Retracted forecasts
are shown as hollow dots off the line, the deadline as a dashed line and the resolution as a
coloured bar at the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from forecastapp.core.model import ForecastRecord
from forecastapp.core.probability import format_probability
from forecastapp.ui.widgets import look

# Extra analysts get these hues after the accent colour (light, dark).
_SERIES = (("#7c3aed", "#c4b5fd"), ("#0f766e", "#5eead4"), ("#be185d", "#f9a8d4"), ("#a16207", "#fde047"))


@dataclass(frozen=True)
class ChartData:
    """What the chart draws for one question."""

    forecasts: tuple[ForecastRecord, ...]
    today: date
    resolve_by: date | None = None
    resolved_on: date | None = None
    outcome: str | None = None  # "yes", "no", "annulled" or None


class HistoryChart(QWidget):
    """Probability (0-100%) against date, one step line per analyst."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyChart")
        self.setAccessibleName("Forecast history chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._data: ChartData | None = None
        self.setMinimumHeight(self._preferred_height())

    def _preferred_height(self) -> int:
        return max(120, self.fontMetrics().height() * 8)

    def sizeHint(self) -> QSize:
        """Wide and short: it sits above the text in the detail pane."""
        return QSize(360, self._preferred_height())

    def set_data(self, data: ChartData | None) -> None:
        """Draw this question's history (None clears the chart)."""
        self._data = data
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """The chart in words, for screen readers: each forecast's date and value."""
        if self._data is None or not self._data.forecasts:
            return "No forecasts"
        parts = []
        for f in self._data.forecasts:
            mark = " (retracted)" if f.retracted_at else ""
            parts.append(f"{f.made_on.isoformat()}: {format_probability(f.probability)} by {f.analyst}{mark}")
        return "; ".join(parts)

    # ------------------------------------------------------------ drawing

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        """Draw axes, the deadline, the step lines and the resolution marker."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlpha(40)
        fm = QFontMetrics(self.font())
        data = self._data
        if data is None or not data.forecasts:
            p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No forecasts yet")
            return

        left = fm.horizontalAdvance("100%") + 8
        plot = QRectF(left, fm.height() * 0.6, self.width() - left - 10, self.height() - fm.height() * 2.2)
        if plot.width() < 20 or plot.height() < 20:
            return
        start = min(f.made_on for f in data.forecasts)
        last = max(f.made_on for f in data.forecasts)
        if data.resolved_on is not None:
            end = max(data.resolved_on, last)
        else:
            # An open question: up to its deadline, so the chart shows how much time is left.
            end = max(data.today, last, data.resolve_by or data.today)
        span = max((end - start).days, 1)

        def x_of(d: date) -> float:
            return plot.left() + plot.width() * (d - start).days / span

        def y_of(prob: float) -> float:
            return plot.bottom() - plot.height() * prob

        # Grid and labels at 0, 50 and 100%.
        p.setFont(self.font())
        for prob in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = y_of(prob)
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            if prob in (0.0, 0.5, 1.0):
                p.setPen(text)
                label = f"{int(prob * 100)}%"
                p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        p.setPen(text)
        baseline = plot.bottom() + fm.height() * 0.2
        p.drawText(QRectF(plot.left(), baseline, plot.width() / 2, fm.height() * 1.4),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, start.isoformat())
        p.drawText(QRectF(plot.center().x(), baseline, plot.width() / 2, fm.height() * 1.4),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, end.isoformat())

        # Deadline: dashed vertical line.
        if data.resolve_by and start <= data.resolve_by <= end:
            pen = QPen(look.tone("due"), 1, Qt.PenStyle.DashLine)
            p.setPen(pen)
            x = x_of(data.resolve_by)
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))

        # Today, if inside the range and the question is open: a faint line.
        if data.resolved_on is None and start <= data.today <= end:
            p.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            x = x_of(data.today)
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))

        line_end = data.resolved_on or min(end, data.today)
        _draw_series(p, data.forecasts, x_of, y_of, line_end, pal)

        # Resolution: a bar at the outcome (100% for yes, 0% for no), grey and centred for annulled.
        if data.resolved_on and data.outcome:
            x = x_of(data.resolved_on)
            colour = look.tone(data.outcome if data.outcome in ("yes", "no") else "annulled", pal)
            p.setPen(QPen(colour, 2))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            y = y_of(1.0 if data.outcome == "yes" else 0.0 if data.outcome == "no" else 0.5)
            p.setBrush(colour)
            p.drawRect(QRectF(x - 4, y - 4, 8, 8))
        p.end()


def _draw_series(p: QPainter, forecasts, x_of, y_of, line_end: date, pal: QPalette) -> None:
    """Each analyst's forecasts as a step line in their colour, retracted ones as hollow circles."""
    by_analyst: dict[str, list[ForecastRecord]] = {}
    for f in forecasts:
        by_analyst.setdefault(f.analyst, []).append(f)
    dark = look.is_dark(pal)
    for i, (analyst, records) in enumerate(by_analyst.items()):
        colour = look.tone("accent", pal) if i == 0 else QColor(_SERIES[(i - 1) % len(_SERIES)][1 if dark else 0])
        live = sorted((f for f in records if f.retracted_at is None), key=lambda f: (f.made_on, f.recorded_at))
        if live:
            path = QPainterPath(QPointF(x_of(live[0].made_on), y_of(live[0].probability)))
            for prev, nxt in zip(live, live[1:]):
                path.lineTo(x_of(nxt.made_on), y_of(prev.probability))
                path.lineTo(x_of(nxt.made_on), y_of(nxt.probability))
            path.lineTo(max(x_of(line_end), x_of(live[-1].made_on)), y_of(live[-1].probability))
            p.setPen(QPen(colour, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            p.setBrush(colour)
            for f in live:
                p.drawEllipse(QPointF(x_of(f.made_on), y_of(f.probability)), 3, 3)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(colour, 1.2))
        for f in records:
            if f.retracted_at is not None:
                p.drawEllipse(QPointF(x_of(f.made_on), y_of(f.probability)), 3.5, 3.5)
