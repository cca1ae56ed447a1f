"""The import, export, merge, conflicts and settle commands as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"
FATEBOOK = DATA / "fatebook-forecasts.csv"
HEADER = (
    "Question title,Multiple choice option,Forecast created by,Forecast (scale = 0-1),Forecast created at,"
    "Question created by,Question created at,Question resolve by,Resolution,Resolved at,"
    "Your Brier score for this question,Your relative Brier score for this question,Question notes,"
    "Question shared with,Question shared publicly,Question comments,Question tags"
)


def _statements(run_cli, **kw) -> list[str]:
    return sorted(r["statement"] for r in json.loads(run_cli("list", "--format", "json", **kw)[1]))


def test_dry_run_previews_counts_and_reasons_and_writes_nothing(run_cli):
    run_cli("init", "--empty")
    code, out, err = run_cli("import", str(FATEBOOK), "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("fatebook-forecasts.csv (fatebook): 5 questions, 8 forecasts, 3 resolutions; "
                        "3 rows skipped")
    assert "  skipped 1: multiple-choice question (only yes/no questions are imported)" in lines
    assert any(line.startswith("  note: 2 probabilities of 0 or 1") for line in lines)
    assert "would add: 5 questions, 8 forecasts, 3 resolutions, 3 analysts" in lines
    assert lines[-1] == "dry run: nothing was written"
    assert _statements(run_cli) == []


def test_import_reports_what_it_added_and_twice_adds_nothing(run_cli):
    run_cli("init", "--empty")
    out = run_cli("import", str(FATEBOOK))[1].splitlines()
    assert "added: 5 questions, 8 forecasts, 3 resolutions, 3 analysts" in out
    assert "already present: 0 records" in out
    again = run_cli("import", str(FATEBOOK))[1].splitlines()
    assert "added: nothing" in again
    assert "already present: 19 records (5 questions, 8 forecasts, 3 resolutions, 3 analysts)" in again
    assert len(_statements(run_cli)) == 5


def test_metaculus_folder_and_predictionbook_files_import(run_cli):
    run_cli("init", "--empty")
    code, out, _ = run_cli("import", str(DATA / "metaculus"))
    assert code == 0 and out.startswith("metaculus (metaculus): 2 questions, 4 forecasts, 2 resolutions; 8 rows")
    assert run_cli("import", str(DATA / "my_predictions.json"), "--format", "predictionbook")[0] == 0
    assert "Will the probe launch by June 2024?" in _statements(run_cli)
    assert "The UK leaves the EU before the end of 2019" in _statements(run_cli)


def test_a_wrong_format_or_unknown_file_is_one_line_and_exit_2(run_cli, tmp_path):
    run_cli("init", "--empty")
    code, out, err = run_cli("import", str(FATEBOOK), "--format", "metaculus")
    assert code == 2 and "forecast_data.csv' was not found" in err and err.count("\n") == 1
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = run_cli("import", str(other))
    assert code == 2 and "name it with --format" in err
    assert _statements(run_cli) == []


def test_ledger_dry_run_counts_without_writing(run_cli, tmp_path):
    run_cli("init", "--empty")
    run_cli("add", "Alpha", "-p", "60%", "-a", "Ann", "--made-on", "2026-01-01")
    export = tmp_path / "l.json"
    run_cli("export", str(export))
    other = tmp_path / "other.db"
    run_cli("init", "--empty", db=other)
    code, out, _ = run_cli("import", str(export), "--dry-run", db=other)
    assert code == 0 and "would add: 1 question, 1 forecast, 1 analyst" in out.splitlines()[0]
    assert _statements(run_cli, db=other) == []


def test_export_fatebook_writes_fatebooks_header_and_export_default_stays_json(run_cli, tmp_path):
    run_cli("init", "--empty")
    run_cli("import", str(FATEBOOK))
    out_csv = tmp_path / "fatebook.csv"
    code, _, err = run_cli("export", str(out_csv), "--format", "fatebook")
    assert code == 0 and "wrote 8 forecasts" in err
    assert out_csv.read_text(encoding="utf-8").split("\n")[0] == HEADER
    out_json = tmp_path / "ledger.json"
    assert run_cli("export", str(out_json)) == (0, "", "")
    assert json.loads(out_json.read_text(encoding="utf-8"))["format"] == "forecastapp-ledger/1"


def _bo_resolves_ann_question_no(run_cli, tmp_path) -> tuple[str, Path]:
    """Ann's ledger (the test's) with one question; Bo's (bo.db) started from Ann's export and resolved it no.

    Returns the question's id and Bo's ledger."""
    run_cli("init", "--empty")
    qid = run_cli("add", "Will X happen?", "-p", "60%", "-a", "Ann", "--made-on", "2026-01-01")[1].strip()
    shared = tmp_path / "shared.json"
    run_cli("export", str(shared))
    bo = tmp_path / "bo.db"
    run_cli("init", "--empty", db=bo)
    run_cli("import", str(shared), db=bo)
    run_cli("resolve", qid, "-o", "no", "--resolved-on", "2026-02-01", "--by", "bo", db=bo)
    return qid, bo


def test_merge_conflicts_and_settle_from_the_command_line(run_cli, tmp_path):
    qid, bo = _bo_resolves_ann_question_no(run_cli, tmp_path)
    run_cli("add", "Bo's own question", "-p", "30%", "-a", "Bo", "--made-on", "2026-01-02", db=bo)
    run_cli("resolve", qid, "-o", "yes", "--resolved-on", "2026-02-01", "--by", "ann")
    code, out, err = run_cli("merge", str(bo))
    assert code == 0, err
    assert "added: 1 question, 1 forecast, 1 analyst" in out
    assert "conflicting resolutions flagged: 1" in out
    code, out, _ = run_cli("conflicts")
    assert "yes 2026-02-01" in out and "no 2026-02-01" in out and "bo.db" in out and "Will X happen?" in out
    [conflict] = json.loads(run_cli("conflicts", "--format", "json")[1])
    assert conflict["ours"] == {"outcome": "yes", "resolved_on": "2026-02-01"}
    assert conflict["theirs"]["outcome"] == "no" and conflict["theirs"]["recorded_by"] == "bo"
    code, out, err = run_cli("settle", conflict["id"][:8], "--keep", "theirs", "--note", "Bo was right")
    assert code == 0, err
    assert json.loads(run_cli("show", qid, "--format", "json")[1])["outcome"] == "no"
    assert "(no open conflicts)" in run_cli("conflicts")[1]
    assert "theirs" in run_cli("conflicts", "--all")[1]
    code, _, err = run_cli("settle", conflict["id"][:8], "--keep", "ours")
    assert code == 2 and "already settled" in err


def test_merging_the_ledger_into_itself_is_refused(run_cli, db_path):
    run_cli("init", "--empty")
    code, _, err = run_cli("merge", str(db_path))
    assert code == 2 and "this ledger itself" in err


def test_merge_takes_a_copy_of_a_database_file(run_cli, tmp_path, db_path):
    run_cli("add", "Alpha", "-p", "60%", "-a", "Ann", "--made-on", "2026-01-01")
    run_cli("list")  # the CLI has closed the database: its file is complete
    copy = tmp_path / "copy.db"
    shutil.copyfile(db_path, copy)
    code, out, _ = run_cli("merge", str(copy))
    assert code == 0 and out.startswith("added: nothing")


def test_importing_a_ledger_export_flags_a_different_resolution_instead_of_replacing_ours(run_cli, tmp_path, db_path):
    import sqlite3

    qid, bo = _bo_resolves_ann_question_no(run_cli, tmp_path)
    bo_export = tmp_path / "bo.json"
    run_cli("export", str(bo_export), db=bo)
    run_cli("resolve", qid, "-o", "yes", "--resolved-on", "2026-02-01", "--by", "ann")

    code, out, err = run_cli("import", str(bo_export), "--dry-run")
    assert code == 0, err
    assert "conflicting resolutions flagged: 1" in out and "dry run: nothing was written" in out
    assert json.loads(run_cli("conflicts", "--format", "json")[1]) == []

    code, out, err = run_cli("import", str(bo_export))
    assert code == 0, err
    # The question, its forecast and Ann are here already; Bo's resolution is flagged, not put in force.
    assert out.splitlines()[0] == "added nothing; 3 records already present"
    assert "conflicting resolutions flagged: 1" in out
    assert json.loads(run_cli("show", qid, "--format", "json")[1])["outcome"] == "yes"
    [conflict] = json.loads(run_cli("conflicts", "--format", "json")[1])
    assert conflict["theirs"]["outcome"] == "no" and conflict["source"] == "bo.json"
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT action, format, source FROM origins").fetchall() == [("import", "ledger", "bo.json")]
    finally:
        conn.close()
    # Importing the same export again flags nothing new.
    code, out, err = run_cli("import", str(bo_export))
    assert code == 0 and "conflicting resolutions flagged" not in out


@pytest.mark.parametrize("option", ["--by", "--note"])
def test_settling_with_undecodable_text_is_one_line_and_settles_nothing(run_cli, tmp_path, option):
    qid, bo = _bo_resolves_ann_question_no(run_cli, tmp_path)
    run_cli("resolve", qid, "-o", "yes", "--resolved-on", "2026-02-01")
    run_cli("merge", str(bo))
    [conflict] = json.loads(run_cli("conflicts", "--format", "json")[1])
    for keep in ("ours", "theirs"):
        # "\udcff" is what Python makes of a byte the terminal could not decode.
        code, out, err = run_cli("settle", conflict["id"][:8], "--keep", keep, option, "x\udcff")
        assert code == 2 and err.count("\n") == 1 and "not valid text" in err, err
    assert len(json.loads(run_cli("conflicts", "--format", "json")[1])) == 1  # still open
    assert json.loads(run_cli("show", qid, "--format", "json")[1])["outcome"] == "yes"


def test_a_settled_conflict_still_shows_what_ours_was_and_the_note(run_cli, tmp_path):
    """Issue 14, item 16: after 'keep theirs', ours is still ours (not the new outcome), and the note shows."""
    qid, bo = _bo_resolves_ann_question_no(run_cli, tmp_path)
    run_cli("resolve", qid, "-o", "yes", "--resolved-on", "2026-02-01", "--by", "ann")
    assert run_cli("merge", str(bo))[0] == 0
    [conflict] = json.loads(run_cli("conflicts", "--format", "json")[1])
    assert run_cli("settle", conflict["id"][:8], "--keep", "theirs", "--note", "Bo was right", "--by", "ann")[0] == 0
    [settled] = json.loads(run_cli("conflicts", "--all", "--format", "json")[1])
    assert settled["ours"] == {"outcome": "yes", "resolved_on": "2026-02-01"}
    assert settled["settled"]["note"] == "Bo was right" and settled["settled"]["by"] == "ann"
    table = run_cli("conflicts", "--all")[1]
    assert "theirs kept: Bo was right" in table and "yes 2026-02-01" in table
