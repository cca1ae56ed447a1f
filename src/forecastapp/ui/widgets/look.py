"""Colours, status icons and the app icon, chosen to stay readable in light and dark palettes.

The table, the detail pane and the chart ask here instead of hard-coding colours, so a dark
palette gets lighter tones of the same hues (a dark red on a dark background is unreadable).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap

# (light palette, dark palette) pairs; the light tones pass WCAG AA contrast on white,
# the dark tones on #2b2b2b.
_TONES: dict[str, tuple[str, str]] = {
    "due": ("#b45309", "#f59e0b"),  # orange: needs the analyst's attention
    "yes": ("#15803d", "#4ade80"),  # green
    "no": ("#b91c1c", "#f87171"),  # red
    "annulled": ("#6b7280", "#9ca3af"),  # grey
    "open": ("#1d4ed8", "#93c5fd"),  # blue, quiet
    "accent": ("#1d4ed8", "#60a5fa"),  # the chart's line
    "error": ("#b91c1c", "#fca5a5"),  # inline field errors
    "highlight": ("#fde68a", "#854d0e"),  # excerpt highlight background
    # Candidate forecasts in the review view, by strength: one hue, deeper for stronger cues. Body
    # text stays readable on each (dark text on the light tones, light text on the dark ones).
    "strong": ("#fbbf24", "#b45309"),
    "moderate": ("#fde68a", "#854d0e"),
    "weak": ("#fef3c7", "#57452a"),
}


#: What the detail pane says while no question is selected (also its stand-in before it is built).
DETAIL_EMPTY_TEXT = "Select a question to see its statement, source and history."


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette draws light text on a dark background."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def tone(name: str, palette: QPalette | None = None) -> QColor:
    """The colour called `name` in the current palette (see `_TONES`)."""
    light, dark = _TONES[name]
    return QColor(dark if is_dark(palette) else light)


def status_key(status: str, outcome: str | None) -> str:
    """Which tone and icon a question's status uses: open, due, yes, no or annulled."""
    if status == "resolved" and outcome in ("yes", "no"):
        return outcome
    return status


@lru_cache(maxsize=16)
def _status_icon(key: str, dark: bool) -> QIcon:
    colour = QColor(_TONES[key][1 if dark else 0])
    icon = QIcon()
    for size in (16, 32):  # 32 for 200% scaling
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = size / 16.0
        pen = QPen(colour, 1.6 * s)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        circle = QRectF(1.5 * s, 1.5 * s, 13 * s, 13 * s)
        if key == "open":
            p.setPen(pen)
            p.drawEllipse(circle)
        elif key == "due":
            # A filled disc with an exclamation mark: the shape differs, not only the colour.
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawEllipse(circle)
            mark = QPen(QColor("white"), 2.0 * s)
            mark.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(mark)
            p.drawLine(QPointF(8 * s, 4.5 * s), QPointF(8 * s, 9 * s))
            p.drawPoint(QPointF(8 * s, 11.5 * s))
        elif key == "yes":
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawEllipse(circle)
            path = QPainterPath(QPointF(4.5 * s, 8.2 * s))
            path.lineTo(7 * s, 10.7 * s)
            path.lineTo(11.5 * s, 5.5 * s)
            p.setPen(QPen(QColor("white"), 1.8 * s))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        elif key == "no":
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawEllipse(circle)
            p.setPen(QPen(QColor("white"), 1.8 * s))
            p.drawLine(QPointF(5.2 * s, 5.2 * s), QPointF(10.8 * s, 10.8 * s))
            p.drawLine(QPointF(10.8 * s, 5.2 * s), QPointF(5.2 * s, 10.8 * s))
        else:  # annulled: a struck-through circle
            p.setPen(pen)
            p.drawEllipse(circle)
            p.drawLine(QPointF(4 * s, 12 * s), QPointF(12 * s, 4 * s))
        p.end()
        icon.addPixmap(pm)
    return icon


def status_icon(key: str) -> QIcon:
    """A small icon for a status key (shape and colour both differ, for colour-blind users)."""
    return _status_icon(key, is_dark())


def app_icon() -> QIcon:
    """The application icon, drawn from resources/icons/forecastapp.svg."""
    from forecastapp.core.resources import resource_path

    path = resource_path("icons", "forecastapp.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
