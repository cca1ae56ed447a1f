"""The Scorecard tab's two charts: the reliability diagram (with Wilson intervals) and Brier over time.

Qt Charts is imported here only, on first use: it costs start-up time the first paint need not pay.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QHBoxLayout

from forecastapp.core.numbers import format_percent, format_score
from forecastapp.ui.widgets.look import is_dark, tone

if TYPE_CHECKING:
    from forecastapp.core.scorecard_types import CalibrationBin


@lru_cache(maxsize=1)
def _qtcharts():
    """The Qt Charts module, imported on first use (it costs start-up time the first paint need not pay)."""
    from PySide6 import QtCharts

    return QtCharts


class ScorecardCharts:
    """The reliability diagram and the Brier-over-time chart, side by side in `row`."""

    def __init__(self, row: QHBoxLayout) -> None:
        qc = _qtcharts()
        self.reliability = qc.QChartView(objectName="reliabilityChart")
        self.reliability.setAccessibleName("Reliability diagram")
        self.over_time = qc.QChartView(objectName="brierOverTimeChart")
        self.over_time.setAccessibleName("Brier over time")
        for view in (self.reliability, self.over_time):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumWidth(view.fontMetrics().averageCharWidth() * 40)
            row.addWidget(view, 1)

    def show(self, calibration: Sequence[CalibrationBin], over_time: list[tuple[date, float, float, int]],
             palette: QPalette) -> None:
        """Redraw both charts from a scorecard's calibration bins and Brier-over-time points."""
        self.reliability.setChart(_reliability_chart(calibration, palette))
        self.reliability.setAccessibleDescription(_describe_bins(calibration))
        self.over_time.setChart(_over_time_chart(over_time, palette))
        if over_time:
            last = over_time[-1]
            self.over_time.setAccessibleDescription(
                f"Cumulative mean Brier {format_score(last[2])} after {last[3]} pairs, last resolved "
                f"{last[0].isoformat()}")


def _describe_bins(calibration: Sequence[CalibrationBin]) -> str:
    parts = [
        f"forecasts {format_percent(b.lower).rstrip('%')}-{format_percent(b.upper)}: {b.n} pairs, "
        f"{format_percent(b.observed)} happened"
        for b in calibration if b.n
    ]
    return "; ".join(parts)


def _style_chart(chart, palette: QPalette, title: str) -> None:
    qc = _qtcharts()
    chart.setTheme(qc.QChart.ChartTheme.ChartThemeDark if is_dark(palette) else qc.QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setTitle(title)
    title_font = QFont(chart.titleFont())
    title_font.setPointSizeF(QFont().pointSizeF() * 1.1)
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.setTitleBrush(palette.color(QPalette.ColorRole.Text))
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    legend.setLabelColor(palette.color(QPalette.ColorRole.Text))
    legend.setFont(QFont())


def _axis(chart, axis, title: str, palette: QPalette, alignment: Qt.AlignmentFlag) -> None:
    text = palette.color(QPalette.ColorRole.Text)
    grid = QColor(palette.color(QPalette.ColorRole.Mid))
    grid.setAlpha(110)
    axis.setTitleText(title)
    axis.setTitleBrush(text)
    axis.setLabelsColor(text)
    axis.setLabelsFont(QFont())
    axis.setTitleFont(QFont())
    axis.setGridLineColor(grid)
    axis.setLinePenColor(palette.color(QPalette.ColorRole.Mid))
    chart.addAxis(axis, alignment)


def _attach(chart, series, x_axis, y_axis, *, in_legend: bool = True) -> None:
    chart.addSeries(series)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)
    if not in_legend:
        for marker in chart.legend().markers(series):
            marker.setVisible(False)


