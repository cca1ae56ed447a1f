"""`import` and `merge` refuse another ledger whose hash chain does not verify: one line, exit 2, nothing written."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.core.tampering import tamper


def _state(path) -> tuple:
    conn = sqlite3.connect(path)
    try:
        counts = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("questions", "forecasts", "resolutions", "origins", "chain"))
        return counts, conn.execute("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
    finally:
        conn.close()


@pytest.fixture
def theirs(run_cli, tmp_path):
    """Their ledger (theirs.db: the starting ledger and three forecasts) and its export (theirs.json); ours is empty."""
    other = tmp_path / "theirs.db"
    for statement, p in (("Dam built?", "20%"), ("Rates cut?", "40%"), ("Treaty signed?", "70%")):
        code, _, err = run_cli("add", statement, "-p", p, "-a", "Bo", "--made-on", "2026-01-05", db=other)
        assert code == 0, err
    code, _, err = run_cli("export", str(tmp_path / "theirs.json"), db=other)
    assert code == 0, err
    code, _, err = run_cli("init", "--empty")
    assert code == 0, err
    return other, tmp_path / "theirs.json"


def _edit_export(export) -> tuple[str, int]:
    data = json.loads(export.read_text(encoding="utf-8"))
    first = data["forecasts"][0]
    first["probability"] = 0.99
    export.write_text(json.dumps(data), encoding="utf-8")
    return first["id"], data["chain"].index(["forecasts", first["id"]]) + 1


@pytest.mark.parametrize("command", [("import",), ("import", "--dry-run"), ("import", "--format", "ledger"),
                                     ("merge",)])
def test_an_edited_export_is_refused_by_import_and_merge(run_cli, db_path, theirs, command):
    _, export = theirs
    fid, position = _edit_export(export)
    before = _state(db_path)
    code, out, err = run_cli(*command, str(export))
    assert code == 2 and out == ""
    assert err == (f"Error: refused: the ledger export 'theirs.json' does not verify: broken at record {position} "
                   f"(forecasts {fid}): the record does not match its hash (it was changed after it was recorded); "
                   "nothing was imported\n")
    assert _state(db_path) == before
    # Its own verify agrees.
    assert run_cli("verify", "--ledger", str(export))[0] == 1


def test_a_ledger_database_with_an_edited_forecast_is_refused_by_merge(run_cli, db_path, theirs):
    other, _ = theirs
    conn = sqlite3.connect(other)
    fid = conn.execute("SELECT record_id FROM chain WHERE record_table = 'forecasts' ORDER BY seq LIMIT 1").fetchone()[0]
    position = conn.execute("SELECT count(*) FROM chain WHERE seq <= (SELECT seq FROM chain WHERE record_id = ?)",
                            [fid]).fetchone()[0]
    conn.close()
    tamper(other, "UPDATE forecasts SET probability = 0.99 WHERE id = ?", [fid])
    before, their_bytes = _state(db_path), other.read_bytes()
    code, out, err = run_cli("merge", str(other))
    assert code == 2 and out == ""
    assert err.startswith(f"Error: refused: the ledger database 'theirs.db' does not verify: broken at record {position} "
                          f"(forecasts {fid}): the record does not match its hash")
    assert err.endswith("; nothing was imported\n") and err.count("\n") == 1
    assert _state(db_path) == before
    assert other.read_bytes() == their_bytes


def test_an_untouched_export_and_database_still_import(run_cli, db_path, theirs):
    other, export = theirs
    code, out, err = run_cli("import", str(export))
    assert (code, err) == (0, "") and out.startswith("added ") and "forecasts" in out
    code, _, err = run_cli("merge", str(other))
    assert (code, err) == (0, "")
