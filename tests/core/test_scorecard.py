"""The scorecard built from small hand-worked ledgers: every group, the excluded counts and the filters.

Ledgers are written through `core.ledger`, as a user's would be. Expected figures are worked out by
hand (in the comments) or with SCORING.md's formula written out here, never by calling the code
under test.
"""

from __future__ import annotations

import math
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecastapp.core import ledger as ops
from forecastapp.core.errors import ValidationError
from forecastapp.core.model import CONDITION_NOT_MET
from forecastapp.core.scorecard import PAIR_KEYS, ScoredPairs, build_scorecard
from forecastapp.core.store import open_ledger
from tests.conftest import NOW, TODAY

SUMMARY_KEYS = {
    "n", "brier", "brier_time_averaged", "log_score", "base_rate", "brier_skill_vs_50", "brier_skill_vs_base_rate",
    "murphy", "calibration", "brier_ci90",
}
GROUP_KEYS = SUMMARY_KEYS | {"backdated_pairs", "imported_pairs", "reworded_pairs"}
TOP_KEYS = {
    "generated_at", "filters", "scale", "ledger", "overall", "analysts", "tags", "documents", "terms", "horizons",
    "excluded", "pairs",
}


def _ask(db, statement, p, *, analyst="Ann", made_on=date(2026, 3, 1), term=None, tags=(), document_id=None,
         condition=None, resolve_by=None):
    """A new question with its first forecast; returns (question id, forecast id)."""
    return ops.create_forecast(
        db, ops.NewQuestion(statement=statement, tags=tags, document_id=document_id, condition=condition,
                            resolve_by=resolve_by),
        analyst=analyst, probability=p, term=term, made_on=made_on, today=TODAY, now=NOW,
    )


def _update(db, qid, p, *, analyst="Ann", made_on, term=None):
    return ops.add_forecast(db, question_id=qid, analyst=analyst, probability=p, term=term, made_on=made_on,
                            today=TODAY, now=NOW)


def _resolve(db, qid, outcome, day, *, annul_reason=None):
    ops.resolve(db, question_id=qid, outcome=outcome, resolved_on=day, annul_reason=annul_reason, today=TODAY,
                now=NOW)


def _card(db, **filters):
    return build_scorecard(db, today=TODAY, now=NOW, **filters).to_dict()


def _by(groups, key):
    return {g[key]: g for g in groups}


# --- SCORING.md's worked example as a ledger ---------------------------------------------------------


@pytest.fixture
def worked(ledger):
    """The four pairs of SCORING.md's worked example, one analyst, spread over tags, a document and horizons.

    q1: 0.5 on 1 Mar, 0.8 on 4 Mar, resolved yes 6 Mar 2026 (the time-averaged example; horizon 5 days)
    q2: 0.3 on 1 Jan 2024, resolved no 31 Dec 2024 (365 days: 6 to 24 months)
    q3: 0.6 on 1 Jan 2020, resolved no 1 Jan 2023 (1,096 days: over 24 months)
    q4: 0.9 on 1 Mar 2026, resolved yes 10 Mar 2026 (9 days)
    """
    doc, _ = ops.add_document(ledger, title="Outlook 2026", text="The outlook text.", now=NOW)
    q1, _ = _ask(ledger, "Q1 treaty signed?", 0.5, tags=("asia",), document_id=doc)
    _update(ledger, q1, 0.8, made_on=date(2026, 3, 4))
    _resolve(ledger, q1, "yes", date(2026, 3, 6))
    q2, _ = _ask(ledger, "Q2 rates cut?", 0.3, made_on=date(2024, 1, 1), tags=("asia", "energy"))
    _resolve(ledger, q2, "no", date(2024, 12, 31))
    q3, _ = _ask(ledger, "Q3 pipeline built?", 0.6, made_on=date(2020, 1, 1), tags=("energy",))
    _resolve(ledger, q3, "no", date(2023, 1, 1))
    q4, _ = _ask(ledger, "Q4 summit held?", 0.9, document_id=doc)
    _resolve(ledger, q4, "yes", date(2026, 3, 10))
    return ledger


