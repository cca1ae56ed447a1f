"""The Datasette-facing views give the scorecard's numbers, and every description matches the schema."""

from __future__ import annotations

import json
import math
import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from forecastapp.core import ledger as L
from forecastapp.core import scoring
from forecastapp.core.datasette import DESCRIPTIONS, metadata, metadata_json

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
METADATA_FILE = Path(__file__).resolve().parents[2] / "docs" / "metadata.json"


def _build(db) -> None:
    """Ann and Bo on five questions: two scored pairs each, one annulled and one open question."""
    add = lambda s, who, p, day: L.create_forecast(db, L.NewQuestion(s), analyst=who, probability=p,
                                                   made_on=day, today=TODAY, now=NOW)[0]
    q1 = add("Q1", "Ann", 0.5, date(2026, 3, 1))
    L.add_forecast(db, question_id=q1, analyst="Ann", probability=0.8, made_on=date(2026, 3, 4), today=TODAY, now=NOW)
    L.resolve(db, question_id=q1, outcome="yes", resolved_on=date(2026, 3, 6), today=TODAY, now=NOW)
    q2 = add("Q2", "Ann", 0.3, date(2026, 1, 10))
    L.add_forecast(db, question_id=q2, analyst="Bo", probability=0.6, made_on=date(2026, 1, 10), today=TODAY, now=NOW)
    L.resolve(db, question_id=q2, outcome="no", resolved_on=date(2026, 1, 20), today=TODAY, now=NOW)
    q3 = add("Q3", "Bo", 0.9, date(2026, 2, 1))
    L.resolve(db, question_id=q3, outcome="yes", resolved_on=date(2026, 2, 11), today=TODAY, now=NOW)
    q4 = add("Q4", "Ann", 0.7, date(2026, 2, 1))
    L.resolve(db, question_id=q4, outcome="annulled", resolved_on=date(2026, 2, 11), today=TODAY, now=NOW)
    add("Q5", "Bo", 0.2, date(2026, 2, 1))


def test_scored_pairs_lists_each_pair_with_readable_names(ledger):
    _build(ledger)
    rows = ledger.execute(
        "SELECT question, analyst, final_probability, outcome, brier, brier_time_averaged, log_score, disputed"
        " FROM scored_pairs ORDER BY question, analyst"
    ).fetchall()
    # By hand (SCORING.md): Q1 is the worked example, 0.5 on 1-3 March and 0.8 on 4-5 March, resolved yes 6 March.
    expected = [
        ("Q1", "Ann", 0.8, "yes", 0.04, (3 * 0.25 + 2 * 0.04) / 5, math.log(0.8), 0),
        ("Q2", "Ann", 0.3, "no", 0.09, 0.09, math.log(0.7), 0),
        ("Q2", "Bo", 0.6, "no", 0.36, 0.36, math.log(0.4), 0),
        ("Q3", "Bo", 0.9, "yes", 0.01, 0.01, math.log(0.9), 0),
    ]
    assert [r[:4] for r in rows] == [e[:4] for e in expected]
    for row, exp in zip(rows, expected):
        assert row[4:7] == pytest.approx(exp[4:7], abs=1e-12)
        assert row[7] == exp[7]
    # The same numbers from core.scoring, the functions the scorecard is built on.
    assert rows[0][4] == pytest.approx(scoring.brier(0.8, 1))
    assert rows[0][5] == pytest.approx(scoring.time_averaged_brier(
        [(date(2026, 3, 1), 0.5), (date(2026, 3, 4), 0.8)], 1, date(2026, 3, 6)))
    assert rows[2][6] == pytest.approx(scoring.log_score(0.6, 0))


def test_scorecard_by_analyst_gives_the_per_group_means(ledger):
    _build(ledger)
    got = {r[0]: r[1:] for r in ledger.execute(
        "SELECT analyst, n, brier, brier_time_averaged, log_score, base_rate, brier_skill_vs_50"
        " FROM scorecard_by_analyst"
    )}
    ann_brier = (0.04 + 0.09) / 2
    bo_brier = (0.36 + 0.01) / 2
    expected = {
        "Ann": (2, ann_brier, (0.166 + 0.09) / 2, (math.log(0.8) + math.log(0.7)) / 2, 0.5, 1 - ann_brier / 0.25),
        "Bo": (2, bo_brier, bo_brier, (math.log(0.4) + math.log(0.9)) / 2, 0.5, 1 - bo_brier / 0.25),
    }
    assert set(got) == set(expected)
    for name, values in expected.items():
        assert got[name][0] == values[0]
        assert got[name][1:] == pytest.approx(values[1:], abs=1e-12)


