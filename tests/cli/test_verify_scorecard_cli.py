"""`verify --ledger EXPORT.json [--scorecard CARD.json]`: a reader checks an export and a scorecard without the database."""

from __future__ import annotations

import json
import sqlite3

import pytest


def _export(run_cli, tmp_path):
    path = tmp_path / "ledger.json"
    code, _, err = run_cli("export", str(path))
    assert code == 0, err
    return path


def _card(tmp_path, head, name="card.json"):
    """A scorecard stating only its chain head (no figures to recompute)."""
    path = tmp_path / name
    path.write_text(json.dumps({"ledger": {"chain_head": head}}), encoding="utf-8")
    return path


NO_FIGURES = "; the scorecard states no figures to recompute"


def _db_head(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()[0], conn.execute(
            "SELECT count(*) FROM chain").fetchone()[0]
    finally:
        conn.close()


def test_an_export_verifies_on_its_own_and_states_the_database_head(run_cli, seeded_path, tmp_path):
    export = _export(run_cli, tmp_path)
    head, n = _db_head(seeded_path)
    assert json.loads(export.read_text())["chain_head"] == head
    code, out, _ = run_cli("verify", "--ledger", str(export))
    assert (code, out) == (0, f"verified: {n} records, head {head}\n")


def test_an_edited_export_is_caught(run_cli, seeded_path, tmp_path):
    export = _export(run_cli, tmp_path)
    data = json.loads(export.read_text())
    data["forecasts"][1]["probability"] = 0.95
    export.write_text(json.dumps(data))
    code, out, _ = run_cli("verify", "--ledger", str(export))
    assert code == 1 and out.startswith("broken at record")


def test_a_scorecard_with_the_ledger_head_matches(run_cli, seeded_path, tmp_path):
    head, n = _db_head(seeded_path)
    card = _card(tmp_path, head)
    export = _export(run_cli, tmp_path)
    code, out, _ = run_cli("verify", "--scorecard", str(card), "--ledger", str(export))
    assert code == 0 and out.splitlines()[-1] == f"scorecard matches the ledger export at record {n} of {n}{NO_FIGURES}"
    code, out, _ = run_cli("verify", "--scorecard", str(card))
    assert code == 0 and out.splitlines()[-1] == f"scorecard matches the ledger at record {n} of {n}{NO_FIGURES}"


def test_a_scorecard_from_an_earlier_state_still_matches_and_says_what_came_after(run_cli, seeded_path, tmp_path):
    head, n = _db_head(seeded_path)
    card = _card(tmp_path, head)
    run_cli("update", "eb0b7891", "-p", "40%", "-a", "Ann")  # a new analyst and a forecast: two links
    code, out, _ = run_cli("verify", "--scorecard", str(card))
    assert out.splitlines()[-1] == f"scorecard matches the ledger at record {n} of {n + 2}; 2 records added since" + (
        NO_FIGURES)


def test_a_scorecard_from_another_ledger_is_refused(run_cli, seeded_path, tmp_path):
    card = _card(tmp_path, "ab" * 32)
    export = _export(run_cli, tmp_path)
    code, out, err = run_cli("verify", "--scorecard", str(card), "--ledger", str(export))
    # A check that fails, like a changed figure: status 1, the line on stdout.
    assert code == 1 and err == "" and out.splitlines()[-1].startswith("the scorecard's chain head abababab")
    assert "not in the ledger export's chain" in out


def test_a_scorecard_without_a_chain_head_gets_one_line(run_cli, seeded_path, tmp_path):
    card = tmp_path / "old.json"
    card.write_text(json.dumps({"ledger": {"questions": 3}}))
    code, _, err = run_cli("verify", "--scorecard", str(card))
    assert code == 2 and err == ("Error: the scorecard states no ledger chain head, so it cannot be checked against"
                                 " a ledger\n")


def test_a_real_scorecard_is_tied_to_the_ledger_export_it_came_from(run_cli, seeded_path, tmp_path):
    head, n = _db_head(seeded_path)
    card = tmp_path / "card.json"
    code, _, err = run_cli("scorecard", "--output", str(card))
    assert (code, err) == (0, "")
    stated = json.loads(card.read_text(encoding="utf-8"))["ledger"]
    # `scorecard` verifies the chain by default and says so.
    assert (stated["chain_head"], stated["verified"], stated["chain_records"]) == (head, True, n)
    export = _export(run_cli, tmp_path)
    code, out, _ = run_cli("verify", "--scorecard", str(card), "--ledger", str(export))
    assert code == 0
    recomputed = f"; its figures, recomputed from the ledger export as of record {n}, match"
    assert out.splitlines() == [f"verified: {n} records, head {head}",
                                f"scorecard matches the ledger export at record {n} of {n}{recomputed}"]
    # The ledger grows: the scorecard still matches a later export, which says what came after.
    code, _, err = run_cli("update", "eb0b7891", "-p", "40%", "-a", "Ann")  # a new analyst and a forecast
    assert code == 0, err
    export = _export(run_cli, tmp_path)
    code, out, _ = run_cli("verify", "--scorecard", str(card), "--ledger", str(export))
    assert code == 0 and out.splitlines()[-1] == (
        f"scorecard matches the ledger export at record {n} of {n + 2}; 2 records added since{recomputed}")


def test_a_real_scorecard_with_an_edited_head_is_refused(run_cli, seeded_path, tmp_path):
    card = tmp_path / "card.json"
    run_cli("scorecard", "--output", str(card), "--no-verify")
    data = json.loads(card.read_text(encoding="utf-8"))
    assert data["ledger"]["verified"] is None  # --no-verify: the head is stated, the chain not checked
    data["ledger"]["chain_head"] = "f" * 64
    card.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run_cli("verify", "--scorecard", str(card), "--ledger", str(_export(run_cli, tmp_path)))
    assert code == 1 and err == "" and "is not in the ledger export's chain" in out.splitlines()[-1]


def test_scorecard_of_a_tampered_ledger_warns_and_says_so_in_the_report(run_cli, seeded_path, tmp_path):
    conn = sqlite3.connect(seeded_path)
    conn.execute("DROP TRIGGER forecasts_no_update")
    target = conn.execute("SELECT id FROM forecasts ORDER BY seq LIMIT 1").fetchone()[0]
    conn.execute("UPDATE forecasts SET probability = 0.99 WHERE id = ?", [target])
    conn.commit()
    conn.close()
    code, out, err = run_cli("scorecard", "--format", "md")
    assert code == 0
    # link 1 is the starting ledger's author, link 2 the first question's version, link 3 its forecast
    assert err.startswith(f"warning: the ledger's hash chain is broken at record 3 (forecasts {target}):")
    assert "Ledger chain broken at record 3 (forecasts" in out


@pytest.mark.parametrize("content, message", [
    ("null", "'n.json' is not a forecastapp ledger export (it holds null)"),
    ("[1]", "'n.json' is not a forecastapp ledger export (it holds a list)"),
    ('"x"', "'n.json' is not a forecastapp ledger export (it holds a string)"),
    ("5", "'n.json' is not a forecastapp ledger export (it holds a number)"),
])
def test_a_ledger_file_that_holds_no_export_is_refused_not_taken_for_no_file(run_cli, seeded_path, tmp_path, content,
                                                                              message):
    bad = tmp_path / "n.json"
    bad.write_text(content, encoding="utf-8")
    code, out, err = run_cli("verify", "--ledger", str(bad))
    assert (code, out, err) == (2, "", f"Error: {message}\n")


@pytest.mark.parametrize("content, message", [
    ("null", "the file is not a forecastapp scorecard (it holds null)"),
    ("[1]", "the file is not a forecastapp scorecard (it holds a list)"),
    ('{"ledger": null}', "the scorecard states no ledger chain head, so it cannot be checked against a ledger"),
    ('{"ledger": [1]}', "the scorecard states no ledger chain head, so it cannot be checked against a ledger"),
])
def test_a_scorecard_file_that_holds_no_scorecard_is_refused(run_cli, seeded_path, tmp_path, content, message):
    bad = tmp_path / "n.json"
    bad.write_text(content, encoding="utf-8")
    code, out, err = run_cli("verify", "--scorecard", str(bad))
    assert (code, out, err) == (2, "", f"Error: {message}\n")
    code, out, err = run_cli("verify", "--scorecard", str(bad), "--ledger", str(_export(run_cli, tmp_path)))
    assert (code, out, err) == (2, "", f"Error: {message}\n")


def test_an_export_changed_at_its_first_forecast_is_broken_there_not_at_the_last_record(run_cli, seeded_path,
                                                                                       tmp_path):
    export = _export(run_cli, tmp_path)
    data = json.loads(export.read_text())
    first = data["forecasts"][0]
    first["probability"] = 0.02 if first["probability"] != 0.02 else 0.03
    export.write_text(json.dumps(data))
    position = data["chain"].index(["forecasts", first["id"]]) + 1
    assert position < len(data["chain"])
    code, out, _ = run_cli("verify", "--ledger", str(export))
    assert code == 1
    assert out == (f"broken at record {position} (forecasts {first['id']}): the record does not match its hash (it was"
                   " changed after it was recorded)\n")