def test_worked_example_headline_figures(worked):
    o = _card(worked)["overall"]
    assert o["n"] == 4
    assert o["brier"] == pytest.approx((0.04 + 0.09 + 0.36 + 0.01) / 4)  # 0.125
    assert o["log_score"] == pytest.approx((math.log(0.8) + math.log(0.7) + math.log(0.4) + math.log(0.9)) / 4)
    assert o["log_score"] == pytest.approx(-0.400367, abs=1e-6)
    assert o["base_rate"] == 0.5
    assert o["brier_skill_vs_50"] == pytest.approx(0.5)
    assert o["brier_skill_vs_base_rate"] == pytest.approx(0.5)
    # q1 carries 0.5 over 1-3 March and 0.8 over 4-5 March: (3 * 0.25 + 2 * 0.04) / 5 = 0.166; the
    # others have one forecast each, so their time-averaged Brier is their Brier.
    assert o["brier_time_averaged"] == pytest.approx((0.166 + 0.09 + 0.36 + 0.01) / 4)


def test_worked_example_calibration_bins_and_murphy(worked):
    o = _card(worked)["overall"]
    filled = {b["bin"]: b for b in o["calibration"] if b["n"]}
    assert set(filled) == {3, 6, 8, 9}
    assert [b["n"] for b in o["calibration"]] == [0, 0, 0, 1, 0, 0, 1, 0, 1, 1]
    assert (filled[3]["observed"], filled[6]["observed"], filled[8]["observed"], filled[9]["observed"]) == (0, 0, 1, 1)
    assert (filled[3]["ci_low"], filled[3]["ci_high"]) == pytest.approx((0.0, 0.793451), abs=1e-6)
    assert (filled[9]["ci_low"], filled[9]["ci_high"]) == pytest.approx((0.206549, 1.0), abs=1e-6)
    empty = o["calibration"][0]
    assert (empty["n"], empty["mean_forecast"], empty["observed"], empty["ci_low"]) == (0, None, None, None)
    # Each bin holds one pair, so f_k is its forecast and o_k its outcome:
    # reliability = (0.3^2 + 0.6^2 + 0.2^2 + 0.1^2) / 4, resolution = 4 * 0.5^2 / 4, uncertainty = 0.25.
    assert o["murphy"]["reliability"] == pytest.approx(0.125)
    assert o["murphy"]["resolution"] == pytest.approx(0.25)
    assert o["murphy"]["uncertainty"] == pytest.approx(0.25)
    # Every forecast equals its bin's mean, so the decomposition adds up to the Brier exactly.
    m = o["murphy"]
    assert m["reliability"] - m["resolution"] + m["uncertainty"] == pytest.approx(o["brier"])


def test_bootstrap_interval_is_inside_the_values_and_the_same_every_time(worked):
    first = _card(worked)["overall"]["brier_ci90"]
    second = _card(worked)["overall"]["brier_ci90"]
    assert first == second
    low, high = first
    assert 0.01 <= low <= 0.125 <= high <= 0.36


def test_groups_per_tag_document_and_horizon(worked):
    card = _card(worked)
    tags = _by(card["tags"], "tag")
    assert set(tags) == {"asia", "energy"}
    assert (tags["asia"]["n"], tags["asia"]["brier"]) == (2, pytest.approx((0.04 + 0.09) / 2))
    assert (tags["energy"]["n"], tags["energy"]["brier"]) == (2, pytest.approx((0.09 + 0.36) / 2))
    [doc] = card["documents"]
    assert (doc["title"], doc["n"], doc["brier"]) == ("Outlook 2026", 2, pytest.approx((0.04 + 0.01) / 2))
    horizons = _by(card["horizons"], "horizon")
    assert list(horizons) == ["under 6 months", "6 to 24 months", "over 24 months"]
    assert (horizons["under 6 months"]["n"], horizons["under 6 months"]["brier"]) == (2, pytest.approx(0.025))
    assert (horizons["6 to 24 months"]["n"], horizons["6 to 24 months"]["brier"]) == (1, pytest.approx(0.09))
    assert (horizons["over 24 months"]["n"], horizons["over 24 months"]["brier"]) == (1, pytest.approx(0.36))
    [ann] = card["analysts"]
    assert (ann["name"], ann["n"], ann["relative_brier"], ann["relative_brier_n"]) == ("Ann", 4, None, 0)