def test_the_views_agree_with_build_scorecard(ledger):
    scorecard = pytest.importorskip("forecastapp.core.scorecard")
    _build(ledger)
    card = scorecard.build_scorecard(ledger, today=TODAY, now=NOW)
    by_name = {a.name: a for a in card.analysts}
    for name, n, brier, ta, log_score, base_rate, skill in ledger.execute(
        "SELECT analyst, n, brier, brier_time_averaged, log_score, base_rate, brier_skill_vs_50 FROM scorecard_by_analyst"
    ):
        a = by_name[name]
        assert a.n == n
        assert (a.brier, a.brier_time_averaged, a.log_score, a.base_rate, a.brier_skill_vs_50) == \
            pytest.approx((brier, ta, log_score, base_rate, skill), abs=1e-12)
    pairs = {(p["statement"], p["analyst"]): p for p in card.pairs}
    for question, analyst, brier, log_score in ledger.execute(
        "SELECT question, analyst, brier, log_score FROM scored_pairs"
    ):
        assert pairs[(question, analyst)]["brier"] == pytest.approx(brier, abs=1e-12)
        assert pairs[(question, analyst)]["log_score"] == pytest.approx(log_score, abs=1e-12)
    assert len(pairs) == ledger.execute("SELECT count(*) FROM scored_pairs").fetchone()[0]


def test_an_open_merge_conflict_marks_the_pairs_disputed(ledger, tmp_path):
    from forecastapp.core.merge import merge_ledger, settle_conflict
    from forecastapp.core.store import open_ledger
    from forecastapp.core.transfer import import_ledger, read_export, write_export

    _build(ledger)
    write_export(ledger, tmp_path / "mine.json", now=NOW)
    other = open_ledger(tmp_path / "other.db", seed=False)
    import_ledger(other, read_export(tmp_path / "mine.json"))
    q2 = ledger.execute("SELECT id FROM questions WHERE statement = 'Q2'").fetchone()[0]
    L.correct_resolution(other, question_id=q2, outcome="yes", resolved_on=date(2026, 1, 20), evidence="other view",
                         today=TODAY, now=NOW)
    L.correct_resolution(ledger, question_id=q2, outcome="no", resolved_on=date(2026, 1, 21), evidence="a day later",
                         today=TODAY, now=NOW)
    other.close()
    [conflict] = merge_ledger(ledger, tmp_path / "other.db", now=NOW).conflicts
    disputed = dict(ledger.execute("SELECT question || '/' || analyst, disputed FROM scored_pairs"))
    assert disputed == {"Q1/Ann": 0, "Q2/Ann": 1, "Q2/Bo": 1, "Q3/Bo": 0}
    settle_conflict(ledger, conflict, keep="ours", today=TODAY, now=NOW)
    assert ledger.execute("SELECT sum(disputed) FROM scored_pairs").fetchone()[0] == 0


def test_every_description_names_a_real_table_and_real_columns(ledger):
    for name, (text, columns) in DESCRIPTIONS.items():
        actual = [r[1] for r in ledger.execute(f"PRAGMA table_info({name})")]
        assert actual, f"{name} is described but does not exist"
        assert text.strip()
        assert set(columns) == set(actual), f"{name}: described {sorted(columns)} vs schema {sorted(actual)}"


def test_the_ledgers_own_tables_and_views_are_all_described():
    expected = {
        "scored_pairs", "scorecard_by_analyst", "questions", "forecasts", "resolutions", "retractions",
        "question_log", "analysts", "documents", "question_tags", "pair_scores", "origins", "record_origins",
        "conflicts", "conflict_settlements", "settings",
    }
    assert expected <= set(DESCRIPTIONS)


def test_docs_metadata_json_is_current():
    actual = metadata_json("forecasts")
    if os.environ.get("FORECASTAPP_UPDATE_SCHEMA") == "1":
        METADATA_FILE.write_text(actual, encoding="utf-8")
    assert METADATA_FILE.read_text(encoding="utf-8") == actual, (
        "docs/metadata.json is out of date: run FORECASTAPP_UPDATE_SCHEMA=1 python -m pytest tests/core/test_datasette.py"
    )
    assert json.loads(actual)["databases"]["forecasts"]["tables"]["scored_pairs"]["columns"]["brier"]
    assert set(metadata("team")["databases"]) == {"team"}
