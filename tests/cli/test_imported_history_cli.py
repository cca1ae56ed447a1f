"""Issue 11, item 4: history brought in from a file carries its provenance and can be left out.

A file's dates are its author's word: a hand-made sheet can claim a 99% forecast "made" long before the
outcome. Such pairs are scored, but every scorecard says how many rest on imported history and which file
each came from, and `--exclude-imported` scores without them.
"""

from __future__ import annotations

import json
import sqlite3

import pytest


@pytest.fixture
def hand_made(run_cli, tmp_path):
    """One honest forecast made here, and a sheet claiming a 99% forecast made 2025-01-01 that resolved yes."""
    assert run_cli("init", "--empty")[0] == 0
    qid = run_cli("add", "Made here?", "-p", "30%", "-a", "Ann")[1].strip()
    assert run_cli("resolve", qid, "-o", "no")[0] == 0
    sheet = tmp_path / "claims.csv"
    sheet.write_text("Question,Forecast,Date,Outcome,Resolved on,Analyst\n"
                     "Will the treaty be signed?,99%,2025-01-01,yes,2026-06-30,Ann\n", encoding="utf-8")
    code, out, err = run_cli("import", str(sheet), "--format", "csv")
    assert code == 0, err
    return run_cli


def test_the_scorecard_says_which_pairs_rest_on_imported_history(hand_made, db_path):
    code, out, err = hand_made("scorecard")
    card = json.loads(out)
    assert card["ledger"]["verified"] is True
    assert card["overall"]["n"] == 2 and card["overall"]["imported_pairs"] == 1
    [ann] = card["analysts"]
    assert ann["imported_pairs"] == 1
    by_statement = {p["statement"]: p for p in card["pairs"]}
    imported = by_statement["Will the treaty be signed?"]
    assert imported["imported_from"] == "claims.csv" and imported["imported_format"] == "csv"
    assert imported["imported_at"][:10] == card["generated_at"][:10]  # when it entered this ledger
    here = by_statement["Made here?"]
    assert (here["imported_from"], here["imported_format"], here["imported_at"]) == (None, None, None)
    # When the record entered this ledger is kept apart from when the file says it was made.
    conn = sqlite3.connect(db_path)
    recorded_at, entered_at = conn.execute(
        "SELECT f.recorded_at, o.recorded_at FROM forecasts f JOIN record_origins r ON r.record_id = f.id"
        " JOIN origins o ON o.id = r.origin_id").fetchone()
    conn.close()
    assert recorded_at.startswith("2025-01-01") and entered_at[:10] == card["generated_at"][:10]


def test_exclude_imported_scores_without_them(hand_made):
    code, out, err = hand_made("scorecard", "--exclude-imported")
    assert (code, err) == (0, "")
    card = json.loads(out)
    assert card["filters"]["exclude_imported"] is True
    assert card["overall"]["n"] == 1 and card["overall"]["brier"] == pytest.approx(0.09)
    assert card["excluded"]["imported"] == 1
    assert [p["statement"] for p in card["pairs"]] == ["Made here?"]


def test_reports_and_csv_say_it(hand_made):
    _, md, _ = hand_made("scorecard", "--format", "md")
    assert "1 of 2 scored pairs rest on a final forecast imported from a file" in md
    _, md, _ = hand_made("scorecard", "--format", "md", "--exclude-imported")
    assert "1 scored pair whose final forecast was imported from a file was left out." in md
    _, csv_text, _ = hand_made("scorecard", "--format", "csv")
    assert "imported_pairs" in csv_text.splitlines()[0]
    assert "claims.csv" in csv_text


def test_a_restored_export_is_imported_history_too(hand_made, run_cli, tmp_path):
    export = tmp_path / "all.json"
    assert hand_made("export", str(export))[0] == 0
    other = tmp_path / "other.db"
    assert run_cli("init", "--empty", db=other)[0] == 0
    assert run_cli("import", str(export), db=other)[0] == 0
    card = json.loads(run_cli("scorecard", db=other)[1])
    assert card["overall"]["imported_pairs"] == 2
    assert {p["imported_from"] for p in card["pairs"]} == {"all.json"}


def test_provenance_dropped_outside_the_app_is_named(hand_made, db_path):
    from tests.core.tampering import tamper

    conn = sqlite3.connect(db_path)
    origin = conn.execute("SELECT id FROM origins").fetchone()[0]
    conn.close()
    # Passing the imported forecast off as made here: its link to the file is removed.
    tamper(db_path, "DELETE FROM record_origins WHERE record_table = 'forecasts'")
    code, out, _ = hand_made("verify")
    assert code == 1
    assert out.startswith("broken at record ") and f"(origins {origin}): the import states 4 records but 3" in out
    card = json.loads(hand_made("scorecard")[1])
    assert card["ledger"]["verified"] is False


def test_an_import_is_sealed_and_chained(hand_made, db_path):
    conn = sqlite3.connect(db_path)
    records, digest, linked, chained = conn.execute(
        "SELECT o.records, o.records_sha256, (SELECT count(*) FROM record_origins r WHERE r.origin_id = o.id),"
        " (SELECT count(*) FROM chain c WHERE c.record_table = 'origins' AND c.record_id = o.id) FROM origins o"
    ).fetchone()
    conn.close()
    assert (records, chained) == (linked, 1) and len(digest) == 64
