"""Odd arguments end in a result or one line with exit status 2, never a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

UNDECODABLE = "\udcff"  # what Python makes of the byte \xff given on a UTF-8 command line


@pytest.mark.parametrize("option", ["--tag", "--analyst"])
def test_an_undecodable_scorecard_filter_is_one_line(run_cli, seeded_path, option):
    code, out, err = run_cli("scorecard", option, UNDECODABLE, db=seeded_path)
    assert code == 2 and out == ""
    assert err == (f"Error: the {option[2:]} filter contains bytes that are not valid text (check your terminal's "
                   "encoding); type it again\n")


def test_undecodable_bytes_on_a_real_command_line(seeded_path):
    result = subprocess.run([sys.executable, "-m", "forecastapp.cli", "--db", str(seeded_path), "scorecard",
                             "--tag", b"\xff".decode("utf-8", "surrogateescape")], capture_output=True, timeout=120)
    assert result.returncode == 2 and b"Traceback" not in result.stderr and result.stderr.count(b"\n") == 1


def test_a_huge_list_limit_lists_everything(run_cli, seeded_path):
    code, out, err = run_cli("list", "--limit", "99999999999999999999999", "--format", "json", db=seeded_path)
    assert code == 0, err
    assert out.count('"id"') == 19


def test_merge_refuses_a_newer_ledger_as_db_does(run_cli, db_path, tmp_path):
    other = tmp_path / "newer.db"
    assert run_cli("init", db=other)[0] == 0
    conn = sqlite3.connect(other)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('forecastapp', '9999_x', 'x')")
    conn.commit()
    conn.close()
    expected = "was made by a newer version of forecastapp (schema 9999_x); upgrade forecastapp to open it\n"
    code, _, err = run_cli("list", db=other)
    assert code == 2 and err == f"Error: '{other}' {expected}"
    assert run_cli("init", "--empty")[0] == 0
    code, out, err = run_cli("merge", str(other))
    assert code == 2 and err == f"Error: '{other.name}' {expected}"
    assert run_cli("list", "--format", "json")[1] == "[]\n"
