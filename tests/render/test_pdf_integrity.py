"""The PDF scorecard states the ledger's integrity, as the Markdown and HTML reports do."""

from __future__ import annotations

import sqlite3
from datetime import date

from PySide6.QtPdf import QPdfDocument

from forecastapp.core import ledger as ops
from forecastapp.core.scorecard import build_scorecard
from forecastapp.render.pdf import render_pdf
from tests.conftest import NOW, TODAY


def test_the_pdf_states_the_verified_ledger_and_its_chain_head(qapp, ledger, db_path, tmp_path):
    qid, _ = ops.create_forecast(ledger, ops.NewQuestion(statement="Treaty signed?"), analyst="Ann", probability=0.8,
                                 made_on=date(2026, 3, 1), today=TODAY, now=NOW)
    ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=date(2026, 4, 1), today=TODAY, now=NOW)
    conn = sqlite3.connect(db_path)
    head = conn.execute("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()[0]
    conn.close()
    path = tmp_path / "card.pdf"
    path.write_bytes(render_pdf(build_scorecard(ledger, verify=True, today=TODAY, now=NOW)))
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    text = " ".join(doc.getAllText(0).text().split())  # the layout may break lines anywhere
    doc.close()
    assert "Ledger verified: 4 records, chain head" in text  # Ann, the question, her forecast, the resolution
    assert head in text.replace(" ", "")