def test_pairs_list_every_scored_pair_oldest_resolution_first(worked):
    pairs = _card(worked)["pairs"]
    assert isinstance(pairs, ScoredPairs) and len(pairs) == 4
    assert [p["statement"] for p in pairs] == ["Q3 pipeline built?", "Q2 rates cut?", "Q1 treaty signed?",
                                              "Q4 summit held?"]
    q1 = pairs[2]
    assert list(q1) == list(PAIR_KEYS)
    assert (q1["analyst"], q1["final_probability"], q1["final_term"], q1["outcome"], q1["resolved_on"]) == (
        "Ann", 0.8, None, "yes", "2026-03-06")
    assert q1["brier"] == pytest.approx(0.04) and q1["brier_time_averaged"] == pytest.approx(0.166)
    assert q1["log_score"] == pytest.approx(math.log(0.8))
    assert pairs[-2:] == [pairs[2], pairs[3]] and pairs == list(pairs)


@pytest.mark.parametrize(("days", "horizon"), [
    (182, "under 6 months"), (183, "6 to 24 months"), (730, "6 to 24 months"), (731, "over 24 months"),
])
def test_horizon_boundaries_follow_scoring_md(ledger, days, horizon):
    made = date(2022, 1, 1)
    qid, _ = _ask(ledger, "Boundary?", 0.7, made_on=made)
    _resolve(ledger, qid, "yes", made + timedelta(days=days))
    counts = {h["horizon"]: h["n"] for h in _card(ledger)["horizons"]}
    assert counts == {h: int(h == horizon) for h in counts}


def test_horizon_is_measured_from_the_first_forecast_not_the_last(ledger):
    qid, _ = _ask(ledger, "Long watch?", 0.6, made_on=date(2022, 1, 1))
    _update(ledger, qid, 0.7, made_on=date(2024, 6, 1))
    _resolve(ledger, qid, "yes", date(2024, 7, 1))  # 912 days after the first forecast
    counts = {h["horizon"]: h["n"] for h in _card(ledger)["horizons"]}
    assert counts == {"under 6 months": 0, "6 to 24 months": 0, "over 24 months": 1}


# --- estimative terms ---------------------------------------------------------------------------------


def test_terms_say_how_often_the_events_happened_against_the_icd_range(ledger):
    for i, outcome in enumerate(["yes", "yes", "no"]):
        qid, _ = _ask(ledger, f"Likely {i}?", 0.675, term="likely")
        _resolve(ledger, qid, outcome, date(2026, 4, 1))
    qid, _ = _ask(ledger, "Unlikely?", 0.325, term="unlikely")
    _resolve(ledger, qid, "no", date(2026, 4, 1))
    # Entered as a term first, but the final forecast is a number: not a "likely" pair.
    qid, _ = _ask(ledger, "Changed mind?", 0.675, term="likely")
    _update(ledger, qid, 0.7, made_on=date(2026, 3, 2))
    _resolve(ledger, qid, "yes", date(2026, 4, 1))
    terms = _card(ledger)["terms"]
    assert [t["term"] for t in terms] == ["unlikely", "likely"]  # ICD 203 order
    likely = terms[1]
    assert (likely["happened"], likely["of"], likely["n"]) == (2, 3, 3)
    assert (likely["range"], likely["low"], likely["high"]) == ("55-80%", 0.55, 0.80)
    assert likely["brier"] == pytest.approx((2 * 0.325**2 + 0.675**2) / 3)
    unlikely = terms[0]
    assert (unlikely["happened"], unlikely["of"], unlikely["range"]) == (0, 1, "20-45%")


# --- relative Brier -----------------------------------------------------------------------------------


