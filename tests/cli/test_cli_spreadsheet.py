"""`forecastapp import FILE --format csv [--map ROLE=COLUMN]...`: a spreadsheet kept by hand, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "spreadsheets"
HAND_KEPT = DATA / "hand-kept.csv"


def _statements(run_cli) -> list[str]:
    return sorted(r["statement"] for r in json.loads(run_cli("list", "--format", "json")[1]))


def test_dry_run_shows_the_columns_used_and_each_skipped_row(run_cli):
    run_cli("init", "--empty")
    code, out, err = run_cli("import", str(HAND_KEPT), "--format", "csv", "--analyst", "Ann Lee", "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "hand-kept.csv (csv): 4 questions, 6 forecasts, 3 resolutions; 3 rows skipped"
    assert lines[1] == ("  columns: statement='Question', probability='My forecast', made_on='Date', "
                        "resolve_by='Deadline', outcome='Outcome', resolved_on='Resolved on', tags='Tags', "
                        "criteria='Notes'")
    assert lines[2].startswith("  skipped row 7, column 'Date': '2025-02-30' is not a real date")
    assert lines[3] == "  skipped row 8, column 'Question': no statement; the row has no question to forecast"
    assert lines[4].startswith("  skipped row 11, column 'My forecast': 'maybe' is not a probability")
    assert "would add: 4 questions, 6 forecasts, 3 resolutions, 1 analyst" in lines
    assert lines[-1] == "dry run: nothing was written"
    assert _statements(run_cli) == []


def test_import_with_maps_then_again_adds_nothing(run_cli, tmp_path):
    run_cli("init", "--empty")
    sheet = tmp_path / "mine.csv"
    sheet.write_text("Thing,Number,When,Who\nWill A happen?,60%,2025-01-02,Ann\nWill B happen?,20%,2025-01-03,Bo\n",
                     encoding="utf-8")
    args = ("import", str(sheet), "--map", "statement=Thing", "--map", "probability=number", "--map", "analyst=Who")
    code, out, err = run_cli(*args)  # --map implies --format csv
    assert code == 0, err
    assert "  columns: statement='Thing', probability='Number', made_on='When', analyst='Who'" in out
    assert "added: 2 questions, 2 forecasts, 2 analysts" in out.splitlines()
    again = run_cli(*args)[1].splitlines()
    assert "added: nothing" in again
    assert _statements(run_cli) == ["Will A happen?", "Will B happen?"]
    [a] = [r for r in json.loads(run_cli("list", "--format", "json")[1]) if r["statement"] == "Will A happen?"]
    assert a["latest"] == {"Ann": 0.6}


def test_what_cannot_be_guessed_is_named_in_one_line_with_exit_2(run_cli, tmp_path):
    run_cli("init", "--empty")
    sheet = tmp_path / "mine.csv"
    sheet.write_text("Thing,Number,When\nWill A happen?,60%,2025-01-02\n", encoding="utf-8")
    code, out, err = run_cli("import", str(sheet), "--format", "csv")
    assert code == 2 and out == ""
    assert err == ("Error: could not guess which column of 'mine.csv' holds the statement and the probability "
                   "(its columns: 'Thing', 'Number', 'When'); name it with --map statement=COLUMN "
                   "--map probability=COLUMN\n")
    code, _, err = run_cli("import", str(sheet), "--map", "statement=Thing", "--map", "probability=Odds")
    assert code == 2 and err.startswith("Error: there is no column 'Odds'") and err.count("\n") == 1
    code, _, err = run_cli("import", str(sheet), "--map", "deadline=When", "--map", "statement=Thing")
    assert code == 2 and "'deadline' is not a column role" in err
    code, _, err = run_cli("import", str(sheet), "--map", "Thing")
    assert code == 2 and "--map 'Thing' is not ROLE=COLUMN" in err
    assert _statements(run_cli) == []


def test_auto_detection_still_refuses_a_hand_kept_sheet_and_points_to_csv(run_cli):
    run_cli("init", "--empty")
    code, _, err = run_cli("import", str(HAND_KEPT))
    assert code == 2 and "name it with --format" in err and "--format csv" in err and err.count("\n") == 1


def test_csv_options_with_another_format_are_refused(run_cli):
    run_cli("init", "--empty")
    fatebook = Path(__file__).resolve().parents[1] / "data" / "formats" / "fatebook-forecasts.csv"
    code, _, err = run_cli("import", str(fatebook), "--format", "fatebook", "--map", "statement=x")
    assert code == 2 and "--map is for a spreadsheet kept by hand" in err
    code, _, err = run_cli("import", str(fatebook), "--analyst", "Ann")
    assert code == 2 and "add --format csv" in err


def test_an_empty_sheet_is_refused(run_cli, tmp_path):
    run_cli("init", "--empty")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, _, err = run_cli("import", str(empty), "--format", "csv")
    assert (code, err) == (2, "Error: 'empty.csv' is empty; there is nothing to import\n")
