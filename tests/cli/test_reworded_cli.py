"""Issue 11, item 9: forecasts made before an edit changed what their question asks are marked in the scorecard.

Flipping a statement ("X happens" to "X does not happen") after forecasting would turn a bad forecast into a
good one. The edit is on the record, and every pair whose final forecast was made on the earlier wording is
counted (`reworded_pairs`), flagged (`reworded`) and can be left out (`--exclude-reworded`).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

MONTH_AGO = (date.today() - timedelta(days=30)).isoformat()


@pytest.fixture
def flipped(run_cli):
    """Ann said 10% that X happens; the statement was then flipped to 'X does not happen', and it resolved yes."""
    assert run_cli("init", "--empty")[0] == 0
    qid = run_cli("add", "X happens", "-p", "10%", "-a", "Ann", "--made-on", MONTH_AGO)[1].strip()
    code, out, err = run_cli("edit", qid, "--statement", "X does not happen", "--reason", "clearer")
    assert code == 0, err
    assert run_cli("resolve", qid, "-o", "yes")[0] == 0
    return run_cli, qid


def test_a_forecast_on_the_earlier_wording_is_marked(flipped):
    run_cli, _ = flipped
    card = json.loads(run_cli("scorecard")[1])
    assert card["ledger"]["verified"] is True
    assert card["overall"]["n"] == 1 and card["overall"]["reworded_pairs"] == 1
    [pair] = card["pairs"]
    assert pair["reworded"] is True and pair["statement"] == "X does not happen"
    _, md, _ = run_cli("scorecard", "--format", "md")
    assert "1 of 1 scored pairs rest on a final forecast made before an edit changed what its question asks" in md


def test_exclude_reworded_scores_without_them(flipped):
    run_cli, _ = flipped
    card = json.loads(run_cli("scorecard", "--exclude-reworded")[1])
    assert card["filters"]["exclude_reworded"] is True
    assert card["overall"]["n"] == 0 and card["excluded"]["reworded"] == 1


def test_a_forecast_made_after_the_edit_is_not_marked(run_cli):
    assert run_cli("init", "--empty")[0] == 0
    qid = run_cli("add", "X happens", "-p", "10%", "-a", "Ann", "--made-on", MONTH_AGO)[1].strip()
    assert run_cli("edit", qid, "--statement", "X does not happen", "--reason", "clearer")[0] == 0
    assert run_cli("update", qid, "-p", "80%", "-a", "Ann")[0] == 0  # Ann's final forecast: on the new wording
    assert run_cli("update", qid, "-p", "70%", "-a", "Bo")[0] == 0
    assert run_cli("resolve", qid, "-o", "yes")[0] == 0
    card = json.loads(run_cli("scorecard")[1])
    assert card["overall"]["n"] == 2 and card["overall"]["reworded_pairs"] == 0


def test_an_edit_that_changes_no_meaning_or_is_undone_marks_nothing(run_cli):
    assert run_cli("init", "--empty")[0] == 0
    qid = run_cli("add", "X happens", "-p", "10%", "-a", "Ann", "--made-on", MONTH_AGO)[1].strip()
    assert run_cli("edit", qid, "--tag", "asia", "--reason", "filing")[0] == 0
    assert run_cli("edit", qid, "--statement", "X does not happen", "--reason", "oops")[0] == 0
    assert run_cli("edit", qid, "--statement", "X happens", "--reason", "undo the oops")[0] == 0
    assert run_cli("resolve", qid, "-o", "no")[0] == 0
    card = json.loads(run_cli("scorecard")[1])
    assert card["overall"]["n"] == 1 and card["overall"]["reworded_pairs"] == 0
