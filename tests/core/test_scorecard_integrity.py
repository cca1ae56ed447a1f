"""What a scorecard states about the ledger it was drawn from: the chain head, whether the chain verified,
and how many scored pairs rest on back-dated forecasts (with `exclude_backdated` leaving them out).

Expected values are worked out by hand here (hashes are read straight from the `chain` table with sqlite3,
Briers written out as (p - o)^2), never by calling the code under test.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core import report
from forecastapp.core.scorecard import build_scorecard
from forecastapp.core.store import open_ledger
from tests.conftest import NOW, TODAY
from tests.core.tampering import tamper

DATA = Path(__file__).resolve().parents[1] / "data"
RESOLVED = date(2026, 11, 28)  # TODAY: every question below resolves today


def _chain(path: Path) -> tuple[str, int]:
    """(head, number of links) read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        head = conn.execute("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()[0]
        return head, conn.execute("SELECT count(*) FROM chain").fetchone()[0]
    finally:
        conn.close()


def _ask(db, statement, p, made_on, *, analyst="Ann", now=NOW):
    qid, _ = ops.create_forecast(db, ops.NewQuestion(statement=statement), analyst=analyst, probability=p,
                                 made_on=made_on, today=TODAY, now=now)
    return qid


def _resolve(db, qid, outcome):
    ops.resolve(db, question_id=qid, outcome=outcome, resolved_on=RESOLVED, today=TODAY, now=NOW)


@pytest.fixture
def backdating(ledger):
    """Six scored pairs, recorded on 28 Nov 2026 unless said otherwise; three rest on a back-dated final forecast.

    Back-dated means made on more than a day before the day it was recorded: made on 26 Nov and recorded
    on 28 Nov is back-dated, made on 27 Nov is not.
    """
    q1 = _ask(ledger, "Q1 made the day it was recorded", 0.8, date(2026, 11, 28))
    q2 = _ask(ledger, "Q2 made long before it was recorded", 0.9, date(2025, 6, 1))
    q3 = _ask(ledger, "Q3 made one day before", 0.3, date(2026, 11, 27), analyst="Bob")
    q4 = _ask(ledger, "Q4 made two days before", 0.6, date(2026, 11, 26), analyst="Bob")
    # Q5: an early back-dated forecast, then an on-time update: the final forecast is not back-dated.
    q5 = _ask(ledger, "Q5 back-dated first, then on time", 0.5, date(2025, 1, 1))
    ops.add_forecast(ledger, question_id=q5, analyst="Ann", probability=0.7, made_on=date(2026, 11, 28),
                     today=TODAY, now=NOW)
    # Q6: an on-time forecast recorded on 20 Nov, then one made on 25 Nov but recorded on 28 Nov: the final
    # forecast (the latest made-on day) is back-dated.
    q6 = _ask(ledger, "Q6 on time first, back-dated last", 0.4, date(2026, 11, 20),
              now=datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc))
    ops.add_forecast(ledger, question_id=q6, analyst="Ann", probability=0.2, made_on=date(2026, 11, 25),
                     today=TODAY, now=NOW)
    for qid, outcome in ((q1, "yes"), (q2, "yes"), (q3, "no"), (q4, "yes"), (q5, "yes"), (q6, "no")):
        _resolve(ledger, qid, outcome)
    return ledger


# --- back-dated pairs ------------------------------------------------------------------------------


def test_every_group_counts_the_pairs_that_rest_on_a_back_dated_final_forecast(backdating):
    card = build_scorecard(backdating, today=TODAY, now=NOW)
    assert card.overall.n == 6
    assert card.overall.marked_pairs("backdated") == 3  # Q2, Q4, Q6
    by_analyst = {a.name: (a.n, a.marked_pairs("backdated")) for a in card.analysts}
    assert by_analyst == {"Ann": (4, 2), "Bob": (2, 1)}  # Ann: Q2 and Q6; Bob: Q4
    assert sum(h.marked_pairs("backdated") for h in card.horizons) == 3
    assert card.excluded.left_out_for("backdated") == 0 and card.filters.excludes("backdated") is False


def test_exclude_backdated_scores_without_them_and_counts_them_as_left_out(backdating):
    card = build_scorecard(backdating, exclude_backdated=True, today=TODAY, now=NOW)
    # Left: Q1 (0.8, yes), Q3 (0.3, no), Q5 (final 0.7, yes).
    assert card.overall.n == 3
    assert card.overall.brier == pytest.approx(((0.8 - 1) ** 2 + (0.3 - 0) ** 2 + (0.7 - 1) ** 2) / 3)
    assert card.overall.marked_pairs("backdated") == 0
    assert sorted(p["statement"][:2] for p in card.pairs) == ["Q1", "Q3", "Q5"]
    assert card.excluded.left_out_for("backdated") == 3
    # A question whose only pair was left out still had a forecast before it resolved.
    assert card.excluded.no_forecast_before_resolution == 0
    assert card.filters.excludes("backdated") is True


def test_exclude_backdated_with_an_analyst_filter_counts_only_that_analysts_pairs(backdating):
    card = build_scorecard(backdating, analyst="bob", exclude_backdated=True, today=TODAY, now=NOW)
    assert card.overall.n == 1 and card.overall.brier == pytest.approx(0.3**2)
    assert card.excluded.left_out_for("backdated") == 1


