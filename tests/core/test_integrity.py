"""Tamper evidence: the hash chain over history records, and `verify` finding the record that changed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date, datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecastapp.core import ledger as ops
from forecastapp.core import store
from forecastapp.core.integrity import CHAINED_COLUMNS, GENESIS, chain_head, verify_ledger
from forecastapp.core.transfer import export_ledger, import_ledger
from tests.conftest import NOW, TODAY
from tests.core.tampering import tamper


def _question(db, statement="Will it rain?", p=0.6, made_on=date(2026, 1, 5)):
    qid, fid = ops.create_forecast(
        db, ops.NewQuestion(statement=statement, resolve_by=date(2026, 12, 31)), analyst="Ann", probability=p,
        made_on=made_on, today=TODAY, now=NOW,
    )
    return qid, fid


def _busy_ledger(db):
    """A ledger that has seen every kind of write: updates, resolutions, corrections, retractions, deletes."""
    q1, f1 = _question(db)
    ops.add_forecast(db, question_id=q1, analyst="Bo", probability=0.3, made_on=date(2026, 2, 1), today=TODAY, now=NOW)
    f3 = ops.add_forecast(db, question_id=q1, analyst="Ann", probability=0.7, made_on=date(2026, 3, 1), today=TODAY,
                          now=NOW)
    ops.retract_forecast(db, forecast_id=f3, reason="typo", now=NOW)
    ops.resolve(db, question_id=q1, outcome="yes", resolved_on=date(2026, 5, 1), today=TODAY, now=NOW)
    ops.correct_resolution(db, question_id=q1, outcome="no", resolved_on=date(2026, 5, 2), evidence="misread",
                           today=TODAY, now=NOW)
    ops.retract_resolution(db, question_id=q1, reason="still unclear", now=NOW)
    q2, _ = _question(db, "Will it snow?", 0.2)
    ops.delete_question(db, question_id=q2, now=NOW)
    ops.restore_question(db, question_id=q2, now=NOW)
    return q1, f1


def _history_count(db) -> int:
    return sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in CHAINED_COLUMNS)


def test_an_untouched_busy_ledger_verifies(ledger):
    _busy_ledger(ledger)
    result = verify_ledger(ledger)
    # 2 analysts, 2 question versions, 4 forecasts, 1 retraction, 3 resolution records, 2 question-log entries
    assert result.ok and result.first_bad is None
    assert result.checked == 14 == _history_count(ledger)
    assert result.head == chain_head(ledger) != GENESIS


def test_the_seeded_ledger_verifies(seeded_ledger):
    result = verify_ledger(seeded_ledger)
    assert result.ok
    counts = [seeded_ledger.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("forecasts", "questions", "analysts")]
    assert result.checked == sum(counts) and min(counts) > 0


def test_an_empty_ledger_verifies_with_the_genesis_head(ledger):
    result = verify_ledger(ledger)
    assert result.ok and result.checked == 0 and result.head == "0" * 64


def test_the_first_link_hash_follows_the_documented_serialisation(ledger):
    """Recompute links by hand from the documented recipe, so outside tools can check a chain."""
    qid, fid = _question(ledger, p=0.6)
    # Link 1 is the analyst (recorded first), link 2 the question's create version, link 3 the forecast.
    analyst = ledger.execute("SELECT id, name, recorded_at FROM analysts").fetchone()
    payload = {"prev": "0" * 64, "table": "analysts", "record": dict(zip(["id", "name", "recorded_at"], analyst))}
    first = hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
                           .encode("ascii")).hexdigest()
    assert ledger.execute("SELECT prev_hash, hash FROM chain WHERE seq = 1").fetchone() == ("0" * 64, first)
    version = ledger.execute("SELECT * FROM question_versions WHERE question_id = ?", [qid]).fetchone()
    names = [d[0] for d in ledger.execute("SELECT * FROM question_versions LIMIT 0").description]
    record = {k: v for k, v in zip(names, version) if k != "seq"}
    assert record["statement"] == "Will it rain?" and record["action"] == "create"
    payload = {"prev": first, "table": "question_versions", "record": record}
    second = hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
                            .encode("ascii")).hexdigest()
    assert ledger.execute("SELECT prev_hash, hash FROM chain WHERE seq = 2").fetchone() == (first, second)
    row = ledger.execute(
        "SELECT id, question_id, analyst_id, probability, estimative_term, made_on, recorded_at, rationale"
        " FROM forecasts WHERE id = ?", [fid]
    ).fetchone()
    names = ["id", "question_id", "analyst_id", "probability", "estimative_term", "made_on", "recorded_at",
             "rationale"]
    payload = {"prev": second, "table": "forecasts", "record": dict(zip(names, row))}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert '"probability":0.6' in text
    expected = hashlib.sha256(text.encode("ascii")).hexdigest()
    stored = ledger.execute("SELECT prev_hash, hash FROM chain WHERE record_table = 'forecasts' AND record_id = ?",
                            [fid]).fetchone()
    assert stored == (second, expected)


def test_changed_probability_is_reported_at_exactly_that_record(db_path, ledger):
    _busy_ledger(ledger)
    target = ledger.execute("SELECT id FROM forecasts WHERE probability = 0.3").fetchone()[0]
    # the Bo forecast is the fifth record written (Ann, the question's version, Ann's forecast, Bo, Bo's forecast)
    ledger.close()
    tamper(db_path, "UPDATE forecasts SET probability = 0.9 WHERE id = ?", [target])
    db = store.open_ledger(db_path, seed=False)
    result = verify_ledger(db)
    assert not result.ok
    assert (result.first_bad.position, result.first_bad.table, result.first_bad.record_id) == (5, "forecasts", target)
    assert "changed" in result.first_bad.reason
    assert result.checked == 4
    db.close()


def test_changed_made_on_of_a_seed_forecast_is_found(db_path, seeded_ledger):
    links = seeded_ledger.execute("SELECT record_table, record_id FROM chain ORDER BY seq").fetchall()
    at = next(i for i in range(len(links) // 2, len(links)) if links[i][0] == "forecasts")
    target = links[at][1]
    seeded_ledger.close()
    tamper(db_path, "UPDATE forecasts SET made_on = '2020-01-01' WHERE id = ?", [target])
    db = store.open_ledger(db_path)
    bad = verify_ledger(db).first_bad
    assert (bad.position, bad.record_id) == (at + 1, target)
    db.close()


def test_changed_resolution_outcome_is_found(db_path, ledger):
    _busy_ledger(ledger)
    rid = ledger.execute("SELECT id FROM resolutions WHERE kind = 'resolve'").fetchone()[0]
    ledger.close()
    tamper(db_path, "UPDATE resolutions SET evidence = 'nothing to see' WHERE id = ?", [rid])
    db = store.open_ledger(db_path, seed=False)
    bad = verify_ledger(db).first_bad
    # history order: Ann, q1's version, f1, Bo, f2, f3, retraction, resolve -> position 8
    assert (bad.position, bad.table, bad.record_id) == (8, "resolutions", rid)
    db.close()


def test_a_deleted_forecast_is_found(db_path, ledger):
    _busy_ledger(ledger)
    fid = ledger.execute("SELECT id FROM forecasts WHERE analyst_id = (SELECT id FROM analysts WHERE name = 'Bo')"
                         ).fetchone()[0]
    ledger.close()
    tamper(db_path, "DELETE FROM forecasts WHERE id = ?", [fid])
    db = store.open_ledger(db_path, seed=False)
    bad = verify_ledger(db).first_bad
    assert (bad.position, bad.record_id) == (5, fid) and "removed" in bad.reason
    db.close()


def test_a_forecast_slipped_in_without_the_app_is_found(db_path, ledger):
    q1, _ = _busy_ledger(ledger)
    analyst = ledger.execute("SELECT id FROM analysts WHERE name = 'Ann'").fetchone()[0]
    ledger.close()
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER forecasts_chain")
    conn.execute(
        "INSERT INTO forecasts (id, question_id, analyst_id, probability, made_on, recorded_at)"
        " VALUES ('sneaky', ?, ?, 0.99, '2026-01-01', '2026-01-01T00:00:00Z')", [q1, analyst]
    )
    conn.commit()
    conn.close()
    db = store.open_ledger(db_path, seed=False)
    result = verify_ledger(db)
    assert (result.first_bad.position, result.first_bad.record_id) == (15, "sneaky")
    assert "not in the chain" in result.first_bad.reason
    db.close()


def test_a_removed_chain_link_is_found(db_path, ledger):
    _busy_ledger(ledger)
    ledger.close()
    tamper(db_path, "DELETE FROM chain WHERE seq = 3")
    db = store.open_ledger(db_path, seed=False)
    bad = verify_ledger(db).first_bad
    # link 3 is gone, so the old link 4 (analyst Bo) is now position 3 and points at a missing hash
    assert bad.position == 3 and bad.table == "analysts" and "previous record" in bad.reason
    db.close()


def test_a_connection_without_the_chain_function_cannot_write_history(db_path, ledger):
    q1, _ = _question(ledger)
    analyst = ledger.execute("SELECT id FROM analysts").fetchone()[0]
    ledger.close()
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.OperationalError, match="no such function"):
        conn.execute(
            "INSERT INTO forecasts (id, question_id, analyst_id, probability, made_on, recorded_at)"
            " VALUES ('x', ?, ?, 0.5, '2026-01-01', 'now')", [q1, analyst]
        )
    conn.close()


def test_the_chain_itself_is_append_only(ledger):
    _question(ledger)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        ledger.execute("UPDATE chain SET hash = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        ledger.execute("DELETE FROM chain")


def test_an_imported_ledger_verifies_and_reimport_adds_no_links(ledger, tmp_path):
    _busy_ledger(ledger)
    data = export_ledger(ledger, now=NOW)
    other = store.open_ledger(tmp_path / "other.db", seed=True)
    import_ledger(other, data)
    links = other.execute("SELECT count(*) FROM chain").fetchone()[0]
    import_ledger(other, data)
    assert other.execute("SELECT count(*) FROM chain").fetchone()[0] == links
    result = verify_ledger(other)
    assert result.ok and result.checked == _history_count(other)
    other.close()


def test_a_ledger_made_before_the_chain_is_chained_when_opened(tmp_path):
    """Migration 0003 chains existing history in the order it was recorded."""
    from forecastapp.core.migrations import migrations

    path = tmp_path / "old.db"
    db = store.connect(path)
    migrations.apply(db, stop_before="0003_hash_chain")
    assert "chain" not in db.table_names()
    later = datetime(2026, 11, 29, tzinfo=timezone.utc)
    q1, f1 = _question(db)  # recorded at NOW
    f2 = ops.add_forecast(db, question_id=q1, analyst="Bo", probability=0.4, made_on=date(2026, 2, 1),
                          today=TODAY, now=later)
    db.close()
    db = store.open_ledger(path, seed=False)
    ann, bo = (db.execute("SELECT id FROM analysts WHERE name = ?", [n]).fetchone()[0] for n in ("Ann", "Bo"))
    # 0003 chains the history; 0008 appends the analysts and the questions' versions in recorded order.
    assert [r[0] for r in db.execute("SELECT record_id FROM chain ORDER BY seq")] == [f1, f2, ann, q1, bo]
    assert verify_ledger(db).ok
    db.close()


@pytest.mark.parametrize("table", sorted(CHAINED_COLUMNS))
def test_every_stored_column_of_a_history_table_is_hashed(ledger, table):
    """A column added to a history table later must join the chain too, or it could change unseen."""
    columns = {r[1] for r in ledger.execute(f"PRAGMA table_info({table})").fetchall()} - {"seq"}
    assert columns == set(CHAINED_COLUMNS[table])


def test_a_bulk_loaded_ledger_is_chained_and_verifies(ledger):
    """The bulk loader writes no chain code of its own: the triggers cover it."""
    from forecastapp.core.bulk import BulkRecords, bulk_load

    at = "2026-01-01T00:00:00.000000Z"
    bulk_load(ledger, BulkRecords(
        analysts=[("a1", "Ann", at)],
        questions=[(f"q{i}", f"Question {i}", "", None, None, None, None, at) for i in range(50)],
        forecasts=[(f"f{i}", f"q{i % 50}", "a1", 0.5, None, "2026-01-01", at, "") for i in range(200)],
        retractions=[("x1", "f3", at, "")],
        resolutions=[("r1", "q1", "resolve", "yes", None, "2026-06-01", "", "", at, None)],
        question_log=[("l1", "q2", "delete", at, "")],
    ))
    result = verify_ledger(ledger)
    assert result.ok and result.checked == 200 + 1 + 1 + 1 + 1 + 50  # ... + the analyst + 50 create versions


# ---------------------------------------------------------------- the fast per-table encoder

_VALUES = st.one_of(st.none(), st.text(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
                    st.floats(allow_nan=False, allow_infinity=False), st.binary(max_size=8))


@given(prev=st.text(min_size=0, max_size=70), values=st.lists(_VALUES, min_size=8, max_size=8))
def test_verify_encodes_a_record_exactly_as_the_recipe_does(prev, values):
    """verify builds each link's bytes from a per-table template; they must be the recipe's bytes, always."""
    from forecastapp.core.integrity import _record_encoder, canonical_payload

    columns = CHAINED_COLUMNS["forecasts"]
    assert _record_encoder("forecasts", columns)(prev, values) == canonical_payload(
        prev, "forecasts", dict(zip(columns, values)))
