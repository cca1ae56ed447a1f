"""A varied ledger for the scorecard's JSON contract (tests/core/test_scorecard_contract.py).

Several analysts, tags, a document, estimative terms, every horizon, back-dated, imported and reworded
final forecasts, annulled and condition-not-met questions, a due question, a hindsight forecast and
text that needs escaping: every key and every branch of the scorecard's JSON has something to say.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core.formats import apply_plan, read_plan
from forecastapp.core.merge import Origin
from forecastapp.core.model import CONDITION_NOT_MET
from tests.conftest import NOW, TODAY

EARLIER = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)

#: The filter sets the contract is checked under (keyword arguments of build_scorecard).
FILTER_SETS: dict[str, dict] = {
    "all": {},
    "ann": {"analyst": "ann"},
    "asia": {"tag": "asia"},
    "window": {"since": date(2025, 1, 1), "until": date(2026, 10, 31)},
    "exclude-all": {"exclude_backdated": True, "exclude_imported": True, "exclude_reworded": True},
    "bob-imported": {"analyst": "Bob", "exclude_imported": True},
    "nobody": {"analyst": "nobody"},
}


def deterministic_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record ids from a counter instead of uuid4, so the ledger, its chain head and the pair order (ties
    on a resolution day go by id) come out the same on every run."""
    counter = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))


def _on(day: date) -> datetime:
    """Recorded at 09:00 UTC on `day` (not back-dated)."""
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=timezone.utc)


def _ask(db, statement, p, *, analyst="Ann", made_on=date(2026, 3, 1), term=None, tags=(), document_id=None,
         condition=None, resolve_by=None, now=None):
    now = now or _on(made_on)
    qid, _ = ops.create_forecast(
        db, ops.NewQuestion(statement=statement, tags=tags, document_id=document_id, condition=condition,
                            resolve_by=resolve_by),
        analyst=analyst, probability=p, term=term, made_on=made_on, today=TODAY, now=now,
    )
    return qid


def _add(db, qid, p, *, analyst, made_on, term=None, now=None):
    now = now or _on(made_on)
    return ops.add_forecast(db, question_id=qid, analyst=analyst, probability=p, term=term, made_on=made_on,
                            today=TODAY, now=now)


def _resolve(db, qid, outcome, day, *, annul_reason=None, now=NOW):
    ops.resolve(db, question_id=qid, outcome=outcome, resolved_on=day, annul_reason=annul_reason, today=TODAY,
                now=now)


def build_contract_ledger(db, folder: Path) -> None:
    """Fill an empty ledger with the varied history described in the module docstring."""
    doc, _ = ops.add_document(db, title="Outlook \u00e9t\u00e9 2026", text="The outlook text.",
                              now=_on(date(2019, 1, 1)))
    q1 = _ask(db, "Q1 treaty signed? \u201cquoted\u201d \u5317", 0.5, tags=("asia",), document_id=doc,
              term="roughly even chance")
    _add(db, q1, 0.8, analyst="Ann", made_on=date(2026, 3, 4), term="likely")
    _add(db, q1, 0.3, analyst="Bob", made_on=date(2026, 3, 2))
    _resolve(db, q1, "yes", date(2026, 3, 6))
    q2 = _ask(db, "Q2 rates cut?", 0.3, made_on=date(2024, 1, 1), tags=("asia", "energy"), term="unlikely")
    _add(db, q2, 0.45, analyst="Bob", made_on=date(2024, 2, 1))
    _add(db, q2, 0.2, analyst="C\u00e9line", made_on=date(2024, 3, 1))
    _resolve(db, q2, "no", date(2024, 12, 31))
    q3 = _ask(db, "Q3 pipeline built?", 0.6, made_on=date(2020, 1, 1), tags=("energy",))
    _resolve(db, q3, "no", date(2023, 1, 1))
    q4 = _ask(db, "Q4 summit held? =1+1", 0.9, document_id=doc, term="very likely")
    _resolve(db, q4, "yes", date(2026, 3, 10))
    # Back-dated: made on long before it was recorded (NOW).
    q5 = _ask(db, "Q5 back-dated", 0.7, made_on=date(2025, 6, 1), analyst="Bob", tags=("energy",), now=EARLIER)
    _resolve(db, q5, "yes", date(2026, 9, 1))
    # Reworded: an edit after the forecast changes what the question asks.
    q6 = _ask(db, "Q6 before the edit", 0.25, made_on=date(2026, 5, 1), tags=("asia",))
    ops.edit_question(db, question_id=q6, statement="Q6 after the edit", reason="clearer",
                      now=_on(date(2026, 5, 2)))
    _resolve(db, q6, "no", date(2026, 8, 1))
    # Annulled, condition not met, resolved with no forecast before resolution, due, and hindsight.
    q7 = _ask(db, "Q7 annulled", 0.4)
    _resolve(db, q7, "annulled", date(2026, 4, 1))
    q8 = _ask(db, "Q8 conditional", 0.6, condition="if the talks start")
    _resolve(db, q8, "annulled", date(2026, 4, 2), annul_reason=CONDITION_NOT_MET)
    q9 = _ask(db, "Q9 forecast only after", 0.5, made_on=date(2026, 7, 1))
    _resolve(db, q9, "yes", date(2026, 6, 1))
    _ask(db, "Q10 due", 0.5, resolve_by=date(2026, 10, 1), tags=("asia",))
    _ask(db, "Q11 open", 0.5, resolve_by=date(2027, 10, 1))
    q12 = _ask(db, "Q12 resolved, then a late forecast", 0.6, made_on=date(2026, 2, 1))
    _resolve(db, q12, "yes", date(2026, 2, 20), now=EARLIER)
    ops.retract_resolution(db, question_id=q12, reason="too early", now=EARLIER)
    # Recorded after the outcome was on the record: hindsight, kept and never scored.
    _add(db, q12, 0.95, analyst="Bob", made_on=date(2026, 2, 10), now=NOW)
    _resolve(db, q12, "yes", date(2026, 2, 20))
    # Imported from a hand-kept sheet: its dates are the file's word.
    sheet = folder / "claims.csv"
    sheet.write_text("Question,Forecast,Date,Outcome,Resolved on,Analyst,Tags\n"
                     "Will the treaty be signed?,99%,2025-01-01,yes,2026-06-30,Bob,asia\n"
                     "Will prices fall?,15%,2025-02-01,no,2026-07-30,Ann,\n", encoding="utf-8")
    plan = read_plan(sheet, fmt="csv", today=TODAY)
    origin = Origin(action="import", format="csv", source="claims.csv", sha256="0" * 64)
    apply_plan(db, plan, origin=origin, now=NOW)
