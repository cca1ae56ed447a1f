"""`forecastapp scorecard --exclude-backdated`: pairs resting on back-dated forecasts are counted, or left out.

The CLI reads the real clock, so the forecasts here are made on today (not back-dated) or on 1 Jan 2020
(back-dated on any later day), and every question resolves today.
"""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def mixed(run_cli):
    """Three resolved questions: two forecast on the day they were entered, one entered years late."""
    code, _, err = run_cli("init", "--empty")
    assert code == 0, err
    for statement, p, outcome, made_on in (("On time, happened?", "80%", "yes", None),
                                           ("On time, did not?", "20%", "no", None),
                                           ("Entered late, happened?", "90%", "yes", "2020-01-01")):
        args = ["add", statement, "-p", p, "-a", "Ann"] + (["--made-on", made_on] if made_on else [])
        code, out, err = run_cli(*args)
        assert code == 0, err
        code, _, err = run_cli("resolve", out.strip(), "-o", outcome)
        assert code == 0, err
    return run_cli


def test_the_scorecard_counts_back_dated_pairs(mixed):
    code, out, _ = mixed("scorecard", "--no-verify")
    card = json.loads(out)
    assert card["overall"]["n"] == 3 and card["overall"]["backdated_pairs"] == 1
    assert card["excluded"]["backdated"] == 0


def test_exclude_backdated_scores_without_them(mixed):
    code, out, err = mixed("scorecard", "--exclude-backdated")
    assert (code, err) == (0, "")
    card = json.loads(out)
    assert card["filters"]["exclude_backdated"] is True
    assert card["overall"]["n"] == 2
    assert card["overall"]["brier"] == pytest.approx(((0.8 - 1) ** 2 + (0.2 - 0) ** 2) / 2)
    assert card["excluded"]["backdated"] == 1
    assert sorted(p["statement"] for p in card["pairs"]) == ["On time, did not?", "On time, happened?"]


def test_reports_say_it(mixed):
    _, md, _ = mixed("scorecard", "--format", "md")
    assert "1 of 3 scored pairs rest on a back-dated final forecast" in md
    assert "Ledger verified: " in md
    _, md, _ = mixed("scorecard", "--format", "md", "--exclude-backdated")
    assert "1 scored pair whose final forecast was back-dated (made on more than a day before it was recorded) " \
           "was left out." in md
