"""`show` marks what the scores leave out and what came from a file, beside each record.

A tester replayed resolve, unresolve, update -p 10%, resolve -o no: `show` ended with a Brier under the 10%
forecast that it was never computed from, and an imported resolution read as recorded here on the file's
date. Each test replays such steps through the command line; the CLI reads the real clock.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

TODAY = date.today()
MONTH_AGO = (TODAY - timedelta(days=30)).isoformat()
FORTNIGHT_AGO = (TODAY - timedelta(days=14)).isoformat()


@pytest.fixture
def reopened(run_cli):
    """Ann's 60% a month ago; resolved, withdrawn, her 10% recorded, resolved no: returns (run_cli, id)."""
    assert run_cli("init", "--empty")[0] == 0
    qid = run_cli("add", "Will X happen", "-p", "60%", "-a", "Ann", "--made-on", MONTH_AGO)[1].strip()
    assert run_cli("resolve", qid, "-o", "yes", "--resolved-on", FORTNIGHT_AGO)[0] == 0
    assert run_cli("unresolve", qid, "--reason", "too soon")[0] == 0
    assert run_cli("update", qid, "-p", "10%", "-a", "Ann", "--made-on", MONTH_AGO)[0] == 0
    assert run_cli("resolve", qid, "-o", "no", "--resolved-on", FORTNIGHT_AGO)[0] == 0
    return run_cli, qid


def test_show_marks_a_forecast_recorded_after_the_outcome_and_names_the_scored_one(reopened):
    run_cli, qid = reopened
    code, out, err = run_cli("show", qid)
    assert code == 0, err
    lines = out.splitlines()
    ten = next(i for i, line in enumerate(lines) if " 10% " in line)
    assert lines[ten + 1].strip() == "[not scored: recorded after the outcome was on the record]"
    sixty = next(i for i, line in enumerate(lines) if " 60% " in line)
    assert "not scored" not in lines[sixty + 1]
    assert lines[-1].startswith("Brier (final forecast): 0.360, from Ann's 60% forecast made on " + MONTH_AGO)
    assert lines[-1].endswith("Ann's later forecasts are not scored")


def test_show_json_says_which_forecasts_are_unscored_and_what_each_score_rests_on(reopened):
    run_cli, qid = reopened
    shown = json.loads(run_cli("show", qid, "--format", "json")[1])
    by_p = {f["probability"]: f for f in shown["forecasts"]}
    assert by_p[0.1]["unscored"] == "recorded_after" and by_p[0.6]["unscored"] is None
    assert by_p[0.1]["imported"] is None and by_p[0.6]["imported"] is None
    assert all(r["imported"] is None for r in shown["resolutions"])
    assert shown["scores"] == [{"analyst": "Ann", "final_forecast_id": by_p[0.6]["id"], "brier": pytest.approx(0.36)}]
    assert shown["brier"] == pytest.approx(0.36)  # the keys it had are kept


def test_show_marks_a_forecast_made_after_the_resolution_day(run_cli):
    assert run_cli("init", "--empty")[0] == 0
    qid = run_cli("add", "Will Y happen", "-p", "30%", "-a", "Ann", "--made-on", MONTH_AGO)[1].strip()
    assert run_cli("resolve", qid, "-o", "yes", "--resolved-on", MONTH_AGO)[0] == 0
    assert run_cli("unresolve", qid)[0] == 0
    assert run_cli("update", qid, "-p", "90%", "-a", "Bo")[0] == 0  # made today, after the day it resolved
    assert run_cli("resolve", qid, "-o", "yes", "--resolved-on", MONTH_AGO)[0] == 0
    out = run_cli("show", qid)[1]
    assert f"[not scored: made after the resolution day ({MONTH_AGO})]" in out
    # Bo's 90% is the latest forecast, but the Brier is Ann's 30%: the line says so.
    assert out.splitlines()[-1].startswith("Brier (final forecast): 0.490, from Ann's 30% forecast made on ")
    shown = json.loads(run_cli("show", qid, "--format", "json")[1])
    assert [f["unscored"] for f in shown["forecasts"]] == [None, "made_after"]


def test_a_brier_on_the_latest_forecast_reads_as_before(run_cli):
    assert run_cli("init", "--empty")[0] == 0
    qid = run_cli("add", "Will Z happen", "-p", "20%", "-a", "Ann", "--made-on", MONTH_AGO)[1].strip()
    assert run_cli("resolve", qid, "-o", "no")[0] == 0
    assert run_cli("show", qid)[1].splitlines()[-1] == "Brier (final forecast): 0.040"


def test_show_says_an_imported_record_came_from_its_file_and_when(run_cli, tmp_path):
    assert run_cli("init", "--empty")[0] == 0
    sheet = tmp_path / "claims.csv"
    sheet.write_text("Question,Forecast,Date,Outcome,Resolved on,Analyst\n"
                     "Will the treaty be signed?,70%,2025-03-01,no,2025-07-01,Ann Lee\n", encoding="utf-8")
    assert run_cli("import", str(sheet), "--format", "csv")[0] == 0
    qid = json.loads(run_cli("list", "--format", "json")[1])[0]["id"]
    out = run_cli("show", qid)[1]
    mark = f"[imported from claims.csv on {TODAY.isoformat()}; its dates are the file's]"
    lines = out.splitlines()
    resolution = next(i for i, line in enumerate(lines) if line.lstrip().startswith("resolve "))
    assert "recorded 2025-07-01" in lines[resolution] and lines[resolution + 1].strip() == mark
    forecast = next(i for i, line in enumerate(lines) if " 70% " in line)
    assert lines[forecast + 1].strip() == mark
    shown = json.loads(run_cli("show", qid, "--format", "json")[1])
    for record in (shown["forecasts"][0], shown["resolutions"][0]):
        imported = record["imported"]
        assert (imported["source"], imported["format"], imported["action"]) == ("claims.csv", "csv", "import")
        assert imported["imported_at"][:10] == TODAY.isoformat()


def test_a_merged_record_says_merged():
    from forecastapp.core.model import RecordOrigin

    origin = RecordOrigin(id="o", action="merge", format="ledger", source="ann.db", imported_at="2026-03-01T10:00:00Z")
    assert origin.describe() == "merged from ann.db on 2026-03-01"
