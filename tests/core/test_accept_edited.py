"""Accepting reviewed candidates: the user's statement, probability, deadline and tags are recorded, all or nothing."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from forecastapp.core.documents import AcceptedCandidate, accept_edited, import_document
from forecastapp.core.errors import NotFoundError, ValidationError
from forecastapp.core.queries import question_detail

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
TEXT = (
    "Outlook for Veska\n\n"
    "Kim visited Moscow in 2023. The regime is likely to survive by 2030.\n"
    "If the talks fail, sanctions will almost certainly not be lifted.\n"
)
# Candidate ids are the sentences' offsets, counted by hand in TEXT (19 + 28 = 47; 47 + 40 = 87; 88 + 65 = 153).
REGIME, SANCTIONS = "47-87", "88-153"


def _count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def doc_id(ledger, tmp_path: Path) -> str:
    path = tmp_path / "veska.txt"
    path.write_text(TEXT, encoding="utf-8")
    return import_document(ledger, path, author="Ann Lee", published_on=date(2024, 1, 15), today=TODAY,
                           now=NOW).document_id


def test_edited_values_are_recorded_with_the_excerpt_and_the_author(ledger, doc_id):
    [qid] = accept_edited(ledger, doc_id, [AcceptedCandidate(
        REGIME, statement="  The Veska regime is in power on 31 Dec 2028 ", probability=0.8,
        resolve_by=date(2028, 12, 31), tags=("Veska", "politics, veska"))], today=TODAY, now=NOW)
    detail = question_detail(ledger, qid, today=TODAY)
    q = detail.question
    assert q.statement == "The Veska regime is in power on 31 Dec 2028"
    assert (q.excerpt, q.excerpt_start, q.excerpt_end) == (TEXT[47:87], 47, 87)
    assert q.resolve_by == date(2028, 12, 31)
    assert set(q.tags) == {"veska", "politics"}
    [forecast] = detail.forecasts
    # 80% is not the detector's "likely" (67.5%), so no estimative term is claimed for the author.
    assert (forecast.analyst, forecast.probability, forecast.estimative_term, forecast.made_on) == (
        "Ann Lee", 0.8, None, date(2024, 1, 15))
    assert "Edited on review" in forecast.rationale


def test_unedited_values_keep_the_detector_term_and_condition(ledger, doc_id):
    [qid] = accept_edited(ledger, doc_id, [AcceptedCandidate(
        SANCTIONS, statement="Sanctions will be lifted", probability=0.03, resolve_by=date(2026, 1, 15))],
        today=TODAY, now=NOW)
    detail = question_detail(ledger, qid, today=TODAY)
    assert detail.question.condition == "the talks fail"
    assert detail.forecasts[0].estimative_term == "almost no chance"


@pytest.mark.parametrize("bad, message", [
    (AcceptedCandidate(SANCTIONS, statement="   ", probability=0.5, resolve_by=None), "statement is empty"),
    (AcceptedCandidate(SANCTIONS, statement="x", probability=1.2, resolve_by=None), "outside 0.1%..99.9%"),
    (AcceptedCandidate(SANCTIONS, statement="x", probability=0.5, resolve_by=date(2023, 12, 31)),
     "before the forecast date 2024-01-15"),
    (AcceptedCandidate(SANCTIONS, statement="x", probability=0.5, resolve_by=date(2027, 1, 1),
                       resolve_from=date(2028, 1, 1)), "window starts after it ends"),
    (AcceptedCandidate(SANCTIONS, statement="x", probability=0.5, resolve_by=None, tags=("t" * 65,)),
     "longer than 64"),
])
def test_one_invalid_item_refuses_the_whole_call(ledger, doc_id, bad, message):
    good = AcceptedCandidate(REGIME, statement="The regime survives", probability=0.7, resolve_by=date(2030, 12, 31))
    with pytest.raises(ValidationError, match=f"candidate {SANCTIONS}: .*{message}"):
        accept_edited(ledger, doc_id, [good, bad], today=TODAY, now=NOW)
    assert _count(ledger, "questions") == 0


def test_unknown_twice_or_already_accepted_candidates_are_refused(ledger, doc_id):
    item = AcceptedCandidate(REGIME, statement="The regime survives", probability=0.7, resolve_by=None)
    with pytest.raises(NotFoundError, match="'1-5' is not a candidate"):
        accept_edited(ledger, doc_id, [AcceptedCandidate("1-5", "x", 0.5, None)], today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match="given twice"):
        accept_edited(ledger, doc_id, [item, item], today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match="no candidate given"):
        accept_edited(ledger, doc_id, [], today=TODAY, now=NOW)
    [qid] = accept_edited(ledger, doc_id, [item], today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match=f"already question {qid[:8]}"):
        accept_edited(ledger, doc_id, [item], today=TODAY, now=NOW)
    assert _count(ledger, "questions") == 1