def test_relative_brier_against_the_median_of_the_others(ledger):
    # q1: Ann 0.8, Bob 0.6, Cat 0.9 -> yes. Briers 0.04, 0.16, 0.01.
    #   Ann vs median(Bob, Cat) = 0.04 - 0.085 = -0.045; Bob: 0.16 - 0.025 = 0.135; Cat: 0.01 - 0.10 = -0.09.
    # q2: Ann 0.2, Bob 0.5 -> no. Briers 0.04, 0.25. Ann: -0.21; Bob: +0.21.
    # q3: Ann alone -> not compared.
    q1, _ = _ask(ledger, "Q1?", 0.8)
    _update(ledger, q1, 0.6, analyst="Bob", made_on=date(2026, 3, 2))
    _update(ledger, q1, 0.9, analyst="Cat", made_on=date(2026, 3, 2))
    _resolve(ledger, q1, "yes", date(2026, 4, 1))
    q2, _ = _ask(ledger, "Q2?", 0.2)
    _update(ledger, q2, 0.5, analyst="Bob", made_on=date(2026, 3, 3))
    _resolve(ledger, q2, "no", date(2026, 4, 2))
    q3, _ = _ask(ledger, "Q3?", 0.7)
    _resolve(ledger, q3, "yes", date(2026, 4, 3))
    analysts = _by(_card(ledger)["analysts"], "name")
    assert list(analysts) == ["Ann", "Bob", "Cat"]
    assert analysts["Ann"]["relative_brier"] == pytest.approx((-0.045 - 0.21) / 2)
    assert analysts["Ann"]["relative_brier_n"] == 2 and analysts["Ann"]["n"] == 3
    assert analysts["Bob"]["relative_brier"] == pytest.approx((0.135 + 0.21) / 2)
    assert analysts["Cat"]["relative_brier"] == pytest.approx(-0.09)
    assert analysts["Cat"]["relative_brier_n"] == 1
    # Filtering to one analyst keeps their comparison with the others.
    [ann] = _card(ledger, analyst="ann")["analysts"]
    assert ann["relative_brier"] == pytest.approx((-0.045 - 0.21) / 2) and ann["n"] == 3


# --- excluded -----------------------------------------------------------------------------------------


def test_excluded_counts_annulled_condition_not_met_no_forecast_and_due(ledger):
    scored, _ = _ask(ledger, "Scored?", 0.7)
    _resolve(ledger, scored, "yes", date(2026, 4, 1))
    annulled, _ = _ask(ledger, "Annulled?", 0.4)
    _resolve(ledger, annulled, "annulled", date(2026, 4, 1))
    conditional, _ = _ask(ledger, "If the talks start, a deal?", 0.6, condition="talks start")
    _resolve(ledger, conditional, "annulled", date(2026, 4, 1), annul_reason=CONDITION_NOT_MET)
    retracted, fid = _ask(ledger, "Only forecast withdrawn?", 0.3)
    ops.retract_forecast(ledger, forecast_id=fid, now=NOW)
    _resolve(ledger, retracted, "no", date(2026, 4, 1))
    silent = ops.add_question(ledger, ops.NewQuestion(statement="Nobody forecast?"), now=NOW)
    _resolve(ledger, silent, "yes", date(2026, 4, 1))
    _ask(ledger, "Overdue?", 0.5, resolve_by=date(2026, 6, 30))  # before TODAY, still open
    _ask(ledger, "Not yet due?", 0.5, resolve_by=date(2027, 6, 30))
    deleted, _ = _ask(ledger, "Deleted and overdue?", 0.5, resolve_by=date(2026, 6, 30))
    ops.delete_question(ledger, question_id=deleted, now=NOW)
    card = _card(ledger)
    assert card["excluded"] == {"annulled": 1, "condition_not_met": 1, "no_forecast_before_resolution": 2, "due": 1,
                                "backdated": 0, "imported": 0, "reworded": 0,
                                "hindsight": 0}
    assert card["overall"]["n"] == 1
    # Forecasts: scored, annulled, conditional, overdue, not yet due; the retracted one and the one on
    # the deleted question are left out, as is the deleted question itself.
    head = ledger.execute("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert card["ledger"] == {"questions": 7, "forecasts": 5, "chain_head": head, "chain_records": None,
                              "verified": None, "verify": None}


def test_a_corrected_annulment_counts_as_what_it_became(ledger):
    qid, _ = _ask(ledger, "If the talks start, a deal?", 0.6, condition="talks start")
    _resolve(ledger, qid, "annulled", date(2026, 4, 1), annul_reason=CONDITION_NOT_MET)
    ops.correct_resolution(ledger, question_id=qid, outcome="annulled", resolved_on=date(2026, 4, 2),
                           evidence="the question was badly posed", today=TODAY, now=NOW)
    assert _card(ledger)["excluded"] == {"annulled": 1, "condition_not_met": 0,
                                        "no_forecast_before_resolution": 0, "due": 0, "backdated": 0,
                                        "imported": 0, "reworded": 0,
                                "hindsight": 0}


