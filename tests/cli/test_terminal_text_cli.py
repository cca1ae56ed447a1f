"""Control characters: refused when typed, a tracker's row holding one skipped with the reason, and shown as
visible escapes, never sent, when text already in a ledger (from an old version or a merge) goes to a terminal."""

from __future__ import annotations

import sqlite3

import pytest

from forecastapp import cli

ESCAPE = "Red \x1b[31malert\x1b[0m and \x01\x02 bytes"


@pytest.mark.parametrize("args", [["add", ESCAPE, "-p", "60%", "-a", "Ann"],
                                  ["add", "Plain?", "-p", "60%", "-a", "Ann\x1b[2J"],
                                  ["add", "Plain?", "-p", "60%", "-a", "Ann", "--criteria", "x\x07"]])
def test_typed_text_with_a_control_character_is_refused(run_cli, seeded_path, args):
    before = seeded_path.read_bytes()
    code, out, err = run_cli(*args, db=seeded_path)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "contains the control character U+00" in err and "remove it" in err
    assert seeded_path.read_bytes() == before


def test_line_breaks_and_tabs_are_still_fine(run_cli, seeded_path):
    code, _, err = run_cli("add", "Plain?", "-p", "60%", "-a", "Ann", "--criteria", "one\ttwo\r\nthree", db=seeded_path)
    assert code == 0, err


def _smuggle(path, statement: str) -> str:
    """Text a ledger can still hold: written by an older version, or merged from one (merges keep records as
    they are, since the hash chain covers them)."""
    conn = sqlite3.connect(path)
    qid = conn.execute("SELECT id FROM questions ORDER BY seq LIMIT 1").fetchone()[0]
    conn.execute("DROP TRIGGER IF EXISTS questions_no_update")
    conn.execute("DROP TRIGGER IF EXISTS questions_wording_no_update")  # wording changes only by a chained edit
    conn.execute("UPDATE questions SET statement = ? WHERE id = ?", [statement, qid])
    conn.commit()
    conn.close()
    return qid


def test_show_and_list_at_a_terminal_send_no_control_character(run_cli, seeded_path, monkeypatch):
    qid = _smuggle(seeded_path, ESCAPE)
    monkeypatch.setattr(cli.output, "to_terminal", lambda: True)
    for args in (["show", qid[:8]], ["list"]):
        code, out, err = run_cli(*args, db=seeded_path)
        assert code == 0, err
        assert "\x1b" not in out and "\x01" not in out and "\x02" not in out
        assert "Red \\x1b[31malert" in out
    code, out, _ = run_cli("show", qid[:8], db=seeded_path)
    assert "\\x01\\x02 bytes" in out


def test_to_a_pipe_the_text_is_as_stored(run_cli, seeded_path):
    qid = _smuggle(seeded_path, ESCAPE)
    code, out, _ = run_cli("show", qid[:8], "--format", "json", db=seeded_path)
    assert code == 0 and "\\u001b[31m" in out  # JSON escapes it; the text itself is unchanged


def test_a_spreadsheet_row_with_a_control_character_is_skipped_with_its_reason(run_cli, seeded_path, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("statement,probability\nFine?,70%\nBad \x1b[31m?,60%\n", encoding="utf-8")
    code, out, err = run_cli("import", str(sheet), "--format", "csv", "--analyst", "Ann", db=seeded_path)
    assert code == 0, err
    assert "1 question" in out and "contains the control character U+001B" in out
