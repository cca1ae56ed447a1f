"""A question's wording and the analysts are on the record (#11.8), and a question can be edited (#11.9).

Versions are chained, the question row keeps a copy of the latest one, and `verify` finds a wording,
window or analyst name changed outside the app. An edit is a new version: the earlier one stays.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core import store
from forecastapp.core.errors import ForecastError, ValidationError
from forecastapp.core.integrity import (
    CHAINED_COLUMNS,
    LEGACY_CHAINED_TABLES,
    chain_head,
    record_hash,
    verify_export,
    verify_ledger,
)
from forecastapp.core.merge import Origin, bring_in, merge_ledger
from forecastapp.core.queries import QuestionFilter, list_questions, question_detail
from forecastapp.core.transfer import TABLES, export_ledger, import_ledger
from tests.conftest import NOW, TODAY
from tests.core.tampering import tamper


def _question(db, statement="X happens by 2027", *, analyst="Ann", tags=("economy",), resolve_by=date(2027, 6, 30)):
    qid, _ = ops.create_forecast(
        db, ops.NewQuestion(statement=statement, criteria="Reported by Reuters", resolve_by=resolve_by, tags=tags),
        analyst=analyst, probability=0.6, made_on=date(2026, 1, 5), today=TODAY, now=NOW,
    )
    return qid


def _edit(db, qid, **changes):
    return ops.edit_question(db, question_id=qid, **{"reason": "clearer", "recorded_by": "ann", **changes}, now=NOW)


def _reopen(db_path):
    return store.open_ledger(db_path, seed=False)


# ---------------------------------------------------------------- what is chained


def test_every_question_is_recorded_with_a_chained_create_version(ledger):
    qid = _question(ledger)
    rows = ledger.execute("SELECT id, action, statement, criteria, resolve_by FROM question_versions").fetchall()
    assert rows == [(qid, "create", "X happens by 2027", "Reported by Reuters", "2027-06-30")]
    links = [tuple(r) for r in ledger.execute("SELECT record_table, record_id FROM chain ORDER BY seq")]
    analyst = ledger.execute("SELECT id FROM analysts").fetchone()[0]
    forecast = ledger.execute("SELECT id FROM forecasts").fetchone()[0]
    # recorded order: the analyst, then the question, then its forecast
    assert links == [("analysts", analyst), ("question_versions", qid), ("forecasts", forecast)]
    assert verify_ledger(ledger).ok


def test_analysts_and_versions_are_append_only(ledger):
    qid = _question(ledger)
    for sql in ("UPDATE analysts SET name = 'Bo'", "DELETE FROM analysts",
                "UPDATE question_versions SET statement = 'X does not happen'", "DELETE FROM question_versions"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            ledger.execute(sql)
    with pytest.raises(sqlite3.IntegrityError, match="only by an edit"):
        ledger.execute("UPDATE questions SET statement = 'X does not happen' WHERE id = ?", [qid])
    assert ledger.execute("SELECT statement FROM questions").fetchone()[0] == "X happens by 2027"


def test_a_statement_flipped_outside_the_app_is_named_by_verify(db_path, ledger):
    _question(ledger, "Y happens")
    qid = _question(ledger)
    ledger.close()
    tamper(db_path, "UPDATE questions SET statement = 'X does not happen by 2027' WHERE id = ?", [qid])
    db = _reopen(db_path)
    result = verify_ledger(db)
    assert not result.ok
    bad = result.first_bad
    assert (bad.table, bad.record_id) == ("questions", qid)
    assert bad.reason == "its statement differs from its last chained version (changed outside the app)"
    # the position is the version's link: Ann, Y's version, Y's forecast, X's version -> 4
    assert bad.position == 4
    assert result.summary() == f"broken at record 4 (questions {qid}): {bad.reason}"
    db.close()


def test_a_resolve_by_moved_outside_the_app_is_named_by_verify(db_path, ledger):
    qid = _question(ledger)
    ledger.close()
    tamper(db_path, "UPDATE questions SET resolve_by = '2030-12-31' WHERE id = ?", [qid])
    db = _reopen(db_path)
    bad = verify_ledger(db).first_bad
    assert (bad.table, bad.record_id) == ("questions", qid) and "resolve-by date differs" in bad.reason
    db.close()


def test_a_version_rewritten_with_its_question_breaks_the_chain(db_path, ledger):
    qid = _question(ledger)
    ledger.close()
    tamper(db_path, "UPDATE question_versions SET statement = 'X does not happen by 2027' WHERE question_id = ?",
           [qid])
    tamper(db_path, "UPDATE questions SET statement = 'X does not happen by 2027' WHERE id = ?", [qid])
    db = _reopen(db_path)
    bad = verify_ledger(db).first_bad
    assert (bad.position, bad.table, bad.record_id) == (2, "question_versions", qid) and "changed" in bad.reason
    db.close()


def test_two_analysts_names_swapped_are_named_by_verify(db_path, ledger):
    _question(ledger, analyst="Ann")
    _question(ledger, "Z happens", analyst="Bo")
    ann, bo = (ledger.execute("SELECT id FROM analysts WHERE name = ?", [n]).fetchone()[0] for n in ("Ann", "Bo"))
    ledger.close()
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER analysts_no_update")
    conn.execute("UPDATE analysts SET name = 'tmp' WHERE id = ?", [ann])
    conn.execute("UPDATE analysts SET name = 'Ann' WHERE id = ?", [bo])
    conn.execute("UPDATE analysts SET name = 'Bo' WHERE id = ?", [ann])
    conn.commit()
    conn.close()
    db = _reopen(db_path)
    bad = verify_ledger(db).first_bad
    assert (bad.position, bad.table, bad.record_id) == (1, "analysts", ann) and "changed" in bad.reason
    db.close()


def test_a_question_added_without_its_version_is_named_by_verify(db_path, ledger):
    _question(ledger)
    ledger.close()
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER questions_create_version")
    conn.execute("INSERT INTO questions (id, statement, recorded_at) VALUES ('sneaky', 'Made up', '2026-01-01')")
    conn.commit()
    conn.close()
    db = _reopen(db_path)
    result = verify_ledger(db)
    assert (result.first_bad.table, result.first_bad.record_id) == ("questions", "sneaky")
    assert "no chained version" in result.first_bad.reason
    db.close()


def test_the_export_lists_every_chained_column(ledger):
    """A column the chain hashes but the export leaves out could not be checked from an export."""
    from forecastapp.core.merge import Origin, bring_in

    qid = _question(ledger)
    data = export_ledger(ledger, now=NOW)
    data["questions"][0]["id"] = data["question_versions"][0]["question_id"] = "copied"
    data["chain"] = [[t, "copied" if i == qid else i] for t, i in data["chain"]]
    bring_in(ledger, data, origin=Origin(action="import", format="ledger", source="copy.json"), now=NOW)
    exported = export_ledger(ledger, now=NOW)
    for table, columns in CHAINED_COLUMNS.items():
        if table in TABLES:  # records an import brings across
            assert set(columns) <= set(TABLES[table]), table
        else:  # origins: exported as they are, for verify to replay
            assert exported[table] and all(set(columns) <= set(row) for row in exported[table]), table


# ---------------------------------------------------------------- editing


def test_an_edit_is_a_new_version_that_the_question_then_reads(ledger):
    qid = _question(ledger)
    vid = _edit(ledger, qid, statement="X does not happen by 2027", tags_add=["Sanctions "], tags_remove=["economy"],
                reason="flipped the wrong way round")
    row = ledger.execute("SELECT statement, criteria FROM questions WHERE id = ?", [qid]).fetchone()
    assert row == ("X does not happen by 2027", "Reported by Reuters")
    assert [r[0] for r in ledger.execute("SELECT tag FROM question_tags WHERE question_id = ?", [qid])] == ["sanctions"]
    version = ledger.execute("SELECT action, meaning_changed, tags_added, tags_removed, reason, recorded_by"
                             " FROM question_versions WHERE id = ?", [vid]).fetchone()
    assert version == ("edit", 1, '["sanctions"]', '["economy"]', "flipped the wrong way round", "ann")
    # search follows the wording, and the earlier wording stays in the history
    assert [q.id for q in list_questions(ledger, QuestionFilter(search="does not"), today=TODAY)] == [qid]
    detail = question_detail(ledger, qid, today=TODAY)
    assert [v.action for v in detail.versions] == ["create", "edit"]
    (change,) = detail.edits[0].changes
    assert (change.field, change.before, change.after) == ("statement", "X happens by 2027",
                                                           "X does not happen by 2027")
    result = verify_ledger(ledger)
    assert result.ok and ledger.execute("SELECT record_id FROM chain ORDER BY seq DESC LIMIT 1").fetchone()[0] == vid


@pytest.mark.parametrize(("changes", "meaning"), [
    ({"tags_add": ["new"]}, 0),
    ({"criteria": "Reported by two wire services"}, 1),
    ({"condition": "if talks resume"}, 1),
    ({"resolve_by": date(2028, 1, 1)}, 1),
    ({"resolve_from": date(2027, 1, 1)}, 1),
])
def test_meaning_changed_marks_edits_of_what_the_question_asks(ledger, changes, meaning):
    qid = _question(ledger)
    vid = _edit(ledger, qid, **changes)
    assert ledger.execute("SELECT meaning_changed FROM question_versions WHERE id = ?", [vid]).fetchone()[0] == meaning


def test_an_edit_keeps_the_scored_pairs_current(ledger):
    qid = _question(ledger)
    ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=date(2026, 6, 1), today=TODAY, now=NOW)
    before = ledger.execute("SELECT brier FROM pair_scores WHERE question_id = ?", [qid]).fetchall()
    _edit(ledger, qid, criteria="Reported by two wire services")
    assert ledger.execute("SELECT brier FROM pair_scores WHERE question_id = ?", [qid]).fetchall() == before != []


@pytest.mark.parametrize(("changes", "message"), [
    ({}, "changes nothing"),
    ({"statement": "X happens by 2027"}, "changes nothing"),
    ({"statement": "   "}, "statement is empty"),
    ({"statement": "ok", "reason": " "}, "give a reason"),
    ({"resolve_from": date(2028, 1, 1)}, "starts (2028-01-01) after it ends (2027-06-30)"),
    ({"resolve_by": None, "resolve_from": date(2027, 1, 1)}, "needs a resolve-by date"),
    ({"resolve_by": date(2025, 12, 31)}, "before the question's first forecast, made on 2026-01-05"),
    ({"tags_add": ["a"], "tags_remove": ["A"]}, "both added and removed"),
    ({"tags_remove": ["nuclear"]}, "has no tag 'nuclear'"),
    ({"tags_add": ["economy"]}, "changes nothing"),
    ({"statement": "bad\x00"}, "NUL"),
])
def test_a_refused_edit_changes_nothing(ledger, changes, message):
    qid = _question(ledger)
    head = chain_head(ledger)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _edit(ledger, qid, **changes)
    assert chain_head(ledger) == head
    assert ledger.execute("SELECT count(*) FROM question_versions").fetchone()[0] == 1


def test_a_deleted_question_cannot_be_edited(ledger):
    qid = _question(ledger)
    ops.delete_question(ledger, question_id=qid, now=NOW)
    with pytest.raises(ForecastError, match="deleted; restore it first"):
        _edit(ledger, qid, statement="Something else")


def test_the_condition_of_a_question_annulled_for_it_stays(ledger):
    qid, _ = ops.create_forecast(ledger, ops.NewQuestion(statement="Y if X", condition="X"), analyst="Ann",
                                 probability=0.5, made_on=date(2026, 1, 5), today=TODAY, now=NOW)
    ops.resolve(ledger, question_id=qid, outcome="annulled", annul_reason="condition_not_met",
                resolved_on=date(2026, 6, 1), today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match="its condition stays"):
        _edit(ledger, qid, condition="")


# ---------------------------------------------------------------- exports, imports and merges


def test_an_export_carries_the_versions_and_replays_them(ledger, tmp_path):
    qid = _question(ledger)
    _edit(ledger, qid, statement="X does not happen by 2027")
    data = export_ledger(ledger, now=NOW)
    assert data["chained_tables"] == list(CHAINED_COLUMNS)
    assert [v["action"] for v in data["question_versions"]] == ["create", "edit"]
    assert verify_export(data).ok
    data["question_versions"][0]["statement"] = "X happens by 2029"
    result = verify_export(data)
    # The export carries each link's hash, so the changed version itself is named.
    assert not result.ok and result.first_bad.table == "question_versions"
    assert "the record does not match its hash" in result.first_bad.reason


def test_an_export_made_before_versions_still_verifies(ledger):
    """An older export's chain covers the four history tables only, and says nothing of chained tables."""
    _question(ledger)
    data = export_ledger(ledger, now=NOW)
    del data["chained_tables"]
    del data["chain_hashes"]
    del data["question_versions"]
    data["chain"] = [link for link in data["chain"] if link[0] in LEGACY_CHAINED_TABLES]
    prev = "0" * 64
    for table, record_id in data["chain"]:
        record = next(r for r in data[table] if r["id"] == record_id)
        prev = record_hash(prev, table, {c: record[c] for c in CHAINED_COLUMNS[table]})
    data["chain_head"] = prev
    assert verify_export(data).ok