def _reliability_chart(calibration: Sequence[CalibrationBin], palette: QPalette):
    qc = _qtcharts()
    chart = qc.QChart()
    _style_chart(chart, palette, "Reliability: forecast vs what happened")
    x = qc.QValueAxis()
    y = qc.QValueAxis()
    for axis in (x, y):
        # Ticks every 0.2 from 0; a little room beyond 0 and 1 so the points and their "n=" labels
        # at the edges are not cut in half by the plot area.
        axis.setTickType(qc.QValueAxis.TickType.TicksDynamic)
        axis.setTickAnchor(0.0)
        axis.setTickInterval(0.2)
        axis.setLabelFormat("%.1f")
    x.setRange(-0.03, 1.03)
    y.setRange(-0.05, 1.12)
    _axis(chart, x, "Mean forecast in bin", palette, Qt.AlignmentFlag.AlignBottom)
    _axis(chart, y, "Observed frequency (yes)", palette, Qt.AlignmentFlag.AlignLeft)

    diagonal = qc.QLineSeries(name="Perfect calibration")
    diagonal.append(-0.03, -0.03)
    diagonal.append(1.03, 1.03)
    pen = QPen(palette.color(QPalette.ColorRole.PlaceholderText), 1.5, Qt.PenStyle.DashLine)
    diagonal.setPen(pen)
    _attach(chart, diagonal, x, y)

    accent = tone("accent", palette)
    bars = QColor(accent)
    bars.setAlpha(170)
    filled = [b for b in calibration if b.n]
    biggest = max((b.n for b in filled), default=1)
    first_bar = True
    for b in filled:
        fx = b.mean_forecast
        if b.ci_low is not None and b.ci_high is not None:
            # An "I" drawn as one line series: cap, stem, cap (line series connect points in order).
            cap = 0.012
            bar = qc.QLineSeries(name="Wilson 95% interval")
            for px, py in ((fx - cap, b.ci_low), (fx + cap, b.ci_low), (fx, b.ci_low),
                           (fx, b.ci_high), (fx - cap, b.ci_high), (fx + cap, b.ci_high)):
                bar.append(px, py)
            bar.setPen(QPen(bars, 1.5))
            _attach(chart, bar, x, y, in_legend=first_bar)
            first_bar = False
    first_point = True
    for b in filled:
        point = qc.QScatterSeries(name="Bin (size and label: number of pairs)")
        point.append(b.mean_forecast, b.observed)
        # Marker area grows with n, so a bin of 40 pairs outweighs a bin of 1 at a glance.
        point.setMarkerSize(8 + 14 * math.sqrt(b.n / biggest))
        point.setColor(accent)
        point.setBorderColor(palette.color(QPalette.ColorRole.Base))
        point.setPointLabelsVisible(True)
        point.setPointLabelsFormat(f"n={b.n}")
        point.setPointLabelsColor(palette.color(QPalette.ColorRole.Text))
        point.setPointLabelsClipping(False)
        _attach(chart, point, x, y, in_legend=first_point)
        first_point = False
    return chart


def _over_time_chart(points: list[tuple[date, float, float, int]], palette: QPalette):
    qc = _qtcharts()
    chart = qc.QChart()
    _style_chart(chart, palette, "Brier over time (lower is better)")
    x = qc.QDateTimeAxis()
    x.setFormat("yyyy-MM")
    x.setTickCount(5)
    y = qc.QValueAxis()
    y.setLabelFormat("%.2f")
    _axis(chart, x, "Resolution day", palette, Qt.AlignmentFlag.AlignBottom)
    _axis(chart, y, "Brier (0\u20131)", palette, Qt.AlignmentFlag.AlignLeft)

    epoch = date(1970, 1, 1)

    def ms(day: date) -> float:
        # Noon UTC, so the day reads the same in any time zone within 12 hours of UTC. Plain
        # arithmetic: building a QDateTime per point cost a quarter of a second on 3,000 days.
        return float((day - epoch).days * 86_400_000 + 43_200_000)

    first = points[0][0] if points else date.today()
    last = points[-1][0] if points else first
    # Month labels repeat on a short span ("2025-12, 2025-12"); days then.
    x.setFormat("yyyy-MM-dd" if (last - first).days < 240 else "yyyy-MM")
    # Pad a short span so one resolution day still gets a readable axis.
    pad = max(timedelta(days=15), (last - first) * 0.04)
    x.setRange(QDateTime.fromMSecsSinceEpoch(int(ms(first - pad))), QDateTime.fromMSecsSinceEpoch(int(ms(last + pad))))
    top = min(1.0, math.ceil(max([0.3] + [p[1] for p in points]) * 10) / 10)
    y.setRange(0.0, top)
    y.setTickCount(round(top * 10) + 1 if top <= 0.5 else 6)  # a tick per 0.1 while that stays legible

    coin = qc.QLineSeries(name="Always 50% (0.25)")
    coin.append(ms(first - pad), 0.25)
    coin.append(ms(last + pad), 0.25)
    coin.setPen(QPen(palette.color(QPalette.ColorRole.PlaceholderText), 1.5, Qt.PenStyle.DashLine))
    _attach(chart, coin, x, y)

    daily = qc.QScatterSeries(name="Mean Brier per day")
    dot = QColor(tone("annulled", palette))
    daily.setColor(dot)
    daily.setBorderColor(dot)
    daily.setMarkerSize(7)
    cumulative = qc.QLineSeries(name="Cumulative mean Brier")
    cumulative.setPen(QPen(tone("accent", palette), 2.5))
    cumulative.setPointsVisible(len(points) < 30)  # a lone day is otherwise a line of length zero
    # One bulk replace per series instead of an append (and a repaint request) per point.
    daily.replace([QPointF(ms(day), day_mean) for day, day_mean, _running, _n in points])
    cumulative.replace([QPointF(ms(day), running) for day, _day_mean, running, _n in points])
    _attach(chart, daily, x, y)
    _attach(chart, cumulative, x, y)
    return chart
