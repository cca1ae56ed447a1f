"""`forecastapp edit`: a question's wording changes as a new, visible version; bad input is one line."""

from __future__ import annotations

import json
import sqlite3

import pytest


def _add(run_cli, statement="X happens by 2027", *extra):
    assert run_cli("init", "--empty")[0] == 0
    code, out, err = run_cli("add", statement, "-p", "60%", "-a", "Ann", "--resolve-by", "2027-06-30",
                             "--made-on", "2026-01-05", "--tag", "economy", *extra)
    assert code == 0, err
    return out.strip()


def _versions(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT action, statement, resolve_from, resolve_by, reason FROM question_versions"
                            " ORDER BY seq").fetchall()
    finally:
        conn.close()


def test_edit_by_prefix_then_show_tells_who_when_why_and_what(run_cli, db_path, monkeypatch):
    monkeypatch.setattr("forecastapp.cli.session.login", lambda: "ann.lee")
    qid = _add(run_cli)
    code, out, err = run_cli("edit", qid[:6], "--statement", "X does not happen by 2027", "--untag", "economy",
                             "--tag", "Trade", "--reason", "flipped the wrong way round")
    assert code == 0, err
    version_id = out.strip()
    assert len(version_id) == 36
    code, out, _ = run_cli("show", qid[:6])
    assert out.splitlines()[0] == "X does not happen by 2027"
    edits = out[out.index("edits:"):]
    assert "by ann.lee" in edits and version_id[:8] in edits and "[meaning changed]" in edits
    assert "why: flipped the wrong way round" in edits
    assert "statement: \u201cX happens by 2027\u201d -> \u201cX does not happen by 2027\u201d" in edits
    assert "tags added: trade" in edits and "tags removed: economy" in edits
    code, out, _ = run_cli("show", qid, "--format", "json")
    shown = json.loads(out)
    assert shown["statement"] == "X does not happen by 2027" and shown["tags"] == ["trade"]
    create, edit = shown["versions"]
    assert create["action"] == "create" and create["changes"] == {}
    assert edit == {"id": version_id, "action": "edit", "recorded_at": edit["recorded_at"], "recorded_by": "ann.lee",
                    "reason": "flipped the wrong way round", "meaning_changed": True,
                    "changes": {"statement": {"from": "X happens by 2027", "to": "X does not happen by 2027"}},
                    "tags_added": ["trade"], "tags_removed": ["economy"]}
    assert run_cli("verify")[0] == 0


def test_a_span_sets_the_window_as_add_reads_it(run_cli, db_path):
    qid = _add(run_cli)
    code, _, err = run_cli("edit", qid, "--resolve-by", "Q4 2028", "--reason", "talks postponed")
    assert code == 0, err
    code, _, err = run_cli("edit", qid, "--resolve-from", "2028-10-01", "--reason", "not before autumn")
    assert code == 0, err
    code, _, err = run_cli("edit", qid, "--resolve-by", "none", "--reason", "open-ended")
    assert code == 0, err
    assert _versions(db_path)[1:] == [
        ("edit", "X happens by 2027", None, "2028-12-31", "talks postponed"),
        ("edit", "X happens by 2027", "2028-10-01", "2028-12-31", "not before autumn"),
        ("edit", "X happens by 2027", None, None, "open-ended"),
    ]


@pytest.mark.parametrize(("args", "message"), [
    ([], "nothing to edit"),
    (["--statement", "X happens by 2027"], "the edit changes nothing"),
    (["--statement", " "], "the statement is empty"),
    (["--statement", "Y", "--reason", " "], "give a reason"),
    (["--resolve-by", "03/04/2027"], "ambiguous"),
    (["--resolve-by", "2025-12-31"], "before the question's first forecast"),
    (["--resolve-from", "2028-01-01"], "starts (2028-01-01) after it ends"),
    (["--untag", "nuclear"], "has no tag 'nuclear'"),
    (["--tag", "x" * 70], "longer than 64 characters"),
])
def test_a_bad_edit_is_one_line_and_changes_nothing(run_cli, db_path, args, message):
    qid = _add(run_cli)
    before = _versions(db_path)
    reason = [] if "--reason" in args else ["--reason", "why not"]
    code, out, err = run_cli("edit", qid, *args, *reason)
    assert code == 2 and out == ""
    assert err.startswith("Error: ") and len(err.strip().splitlines()) == 1 and message in err
    assert _versions(db_path) == before


def test_a_deleted_question_is_not_edited(run_cli, db_path):
    qid = _add(run_cli)
    assert run_cli("delete", qid)[0] == 0
    code, _, err = run_cli("edit", qid, "--statement", "Y", "--reason", "r")
    assert code == 2 and "deleted; restore it first" in err


def test_verify_names_a_statement_flipped_outside_the_app(run_cli, db_path):
    qid = _add(run_cli)
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER questions_wording_no_update")
    conn.execute("UPDATE questions SET statement = 'X does not happen by 2027' WHERE id = ?", [qid])
    conn.commit()
    conn.close()
    code, out, _ = run_cli("verify")
    assert code == 1
    assert out == (f"broken at record 2 (questions {qid}): its statement differs from its last chained version"
                   " (changed outside the app)\n")
