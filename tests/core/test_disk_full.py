"""Disk full in the middle of an action: one line, nothing half written, the ledger still reads and verifies."""

from __future__ import annotations

from datetime import date

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core.errors import StoreError
from forecastapp.core.integrity import verify_ledger
from forecastapp.core.transfer import import_ledger
from tests.conftest import NOW, TODAY

TABLES = ("questions", "forecasts", "analysts", "chain", "question_tags")


def _counts(db) -> dict[str, int]:
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _fill_disk(db) -> None:
    """SQLite's own way to say the disk is full: no page may be added beyond those in use now."""
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_big_action_on_a_full_disk_is_refused_whole(seeded_ledger):
    before = _counts(seeded_ledger)
    _fill_disk(seeded_ledger)
    qid = seeded_ledger.execute("SELECT id FROM questions LIMIT 1").fetchone()[0]
    with pytest.raises(StoreError, match=r"^the disk is full; nothing was changed$"):
        # long rationales: this action needs new pages, so it fails part-way through its inserts
        for i in range(200):
            ops.add_forecast(seeded_ledger, question_id=qid, analyst=f"Analyst {i}", probability=0.5,
                             made_on=date(2026, 1, 1), rationale="r" * 3000, today=TODAY, now=NOW)
    # earlier actions that fitted were committed whole; the failing one left nothing
    after = _counts(seeded_ledger)
    added = after["forecasts"] - before["forecasts"]
    assert after["analysts"] - before["analysts"] == added
    assert after["chain"] - before["chain"] == 2 * added  # each new analyst is chained with their forecast
    assert seeded_ledger.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert verify_ledger(seeded_ledger).ok


def test_an_import_on_a_full_disk_adds_nothing(ledger):
    data = {"format": "forecastapp-ledger/1",
            "analysts": [{"id": "a1", "name": "Ann", "recorded_at": "2026-01-01T00:00:00.000000Z"}],
            "questions": [{"id": f"q{i}", "statement": "s" * 2000, "criteria": "", "recorded_at": "2026-01-01T00:00:00.000000Z"}
                          for i in range(300)],
            "forecasts": [{"id": f"f{i}", "question_id": f"q{i}", "analyst_id": "a1", "probability": 0.5,
                           "made_on": "2026-01-01", "recorded_at": "2026-01-01T00:00:00.000000Z", "rationale": ""}
                          for i in range(300)]}
    before = _counts(ledger)
    _fill_disk(ledger)
    with pytest.raises(StoreError, match="disk is full"):
        import_ledger(ledger, data)
    assert _counts(ledger) == before
    # room again: the same import goes through, whole
    ledger.execute("PRAGMA max_page_count = 1073741823")
    import_ledger(ledger, data)
    assert _counts(ledger)["forecasts"] == 300 and verify_ledger(ledger).ok
