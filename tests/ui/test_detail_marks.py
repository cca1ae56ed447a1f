"""The detail pane marks what `show` marks: forecasts the scores leave out, the forecast a Brier comes from
when it is not the latest, records imported from a file (and when), and back-dated forecasts."""

from __future__ import annotations

import html
from datetime import date, datetime, timezone

from click.testing import CliRunner

from forecastapp.core import ledger as ops
from forecastapp.core.store import open_ledger
from tests.ui.conftest import NOW, TODAY

LATER = datetime(2026, 11, 28, 9, 5, tzinfo=timezone.utc)


def _reopened(path) -> str:
    """Ann's 60% (made 2026-03-01, recorded today: back-dated), resolved yes, withdrawn, her 10% recorded, resolved
    no on 2026-11-01: the 10% is made after the resolution day."""
    db = open_ledger(path, seed=False)
    try:
        qid, _ = ops.create_forecast(db, ops.NewQuestion(statement="Will the ceasefire hold?"), analyst="Ann",
                                     probability=0.6, made_on=date(2026, 3, 1), today=TODAY, now=NOW)
        ops.resolve(db, question_id=qid, outcome="yes", resolved_on=date(2026, 11, 1), today=TODAY, now=NOW)
        ops.retract_resolution(db, question_id=qid, reason="too soon", recorded_by="ann", now=NOW)
        ops.add_forecast(db, question_id=qid, analyst="Ann", probability=0.1, made_on=TODAY, today=TODAY, now=LATER)
        ops.resolve(db, question_id=qid, outcome="no", resolved_on=date(2026, 11, 1), today=TODAY, now=LATER)
    finally:
        db.close()
    return qid


def test_the_pane_marks_an_unscored_forecast_and_names_the_one_the_brier_comes_from(make_window, db_path):
    qid = _reopened(db_path)
    window = make_window(db_path)
    assert window.select_question(qid)
    pane = window.detail_pane
    text = pane.text.toPlainText()
    ten = text.index("10%")
    sixty = text.index("60%")
    assert text.index("not scored: made after the resolution day (2026-11-01)") > ten
    assert text.index("not scored") < sixty  # under the 10% (newest first), not under the 60%
    assert "scored: Brier 0.360" in text[sixty:]
    assert "Brier 0.360 (on Ann's 60% of 2026-03-01)" in html.unescape(pane.meta_label.text())


def test_the_pane_marks_a_back_dated_forecast(make_window, db_path):
    qid = _reopened(db_path)
    window = make_window(db_path)
    assert window.select_question(qid)
    text = window.detail_pane.text.toPlainText()
    assert "back-dated: recorded 2026-11-28, with no evidence it was made on 2026-03-01" in text
    assert text.count("back-dated") == 1  # the 10%, made the day it was recorded, is not


def test_a_brier_on_the_latest_forecast_is_not_annotated(make_window, db_path):
    db = open_ledger(db_path, seed=False)
    qid, _ = ops.create_forecast(db, ops.NewQuestion(statement="Plain?"), analyst="Ann", probability=0.2,
                                 made_on=TODAY, today=TODAY, now=NOW)
    ops.resolve(db, question_id=qid, outcome="no", resolved_on=TODAY, today=TODAY, now=LATER)
    db.close()
    window = make_window(db_path)
    assert window.select_question(qid)
    pane = window.detail_pane
    assert pane.meta_label.text().endswith("Brier 0.040")
    assert "scored" not in pane.text.toPlainText()


def test_the_pane_says_which_file_an_imported_record_came_from(make_window, db_path, tmp_path):
    from forecastapp.cli import cli

    open_ledger(db_path, seed=False).close()
    sheet = tmp_path / "claims.csv"
    sheet.write_text("Question,Forecast,Date,Outcome,Resolved on,Analyst\n"
                     "Will the dam hold?,70%,2025-03-01,no,2025-07-01,Ann Lee\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "import", str(sheet), "--format", "csv"])
    assert result.exit_code == 0, result.output
    window = make_window(db_path)
    window.select_question(window.model.id_at(0))
    detail = window.detail_pane.detail
    entered = detail.resolutions[0].origin.imported_at[:10]
    text = window.detail_pane.text.toPlainText()
    mark = f"imported from claims.csv on {entered}; its dates are the file's"
    assert text.count(mark) == 2  # the forecast and the resolution
    assert text.index(mark, text.index("resolved no on 2025-07-01")) > text.index("resolved no on 2025-07-01")