# --- filters ------------------------------------------------------------------------------------------


@pytest.fixture
def dated(ledger):
    """Resolved on 1 Jan, 1 Feb and 1 Mar 2026 (Ann, Bob, Ann), an annulment on 1 Feb, one due by 15 Feb."""
    for day, analyst, p, tags in [(date(2026, 1, 1), "Ann", 0.9, ("asia",)), (date(2026, 2, 1), "Bob", 0.2, ()),
                                  (date(2026, 3, 1), "Ann", 0.6, ("asia",))]:
        qid, _ = _ask(ledger, f"Resolved {day}?", p, analyst=analyst, made_on=date(2025, 12, 1), tags=tags)
        _resolve(ledger, qid, "yes", day)
    qid, _ = _ask(ledger, "Annulled in February?", 0.5, made_on=date(2025, 12, 1))
    _resolve(ledger, qid, "annulled", date(2026, 2, 1))
    _ask(ledger, "Due in February?", 0.5, made_on=date(2025, 12, 1), resolve_by=date(2026, 2, 15))
    return ledger


def test_since_and_until_keep_pairs_resolved_in_the_range_inclusive(dated):
    card = _card(dated, since=date(2026, 2, 1), until=date(2026, 3, 1))
    assert card["overall"]["n"] == 2
    assert card["overall"]["brier"] == pytest.approx((0.8**2 + 0.4**2) / 2)
    assert [p["resolved_on"] for p in card["pairs"]] == ["2026-02-01", "2026-03-01"]
    assert card["excluded"] == {"annulled": 1, "condition_not_met": 0, "no_forecast_before_resolution": 0, "due": 1,
                                "backdated": 0, "imported": 0, "reworded": 0,
                                "hindsight": 0}
    assert card["filters"] == {"analyst": None, "tag": None, "since": "2026-02-01", "until": "2026-03-01",
                               "exclude_backdated": False, "exclude_imported": False,
                               "exclude_reworded": False}
    early = _card(dated, until=date(2026, 1, 31))
    assert early["overall"]["n"] == 1 and early["excluded"]["annulled"] == 0 and early["excluded"]["due"] == 0


def test_analyst_and_tag_filters(dated):
    ann = _card(dated, analyst="  ANN ")
    assert ann["overall"]["n"] == 2 and [a["name"] for a in ann["analysts"]] == ["Ann"]
    assert ann["filters"]["analyst"] == "ANN"
    assert ann["excluded"]["annulled"] == 1  # Ann forecast the annulled question too (it was made as Ann)
    asia = _card(dated, tag="Asia")
    assert asia["overall"]["n"] == 2 and [t["tag"] for t in asia["tags"]] == ["asia"]
    assert asia["excluded"] == {"annulled": 0, "condition_not_met": 0, "no_forecast_before_resolution": 0, "due": 0,
                                "backdated": 0, "imported": 0, "reworded": 0,
                                "hindsight": 0}


def test_a_filter_matching_nothing_is_a_valid_empty_scorecard(dated):
    card = _card(dated, analyst="Nobody")
    assert card["overall"]["n"] == 0 and card["overall"]["brier"] is None and card["analysts"] == []
    assert len(card["pairs"]) == 0


def test_since_after_until_is_refused_with_advice(dated):
    with pytest.raises(ValidationError, match="since 2026-03-01 is after until 2026-02-01; swap the two days"):
        _card(dated, since=date(2026, 3, 1), until=date(2026, 2, 1))


def test_empty_ledger_gives_a_valid_scorecard_with_nulls(ledger):
    card = _card(ledger)
    assert set(card) == TOP_KEYS
    o = card["overall"]
    assert set(o) == GROUP_KEYS and o["n"] == 0 and o["backdated_pairs"] == 0
    assert all(o[k] is None for k in SUMMARY_KEYS - {"n", "murphy", "calibration"})
    assert o["murphy"] == {"reliability": None, "resolution": None, "uncertainty": None}
    assert [b["n"] for b in o["calibration"]] == [0] * 10
    assert card["analysts"] == card["tags"] == card["documents"] == card["terms"] == []
    assert [h["n"] for h in card["horizons"]] == [0, 0, 0]
    assert card["excluded"] == {"annulled": 0, "condition_not_met": 0, "no_forecast_before_resolution": 0, "due": 0,
                                "backdated": 0, "imported": 0, "reworded": 0,
                                "hindsight": 0}
    # A ledger with no history yet: the chain head is the genesis value, 64 zeros.
    assert card["ledger"] == {"questions": 0, "forecasts": 0, "chain_head": "0" * 64, "chain_records": None,
                              "verified": None, "verify": None}
    assert len(card["pairs"]) == 0