def test_a_retraction_that_makes_an_earlier_forecast_final_updates_the_count(backdating):
    # Q6's back-dated final forecast is withdrawn: the on-time one of 20 Nov becomes final.
    fid = backdating.execute(
        "SELECT f.id FROM forecasts f JOIN questions q ON q.id = f.question_id"
        " WHERE q.statement LIKE 'Q6%' AND f.made_on = '2026-11-25'").fetchone()[0]
    ops.retract_forecast(backdating, forecast_id=fid, reason="entered late", now=NOW)
    card = build_scorecard(backdating, today=TODAY, now=NOW)
    assert card.overall.marked_pairs("backdated") == 2


def test_an_old_ledger_gets_its_back_dated_pairs_marked_when_migrated(tmp_path):
    # ledger-0001.db: question one, resolved, has Ann's forecast made on 10 Jan and Bo's made on 1 Feb,
    # both recorded on 1 Nov 2026: both pairs rest on back-dated forecasts.
    path = tmp_path / "ledger.db"
    shutil.copyfile(DATA / "ledger-0001.db", path)
    db = open_ledger(path, seed=False)
    try:
        rows = db.execute("SELECT final_backdated FROM pair_scores").fetchall()
        assert rows == [(1,), (1,)]
        assert build_scorecard(db, today=TODAY, now=NOW).overall.marked_pairs("backdated") == 2
    finally:
        db.close()


def test_reports_say_how_many_pairs_are_back_dated_or_left_out(backdating):
    card = build_scorecard(backdating, today=TODAY, now=NOW)
    md = report.to_markdown(card)
    assert "3 of 6 scored pairs rest on a back-dated final forecast" in md
    assert "| Of which the final forecast was back-dated | 3 |" in md
    html = report.to_html(build_scorecard(backdating, exclude_backdated=True, today=TODAY, now=NOW))
    assert "3 scored pairs whose final forecast was back-dated (made on more than a day before it was recorded) " \
           "were left out." in html
    assert "back-dated forecasts left out" in html  # in the filters line
    assert "<td>Scored pairs left out: final forecast back-dated</td><td class=\"num\">3</td>" in html
    groups = report.to_csv(card).split("\n\n")[0].splitlines()
    assert groups[0].endswith(",backdated_pairs,imported_pairs,reworded_pairs") and groups[1].startswith("overall,,6,")
    assert groups[1].endswith(",3,0,0")


# --- the ledger's integrity ------------------------------------------------------------------------


def test_the_scorecard_states_the_chain_head_without_verifying_by_default(backdating, db_path):
    head, _ = _chain(db_path)
    ledger = build_scorecard(backdating, today=TODAY, now=NOW).ledger
    assert ledger.chain_head == head
    assert ledger.verified is None and ledger.verify is None and ledger.chain_records is None
    assert "(the chain was not verified for this scorecard" in report.integrity_text(ledger)


def test_verify_states_the_records_checked_and_the_head(backdating, db_path):
    head, links = _chain(db_path)
    ledger = build_scorecard(backdating, verify=True, today=TODAY, now=NOW).ledger
    # 8 forecasts, 6 resolutions, 2 analysts and 6 questions' versions were written, each one link.
    assert links == 22
    assert (ledger.chain_head, ledger.chain_records, ledger.verified) == (head, 22, True)
    assert ledger.verify == f"verified: 22 records, head {head}"


def test_a_tampered_ledger_makes_the_scorecard_say_where_the_chain_breaks(backdating, db_path):
    target = backdating.execute("SELECT id FROM forecasts ORDER BY seq LIMIT 1 OFFSET 1").fetchone()[0]
    backdating.close()
    tamper(db_path, "UPDATE forecasts SET probability = 0.99 WHERE id = ?", [target])
    db = open_ledger(db_path, seed=False)
    try:
        card = build_scorecard(db, verify=True, today=TODAY, now=NOW)
    finally:
        db.close()
    ledger = card.ledger
    assert ledger.verified is False and ledger.chain_records is None
    # The second forecast written is the fifth link: Ann, Q1's version, Q1's forecast, Q2's version, it.
    assert ledger.verify.startswith(f"broken at record 5 (forecasts {target}): the record does not match")
    for text in (report.to_markdown(card), report.to_html(card)):
        assert "Ledger chain broken at record 5 (forecasts" in text
        assert "These figures may rest on records changed after they were written" in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_state_the_verified_ledger_and_its_full_head(backdating, db_path, fmt):
    head, links = _chain(db_path)
    card = build_scorecard(backdating, verify=True, today=TODAY, now=NOW)
    text = report.scorecard_text(card, fmt)
    assert f"Ledger verified: {links} records, chain head {head}." in text


def test_an_empty_ledger_states_the_genesis_head_and_verifies(ledger):
    card = build_scorecard(ledger, verify=True, today=TODAY, now=NOW)
    assert card.ledger.chain_head == "0" * 64
    assert (card.ledger.verified, card.ledger.chain_records) == (True, 0)
    assert "Ledger verified: 0 records, chain head " + "0" * 64 in report.to_markdown(card)
