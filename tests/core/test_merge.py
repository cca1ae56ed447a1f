"""Merging two analysts' ledgers that share questions: additions, identical records, conflicts, settling."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from forecastapp.core import ledger as L
from forecastapp.core.errors import NotFoundError, ValidationError
from forecastapp.core.merge import find_conflict, list_conflicts, merge_ledger, settle_conflict
from forecastapp.core.store import open_ledger
from forecastapp.core.transfer import import_ledger, read_export, write_export

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
LATER = datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc)


def _q(db, statement: str) -> str:
    return db.execute("SELECT id FROM questions WHERE statement = ?", [statement]).fetchone()[0]


def _outcome(db, statement: str) -> tuple:
    return db.execute("SELECT outcome, resolved_on FROM questions WHERE statement = ?", [statement]).fetchone()


@pytest.fixture
def team(tmp_path: Path):
    """Ann's ledger A and Bo's ledger B, which started as a copy of A and then went their own ways."""
    a = open_ledger(tmp_path / "ann.db", seed=False)
    b = open_ledger(tmp_path / "bo.db", seed=False)
    for statement, p in (("Q1", 0.6), ("Q2", 0.3), ("Q3", 0.5), ("Q4", 0.2)):
        L.create_forecast(a, L.NewQuestion(statement), analyst="Ann", probability=p, made_on=date(2026, 1, 5),
                          today=TODAY, now=NOW)
    L.resolve(a, question_id=_q(a, "Q2"), outcome="yes", resolved_on=date(2026, 2, 1), today=TODAY, now=NOW)
    shared = tmp_path / "ann.json"
    write_export(a, shared, now=NOW)
    import_ledger(b, read_export(shared))
    # Bo's side: a forecast on Q1, a new question, a correction of Q2, and resolutions of Q3 and Q4.
    L.add_forecast(b, question_id=_q(b, "Q1"), analyst="Bo", probability=0.7, made_on=date(2026, 1, 9),
                   today=TODAY, now=LATER)
    L.create_forecast(b, L.NewQuestion("Q5"), analyst="Bo", probability=0.4, made_on=date(2026, 1, 9),
                      today=TODAY, now=LATER)
    L.correct_resolution(b, question_id=_q(b, "Q2"), outcome="no", resolved_on=date(2026, 2, 1),
                         evidence="misread the source", today=TODAY, now=LATER)
    L.resolve(b, question_id=_q(b, "Q3"), outcome="no", resolved_on=date(2026, 3, 1), evidence="Bo's reading",
              recorded_by="bo", today=TODAY, now=LATER)
    L.resolve(b, question_id=_q(b, "Q4"), outcome="yes", resolved_on=date(2026, 3, 2), today=TODAY, now=LATER)
    # Ann's side: she resolves Q3 the other way, and Q4 the same way, independently.
    L.resolve(a, question_id=_q(a, "Q3"), outcome="yes", resolved_on=date(2026, 3, 1), today=TODAY, now=LATER)
    L.resolve(a, question_id=_q(a, "Q4"), outcome="yes", resolved_on=date(2026, 3, 2), today=TODAY, now=LATER)
    yield a, b, tmp_path
    a.close()
    b.close()


def test_merge_adds_new_records_skips_identical_ones_and_flags_the_conflict(team):
    a, b, tmp = team
    report = merge_ledger(a, tmp / "bo.db", host="bo-laptop", now=NOW)
    assert report.added["questions"] == 1  # Q5
    assert report.added["forecasts"] == 2  # Bo on Q1 and on Q5
    assert report.added["resolutions"] == 1  # Bo's correction of Q2 continues the history Ann already has
    assert report.added["analysts"] == 1
    assert report.present["questions"] == 4 and report.present["forecasts"] == 4
    assert report.same_outcome == 1  # Q4: both resolved yes on 2 March
    assert len(report.conflicts) == 1  # Q3
    assert _outcome(a, "Q2") == ("no", "2026-02-01")  # the correction is in force
    assert _outcome(a, "Q3") == ("yes", "2026-03-01")  # ours stays in force while the conflict is open
    assert _outcome(a, "Q4") == ("yes", "2026-03-02")
    assert a.execute("SELECT count(*) FROM resolutions WHERE question_id = ?", [_q(a, "Q4")]).fetchone()[0] == 1
    [c] = list_conflicts(a)
    assert (c.statement, c.ours_outcome, c.theirs_outcome, c.theirs_resolved_on) == ("Q3", "yes", "no", "2026-03-01")
    assert (c.theirs_evidence, c.theirs_recorded_by, c.source) == ("Bo's reading", "bo", "bo.db")


def test_merging_again_adds_nothing_and_flags_nothing_new(team):
    a, _, tmp = team
    merge_ledger(a, tmp / "bo.db", now=NOW)
    again = merge_ledger(a, tmp / "bo.db", now=NOW)
    assert again.added_total() == 0 and not again.conflicts and again.origin_id is None
    assert a.execute("SELECT count(*) FROM conflicts").fetchone()[0] == 1


def test_merge_from_a_json_export_gives_the_same_ledger_as_from_the_database(team, tmp_path):
    a, b, tmp = team
    write_export(b, tmp / "bo.json", now=NOW)
    copy = tmp / "ann-copy.db"
    src, dst = sqlite3.connect(tmp / "ann.db"), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    a2 = open_ledger(copy, seed=False)
    try:
        from_db = merge_ledger(a, tmp / "bo.db", now=NOW)
        from_json = merge_ledger(a2, tmp / "bo.json", now=NOW)
        assert from_json.added == from_db.added and len(from_json.conflicts) == len(from_db.conflicts)
        state = lambda db: sorted(db.execute("SELECT statement, outcome, resolved_on FROM questions").fetchall())
        assert state(a2) == state(a)
        assert a2.execute("SELECT format FROM origins").fetchall() == [("ledger",)]
        assert a.execute("SELECT format FROM origins").fetchall() == [("ledger-db",)]
    finally:
        a2.close()


def test_the_other_database_is_not_changed_by_a_merge(team):
    a, b, tmp = team
    b.close()  # let its WAL settle into the file, as a copy sent by email would be
    before = (tmp / "bo.db").read_bytes()
    merge_ledger(a, tmp / "bo.db", now=NOW)
    assert (tmp / "bo.db").read_bytes() == before


def test_merged_records_carry_their_origin(team):
    a, _, tmp = team
    report = merge_ledger(a, tmp / "bo.db", host="bo-laptop", now=NOW)
    origin = a.execute("SELECT action, format, source, host FROM origins WHERE id = ?", [report.origin_id]).fetchone()
    assert origin == ("merge", "ledger-db", "bo.db", "bo-laptop")
    q5 = a.execute("SELECT origin_id FROM record_origins WHERE record_table = 'questions' AND record_id = ?",
                   [_q(a, "Q5")]).fetchone()
    assert q5 == (report.origin_id,)
    q1 = a.execute("SELECT 1 FROM record_origins WHERE record_id = ?", [_q(a, "Q1")]).fetchone()
    assert q1 is None  # made in Ann's own ledger


def test_settling_by_keeping_theirs_records_a_correction_and_closes_the_conflict(team):
    a, _, tmp = team
    [conflict_id] = merge_ledger(a, tmp / "bo.db", now=NOW).conflicts
    settle_conflict(a, conflict_id[:8], keep="theirs", recorded_by="ann", note="Bo checked the source",
                    today=TODAY, now=LATER)
    assert _outcome(a, "Q3") == ("no", "2026-03-01")
    last = a.execute("SELECT kind, recorded_by, evidence FROM resolutions WHERE question_id = ? ORDER BY seq DESC"
                     " LIMIT 1", [_q(a, "Q3")]).fetchone()
    assert last[0] == "correct" and last[1] == "ann" and "bo.db" in last[2]
    assert list_conflicts(a) == []
    assert [c.settled_kept for c in list_conflicts(a, include_settled=True)] == ["theirs"]
    # Merging again: both sides now say no, so nothing is flagged.
    again = merge_ledger(a, tmp / "bo.db", now=NOW)
    assert not again.conflicts and list_conflicts(a) == []


def test_settling_by_keeping_ours_changes_no_resolution(team):
    a, _, tmp = team
    [conflict_id] = merge_ledger(a, tmp / "bo.db", now=NOW).conflicts
    records = a.execute("SELECT count(*) FROM resolutions").fetchone()[0]
    settle_conflict(a, conflict_id, keep="ours", today=TODAY, now=LATER)
    assert _outcome(a, "Q3") == ("yes", "2026-03-01")
    assert a.execute("SELECT count(*) FROM resolutions").fetchone()[0] == records
    with pytest.raises(ValidationError, match="already settled"):
        settle_conflict(a, conflict_id, keep="theirs", today=TODAY, now=LATER)
    assert not merge_ledger(a, tmp / "bo.db", now=NOW).conflicts  # a settled conflict is not raised again


def test_conflicts_and_settlements_are_append_only(team):
    a, _, tmp = team
    [conflict_id] = merge_ledger(a, tmp / "bo.db", now=NOW).conflicts
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        a.execute("UPDATE conflicts SET theirs_outcome = 'yes'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        a.execute("DELETE FROM conflicts")
    settle_conflict(a, conflict_id, keep="ours", today=TODAY, now=LATER)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        a.execute("DELETE FROM conflict_settlements")


def test_a_withdrawn_resolution_on_the_other_side_is_a_conflict_too(team):
    a, b, tmp = team
    L.retract_resolution(b, question_id=_q(b, "Q4"), reason="not yet clear", now=LATER)
    report = merge_ledger(a, tmp / "bo.db", now=NOW)
    theirs = {c.statement: (c.theirs_kind, c.theirs_outcome) for c in list_conflicts(a)}
    assert theirs == {"Q3": ("resolve", "no"), "Q4": ("retract", None)}
    assert report.same_outcome == 0
    q4 = next(c for c in list_conflicts(a) if c.statement == "Q4")
    settle_conflict(a, q4.id, keep="theirs", today=TODAY, now=LATER)
    assert _outcome(a, "Q4") == (None, None)  # reopened, as on Bo's side


def test_unknown_and_ambiguous_conflict_ids_are_refused(team):
    a, _, tmp = team
    merge_ledger(a, tmp / "bo.db", now=NOW)
    with pytest.raises(NotFoundError, match="no conflict"):
        find_conflict(a, "ffffffff")
    with pytest.raises(NotFoundError, match="too short"):
        find_conflict(a, "ab")


def test_a_ledger_cannot_be_merged_into_itself(team):
    a, _, tmp = team
    with pytest.raises(ValidationError, match="this ledger itself"):
        merge_ledger(a, tmp / "ann.db", now=NOW, own_path=tmp / "ann.db")


def test_a_database_that_is_not_a_ledger_is_refused(team):
    a, _, tmp = team
    other = tmp / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    from forecastapp.core.errors import ImportFormatError

    with pytest.raises(ImportFormatError, match="not a forecastapp ledger"):
        merge_ledger(a, other, now=NOW)


def test_a_ledger_from_an_older_schema_merges_without_being_changed(team):
    import shutil

    a, _, tmp = team
    old = tmp / "old.db"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "data" / "ledger-0001.db", old)
    before = old.read_bytes()
    report = merge_ledger(a, old, now=NOW)
    # The fixture as built: 3 questions, 5 forecasts, 1 retraction, 2 resolution records.
    assert (report.added["questions"], report.added["forecasts"], report.added["retractions"]) == (3, 5, 1)
    assert report.added["resolutions"] == 2
    assert old.read_bytes() == before


def test_a_hard_link_to_the_ledger_is_refused_as_the_ledger_itself(tmp_path):
    import os

    from forecastapp.core.errors import ValidationError
    from forecastapp.core.merge import refuse_own_ledger

    own = tmp_path / "ann.db"
    open_ledger(own, seed=False).close()
    link = tmp_path / "copy-of-ann.db"
    os.link(own, link)
    with pytest.raises(ValidationError, match="is this ledger itself"):
        refuse_own_ledger(link, own)
    refuse_own_ledger(tmp_path / "bo.db", own)  # another file: no refusal
