"""Issue 11, item 5: what a scorecard reports must follow from the chained history, or `verify` says so.

Each forgery edits a table the hash chain does not cover (derived data) with plain SQL, as anyone with
the file could, and `verify` must name it; the scorecard must then not say "Ledger verified".
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest

MONTH_AGO = (date.today() - timedelta(days=30)).isoformat()


@pytest.fixture
def two_questions(run_cli, db_path):
    """Ann: 'Rain?' 80% resolved no; 'Snow?' 30%, still open. Returns (run_cli, rain id, snow id)."""
    assert run_cli("init", "--empty")[0] == 0
    rain = run_cli("add", "Rain?", "-p", "80%", "-a", "Ann", "--made-on", MONTH_AGO)[1].strip()
    snow = run_cli("add", "Snow?", "-p", "30%", "-a", "Ann", "--made-on", MONTH_AGO)[1].strip()
    assert run_cli("resolve", rain, "-o", "no")[0] == 0
    code, out, err = run_cli("verify")
    assert code == 0, out + err
    return run_cli, rain, snow


def _sql(db_path, *statements: str) -> None:
    conn = sqlite3.connect(db_path)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def _forged(run_cli, needle: str) -> None:
    code, out, err = run_cli("verify")
    assert code == 1, out + err
    assert out.startswith("derived data does not match the history") and needle in out, out
    assert len(out.strip().splitlines()) == 1
    code, out, err = run_cli("scorecard")
    card = json.loads(out)
    assert card["ledger"]["verified"] is False and needle in card["ledger"]["verify"]
    code, md, err = run_cli("scorecard", "--format", "md")
    assert "Ledger verified" not in md


def test_an_edited_score_is_named(two_questions, db_path):
    run_cli, rain, _ = two_questions
    _sql(db_path, "UPDATE pair_scores SET brier = 0.0001")
    _forged(run_cli, f"question {rain[:8]}")
    code, out, _ = run_cli("verify")
    assert "has brier 0.0001, the history gives 0.64" in out


def test_an_outcome_set_without_a_resolution_record_is_named(two_questions, db_path):
    run_cli, _, snow = two_questions
    _sql(db_path, f"UPDATE questions SET outcome = 'no', resolved_on = '{MONTH_AGO}' WHERE id = '{snow}'")
    _forged(run_cli, f"question {snow[:8]} is stored as resolved no")


def test_a_question_hidden_without_a_log_record_is_named(two_questions, db_path):
    run_cli, rain, _ = two_questions
    _sql(db_path, f"UPDATE questions SET deleted = 1 WHERE id = '{rain}'", "DELETE FROM pair_scores")
    _forged(run_cli, f"question {rain[:8]} is marked deleted")


def test_a_pair_slipped_in_or_taken_out_is_named(two_questions, db_path):
    run_cli, rain, _ = two_questions
    _sql(db_path, "DELETE FROM pair_scores")
    _forged(run_cli, "is missing, though the history gives it")


def test_a_hindsight_forecast_cannot_be_let_back_in(two_questions, db_path):
    run_cli, rain, _ = two_questions
    assert run_cli("unresolve", rain)[0] == 0
    assert run_cli("update", rain, "-p", "0.1%", "-a", "Ann", "--made-on", MONTH_AGO)[0] == 0
    assert run_cli("resolve", rain, "-o", "no")[0] == 0
    assert json.loads(run_cli("scorecard")[1])["excluded"]["hindsight"] == 1
    _sql(db_path, "DELETE FROM unscored_forecasts")
    _forged(run_cli, "unscored_forecasts")
