"""Issue 14, items 11 and 12: --db goes before or after the command, and click's refusals are one line too."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from forecastapp.cli import cli


def _run(*args: str):
    result = CliRunner().invoke(cli, list(args), obj=None, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_db_works_after_the_command_too(tmp_path):
    db = str(tmp_path / "after.db")
    assert _run("init", "--empty", "--db", db)[0] == 0
    code, out, err = _run("add", "Rain?", "-p", "60%", "-a", "Ann", f"--db={db}")
    assert code == 0, err
    code, out, _ = _run("list", "--format", "json", "--db", db)
    assert code == 0 and [q["statement"] for q in json.loads(out)] == ["Rain?"]


@pytest.mark.parametrize("args", [
    ("list", "--status", "sideways"),   # a bad choice
    ("list", "--limit", "0"),           # a bad number
    ("list", "--colour"),               # an unknown option
    ("add", "Rain?"),                   # a missing option
    ("show",),                          # a missing argument
    ("nonsense",),                      # an unknown command
])
def test_every_usage_error_is_one_line_with_status_2(tmp_path, args):
    code, out, err = _run("--db", str(tmp_path / "l.db"), *args)
    assert code == 2 and out == ""
    assert err.startswith("Error: ") and err.count("\n") == 1 and "--help" in err


def test_retract_takes_the_short_id_show_prints(tmp_path):
    db = str(tmp_path / "ids.db")
    assert _run("--db", db, "init", "--empty")[0] == 0
    qid = _run("--db", db, "add", "Rain?", "-p", "60%", "-a", "Ann")[1].strip()
    assert _run("--db", db, "update", qid[:6], "-p", "70%", "-a", "Ann")[0] == 0
    forecast = json.loads(_run("--db", db, "show", qid[:6], "--format", "json")[1])["forecasts"][-1]["id"]
    code, out, err = _run("--db", db, "retract", forecast[:8], "--reason", "typo")
    assert code == 0, err
    shown = json.loads(_run("--db", db, "show", qid[:6], "--format", "json")[1])
    assert [f["retracted_at"] is not None for f in shown["forecasts"]] == [False, True]
    code, _, err = _run("--db", db, "retract", "zz")
    assert code == 2 and err.count("\n") == 1 and "not a forecast id" in err


def test_a_bare_scorecard_at_a_terminal_is_a_readable_summary(tmp_path, monkeypatch):
    from forecastapp.cli import output

    db = str(tmp_path / "s.db")
    assert _run("--db", db, "init", "--empty")[0] == 0
    qid = _run("--db", db, "add", "Rain?", "-p", "80%", "-a", "Ann")[1].strip()
    assert _run("--db", db, "resolve", qid, "-o", "yes")[0] == 0
    code, piped, _ = _run("--db", db, "scorecard")
    assert code == 0 and json.loads(piped)["overall"]["n"] == 1  # not a terminal: JSON, as scripts expect
    monkeypatch.setattr(output, "to_terminal", lambda: True)
    code, shown, _ = _run("--db", db, "scorecard")
    assert code == 0 and len(shown.splitlines()) < 20
    assert shown.startswith("Scorecard: 1 scored pair (question, analyst). Ledger verified: ")
    assert "Brier 0.040" in shown and "Ann" in shown and "--format json" in shown
    code, forced, _ = _run("--db", db, "scorecard", "--format", "json")
    assert json.loads(forced)["overall"]["n"] == 1
