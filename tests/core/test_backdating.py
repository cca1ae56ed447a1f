"""Back-dated forecasts: made on more than a day before they were recorded, flagged, with evidence if any."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core.errors import ValidationError
from forecastapp.core.queries import question_detail
from tests.conftest import NOW, TODAY


def _forecast_made(db, made_on: date, now: datetime = NOW):
    qid, fid = ops.create_forecast(
        db, ops.NewQuestion(statement="Will it rain?"), analyst="Ann", probability=0.6, made_on=made_on,
        today=now.date(), now=now,
    )
    return qid, question_detail(db, qid, today=now.date()).forecasts[0]


@pytest.mark.parametrize(
    ("made_on", "backdated"),
    [
        (date(2026, 11, 28), False),  # recorded the day it was made
        (date(2026, 11, 27), False),  # a day earlier: a late evening in another time zone, not hindsight
        (date(2026, 11, 26), True),   # two days earlier
        (date(2020, 1, 1), True),
    ],
)
def test_backdated_means_made_on_more_than_a_day_before_recording(ledger, made_on, backdated):
    _, f = _forecast_made(ledger, made_on)  # recorded 2026-11-28T09:00Z
    assert f.backdated is backdated
    assert f.backdate_evidence is None  # no document: nothing shows it was made then


def test_recorded_just_after_midnight_utc_counts_by_the_utc_day(ledger):
    _, f = _forecast_made(ledger, date(2026, 11, 26), now=datetime(2026, 11, 28, 0, 1, tzinfo=timezone.utc))
    assert f.backdated is True
    _, g = _forecast_made(ledger, date(2026, 11, 27), now=datetime(2026, 11, 28, 23, 59, tzinfo=timezone.utc))
    assert g.backdated is False


def test_a_forecast_after_the_resolution_date_is_refused(ledger):
    qid, _ = _forecast_made(ledger, date(2026, 1, 5))
    ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=date(2026, 6, 1), today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match="hindsight"):
        ops.add_forecast(ledger, question_id=qid, analyst="Bo", probability=0.9, made_on=date(2026, 6, 2),
                         today=TODAY, now=NOW)
    # Made on the resolution day, but recorded after the resolution was: refused too (issue 11, item 1).
    with pytest.raises(ValidationError, match="recorded after its resolution would be hindsight"):
        ops.add_forecast(ledger, question_id=qid, analyst="Bo", probability=0.9, made_on=date(2026, 6, 1),
                         today=TODAY, now=NOW)


def test_seed_forecasts_are_backdated_with_the_excerpt_as_evidence(seeded_ledger):
    rows = seeded_ledger.execute(
        "SELECT q.id, d.title, d.published_on FROM questions q JOIN documents d ON d.id = q.document_id"
    ).fetchall()
    assert rows
    for qid, title, published_on in rows:
        (f,) = question_detail(seeded_ledger, qid, today=TODAY).forecasts
        assert f.backdated is True
        assert f.backdate_evidence == f"the excerpt from \u201c{title}\u201d, published {published_on}"


def test_a_later_backdated_update_on_a_seed_question_has_no_evidence(seeded_ledger):
    qid = seeded_ledger.execute("SELECT id FROM questions LIMIT 1").fetchone()[0]
    ops.add_forecast(seeded_ledger, question_id=qid, analyst="Ann", probability=0.4, made_on=date(2024, 3, 1),
                     today=TODAY, now=NOW)
    forecasts = question_detail(seeded_ledger, qid, today=TODAY).forecasts
    later = [f for f in forecasts if f.analyst == "Ann"][0]
    assert later.backdated is True and later.backdate_evidence is None


def test_show_json_and_text_say_which_forecasts_are_backdated(run_cli, seeded_path):
    code, out, _ = run_cli("list", "--format", "json", "--limit", "1")
    qid = json.loads(out)[0]["id"]
    run_cli("update", qid, "-p", "40%", "-a", "Ann")  # made today: not back-dated
    code, out, _ = run_cli("show", qid, "--format", "json")
    assert code == 0
    flags = {(f["analyst"], f["backdated"], f["backdate_evidence"] is not None) for f in json.loads(out)["forecasts"]}
    assert ("Ann", False, False) in flags
    assert any(backdated and evidence for _, backdated, evidence in flags)
    code, out, _ = run_cli("show", qid)
    assert "back-dated: recorded" in out and "evidence: the excerpt from" in out