def test_json_keys_of_every_section(worked):
    card = _card(worked)
    assert set(card) == TOP_KEYS
    assert card["scale"] == {"brier": "0-1 (Good Judgment Open and Fatebook report 0-2: twice these)",
                             "terms": "ICD 203"}
    assert card["generated_at"].startswith("2026-11-28T09:00:00")
    assert set(card["analysts"][0]) == GROUP_KEYS | {"name", "relative_brier", "relative_brier_n"}
    assert set(card["tags"][0]) == GROUP_KEYS | {"tag"}
    assert set(card["documents"][0]) == GROUP_KEYS | {"id", "title"}
    assert set(card["horizons"][0]) == GROUP_KEYS | {"horizon"}
    assert set(card["excluded"]) == {"annulled", "condition_not_met", "no_forecast_before_resolution", "due",
                                     "backdated", "imported", "reworded", "hindsight"}
    assert set(card["overall"]["calibration"][0]) == {"bin", "lower", "upper", "n", "mean_forecast", "observed",
                                                      "ci_low", "ci_high"}


# --- properties ---------------------------------------------------------------------------------------

_P_GRID = st.sampled_from([0.05, 0.1, 0.25, 0.3, 0.5, 0.6, 0.675, 0.75, 0.9, 0.97])
_PAIR = st.tuples(st.integers(0, 5), st.sampled_from(["Ann", "Bob", "Cat"]), _P_GRID)
_QUESTIONS = st.lists(st.tuples(st.sampled_from(["yes", "no", "annulled", None]), st.integers(0, 90)),
                      min_size=1, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questions=_QUESTIONS, forecasts=st.lists(_PAIR, min_size=1, max_size=12), cut=st.integers(0, 90))
def test_filters_partition_the_pairs(questions, forecasts, cut):
    """Per-analyst counts add up to the overall count, and so do the two sides of a date cut."""
    with tempfile.TemporaryDirectory() as tmp:
        db = open_ledger(Path(tmp) / "p.db", seed=False)
        try:
            base = date(2025, 1, 1)
            ids = [ops.add_question(db, ops.NewQuestion(statement=f"Q{i}?"), now=NOW) for i in range(len(questions))]
            for q, analyst, p in forecasts:
                if q < len(ids):
                    _update(db, ids[q], p, analyst=analyst, made_on=base)
            for qid, (outcome, offset) in zip(ids, questions):
                if outcome:
                    _resolve(db, qid, outcome, base + timedelta(days=offset))
            card = _card(db)
            n = card["overall"]["n"]
            assert sum(a["n"] for a in card["analysts"]) == n
            assert sum(h["n"] for h in card["horizons"]) == n
            assert len(card["pairs"]) == n
            day = base + timedelta(days=cut)
            before = _card(db, until=day)["overall"]["n"]
            after = _card(db, since=day + timedelta(days=1))["overall"]["n"]
            assert before + after == n
            for a in card["analysts"]:
                assert _card(db, analyst=a["name"])["overall"]["n"] == a["n"]
        finally:
            db.close()


# --- the two ways of reading ------------------------------------------------------------------------


def test_inside_a_transaction_the_scorecard_sees_its_own_writes_and_matches_the_usual_one(worked):
    from forecastapp.core.report import to_json
    from forecastapp.core.store import writing

    usual = build_scorecard(worked, today=TODAY, now=NOW)
    with writing(worked):
        # One connection in a transaction cannot share its snapshot, so everything is read on it.
        same = build_scorecard(worked, today=TODAY, now=NOW)
        qid, _ = _ask(worked, "Q5 written in the same transaction?", 0.5)
        _resolve(worked, qid, "no", date(2026, 3, 20))
        seen = _card(worked)
    assert to_json(same) == to_json(usual)
    assert seen["overall"]["n"] == 5
    assert not worked.conn.in_transaction and _card(worked)["overall"]["n"] == 5
