"""The write side: validation before writing, append-only history, resolutions and corrections."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core import queries
from forecastapp.core.errors import NotFoundError, ValidationError
from forecastapp.core.model import Outcome, Status
from tests.conftest import NOW, TODAY


def _add(db, statement="Will the treaty be signed?", p=0.7, made_on=date(2026, 3, 1), analyst="Ann", **q):
    return ops.create_forecast(
        db, ops.NewQuestion(statement=statement, **q), analyst=analyst, probability=p, made_on=made_on,
        today=TODAY, now=NOW,
    )


def _counts(db):
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("questions", "forecasts", "resolutions", "retractions", "analysts", "question_tags")}


def test_create_forecast_stores_question_forecast_and_tags(ledger):
    qid, fid = _add(ledger, tags=("Russia", "china, Sanctions", "russia"), resolve_by=date(2027, 1, 1))
    row = queries.list_questions(ledger, today=TODAY)[0]
    assert row.id == qid and row.latest_probability == 0.7 and row.latest_analyst == "Ann"
    assert row.tags == ("china", "russia", "sanctions")
    assert row.status is Status.OPEN


def test_update_appends_and_keeps_the_old_forecast(ledger):
    qid, first = _add(ledger)
    second = ops.add_forecast(ledger, question_id=qid, analyst="ann", probability=0.4, made_on=date(2026, 4, 1),
                                 today=TODAY, now=NOW)
    detail = queries.question_detail(ledger, qid, today=TODAY)
    assert [f.id for f in detail.forecasts] == [first, second]
    assert [f.probability for f in detail.forecasts] == [0.7, 0.4]
    assert detail.question.latest_probability == 0.4
    assert _counts(ledger)["analysts"] == 1  # names match case-insensitively


def test_history_rows_cannot_be_edited_or_deleted_even_with_sql(ledger):
    qid, _ = _add(ledger)
    ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=date(2026, 5, 1), today=TODAY, now=NOW)
    for sql in ("UPDATE forecasts SET probability = 0.9", "DELETE FROM forecasts",
                "UPDATE resolutions SET outcome = 'no'", "DELETE FROM resolutions", "DELETE FROM questions"):
        with pytest.raises(sqlite3.IntegrityError):
            ledger.execute(sql)
    assert queries.question_detail(ledger, qid, today=TODAY).forecasts[0].probability == 0.7


@pytest.mark.parametrize("p", [0.0, 1.0, 0.0009, 0.9991, float("nan"), -0.2])
def test_probabilities_outside_the_scoreable_range_are_refused(ledger, p):
    with pytest.raises(ValidationError):
        _add(ledger, p=p)
    assert _counts(ledger)["questions"] == 0


def test_bad_question_input_writes_nothing(ledger):
    before = _counts(ledger)
    with pytest.raises(ValidationError, match="statement is empty"):
        _add(ledger, statement="   ")
    with pytest.raises(ValidationError, match="before the forecast date"):
        _add(ledger, resolve_by=date(2026, 2, 1))
    with pytest.raises(ValidationError, match="in the future"):
        _add(ledger, made_on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="analyst"):
        _add(ledger, analyst=" ")
    assert _counts(ledger) == before


def test_forecast_after_resolution_is_refused_as_hindsight(ledger):
    qid, _ = _add(ledger)
    ops.resolve(ledger, question_id=qid, outcome="no", resolved_on=date(2026, 5, 1), today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match="hindsight"):
        ops.add_forecast(ledger, question_id=qid, analyst="Ann", probability=0.1, made_on=date(2026, 5, 2),
                            today=TODAY, now=NOW)


def test_resolving_twice_asks_for_a_correction(ledger):
    qid, _ = _add(ledger)
    ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=date(2026, 5, 1), today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match="correction"):
        ops.resolve(ledger, question_id=qid, outcome="no", resolved_on=date(2026, 5, 1), today=TODAY, now=NOW)


def test_correction_supersedes_and_both_records_stay_visible(ledger):
    qid, _ = _add(ledger)
    first = ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=date(2026, 5, 1),
                           evidence="wire report", recorded_by="ann", today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match="evidence"):
        ops.correct_resolution(ledger, question_id=qid, outcome="no", resolved_on=date(2026, 5, 1), evidence="",
                                  today=TODAY, now=NOW)
    second = ops.correct_resolution(ledger, question_id=qid, outcome="no", resolved_on=date(2026, 5, 3),
                                       evidence="report retracted", today=TODAY, now=NOW)
    detail = queries.question_detail(ledger, qid, today=TODAY)
    assert [(r.id, r.effective) for r in detail.resolutions] == [(first, False), (second, True)]
    assert detail.resolutions[1].supersedes == first
    assert detail.question.outcome is Outcome.NO and detail.question.resolved_on == date(2026, 5, 3)


def test_undoing_a_resolution_reopens_the_question_and_keeps_the_record(ledger):
    qid, _ = _add(ledger, resolve_by=date(2030, 1, 1))
    ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=date(2026, 5, 1), today=TODAY, now=NOW)
    ops.retract_resolution(ledger, question_id=qid, reason="undo", now=NOW)
    detail = queries.question_detail(ledger, qid, today=TODAY)
    assert detail.question.status is Status.OPEN and detail.question.outcome is None
    assert [r.kind for r in detail.resolutions] == ["resolve", "retract"]
    assert ledger.execute("SELECT count(*) FROM pair_scores").fetchone()[0] == 0


def test_condition_not_met_only_for_conditional_questions(ledger):
    plain, _ = _add(ledger)
    with pytest.raises(ValidationError, match="no condition"):
        ops.resolve(ledger, question_id=plain, outcome="annulled", annul_reason="condition_not_met",
                       resolved_on=date(2026, 5, 1), today=TODAY, now=NOW)
    cond, _ = _add(ledger, statement="Kim Yo Jong succeeds", condition="Kim becomes incapacitated")
    ops.resolve(ledger, question_id=cond, outcome="annulled", annul_reason="condition_not_met",
                   resolved_on=date(2026, 5, 1), today=TODAY, now=NOW)
    assert queries.question_detail(ledger, cond, today=TODAY).question.status is Status.ANNULLED


def test_retracted_forecast_stays_in_history_but_stops_counting(ledger):
    qid, first = _add(ledger, p=0.7)
    second = ops.add_forecast(ledger, question_id=qid, analyst="Ann", probability=0.2, made_on=date(2026, 4, 1),
                                 today=TODAY, now=NOW)
    ops.retract_forecast(ledger, forecast_id=second, reason="typo", now=NOW)
    detail = queries.question_detail(ledger, qid, today=TODAY)
    assert detail.question.latest_probability == 0.7
    assert [f.retracted_at is not None for f in detail.forecasts] == [False, True]
    with pytest.raises(ValidationError, match="already retracted"):
        ops.retract_forecast(ledger, forecast_id=second, now=NOW)


def test_soft_delete_hides_and_restore_brings_back(ledger):
    qid, _ = _add(ledger)
    ops.delete_question(ledger, question_id=qid, reason="duplicate", now=NOW)
    assert queries.list_questions(ledger, today=TODAY) == []
    assert queries.count_questions(ledger, queries.QuestionFilter(include_deleted=True), today=TODAY) == 1
    with pytest.raises(ValidationError, match="deleted"):
        ops.add_forecast(ledger, question_id=qid, analyst="Ann", probability=0.5, made_on=TODAY, today=TODAY,
                            now=NOW)
    ops.restore_question(ledger, question_id=qid, now=NOW)
    assert [r.id for r in queries.list_questions(ledger, today=TODAY)] == [qid]
    assert [a for a, _, _ in queries.question_detail(ledger, qid, today=TODAY).log] == ["delete", "restore"]


def test_unknown_question_is_a_clear_error(ledger):
    with pytest.raises(NotFoundError):
        ops.add_forecast(ledger, question_id="nope", analyst="Ann", probability=0.5, made_on=TODAY,
                            today=TODAY, now=NOW)


def test_excerpt_must_match_the_document_at_its_offsets(ledger):
    doc_id, created = ops.add_document(ledger, title="Outlook", text="Peace is likely. War is not.", now=NOW)
    assert created and ops.add_document(ledger, title="Again", text="Peace is likely. War is not.",
                                           now=NOW) == (doc_id, False)
    with pytest.raises(ValidationError, match="does not match"):
        _add(ledger, document_id=doc_id, excerpt="Peace is likely.", excerpt_start=1, excerpt_end=17)
    qid, _ = _add(ledger, document_id=doc_id, excerpt="Peace is likely.", excerpt_start=0, excerpt_end=16)
    assert queries.document_excerpts(ledger, doc_id) == [(qid, 0, 16, "Will the treaty be signed?")]


def test_import_accepts_an_export_that_leaves_out_optional_text(ledger):
    from forecastapp.core.transfer import LEDGER_FORMAT, import_ledger

    data = {
        "format": LEDGER_FORMAT,
        "analysts": [{"id": "a1", "name": "Ann", "recorded_at": "2026-01-01T00:00:00.000000Z"}],
        "questions": [{"id": "q1", "statement": "Hand-written", "recorded_at": "2026-01-01T00:00:00.000000Z"}],
        "forecasts": [{"id": "f1", "question_id": "q1", "analyst_id": "a1", "probability": 0.3,
                       "made_on": "2026-01-01", "recorded_at": "2026-01-01T00:00:00.000000Z"}],
    }
    import_ledger(ledger, data)
    detail = queries.question_detail(ledger, "q1", today=TODAY)
    assert detail.question.criteria == "" and detail.forecasts[0].rationale == ""


@pytest.mark.parametrize("write", ["resolve", "correct", "unresolve"])
def test_an_undecodable_recorder_name_is_refused_in_one_line_and_writes_nothing(ledger, write):
    # `forecastapp resolve --by` with bytes the terminal could not decode reached SQLite as a traceback.
    qid, _ = _add(ledger)
    if write != "resolve":
        ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=TODAY, today=TODAY, now=NOW)
    before = _counts(ledger)
    calls = {
        "resolve": lambda by: ops.resolve(ledger, question_id=qid, outcome="no", resolved_on=TODAY, recorded_by=by,
                                          today=TODAY, now=NOW),
        "correct": lambda by: ops.correct_resolution(ledger, question_id=qid, outcome="no", resolved_on=TODAY,
                                                     evidence="misread", recorded_by=by, today=TODAY, now=NOW),
        "unresolve": lambda by: ops.retract_resolution(ledger, question_id=qid, recorded_by=by, now=NOW),
    }
    with pytest.raises(ValidationError, match="^the recorder's name contains bytes that are not valid text"):
        calls[write]("R\udcffdiger")
    assert _counts(ledger) == before


def test_an_undecodable_document_author_is_refused_in_one_line_and_writes_nothing(ledger):
    with pytest.raises(ValidationError, match="^the author contains bytes that are not valid text"):
        ops.add_document(ledger, title="Outlook", text="Peace is likely.", author="B\udcffrge", now=NOW)
    assert ledger.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
