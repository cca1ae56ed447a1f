"""Issue 11, items 1-3: no forecast recorded after its question's outcome was on the record is ever scored.

Each test replays an adversary's steps through the command line, as a user would type them. The CLI
reads the real clock, so days are counted back from today.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

TODAY = date.today()
MONTH_AGO = (TODAY - timedelta(days=30)).isoformat()
FORTNIGHT_AGO = (TODAY - timedelta(days=14)).isoformat()


@pytest.fixture
def question(run_cli):
    """'Will X happen', Ann 20% made a month ago; returns (run_cli, question id)."""
    code, _, err = run_cli("init", "--empty")
    assert code == 0, err
    code, out, err = run_cli("add", "Will X happen", "-p", "20%", "-a", "Ann", "--made-on", MONTH_AGO)
    assert code == 0, err
    return run_cli, out.strip()


def _card(run_cli) -> dict:
    code, out, err = run_cli("scorecard")
    assert code == 0, err
    card = json.loads(out)
    assert card["ledger"]["verified"] is True, card["ledger"]["verify"]
    return card


def test_an_update_after_the_resolution_is_refused_and_the_score_stands(question):
    run_cli, qid = question
    assert run_cli("resolve", qid, "-o", "yes")[0] == 0  # resolved today
    code, out, err = run_cli("update", qid, "-p", "99.9%", "-a", "Ann")  # made today, the resolution day
    assert code == 2 and out == ""
    assert err.strip().endswith("a forecast recorded after its resolution would be hindsight and is refused")
    assert len(err.strip().splitlines()) == 1
    card = _card(run_cli)
    assert card["overall"]["n"] == 1
    assert card["overall"]["brier"] == pytest.approx(0.64)


def test_a_correction_keeps_the_day_it_corrects(question):
    run_cli, qid = question
    assert run_cli("resolve", qid, "-o", "yes", "--resolved-on", FORTNIGHT_AGO)[0] == 0
    code, _, err = run_cli("correct", qid, "--outcome", "no", "--evidence", "typo fix")
    assert code == 0, err
    shown = json.loads(run_cli("show", qid, "--format", "json")[1])
    assert shown["outcome"] == "no" and shown["resolved_on"] == FORTNIGHT_AGO
    code, _, err = run_cli("update", qid, "-p", "0.001", "-a", "Ann")
    assert code == 2 and "hindsight" in err
    card = _card(run_cli)
    assert card["overall"]["brier"] == pytest.approx(0.04)  # the 20% made before, scored against "no"


def test_a_correction_may_still_move_the_day_when_told_to(question):
    run_cli, qid = question
    assert run_cli("resolve", qid, "-o", "yes", "--resolved-on", FORTNIGHT_AGO)[0] == 0
    assert run_cli("correct", qid, "-o", "yes", "--resolved-on", MONTH_AGO, "--evidence", "it was earlier")[0] == 0
    assert json.loads(run_cli("show", qid, "--format", "json")[1])["resolved_on"] == MONTH_AGO


def test_a_forecast_made_through_a_reopening_is_kept_but_never_scored(question):
    run_cli, qid = question
    assert run_cli("resolve", qid, "-o", "yes", "--resolved-on", FORTNIGHT_AGO)[0] == 0
    assert run_cli("unresolve", qid, "--reason", "oops")[0] == 0
    # Even claimed to be made before the outcome, it is recorded after the outcome was on the record.
    code, out, err = run_cli("update", qid, "-p", "99.9%", "-a", "Ann", "--made-on", MONTH_AGO)
    assert code == 0 and out.strip()
    assert "never scored" in err
    assert run_cli("resolve", qid, "-o", "yes", "--resolved-on", FORTNIGHT_AGO)[0] == 0
    card = _card(run_cli)
    assert card["overall"]["n"] == 1
    assert card["overall"]["brier"] == pytest.approx(0.64)
    assert card["excluded"]["hindsight"] == 1
    # A second analyst who only forecast after the reopening has no scored pair at all.
    assert run_cli("unresolve", qid)[0] == 0
    assert run_cli("update", qid, "-p", "99%", "-a", "Bo")[0] == 0
    assert run_cli("resolve", qid, "-o", "yes")[0] == 0
    card = _card(run_cli)
    assert [a["name"] for a in card["analysts"]] == ["Ann"]
    assert card["excluded"]["hindsight"] == 2


def test_a_reopened_question_stays_unscored_for_later_forecasts_whichever_way_it_ends(question):
    run_cli, qid = question
    assert run_cli("resolve", qid, "-o", "no")[0] == 0
    assert run_cli("unresolve", qid)[0] == 0
    assert run_cli("update", qid, "-p", "0.1%", "-a", "Ann")[0] == 0
    assert run_cli("resolve", qid, "-o", "no")[0] == 0
    card = _card(run_cli)
    assert card["overall"]["brier"] == pytest.approx(0.04)
    assert card["excluded"]["hindsight"] == 1


def test_hindsight_stays_out_through_an_export_and_a_restore(question, run_cli, tmp_path):
    run_cli_, qid = question
    assert run_cli_("resolve", qid, "-o", "yes")[0] == 0
    assert run_cli_("unresolve", qid)[0] == 0
    assert run_cli_("update", qid, "-p", "99.9%", "-a", "Ann", "--made-on", MONTH_AGO)[0] == 0
    assert run_cli_("resolve", qid, "-o", "yes")[0] == 0
    export = tmp_path / "all.json"
    assert run_cli_("export", str(export))[0] == 0
    other = tmp_path / "restored.db"
    assert run_cli("init", "--empty", db=other)[0] == 0
    assert run_cli("import", str(export), db=other)[0] == 0
    card = json.loads(run_cli("scorecard", db=other)[1])
    assert card["overall"]["brier"] == pytest.approx(0.64) and card["excluded"]["hindsight"] == 1


def test_a_scorecard_with_hindsight_and_imports_verifies_at_an_earlier_head(question, run_cli, tmp_path):
    run_cli_, qid = question
    assert run_cli_("resolve", qid, "-o", "yes")[0] == 0
    assert run_cli_("unresolve", qid)[0] == 0
    assert run_cli_("update", qid, "-p", "99.9%", "-a", "Ann")[0] == 0
    assert run_cli_("resolve", qid, "-o", "yes")[0] == 0
    sheet = tmp_path / "claims.csv"
    sheet.write_text("Question,Forecast,Date,Outcome,Resolved on,Analyst\n"
                     "Will the treaty be signed?,99%,2025-01-01,yes,2026-06-30,Bo\n", encoding="utf-8")
    assert run_cli_("import", str(sheet), "--format", "csv")[0] == 0
    card = tmp_path / "card.json"
    assert run_cli_("scorecard", "--output", str(card))[0] == 0
    stated = json.loads(card.read_text())
    assert stated["excluded"]["hindsight"] == 1 and stated["overall"]["imported_pairs"] == 1
    assert run_cli_("add", "Later?", "-p", "50%", "-a", "Ann")[0] == 0  # the head moves on
    export = tmp_path / "later.json"
    assert run_cli_("export", str(export))[0] == 0
    for extra in ((), ("--ledger", str(export))):
        code, out, err = run_cli_("verify", "--scorecard", str(card), *extra)
        assert code == 0, out + err
        assert out.strip().endswith("match"), out
