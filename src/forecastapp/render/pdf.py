"""The scorecard report as a PDF through Qt: A4, vector text and chart, page numbers in the footer.

The report is the same HTML the core writes (`core.report.to_html`), laid out by QTextDocument onto a
QPdfWriter. The calibration chart is the core's SVG drawn by QSvgRenderer straight onto the PDF
painter as a custom text object, so it stays a vector drawing instead of becoming a bitmap.

Imported only when a PDF is asked for, so the core and the rest of the CLI never load Qt.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QObject, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPyTextObject,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtSvg import QSvgRenderer

from forecastapp.core.report import CHART_HEIGHT, CHART_WIDTH, DEFAULT_MAX_PAIRS, calibration_svg, to_html
from forecastapp.core.scorecard_types import Scorecard

RESOLUTION_DPI = 300
MARGINS_MM = QMarginsF(16, 14, 16, 12)  # left, top, right, bottom
FOOTER_MM = 9.0
CHART_WIDTH_MM = 100.0
BODY_POINT_SIZE = 9.0
_CHART_URL = "forecastapp-chart:calibration"
_CHART_OBJECT = QTextFormat.ObjectTypes.UserObject + 1

# QTextDocument understands a subset of CSS, with px meaning device pixels (300 per inch here);
# this is the report's look in that subset.
_QT_STYLE = """
body { color: #111827; }
h1 { font-size: 17pt; font-weight: bold; margin-bottom: 4px; }
h2 { font-size: 12pt; font-weight: bold; margin-top: 14px; margin-bottom: 4px; color: #1e3a8a; }
p { margin-top: 2px; margin-bottom: 6px; }
p.muted { color: #4b5563; }
table { border-collapse: collapse; border-style: solid; border-color: #9ca3af; margin-bottom: 6px; }
th { background-color: #e5e7eb; font-weight: bold; text-align: left; padding: 6px; }
td { padding: 6px; }
td.num, th.num { text-align: right; }
td.nw { white-space: nowrap; }
"""

_app: QGuiApplication | None = None


def ensure_gui_app() -> QGuiApplication:
    """The running QGuiApplication, or a new one (offscreen when there is no display to talk to)."""
    global _app
    existing = QGuiApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    no_display = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if no_display and "QT_QPA_PLATFORM" not in os.environ:
        # Headless (a server, CI, ssh): the offscreen platform needs no display and still has fonts.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QGuiApplication(sys.argv[:1])
    return _app


class _SvgObject(QPyTextObject):
    """Draws one SVG as a vector object inside a QTextDocument, at a fixed size in layout units."""

    def __init__(self, svg: str, size: QSizeF, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
        self._size = size

    def intrinsicSize(self, doc, pos_in_document, fmt) -> QSizeF:  # noqa: N802 - Qt's name
        """The chart's size on the page."""
        return self._size

    def drawObject(self, painter, rect, doc, pos_in_document, fmt) -> None:  # noqa: N802 - Qt's name
        """Paint the SVG into the object's box as paths and text (no rasterising)."""
        self._renderer.render(painter, rect)


def _mm_to_px(mm: float) -> float:
    return mm / 25.4 * RESOLUTION_DPI


def _place_chart(doc: QTextDocument, svg: str) -> None:
    """Swap the report's <img> placeholder for the vector chart object."""
    width = _mm_to_px(CHART_WIDTH_MM)
    handler = _SvgObject(svg, QSizeF(width, width * CHART_HEIGHT / CHART_WIDTH), doc)
    doc.documentLayout().registerHandler(_CHART_OBJECT, handler)
    cursor = doc.find("\ufffc")
    while not cursor.isNull():
        fmt = cursor.charFormat()
        if fmt.isImageFormat() and fmt.toImageFormat().name() == _CHART_URL:
            chart = QTextCharFormat()
            chart.setObjectType(_CHART_OBJECT)
            cursor.insertText("\ufffc", chart)
        cursor = doc.find("\ufffc", cursor)


def render_pdf(card: Scorecard, *, max_pairs: int = DEFAULT_MAX_PAIRS) -> bytes:
    """The scorecard report as PDF bytes (A4 portrait, page numbers in the footer)."""
    ensure_gui_app()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     MARGINS_MM, QPageLayout.Unit.Millimeter))
    writer.setTitle("Forecast scorecard")
    writer.setCreator("forecastapp")

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)  # lay text out at the PDF's resolution
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(BODY_POINT_SIZE)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(to_html(card, max_pairs=max_pairs, chart_src=_CHART_URL, style=_QT_STYLE))
    _place_chart(doc, calibration_svg(card.overall))

    paint = writer.pageLayout().paintRectPixels(RESOLUTION_DPI)
    width, height = float(paint.width()), float(paint.height())
    footer = _mm_to_px(FOOTER_MM)
    body = height - footer
    doc.setPageSize(QSizeF(width, body))
    pages = doc.pageCount()
    stamp = f"Forecast scorecard \u00b7 generated {card.generated_at[:16].replace('T', ' ')} UTC"

    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError("Qt could not start painting the PDF")
    try:
        footer_font = QFont(font)
        footer_font.setPointSizeF(7.5)
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body)
            doc.drawContents(painter, QRectF(0, page * body, width, body))
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QPen(QColor("#9ca3af"), _mm_to_px(0.2)))
            rule = height - footer + _mm_to_px(2.5)
            painter.drawLine(QPointF(0, rule), QPointF(width, rule))
            painter.setPen(QColor("#4b5563"))
            box = QRectF(0, rule + _mm_to_px(1), width, footer - _mm_to_px(3.5))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), stamp)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             f"Page {page + 1} of {pages}")
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data())
