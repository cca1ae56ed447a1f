"""PDF import through QtPdf, on a PDF the test draws with Qt's own PDF writer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

PAGE_ONE = "Outlook for Veska. The regime is likely to survive by 2030."
PAGE_TWO = "Kim visited Moscow in 2023. Sanctions will probably not be lifted."


def _make_pdf(path: Path, pages: list[str]) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPageSize, QPainter, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    for index, text in enumerate(pages):
        if index:
            writer.newPage()
        document = QTextDocument()
        document.setPlainText(text)
        document.setTextWidth(area.width())
        document.drawContents(painter, QRectF(0, 0, area.width(), area.height()))
    painter.end()


@pytest.fixture
def pdf_file(qapp, tmp_path: Path) -> Path:
    path = tmp_path / "veska.pdf"
    _make_pdf(path, [PAGE_ONE, PAGE_TWO])
    return path


def test_pdf_text_reads_every_page(pdf_file: Path):
    from forecastapp.render.pdf_text import pdf_text

    text = pdf_text(pdf_file)
    # Page breaks become a blank line; the words of both pages come back in order.
    assert " ".join(text.split()) == f"{PAGE_ONE} {PAGE_TWO}"
    assert "\n\n" in text


def test_pdf_import_end_to_end(pdf_file: Path, run_cli):
    code, out, err = run_cli("document", "import", str(pdf_file), "--published", "2024-01-15")
    assert code == 0, err
    doc_id = out.splitlines()[0]
    assert 'Imported "veska"' in out
    candidates = json.loads(run_cli("document", "candidates", doc_id, "--format", "json")[1])
    assert [" ".join(c["sentence"].split()) for c in candidates] == [
        "The regime is likely to survive by 2030.", "Sanctions will probably not be lifted."]
    assert [c["probability"] for c in candidates] == [0.675, 0.325]
    ids = run_cli("document", "accept", doc_id, candidates[0]["id"])[1].split()
    assert len(ids) == 1


def test_a_damaged_pdf_is_refused(qapp, tmp_path: Path, run_cli):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\nnot really a pdf")
    code, out, err = run_cli("document", "import", str(path))
    assert code == 2 and out == "" and "broken.pdf" in err


def test_a_pdf_through_a_pipe_is_read_once(pdf_file: Path, run_cli, tmp_path: Path):
    """`document import <(cat report.pdf)`: the bytes arrive once, and the PDF reader still gets them all."""
    import os
    import threading

    fifo = tmp_path / "report.pdf"
    os.mkfifo(fifo)
    data = pdf_file.read_bytes()

    def feed() -> None:
        with open(fifo, "wb") as pipe:
            pipe.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    code, out, err = run_cli("document", "import", str(fifo))
    writer.join(timeout=10)
    assert code == 0, err
    assert 'Imported "report": 4 sentences, 2 candidate forecasts' in out
