"""core.scorecard_audit: a scorecard's figures recomputed from the ledger as it stood at the scorecard's chain head."""

from __future__ import annotations

import json
from datetime import date

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core.errors import ValidationError
from forecastapp.core.report import to_json
from forecastapp.core.scorecard import build_scorecard
from forecastapp.core.scorecard_audit import audit_scorecard
from forecastapp.core.transfer import export_ledger
from tests.conftest import NOW, TODAY


def _resolved(db, statement, p, outcome, *, analyst="Ann", tags=()):
    qid, _ = ops.create_forecast(db, ops.NewQuestion(statement=statement, tags=list(tags)), analyst=analyst,
                                 probability=p, made_on=date(2026, 3, 1), today=TODAY, now=NOW)
    ops.resolve(db, question_id=qid, outcome=outcome, resolved_on=date(2026, 6, 1), today=TODAY, now=NOW)
    return qid


def _links(db) -> int:
    """How many records the ledger's hash chain holds (analysts, question versions and history records)."""
    return db.execute("SELECT count(*) FROM chain").fetchone()[0]


def _card(db, **filters) -> dict:
    """A scorecard as the JSON file a reader holds."""
    return json.loads(to_json(build_scorecard(db, **filters, today=TODAY, now=NOW)))


@pytest.fixture
def scored(ledger):
    _resolved(ledger, "Q1", 0.8, "yes", tags=["asia"])
    _resolved(ledger, "Q2", 0.3, "no", analyst="Bob")
    _resolved(ledger, "Q3", 0.6, "no", tags=["asia"])
    return ledger


def test_a_true_scorecard_matches_on_the_database_and_on_its_export(scored):
    card = _card(scored)
    on_db = audit_scorecard(card, db=scored, now=NOW)
    on_export = audit_scorecard(card, export=export_ledger(scored, now=NOW), now=NOW)
    assert on_db.ok and on_export.ok
    assert on_db.compared == on_export.compared > 100  # every group, bin and pair
    assert on_db.summary().endswith(f"its figures, recomputed from the ledger as of record {_links(scored)}, match")


def test_an_earlier_scorecard_is_recomputed_from_the_ledger_as_it_stood_then(scored):
    card = _card(scored, tag="asia")
    n = _links(scored)
    # Later history that would change every figure above if it were counted.
    q4 = _resolved(scored, "Q4", 0.1, "yes", tags=["asia"])
    q1 = scored.execute("SELECT id FROM questions WHERE statement = 'Q1'").fetchone()[0]
    ops.correct_resolution(scored, question_id=q1, outcome="no", resolved_on=date(2026, 6, 2), evidence="misread",
                           today=TODAY, now=NOW)
    ops.delete_question(scored, question_id=q4, now=NOW)
    assert _card(scored, tag="asia")["overall"] != card["overall"]
    audit = audit_scorecard(card, db=scored, now=NOW)
    assert audit.ok, audit.summary()
    total = _links(scored)
    assert audit.summary().startswith(f"scorecard matches the ledger at record {n} of {total}; {total - n} records "
                                      "added since;")
    tampered = {**card, "overall": {**card["overall"], "brier": 0.0001}}
    assert audit_scorecard(tampered, export=export_ledger(scored, now=NOW), now=NOW).summary() == (
        f"the scorecard's overall.brier is 0.0001 but the ledger export at record {n} gives 0.2000")


def test_a_null_where_the_ledger_gives_a_number_is_a_difference_and_so_is_the_reverse(scored):
    card = _card(scored)
    card["overall"]["log_score"] = None
    assert audit_scorecard(card, db=scored, now=NOW).summary().startswith(
        f"the scorecard's overall.log_score is none but the ledger at record {_links(scored)} gives ")
    card = _card(scored, analyst="Nobody")
    assert card["overall"]["brier"] is None
    card["overall"]["brier"] = 0.1
    assert audit_scorecard(card, db=scored, now=NOW).summary() == (
        f"the scorecard's overall.brier is 0.1000 but the ledger at record {_links(scored)} gives none")


def test_a_difference_hidden_below_four_decimals_is_shown_in_full(scored):
    card = _card(scored)
    card["overall"]["brier"] += 1e-6
    line = audit_scorecard(card, db=scored, now=NOW).summary()
    assert line == (f"the scorecard's overall.brier is {card['overall']['brier']!r} but the ledger at record {_links(scored)} gives "
                    f"{card['overall']['brier'] - 1e-6!r}")


def test_a_scorecard_stating_only_its_head_says_there_was_nothing_to_recompute(scored):
    card = {"ledger": {"chain_head": _card(scored)["ledger"]["chain_head"]}}
    audit = audit_scorecard(card, db=scored, now=NOW)
    n = _links(scored)
    assert audit.ok and audit.summary() == (f"scorecard matches the ledger at record {n} of {n}; the scorecard states "
                                            "no figures to recompute")


def test_a_head_from_elsewhere_is_still_refused_before_any_recomputation(scored):
    card = _card(scored)
    card["ledger"]["chain_head"] = "cd" * 32
    with pytest.raises(ValidationError, match="is not in the ledger's chain"):
        audit_scorecard(card, db=scored, now=NOW)


def test_a_scorecard_nested_hundreds_deep_is_refused_in_one_line_not_a_recursion_error(scored):
    card = _card(scored)
    card["extra"] = json.loads("[" * 900 + "]" * 900)
    with pytest.raises(ValidationError, match="^the scorecard nests too deeply to be one forecastapp wrote"):
        audit_scorecard(card, db=scored, now=NOW)


def test_an_export_with_malformed_provenance_is_read_without_a_traceback(scored):
    """verify --scorecard replays an export's origins: odd rows there are skipped, never bound into SQL."""
    card = _card(scored)
    export = export_ledger(scored, now=NOW)
    export["record_origins"] = [["forecasts", {"x": 1}, "o"], [1, 2, 3], "junk"]
    assert audit_scorecard(card, export=export, now=NOW).ok
