"""Malformed input through the command line ends in one line on stderr and exit status 2, never a traceback.

The cases are the crashes tests/core/test_fuzz.py found, replayed end to end: undecodable bytes in an
argument (what a terminal in another encoding hands Python) and JSON that Python's reader cannot take.
"""

from __future__ import annotations

import sqlite3

import pytest


def _counts(path):
    conn = sqlite3.connect(path)
    try:
        return [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("questions", "forecasts", "chain")]
    finally:
        conn.close()


@pytest.mark.parametrize("args", [
    ["add", "Rain\udcff?", "-p", "60%", "-a", "Ann"],
    ["add", "Rain?", "-p", "60%", "-a", "An\udcffn"],
    ["add", "Rain?", "-p", "60%", "-a", "Ann", "--tag", "w\udcff"],
    ["list", "--analyst", "An\udcffn"],
    ["list", "--tag", "w\udcff"],
])
def test_undecodable_bytes_in_an_argument_get_one_line(run_cli, db_path, args):
    code, _, err = run_cli("init", "--empty")
    assert code == 0, err
    before = _counts(db_path)
    code, out, err = run_cli(*args)
    assert code == 2 and out == ""
    assert err.startswith("Error: ") and err.count("\n") == 1 and "not valid text" in err
    assert _counts(db_path) == before


@pytest.mark.parametrize("raw", [b"[" * 100_000 + b"]" * 100_000, b"[" + b"1" * 5000 + b"]"],
                         ids=["deep", "long-number"])
@pytest.mark.parametrize("command", [["import"], ["verify", "--scorecard"]])
def test_json_python_cannot_read_gets_one_line(run_cli, db_path, tmp_path, raw, command):
    run_cli("init", "--empty")
    path = tmp_path / "odd.json"
    path.write_bytes(raw)
    before = _counts(db_path)
    code, _, err = run_cli(*command, str(path))
    assert code == 2 and err.count("\n") == 1 and "nests too deeply or holds a number too long" in err
    assert _counts(db_path) == before


@pytest.mark.parametrize("command", [
    ["export"], ["export", "--format", "fatebook"], ["scorecard", "--format", "csv", "--output"],
])
@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_an_output_file_that_is_the_ledger_itself_is_refused(run_cli, db_path, command, suffix):
    # `--db team.db export team.db` would replace the database with its own export.
    assert run_cli("add", "Rain?", "-p", "60%", "-a", "Ann")[0] == 0
    before = _counts(db_path)
    target = db_path.with_name(db_path.name + suffix)
    code, out, err = run_cli(*command, str(target))
    assert code == 2 and out == ""
    assert err == f"Error: '{target}' is the ledger's own database file; write the output to another file\n"
    assert _counts(db_path) == before  # still a ledger, and unchanged
