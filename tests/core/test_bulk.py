"""The bulk loader: records in one transaction, scored pairs rebuilt, nothing kept when a row is bad."""

from __future__ import annotations

import sqlite3

import pytest

from forecastapp.core.bulk import BulkRecords, bulk_load

AT = "2026-01-01T00:00:00.000000Z"


def _records(bad_probability: float = 0.7) -> BulkRecords:
    return BulkRecords(
        analysts=[("a1", "Ann", AT), ("a2", "Bob", AT)],
        questions=[("q1", "Treaty signed?", "", None, None, "2026-06-01", None, AT),
                   ("q2", "Rates cut?", "", None, None, "2026-06-01", None, AT)],
        question_tags=[("q1", "asia")],
        # Ann: 0.5 on 1 Mar then 0.8 on 4 Mar on q1 (resolved yes 6 Mar); Bob: 0.3 on q1; Ann: q2 open.
        forecasts=iter([
            ("f1", "q1", "a1", 0.5, None, "2026-03-01", AT, ""),
            ("f2", "q1", "a1", 0.8, None, "2026-03-04", AT, ""),
            ("f3", "q1", "a2", 0.3, None, "2026-03-01", AT, ""),
            ("f4", "q2", "a1", bad_probability, None, "2026-03-01", AT, ""),
        ]),
        resolutions=[("r1", "q1", "resolve", "yes", None, "2026-03-06", "", "", AT, None)],
    )


def test_bulk_load_inserts_everything_and_scores_the_pairs(ledger):
    counts = bulk_load(ledger, _records())
    assert counts == {"documents": 0, "analysts": 2, "questions": 2, "question_tags": 1, "forecasts": 4,
                      "retractions": 0, "resolutions": 1, "question_log": 0, "pair_scores": 2}
    pairs = dict(ledger.execute("SELECT analyst_id, brier_time_averaged FROM pair_scores").fetchall())
    # SCORING.md's time-averaged example for Ann; Bob held 0.3 for five days: (0.7)^2.
    assert pairs == {"a1": pytest.approx(0.166), "a2": pytest.approx(0.49)}
    # The derived columns are kept by the schema's triggers: the latest forecast is the 4 March one.
    assert ledger.execute("SELECT latest_probability FROM questions WHERE id = 'q1'").fetchone()[0] == 0.8


def test_a_bad_row_rolls_the_whole_load_back(ledger):
    with pytest.raises(sqlite3.IntegrityError):
        bulk_load(ledger, _records(bad_probability=1.5))
    assert ledger.execute("SELECT count(*) FROM questions").fetchone()[0] == 0
    assert ledger.execute("SELECT count(*) FROM pair_scores").fetchone()[0] == 0