def test_an_imported_question_keeps_its_first_wording_and_its_edits(ledger, tmp_path):
    qid = _question(ledger)
    _edit(ledger, qid, statement="X does not happen by 2027", tags_add=["sanctions"], tags_remove=["economy"])
    _edit(ledger, qid, resolve_by=date(2028, 6, 30), reason="talks postponed")
    data = export_ledger(ledger, now=NOW)
    other = store.open_ledger(tmp_path / "other.db", seed=False)
    report = import_ledger(other, data)
    assert report.added["questions"] == 1 and report.added["question_versions"] == 2
    assert report.skipped["question_versions"] == 0  # the create version comes with its question
    mine = ledger.execute("SELECT id, action, statement, resolve_by, recorded_at FROM question_versions ORDER BY seq")
    theirs = other.execute("SELECT id, action, statement, resolve_by, recorded_at FROM question_versions ORDER BY seq")
    assert theirs.fetchall() == mine.fetchall()
    assert other.execute("SELECT statement, resolve_by FROM questions").fetchone() == ("X does not happen by 2027",
                                                                                       "2028-06-30")
    assert [r[0] for r in other.execute("SELECT tag FROM question_tags")] == ["sanctions"]
    assert verify_ledger(other).ok
    links = other.execute("SELECT count(*) FROM chain").fetchone()[0]
    again = import_ledger(other, data)
    assert sum(again.added.values()) == 0 and other.execute("SELECT count(*) FROM chain").fetchone()[0] == links
    other.close()


