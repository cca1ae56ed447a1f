"""Another ledger whose hash chain does not verify is refused before a record of it is written (#11.7)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from forecastapp.core import ledger as L
from forecastapp.core.errors import ImportFormatError
from forecastapp.core.merge import merge_ledger, read_ledger_source
from forecastapp.core.store import open_ledger
from forecastapp.core.transfer import write_export
from tests.conftest import NOW, TODAY
from tests.core.tampering import tamper


def _state(path: Path) -> tuple:
    """Row counts and chain head, read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        counts = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("questions", "forecasts", "resolutions", "analysts", "origins", "chain"))
        head = conn.execute("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
        return counts, head
    finally:
        conn.close()


@pytest.fixture
def two(tmp_path: Path):
    """(our ledger, Bo's ledger file, Bo's export file): Bo has three questions with forecasts, one resolved."""
    ours = open_ledger(tmp_path / "ours.db", seed=False)
    L.create_forecast(ours, L.NewQuestion("Ours?"), analyst="Ann", probability=0.5, made_on=date(2026, 1, 2),
                      today=TODAY, now=NOW)
    bo = open_ledger(tmp_path / "bo.db", seed=False)
    for i, p in enumerate((0.2, 0.4, 0.6)):
        qid, _ = L.create_forecast(bo, L.NewQuestion(f"Bo {i}?"), analyst="Bo", probability=p,
                                   made_on=date(2026, 1, 5), today=TODAY, now=NOW)
    L.resolve(bo, question_id=qid, outcome="yes", resolved_on=date(2026, 2, 1), today=TODAY, now=NOW)
    write_export(bo, tmp_path / "bo.json", now=NOW)
    bo.close()
    yield ours, tmp_path / "bo.db", tmp_path / "bo.json"
    ours.close()


def _second_forecast(path: Path) -> tuple[str, int]:
    conn = sqlite3.connect(path)
    try:
        fid = conn.execute("SELECT id FROM forecasts ORDER BY seq LIMIT 1 OFFSET 1").fetchone()[0]
        position = conn.execute("SELECT count(*) FROM chain WHERE seq <= (SELECT seq FROM chain WHERE record_id = ?)",
                                [fid]).fetchone()[0]
        return fid, position
    finally:
        conn.close()


def test_an_export_with_an_edited_forecast_is_refused_naming_that_record(two, tmp_path):
    ours, _, export = two
    data = json.loads(export.read_text(encoding="utf-8"))
    edited = data["forecasts"][1]
    edited["probability"] = 0.99
    export.write_text(json.dumps(data), encoding="utf-8")
    position = data["chain"].index(["forecasts", edited["id"]]) + 1
    before = _state(tmp_path / "ours.db")
    with pytest.raises(ImportFormatError) as caught:
        merge_ledger(ours, export, now=NOW)
    assert str(caught.value) == (
        f"refused: the ledger export 'bo.json' does not verify: broken at record {position} (forecasts "
        f"{edited['id']}): the record does not match its hash (it was changed after it was recorded); nothing was "
        "imported")
    assert _state(tmp_path / "ours.db") == before


def test_a_database_with_an_edited_forecast_is_refused_and_left_as_it_was(two, tmp_path):
    ours, bo, _ = two
    fid, position = _second_forecast(bo)
    tamper(bo, "UPDATE forecasts SET probability = 0.99 WHERE id = ?", [fid])
    before, their_bytes = _state(tmp_path / "ours.db"), bo.read_bytes()
    with pytest.raises(ImportFormatError) as caught:
        merge_ledger(ours, bo, now=NOW)
    assert str(caught.value) == (
        f"refused: the ledger database 'bo.db' does not verify: broken at record {position} (forecasts {fid}): the "
        "record does not match its hash (it was changed after it was recorded); nothing was imported")
    assert _state(tmp_path / "ours.db") == before
    assert bo.read_bytes() == their_bytes


def test_a_database_whose_chain_was_dropped_is_refused(two, tmp_path):
    ours, bo, _ = two
    tamper(bo, "DROP TABLE chain")
    before = _state(tmp_path / "ours.db")
    with pytest.raises(ImportFormatError, match="^refused: the ledger database 'bo.db' has had its hash chain removed"):
        merge_ledger(ours, bo, now=NOW)
    assert _state(tmp_path / "ours.db") == before


def test_a_database_with_a_record_slipped_in_outside_the_chain_is_refused(two):
    ours, bo, _ = two
    conn = sqlite3.connect(bo)
    qid, aid = conn.execute("SELECT question_id, analyst_id FROM forecasts LIMIT 1").fetchone()
    conn.close()
    tamper(bo, "DROP TRIGGER IF EXISTS forecasts_chain")  # the insert below then adds no link
    tamper(bo, "INSERT INTO forecasts (id, question_id, analyst_id, probability, made_on, recorded_at) "
               "VALUES ('f' || hex(randomblob(15)), ?, ?, 0.5, '2026-01-06', '2026-01-06T00:00:00Z')", [qid, aid])
    with pytest.raises(ImportFormatError, match="does not verify: broken at record .*not in the chain"):
        merge_ledger(ours, bo, now=NOW)


def test_an_export_without_a_chain_is_refused_with_a_line_saying_export_it_again(two):
    _, _, export = two
    data = json.loads(export.read_text(encoding="utf-8"))
    for key in ("chain", "chain_hashes", "chain_head"):
        del data[key]
    export.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        read_ledger_source(export, now=NOW)
    assert str(caught.value) == ("refused: the ledger export carries no hash chain (made by an older forecastapp); "
                                 "export it again; nothing was imported")


def test_untouched_ledgers_still_come_in(two, tmp_path):
    ours, bo, export = two
    assert merge_ledger(ours, export, now=NOW).added["forecasts"] == 3
    assert merge_ledger(ours, bo, now=NOW).added_total() == 0
