"""Writing a scorecard file (the one path the CLI and the desktop app share), and the status bar's mean Brier."""

from __future__ import annotations

import json
from datetime import date

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core import queries, report
from forecastapp.core.errors import ValidationError
from forecastapp.core.scorecard import build_scorecard
from tests.conftest import NOW, TODAY


def _ask(db, statement: str, p: float, outcome: str | None, *, analyst: str = "Ann") -> str:
    qid, _ = ops.create_forecast(db, ops.NewQuestion(statement=statement), analyst=analyst, probability=p,
                                 made_on=date(2026, 3, 1), today=TODAY, now=NOW)
    if outcome:
        ops.resolve(db, question_id=qid, outcome=outcome, resolved_on=date(2026, 4, 1), today=TODAY, now=NOW)
    return qid


@pytest.fixture
def out(tmp_path):
    """An empty folder for the exports (the ledger's own files live in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def card(ledger):
    _ask(ledger, "Rates rise <in March> & stay?", 0.8, "yes")
    _ask(ledger, "Exports fall?", 0.3, "no")
    return build_scorecard(ledger, today=TODAY, now=NOW)


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
def test_text_formats_write_one_file(out, card, fmt):
    target = out / f"card.{fmt}"
    assert report.write_scorecard(card, target, fmt) == [target]
    text = target.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["overall"]["n"] == 2
    elif fmt == "csv":
        assert text.splitlines()[0].startswith("group,name,n,brier")
    else:
        assert "Rates rise &lt;in March&gt; &amp; stay?" in text
    assert sorted(p.name for p in out.iterdir()) == [target.name]  # no .part left behind


def test_markdown_writes_its_chart_beside_the_report(out, card):
    target = out / "q1 report.md"
    written = report.write_scorecard(card, target, "md")
    chart = out / "q1 report-calibration.svg"
    assert written == [target, chart]
    assert chart.read_text(encoding="utf-8").lstrip().startswith("<svg")
    # CommonMark's <...> link destination allows the space in the file name.
    assert "](<q1 report-calibration.svg>)" in target.read_text(encoding="utf-8")


def test_pdf_goes_through_the_renderer_it_is_given(out, card):
    seen = []

    def fake_render(c):
        seen.append(c.overall.n)
        return b"%PDF-1.4 fake"

    target = out / "card.pdf"
    assert report.write_scorecard(card, target, "pdf", render_pdf=fake_render) == [target]
    assert seen == [2]
    assert target.read_bytes() == b"%PDF-1.4 fake"


def test_pdf_without_a_renderer_and_unknown_formats_are_refused(out, card):
    with pytest.raises(ValidationError, match="PDF"):
        report.write_scorecard(card, out / "card.pdf", "pdf")
    with pytest.raises(ValidationError, match="'docx'"):
        report.write_scorecard(card, out / "card.docx", "docx")
    assert list(out.iterdir()) == []


def test_mean_brier_is_the_mean_over_scored_pairs_of_live_questions(ledger):
    assert queries.mean_brier(ledger) is None
    _ask(ledger, "A?", 0.8, "yes")                      # (0.8 - 1)^2 = 0.04
    _ask(ledger, "B?", 0.3, "no")                       # (0.3 - 0)^2 = 0.09
    _ask(ledger, "C?", 0.6, None)                       # open: not scored
    gone = _ask(ledger, "D?", 0.9, "no")                # deleted below: not scored
    shared = _ask(ledger, "E?", 0.5, None)
    ops.add_forecast(ledger, question_id=shared, analyst="Bo", probability=0.9, made_on=date(2026, 3, 2),
                     today=TODAY, now=NOW)
    ops.resolve(ledger, question_id=shared, outcome="yes", resolved_on=date(2026, 4, 1), today=TODAY, now=NOW)
    # E is two pairs: Ann (0.5 - 1)^2 = 0.25 and Bo (0.9 - 1)^2 = 0.01.
    ops.delete_question(ledger, question_id=gone, now=NOW)
    assert queries.mean_brier(ledger) == pytest.approx((0.04 + 0.09 + 0.25 + 0.01) / 4)
