"""The command line end to end on a temporary database: the contract scripts rely on."""

from __future__ import annotations

import json

import pytest


def _json(out: str):
    return json.loads(out)


def test_add_prints_the_new_id_alone_and_list_shows_it(run_cli):
    assert run_cli("init", "--empty")[0] == 0
    code, out, err = run_cli("add", "Russia transfers missile technology to North Korea by 2025",
                             "--probability", "unlikely", "--analyst", "Ann", "--resolve-by", "Dec 2025",
                             "--made-on", "2023-12-01", "--tag", "russia", "--tag", "Nuclear",
                             "--criteria", "Credible official reporting", "--condition", "")
    assert code == 0, err
    qid = out.strip()
    assert len(out.splitlines()) == 1 and len(qid) == 36
    rows = _json(run_cli("list", "--format", "json")[1])
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == qid
    assert row["tags"] == ["nuclear", "russia"]
    assert row["resolve_by"] == "2025-12-31"
    assert row["latest"] == {"Ann": 0.325}
    assert row["estimative_term"] == "unlikely"
    assert row["status"] == "due"  # the deadline has passed and it is not resolved
    assert row["outcome"] is None
    for key in ("statement", "criteria", "excerpt", "excerpt_start", "excerpt_end"):
        assert key in row


def test_update_resolve_show_and_correct(run_cli):
    run_cli("init", "--empty")
    qid = run_cli("add", "Sanctions stay in place", "-p", "90%", "-a", "Ann", "--made-on", "2026-01-10",
                  "--resolve-by", "2026-06-30")[1].strip()
    code, out, err = run_cli("update", qid[:8], "-p", "0.8", "-a", "Bo", "--made-on", "2026-02-01",
                             "--rationale", "new talks")
    assert code == 0, err
    assert run_cli("resolve", qid[:8], "--outcome", "yes", "--resolved-on", "2026-07-01",
                   "--evidence", "UN report")[0] == 0
    detail = _json(run_cli("show", qid, "--format", "json")[1])
    assert [f["probability"] for f in detail["forecasts"]] == [0.9, 0.8]
    assert detail["latest"] == {"Ann": 0.9, "Bo": 0.8}
    assert detail["status"] == "resolved" and detail["outcome"] == "yes"
    assert run_cli("correct", qid[:8], "-o", "no", "--evidence", "misread the report",
                   "--resolved-on", "2026-07-02")[0] == 0
    detail = _json(run_cli("show", qid, "--format", "json")[1])
    assert [(r["outcome"], r["effective"]) for r in detail["resolutions"]] == [("yes", False), ("no", True)]
    text = run_cli("show", qid[:6])[1]
    assert "superseded" in text and "in force" in text and "new talks" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["add", "X", "-p", "100%", "-a", "Ann"], "100%"),
        (["add", "X", "-p", "0", "-a", "Ann"], "0"),
        (["add", "X", "-p", "banana", "-a", "Ann"], "banana"),
        (["add", "X", "-p", "70%", "-a", "Ann", "--resolve-by", "someday soon"], "someday soon"),
        (["add", "X", "-p", "70%", "-a", "Ann", "--made-on", "03/04/2025"], "03/04/2025"),
        (["add", " ", "-p", "70%", "-a", "Ann"], "statement"),
        (["update", "ffffffff", "-p", "70%", "-a", "Ann"], "ffffffff"),
        (["resolve", "ffffffff", "--outcome", "yes"], "ffffffff"),
        (["show", "zz"], "zz"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(run_cli, args, message):
    run_cli("init", "--empty")
    before = run_cli("list", "--format", "json")[1]
    code, out, err = run_cli(*args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err
    assert "Traceback" not in err + out
    assert run_cli("list", "--format", "json")[1] == before


def test_resolving_twice_is_refused_with_advice(run_cli):
    run_cli("init", "--empty")
    qid = run_cli("add", "X happens", "-p", "likely", "-a", "Ann", "--made-on", "2026-01-01")[1].strip()
    run_cli("resolve", qid, "-o", "no", "--resolved-on", "2026-02-01")
    code, _, err = run_cli("resolve", qid, "-o", "yes")
    assert code == 2 and "correction" in err
    code, _, err = run_cli("update", qid, "-p", "50%", "-a", "Ann")
    assert code == 2 and "hindsight" in err


def test_list_filters_and_formats(run_cli):
    run_cli("init", "--empty")
    a = run_cli("add", "Alpha event", "-p", "20%", "-a", "Ann", "--tag", "russia", "--made-on", "2026-01-01",
                "--resolve-by", "2030")[1].strip()
    b = run_cli("add", "Beta event", "-p", "=cmd()", "-a", "Ann")[0]
    assert b == 2
    b = run_cli("add", "=HYPERLINK(\"x\") beta", "-p", "80%", "-a", "Bo", "--tag", "china",
                "--made-on", "2026-01-01")[1].strip()
    run_cli("resolve", b, "-o", "yes", "--resolved-on", "2026-03-01")
    ids = lambda *args: [r["id"] for r in _json(run_cli("list", "--format", "json", *args)[1])]
    assert ids("--tag", "russia") == [a]
    assert ids("--status", "resolved") == [b]
    assert ids("--status", "open") == [a]
    assert ids("--analyst", "bo") == [b]
    assert ids("--search", "alph") == [a]
    assert ids("--sort", "probability", "--desc") == [b, a]
    csv_out = run_cli("list", "--format", "csv")[1]
    assert "'=HYPERLINK" in csv_out and "\n=HYPERLINK" not in csv_out
    table = run_cli("list")[1]
    assert a[:8] in table and "resolved yes" in table


def test_export_import_round_trip_gives_identical_lists(run_cli, tmp_path):
    run_cli("init")  # the starting ledger
    qid = run_cli("add", "Gamma", "-p", "likely", "-a", "Ann", "--made-on", "2026-01-01", "--tag", "x")[1].strip()
    fid = run_cli("update", qid, "-p", "40%", "-a", "Ann", "--made-on", "2026-02-01")[1].strip()
    run_cli("retract", fid, "--reason", "typo")
    run_cli("resolve", qid, "-o", "yes", "--resolved-on", "2026-03-01", "--evidence", "seen")
    run_cli("correct", qid, "-o", "no", "--resolved-on", "2026-03-01", "--evidence", "wrong")
    export = tmp_path / "ledger.json"
    assert run_cli("export", str(export))[0] == 0
    other = tmp_path / "other.db"
    assert run_cli("init", "--empty", db=other)[0] == 0
    code, out, err = run_cli("import", str(export), db=other)
    assert code == 0, err
    assert out.startswith("added ") and "questions" in out
    original = run_cli("list", "--format", "json")[1]
    assert run_cli("list", "--format", "json", db=other)[1] == original
    restored = json.loads(run_cli("show", qid, "--format", "json", db=other)[1])
    here = json.loads(run_cli("show", qid, "--format", "json")[1])
    # The same history; only the restored copy's records say they came from the export (its provenance).
    for records in ("forecasts", "resolutions"):
        assert all(r.pop("imported")["source"] == "ledger.json" for r in restored[records])
        assert all(r.pop("imported") is None for r in here[records])
    assert restored == here
    # importing again adds nothing
    assert "added nothing" in run_cli("import", str(export), db=other)[1]
    assert run_cli("list", "--format", "json", db=other)[1] == original


def test_import_of_a_broken_file_is_refused_and_writes_nothing(run_cli, tmp_path):
    run_cli("init", "--empty")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = run_cli("import", str(bad))
    assert code == 2 and "not valid JSON" in err
    bad.write_text(json.dumps({"format": "something-else"}))
    code, _, err = run_cli("import", str(bad))
    assert code == 2 and "not a forecastapp ledger export" in err
    assert _json(run_cli("list", "--format", "json")[1]) == []


def test_new_database_starts_with_the_documents_ledger(run_cli):
    rows = _json(run_cli("list", "--format", "json")[1])
    assert len(rows) >= 12
    assert all(r["excerpt"] and r["document_id"] for r in rows)


def test_module_entry_point_runs(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "forecastapp", "--db", str(tmp_path / "x.db"), "list", "--status",
                          "open", "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert isinstance(json.loads(out.stdout), list)


def test_a_correction_without_evidence_is_refused_before_anything_is_read(run_cli):
    run_cli("init", "--empty")
    qid = run_cli("add", "X happens", "-p", "likely", "-a", "Ann", "--made-on", "2026-01-01")[1].strip()
    run_cli("resolve", qid, "-o", "no", "--resolved-on", "2026-02-01")
    code, _, err = run_cli("correct", qid, "-o", "yes")
    assert code == 2 and "--evidence" in err
