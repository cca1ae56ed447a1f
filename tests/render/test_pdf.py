"""The PDF report: it opens, its first page is drawn, it is A4 with page numbers, and the chart is vectors.

Every test asks for pytest-qt's `qapp`, so the renderer finds the session's QApplication instead of
creating a bare QGuiApplication that the widget tests could not use.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from PySide6.QtPdf import QPdfDocument

from forecastapp.core import ledger as ops
from forecastapp.core.scorecard import build_scorecard
from forecastapp.render.pdf import render_pdf
from tests.conftest import NOW, TODAY


def _open(tmp_path, data: bytes) -> QPdfDocument:
    path = tmp_path / "card.pdf"
    path.write_bytes(data)
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    return doc


def _ink(doc: QPdfDocument, page: int) -> float:
    """Share of the page's pixels that are not white."""
    image = doc.render(page, QSize(298, 421))
    white = QColor("white").rgb()
    inked = sum(1 for y in range(image.height()) for x in range(image.width()) if image.pixel(x, y) != white)
    return inked / (image.width() * image.height())


@pytest.fixture
def card(ledger):
    for i, (p, outcome) in enumerate([(0.8, "yes"), (0.3, "no"), (0.6, "no"), (0.9, "yes")]):
        qid, _ = ops.create_forecast(ledger, ops.NewQuestion(statement=f"<script>alert({i})</script> & more?"),
                                     analyst="Ann", probability=p, made_on=date(2026, 3, 1), today=TODAY, now=NOW)
        ops.resolve(ledger, question_id=qid, outcome=outcome, resolved_on=date(2026, 4, 1), today=TODAY, now=NOW)
    return build_scorecard(ledger, today=TODAY, now=NOW)


def test_pdf_opens_and_its_first_page_is_drawn(qapp, card, tmp_path):
    data = render_pdf(card)
    assert data.startswith(b"%PDF")
    doc = _open(tmp_path, data)
    assert doc.pageCount() >= 1
    assert _ink(doc, 0) > 0.02


def test_pdf_pages_are_a4_and_numbered(qapp, card, tmp_path):
    doc = _open(tmp_path, render_pdf(card))
    size = doc.pagePointSize(0)
    assert (round(size.width()), round(size.height())) == (595, 842)  # A4 in points
    pages = doc.pageCount()
    for page in range(pages):
        assert f"Page {page + 1} of {pages}" in doc.getAllText(page).text()


def test_pdf_prints_user_text_as_text_and_draws_the_chart_as_vectors(qapp, card, tmp_path):
    data = render_pdf(card)
    doc = _open(tmp_path, data)
    text = " ".join(doc.getAllText(page).text() for page in range(doc.pageCount()))
    assert "<script>alert(0)</script> & more?" in " ".join(text.split())
    assert "Calibration of 4 scored pairs" in " ".join(text.split())  # the chart's title is text, not pixels
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data


def test_pdf_of_an_empty_ledger(qapp, ledger, tmp_path):
    card = build_scorecard(ledger, today=TODAY, now=NOW)
    doc = _open(tmp_path, render_pdf(card))
    assert doc.pageCount() >= 1 and _ink(doc, 0) > 0.01
    assert "No scored pairs match these filters" in " ".join(doc.getAllText(0).text().split())