def test_a_colleagues_edit_is_merged_into_a_question_we_share(ledger, tmp_path):
    qid = _question(ledger)
    colleague = store.open_ledger(tmp_path / "colleague.db", seed=False)
    import_ledger(colleague, export_ledger(ledger, now=NOW))
    _edit(colleague, qid, criteria="Reported by two wire services", tags_add=["trade"], reason="stricter")
    colleague.close()
    report = merge_ledger(ledger, tmp_path / "colleague.db", now=NOW)
    assert report.added["question_versions"] == 1
    assert ledger.execute("SELECT criteria FROM questions").fetchone()[0] == "Reported by two wire services"
    assert sorted(r[0] for r in ledger.execute("SELECT tag FROM question_tags")) == ["economy", "trade"]
    edit = question_detail(ledger, qid, today=TODAY).edits[0]
    assert (edit.reason, edit.meaning_changed) == ("stricter", True)
    assert verify_ledger(ledger).ok


def test_a_ledger_from_before_versions_can_be_merged(ledger, tmp_path):
    from forecastapp.core.migrations import migrations

    path = tmp_path / "old.db"
    old = store.connect(path)
    migrations.apply(old, stop_before="0008_question_record")
    qid = _question(old, "Old question")
    old.close()
    report = merge_ledger(ledger, path, now=NOW)
    assert report.added["questions"] == 1
    assert ledger.execute("SELECT action, statement FROM question_versions WHERE question_id = ?",
                          [qid]).fetchall() == [("create", "Old question")]
    assert verify_ledger(ledger).ok


def test_a_malformed_imported_edit_is_refused_whole(ledger, tmp_path):
    from forecastapp.core.errors import ImportFormatError

    qid = _question(ledger)
    _edit(ledger, qid, tags_add=["trade"])
    data = export_ledger(ledger, now=NOW)
    data["question_versions"][1]["tags_added"] = '["Not Normalised"]'
    other = store.open_ledger(tmp_path / "other.db", seed=False)
    with pytest.raises(ImportFormatError, match="nothing was imported"):
        bring_in(other, data, origin=Origin(action="import", format="ledger", source="x.json"), now=NOW)
    assert other.execute("SELECT count(*) FROM questions").fetchone()[0] == 0
    other.close()
