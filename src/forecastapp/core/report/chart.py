"""The reliability diagram of one group as standalone SVG text, and as a data: URI."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

from forecastapp.core.numbers import format_count
from forecastapp.core.scorecard_types import (
    CalibrationBin,
    Figures,
)

CHART_WIDTH = 520
CHART_HEIGHT = 470
_PLOT = (64, 44, 320, 320)  # x, y, width, height of the square plot
_HIST_TOP = 404
_HIST_HEIGHT = 36
_ACCENT = "#1d4ed8"
_GRID = "#d1d5db"
_INK = "#111827"
_MUTED = "#4b5563"


def _px(p: float) -> float:
    """The x coordinate of probability `p` on the plot."""
    return round(_PLOT[0] + p * _PLOT[2], 2)


def _py(p: float) -> float:
    """The y coordinate of frequency `p` on the plot."""
    return round(_PLOT[1] + (1.0 - p) * _PLOT[3], 2)


def calibration_svg(group: Figures, *, title: str | None = None) -> str:
    """The reliability diagram of one group as standalone SVG text (SVG Tiny features only, so Qt draws it too).

    Each non-empty bin is a dot at (mean forecast, observed frequency) with its Wilson 95% interval as a
    vertical bar and an area that grows with the bin's count; the dashed diagonal is perfect
    calibration; the bars underneath show how many pairs each bin holds.
    """
    x0, y0, w, h = _PLOT
    n = group.n
    bins = group.calibration
    heading = title or (f"Calibration of {format_count(n)} scored pair{'s' if n != 1 else ''}" if n else
                        "Calibration: no scored pairs")

    px, py = _px, _py
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" width="{CHART_WIDTH}" '
        f'height="{CHART_HEIGHT}" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" font-family="sans-serif">',
        f"<title>{html.escape(heading)}</title>",
        f'<rect x="0" y="0" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" fill="#ffffff"/>',
        f'<text x="{x0}" y="24" font-size="15" font-weight="bold" fill="{_INK}">{html.escape(heading)}</text>',
    ]
    # Grid and ticks every 20%.
    for i in range(6):
        p = i / 5
        label = f"{i * 20}%"
        out.append(f'<line x1="{px(p)}" y1="{y0}" x2="{px(p)}" y2="{y0 + h}" stroke="{_GRID}" stroke-width="1"/>')
        out.append(f'<line x1="{x0}" y1="{py(p)}" x2="{x0 + w}" y2="{py(p)}" stroke="{_GRID}" stroke-width="1"/>')
        out.append(f'<text x="{px(p)}" y="{y0 + h + 16}" font-size="11" fill="{_MUTED}" '
                   f'text-anchor="middle">{label}</text>')
        out.append(f'<text x="{x0 - 6}" y="{py(p) + 4}" font-size="11" fill="{_MUTED}" '
                   f'text-anchor="end">{label}</text>')
    out.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="{_MUTED}" stroke-width="1"/>')
    out.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(1)}" y2="{py(1)}" stroke="{_MUTED}" stroke-width="1.2" '
               'stroke-dasharray="6,4"/>')
    out.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 34}" font-size="12" fill="{_INK}" text-anchor="middle">'
               "Forecast probability (mean of each bin)</text>")
    cy = y0 + h / 2
    out.append(f'<text x="18" y="{cy}" font-size="12" fill="{_INK}" text-anchor="middle" '
               f'transform="rotate(-90 18 {cy})">Observed frequency (resolved yes)</text>')

    filled = [b for b in bins if b.n]
    largest = max((b.n for b in filled), default=0)
    points = []
    for b in filled:
        x, y = px(b.mean_forecast), py(b.observed)
        points.append(f"{x},{y}")
        out.append(f'<line x1="{x}" y1="{py(b.ci_low)}" x2="{x}" y2="{py(b.ci_high)}" stroke="{_ACCENT}" '
                   'stroke-width="2" stroke-opacity="0.45"/>')
    if len(points) > 1:
        out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{_ACCENT}" stroke-width="1.5"/>')
    for b in filled:
        radius = round(3.5 + 5.5 * (b.n / largest) ** 0.5, 2)
        out.append(f'<circle cx="{px(b.mean_forecast)}" cy="{py(b.observed)}" r="{radius}" fill="{_ACCENT}" '
                   'stroke="#ffffff" stroke-width="1"/>')

    out += _histogram(bins, largest)
    out += _legend()
    if not filled:
        out.append(f'<text x="{x0 + w / 2}" y="{cy}" font-size="13" fill="{_MUTED}" text-anchor="middle">'
                   "nothing to plot yet</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _histogram(bins: Sequence[CalibrationBin], largest: int) -> list[str]:
    """Bars of pairs per bin under the plot, on the same x scale."""
    x0, _y0, w, _h = _PLOT
    out = []
    out.append(f'<text x="{x0 - 6}" y="{_HIST_TOP + _HIST_HEIGHT / 2 + 4}" font-size="11" fill="{_MUTED}" '
               'text-anchor="end">pairs</text>')
    out.append(f'<line x1="{x0}" y1="{_HIST_TOP + _HIST_HEIGHT}" x2="{x0 + w}" y2="{_HIST_TOP + _HIST_HEIGHT}" '
               f'stroke="{_MUTED}" stroke-width="1"/>')
    for b in bins:
        count = b.n
        if not count:
            continue
        bar = max(1.0, round(_HIST_HEIGHT * count / largest, 2))
        left = _px(b.lower) + 2
        out.append(f'<rect x="{left}" y="{_HIST_TOP + _HIST_HEIGHT - bar}" width="{round(w / 10 - 4, 2)}" '
                   f'height="{bar}" fill="{_ACCENT}" fill-opacity="0.35"/>')
        out.append(f'<text x="{left + w / 20 - 2}" y="{_HIST_TOP + _HIST_HEIGHT + 13}" font-size="10" '
                   f'fill="{_MUTED}" text-anchor="middle">{format_count(count)}</text>')

    return out


def _legend() -> list[str]:
    """The legend to the right of the plot."""
    x0, y0, w, _h = _PLOT
    out = []
    lx = x0 + w + 18
    out.append(f'<circle cx="{lx + 6}" cy="{y0 + 10}" r="5" fill="{_ACCENT}"/>')
    out.append(f'<text x="{lx + 16}" y="{y0 + 14}" font-size="11" fill="{_INK}">observed</text>')
    out.append(f'<line x1="{lx + 6}" y1="{y0 + 26}" x2="{lx + 6}" y2="{y0 + 44}" stroke="{_ACCENT}" '
               'stroke-width="2" stroke-opacity="0.45"/>')
    out.append(f'<text x="{lx + 16}" y="{y0 + 39}" font-size="11" fill="{_INK}">95% interval</text>')
    out.append(f'<line x1="{lx}" y1="{y0 + 60}" x2="{lx + 12}" y2="{y0 + 60}" stroke="{_MUTED}" '
               'stroke-width="1.2" stroke-dasharray="6,4"/>')
    out.append(f'<text x="{lx + 16}" y="{y0 + 64}" font-size="11" fill="{_INK}">perfect</text>')
    out.append(f'<text x="{lx + 16}" y="{y0 + 78}" font-size="11" fill="{_INK}">calibration</text>')
    return out


def svg_data_uri(svg: str) -> str:
    """An SVG as a data: URI, for Markdown printed to stdout where no image file can sit beside it."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
