"""Scoring arithmetic against hand-worked examples (SCORING.md's own and ours) and properties.

Expected values are worked out by hand in the comments and written as numbers or as the formula from
SCORING.md; none comes from calling the code under test.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from forecastapp.core.errors import ProbabilityError, ValidationError
from forecastapp.core.scoring import (
    BOOTSTRAP_RESAMPLES,
    HORIZONS,
    Z95,
    BinStats,
    GroupAccumulator,
    GroupTotals,
    _percentile,
    bootstrap_brier_ci,
    brier,
    calibration_bin,
    horizon_group,
    horizon_group_of_days,
    log_score,
    relative_brier,
    summarize,
    time_averaged_brier,
    wilson_interval,
)

SUMMARY_KEYS = {
    "n",
    "brier",
    "brier_time_averaged",
    "log_score",
    "base_rate",
    "brier_skill_vs_50",
    "brier_skill_vs_base_rate",
    "murphy",
    "calibration",
    "brier_ci90",
}
BIN_KEYS = {"bin", "lower", "upper", "n", "mean_forecast", "observed", "ci_low", "ci_high"}

probabilities = st.floats(min_value=0.001, max_value=0.999)
outcomes = st.integers(min_value=0, max_value=1)


def _summary_of(pairs: list[tuple[float, int, float]]) -> dict:
    """Summarize (p_final, outcome, time-averaged Brier) triples as one group."""
    acc = GroupAccumulator()
    for p, o, ta in pairs:
        acc.add(p, o, ta)
    return summarize(acc.totals())


def _bins_by_index(summary: dict) -> dict[int, dict]:
    return {entry["bin"]: entry for entry in summary["calibration"]}


# --- SCORING.md worked example --------------------------------------------------------------------

WORKED = [(0.8, 1), (0.3, 0), (0.6, 0), (0.9, 1)]


def test_worked_example_group_figures():
    """The four-pair example of SCORING.md gives its published figures."""
    s = _summary_of([(p, o, (p - o) ** 2) for p, o in WORKED])
    assert s["n"] == 4
    assert s["brier"] == pytest.approx(0.125, abs=1e-12)  # (0.04 + 0.09 + 0.36 + 0.01) / 4
    assert s["log_score"] == pytest.approx(-0.400367, abs=1e-6)
    assert s["base_rate"] == 0.5
    assert s["brier_skill_vs_50"] == pytest.approx(0.5, abs=1e-12)  # 1 - 0.125 / 0.25
    assert s["brier_skill_vs_base_rate"] == pytest.approx(0.5, abs=1e-12)  # 1 - 0.125 / (0.5 * 0.5)


def test_worked_example_calibration_bins_and_wilson():
    """Bins 3 and 6 hold one no each, 8 and 9 one yes each, with SCORING.md's Wilson bounds."""
    bins = _bins_by_index(_summary_of([(p, o, 0.0) for p, o in WORKED]))
    assert [bins[k]["n"] for k in range(10)] == [0, 0, 0, 1, 0, 0, 1, 0, 1, 1]
    for k, observed in ((3, 0.0), (6, 0.0), (8, 1.0), (9, 1.0)):
        assert bins[k]["observed"] == observed
    for k in (3, 6):  # 0 of 1
        assert bins[k]["ci_low"] == 0.0
        assert bins[k]["ci_high"] == pytest.approx(0.793451, abs=1e-6)
    for k in (8, 9):  # 1 of 1
        assert bins[k]["ci_low"] == pytest.approx(0.206549, abs=1e-6)
        assert bins[k]["ci_high"] == 1.0
    assert (bins[3]["lower"], bins[3]["upper"], bins[3]["mean_forecast"]) == (0.3, 0.4, 0.3)
    assert (bins[9]["lower"], bins[9]["upper"]) == (0.9, 1.0)


def test_worked_example_time_averaged():
    """0.5 on 1 March, 0.8 on 4 March, yes on 6 March: (3 * 0.25 + 2 * 0.04) / 5 = 0.166."""
    forecasts = [(date(2025, 3, 1), 0.5), (date(2025, 3, 4), 0.8)]
    assert time_averaged_brier(forecasts, 1, date(2025, 3, 6)) == pytest.approx(0.166, abs=1e-12)


def test_wilson_worked_values():
    """Wilson 95% for 0 of 1 is [0, 0.793451] and for 1 of 1 is [0.206549, 1]."""
    low, high = wilson_interval(0, 1)
    assert low == 0.0 and high == pytest.approx(0.793451, abs=1e-6)
    low, high = wilson_interval(1, 1)
    assert low == pytest.approx(0.206549, abs=1e-6) and high == 1.0


# --- our own hand-worked ledger -------------------------------------------------------------------
#
# Five pairs, all resolved no (base rate 0):
#   p      brier    bin  time-averaged Brier
#   0.10   0.0100   1    0.15    (same-day forecasts, see test_same_day_forecasts_last_recorded_counts)
#   0.12   0.0144   1    0.02
#   0.20   0.0400   2    0.05
#   0.05   0.0025   0    0.0025  (R == F, see test_resolved_on_first_day_uses_last_forecast_of_that_day)
#   0.50   0.2500   5    0.20
# brier = 0.3169 / 5 = 0.06338; time-averaged = 0.4225 / 5 = 0.0845
# log_score = (ln 0.9 + ln 0.88 + ln 0.8 + ln 0.95 + ln 0.5) / 5 = -0.2401556
# skill vs 50% = 1 - 0.06338 / 0.25 = 0.74648; skill vs base rate: base rate 0, so null
# Murphy: o = 0, so uncertainty 0 and resolution 0;
#   reliability = (2 * 0.11^2 + 0.2^2 + 0.05^2 + 0.5^2) / 5 = (0.0242 + 0.04 + 0.0025 + 0.25) / 5 = 0.06334
#   brier - reliability = 0.00004 = within-bin variance of bin 1: ((0.1-0.11)^2 + (0.12-0.11)^2) / 5
# Wilson 0 of 2: upper = (z^2/2) / (1 + z^2/2) = 0.657620

OWN = [(0.10, 0, 0.15), (0.12, 0, 0.02), (0.20, 0, 0.05), (0.05, 0, 0.0025), (0.50, 0, 0.20)]


def test_own_ledger_group_figures():
    """Our five-pair, all-no ledger gives the hand-worked figures, with no skill against base rate 0."""
    s = _summary_of(OWN)
    assert s["n"] == 5
    assert s["brier"] == pytest.approx(0.06338, abs=1e-12)
    assert s["brier_time_averaged"] == pytest.approx(0.0845, abs=1e-12)
    assert s["log_score"] == pytest.approx(-0.2401556, abs=1e-6)
    assert s["base_rate"] == 0.0
    assert s["brier_skill_vs_50"] == pytest.approx(0.74648, abs=1e-12)
    assert s["brier_skill_vs_base_rate"] is None
    assert s["murphy"]["reliability"] == pytest.approx(0.06334, abs=1e-12)
    assert s["murphy"]["resolution"] == 0.0
    assert s["murphy"]["uncertainty"] == 0.0
    # The decomposition misses the brier by exactly the within-bin variance (SCORING.md, murphy).
    assert s["brier"] - s["murphy"]["reliability"] == pytest.approx(0.00004, abs=1e-12)
    low, high = s["brier_ci90"]
    assert low <= 0.06338 <= high


def test_own_ledger_bins_including_empty_ones():
    """Bins 0, 1, 2, 5 are filled (bin 1 twice, 0.1 landing in bin 1); the other six are empty and null."""
    bins = _bins_by_index(_summary_of(OWN))
    assert [bins[k]["n"] for k in range(10)] == [1, 2, 1, 0, 0, 1, 0, 0, 0, 0]
    assert bins[1]["mean_forecast"] == pytest.approx(0.11, abs=1e-12)
    assert bins[1]["observed"] == 0.0
    assert bins[1]["ci_low"] == 0.0
    assert bins[1]["ci_high"] == pytest.approx(0.657620, abs=1e-6)
    assert bins[0]["ci_high"] == pytest.approx(0.793451, abs=1e-6)  # 0 of 1
    for k in (3, 4, 6, 7, 8, 9):
        assert bins[k] == {
            "bin": k,
            "lower": k / 10,
            "upper": (k + 1) / 10,
            "n": 0,
            "mean_forecast": None,
            "observed": None,
            "ci_low": None,
            "ci_high": None,
        }


def test_base_rate_one_also_has_no_skill_vs_base_rate():
    """All-yes ledgers have base rate 1: skill against it is null, skill against 50% is not."""
    s = _summary_of([(0.9, 1, 0.01), (0.6, 1, 0.16)])
    assert s["base_rate"] == 1.0
    assert s["brier_skill_vs_base_rate"] is None
    assert s["brier_skill_vs_50"] == pytest.approx(1 - 0.085 / 0.25, abs=1e-12)  # brier (0.01 + 0.16) / 2


def test_same_day_forecasts_last_recorded_counts():
    """0.3 then 0.6 on 10 Jan, 0.2 then 0.1 on 12 Jan, no on 15 Jan: days 10-11 carry 0.6, 12-14 carry 0.1."""
    forecasts = [
        (date(2025, 1, 10), 0.3),
        (date(2025, 1, 10), 0.6),
        (date(2025, 1, 12), 0.2),
        (date(2025, 1, 12), 0.1),
    ]
    # (2 * 0.36 + 3 * 0.01) / 5 = 0.15
    assert time_averaged_brier(forecasts, 0, date(2025, 1, 15)) == pytest.approx(0.15, abs=1e-12)


def test_resolved_on_first_day_uses_last_forecast_of_that_day():
    """R == F: the only day is F, carrying the last forecast recorded that day (0.05, not 0.4)."""
    forecasts = [(date(2025, 3, 3), 0.4), (date(2025, 3, 3), 0.05)]
    assert time_averaged_brier(forecasts, 0, date(2025, 3, 3)) == pytest.approx(0.0025, abs=1e-15)


def test_forecast_made_on_resolution_day_covers_no_day():
    """Days run F .. R-1, so a forecast made on R changes the final Brier but not the time average."""
    forecasts = [(date(2025, 3, 1), 0.5), (date(2025, 3, 6), 0.9)]
    assert time_averaged_brier(forecasts, 1, date(2025, 3, 6)) == pytest.approx(0.25, abs=1e-15)


def test_time_averaged_over_decades():
    """A forty-year-old forecast is weighted by its days without walking them one by one."""
    f1, f2, r = date(2000, 1, 1), date(2040, 1, 1), date(2050, 1, 1)
    span1, span2 = (f2 - f1).days, (r - f2).days
    expected = (span1 * 0.8**2 + span2 * 0.1**2) / (span1 + span2)
    assert time_averaged_brier([(f1, 0.2), (f2, 0.9)], 1, r) == pytest.approx(expected, rel=1e-12)


def test_time_averaged_refuses_forecasts_after_resolution_or_out_of_order():
    """Forecasts after R, forecasts out of date order, or none at all are refused with a clear error."""
    with pytest.raises(ValidationError, match="2025-03-07"):
        time_averaged_brier([(date(2025, 3, 1), 0.5), (date(2025, 3, 7), 0.9)], 1, date(2025, 3, 6))
    with pytest.raises(ValidationError, match="ordered"):
        time_averaged_brier([(date(2025, 3, 4), 0.5), (date(2025, 3, 1), 0.9)], 1, date(2025, 3, 6))
    with pytest.raises(ValidationError):
        time_averaged_brier([], 1, date(2025, 3, 6))


# --- per pair basics ------------------------------------------------------------------------------


def test_brier_and_log_score_single_values():
    """0.7 on a yes: Brier 0.09, log ln 0.7; 0.7 on a no: Brier 0.49, log ln 0.3."""
    assert brier(0.7, 1) == pytest.approx(0.09, abs=1e-15)
    assert brier(0.7, 0) == pytest.approx(0.49, abs=1e-15)
    assert log_score(0.7, 1) == pytest.approx(-0.3566749439, abs=1e-9)
    assert log_score(0.7, 0) == pytest.approx(-1.2039728043, abs=1e-9)


def test_bad_inputs_are_refused():
    """Probabilities outside [0, 1], outcomes other than 0/1 and an infinite log score are refused."""
    with pytest.raises(ProbabilityError, match="1.2"):
        brier(1.2, 1)
    with pytest.raises(ProbabilityError):
        brier(float("nan"), 1)
    with pytest.raises(ValidationError, match="2"):
        brier(0.5, 2)
    with pytest.raises(ProbabilityError):
        log_score(0.0, 1)
    with pytest.raises(ValidationError):
        GroupAccumulator().add(0.5, 3, 0.1)


@pytest.mark.parametrize(
    ("p", "expected"),
    [(0.0, 0), (0.0999, 0), (0.1, 1), (0.3, 3), (0.3 - 1e-12, 3), (0.7, 7), (0.7 - 1e-11, 7), (0.9, 9), (1.0, 9)],
)
def test_calibration_bin_edges(p, expected):
    """Bins are [k/10, (k+1)/10) with 1.0 in bin 9, and a hair under a boundary counts as on it."""
    assert calibration_bin(p) == expected


@pytest.mark.parametrize(
    ("days", "group"),
    [(0, HORIZONS[0]), (182, HORIZONS[0]), (183, HORIZONS[1]), (730, HORIZONS[1]), (731, HORIZONS[2])],
)
def test_horizon_boundaries(days, group):
    """Under 183 days is short, 183 to 730 is medium, over 730 is long."""
    f = date(2024, 1, 1)
    assert horizon_group(f, f + timedelta(days=days)) == group
    assert horizon_group_of_days(days) == group
    assert HORIZONS == ("under 6 months", "6 to 24 months", "over 24 months")


# --- Murphy decomposition -------------------------------------------------------------------------


def test_murphy_hand_example():
    """Bin 7: 0.7 x3 (yes, yes, no); bin 2: 0.2 x2 (no, no); bin 9: 0.95 (yes). Base rate 1/2."""
    pairs = [(0.7, 1), (0.7, 1), (0.7, 0), (0.2, 0), (0.2, 0), (0.95, 1)]
    s = _summary_of([(p, o, 0.0) for p, o in pairs])
    # reliability = (3 (0.7 - 2/3)^2 + 2 (0.2 - 0)^2 + (0.95 - 1)^2) / 6 = (1/300 + 33/400) / 6 = 103/7200
    assert s["murphy"]["reliability"] == pytest.approx(103 / 7200, abs=1e-12)
    # resolution = (3 (2/3 - 1/2)^2 + 2 (0 - 1/2)^2 + (1 - 1/2)^2) / 6 = (1/12 + 3/4) / 6 = 5/36
    assert s["murphy"]["resolution"] == pytest.approx(5 / 36, abs=1e-12)
    assert s["murphy"]["uncertainty"] == pytest.approx(0.25, abs=1e-15)
    # brier = (2 * 0.09 + 0.49 + 2 * 0.04 + 0.0025) / 6 = 0.7525 / 6 = 903/7200 = rel - res + unc
    assert s["brier"] == pytest.approx(903 / 7200, abs=1e-12)
    assert _bins_by_index(s)[7]["observed"] == pytest.approx(2 / 3, abs=1e-15)


@given(
    st.dictionaries(
        keys=st.integers(min_value=0, max_value=9),
        values=st.tuples(
            st.floats(min_value=0.01, max_value=0.99),
            st.lists(outcomes, min_size=1, max_size=25),
        ),
        min_size=1,
    )
)
def test_murphy_identity_when_each_bin_shares_one_forecast(per_bin):
    """brier = reliability - resolution + uncertainty (1e-9) when every forecast equals its bin's mean."""
    pairs = [((k + u) / 10, o, 0.0) for k, (u, outs) in per_bin.items() for o in outs]
    s = _summary_of(pairs)
    m = s["murphy"]
    assert s["brier"] == pytest.approx(m["reliability"] - m["resolution"] + m["uncertainty"], abs=1e-9)


# --- properties of the per-pair scores ------------------------------------------------------------


@given(probabilities, probabilities, outcomes)
def test_brier_falls_as_p_moves_toward_the_outcome(p1, p2, o):
    """The closer p is to what happened, the lower the Brier."""
    assume(abs(abs(p1 - o) - abs(p2 - o)) > 1e-9)
    closer, farther = (p1, p2) if abs(p1 - o) < abs(p2 - o) else (p2, p1)
    assert brier(closer, o) < brier(farther, o)
    assert 0.0 <= brier(closer, o) <= 1.0


@given(probabilities, probabilities, outcomes)
def test_log_score_is_not_positive_and_rises_toward_the_outcome(p1, p2, o):
    """The log score is <= 0 and higher for a p closer to what happened."""
    assume(abs(abs(p1 - o) - abs(p2 - o)) > 1e-9)
    closer, farther = (p1, p2) if abs(p1 - o) < abs(p2 - o) else (p2, p1)
    assert log_score(closer, o) > log_score(farther, o)
    assert log_score(closer, o) <= 0.0 and log_score(farther, o) <= 0.0


def _naive_time_averaged(forecasts: list[tuple[date, float]], o: int, resolved_on: date) -> float:
    """SCORING.md read literally: walk every day from F to R-1 (or just F), carrying the latest forecast."""
    first = forecasts[0][0]
    last = resolved_on - timedelta(days=1) if resolved_on > first else first
    errors = []
    day = first
    while day <= last:
        p_day = [p for made_on, p in forecasts if made_on <= day][-1]  # last recorded wins ties
        errors.append((p_day - o) ** 2)
        day += timedelta(days=1)
    return sum(errors) / len(errors)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    st.lists(st.tuples(st.integers(min_value=0, max_value=6), probabilities), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=20),
    outcomes,
)
def test_time_averaged_matches_day_by_day_loop(start, steps, tail, o):
    """The span-weighted sum equals walking the days one by one, same-day ties and R == F included."""
    forecasts = []
    day = start
    for gap, p in steps:
        day += timedelta(days=gap)
        forecasts.append((day, p))
    resolved_on = day + timedelta(days=tail)
    expected = _naive_time_averaged(forecasts, o, resolved_on)
    assert time_averaged_brier(forecasts, o, resolved_on) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(st.integers(min_value=1, max_value=100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_observed_fraction_within_unit_interval(kn):
    """The Wilson interval lies in [0, 1] and contains k/n."""
    k, n = kn
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0


def test_wilson_empty_is_null():
    """No trials: no interval."""
    assert wilson_interval(0, 0) == (None, None)
    assert wilson_interval(0, 5, z=Z95) == pytest.approx((0.0, (Z95**2 / 5) / (1 + Z95**2 / 5)), abs=1e-12)


# --- group accumulation ---------------------------------------------------------------------------

triples = st.tuples(probabilities, outcomes, st.floats(min_value=0.0, max_value=1.0))


@given(st.lists(triples, max_size=40), st.data())
def test_merging_two_halves_equals_accumulating_all(pairs, data):
    """Split a group anywhere: accumulating each half and merging gives the same totals."""
    cut = data.draw(st.integers(min_value=0, max_value=len(pairs)))
    whole, left, right = GroupAccumulator(), GroupAccumulator(), GroupAccumulator()
    for i, (p, o, ta) in enumerate(pairs):
        whole.add(p, o, ta)
        (left if i < cut else right).add(p, o, ta)
    a, b = whole.totals(), left.merge(right).totals()
    assert (a.n, a.sum_outcome, a.brier_value_counts) == (b.n, b.sum_outcome, b.brier_value_counts)
    assert [(x.n, x.sum_o) for x in a.bins] == [(x.n, x.sum_o) for x in b.bins]
    assert [x.sum_p for x in a.bins] == pytest.approx([x.sum_p for x in b.bins], abs=1e-9)
    for field in ("sum_brier", "sum_brier_time_averaged", "sum_log_score"):
        assert getattr(a, field) == pytest.approx(getattr(b, field), abs=1e-9)


def test_merge_accepts_finished_totals():
    """Totals produced elsewhere (e.g. by SQL) merge like an accumulator."""
    left = GroupAccumulator()
    left.add(0.8, 1, 0.04)
    right = GroupAccumulator()
    right.add(0.3, 0, 0.09)
    s = summarize(left.merge(right.totals()).totals())
    assert s["n"] == 2 and s["brier"] == pytest.approx(0.065, abs=1e-12)  # (0.04 + 0.09) / 2


def test_inconsistent_totals_are_refused():
    """Totals whose bins do not add up to n would print wrong figures, so they are refused."""
    empty_bins = tuple(BinStats(0, 0.0, 0) for _ in range(10))
    with pytest.raises(ValueError, match="bins"):
        GroupTotals(1, 0.04, 0.04, -0.2, 1, empty_bins, ((0.04, 1),))
    with pytest.raises(ValueError, match="10"):
        GroupTotals(0, 0.0, 0.0, 0.0, 0, empty_bins[:9], ())


def test_empty_group_summary_is_all_null():
    """A group with no scored pair gives null figures and ten empty bins, without dividing by zero."""
    s = summarize(GroupAccumulator().totals())
    assert set(s) == SUMMARY_KEYS
    assert s["n"] == 0
    for key in ("brier", "brier_time_averaged", "log_score", "base_rate", "brier_skill_vs_50"):
        assert s[key] is None
    assert s["brier_skill_vs_base_rate"] is None
    assert s["murphy"] == {"reliability": None, "resolution": None, "uncertainty": None}
    assert s["brier_ci90"] is None
    assert len(s["calibration"]) == 10
    assert all(b["n"] == 0 and b["observed"] is None and b["ci_low"] is None for b in s["calibration"])
    assert summarize(GroupTotals.empty()) == s


def test_summary_is_json_ready_with_exact_keys():
    """The summary serialises to JSON as is, with exactly the documented keys."""
    s = _summary_of([(p, o, 0.1) for p, o in WORKED])
    assert set(s) == SUMMARY_KEYS
    assert set(s["murphy"]) == {"reliability", "resolution", "uncertainty"}
    assert all(set(b) == BIN_KEYS for b in s["calibration"])
    assert [b["bin"] for b in s["calibration"]] == list(range(10))
    assert json.loads(json.dumps(s)) == s


# --- relative Brier -------------------------------------------------------------------------------


def test_relative_brier_three_analysts():
    """Own Brier minus the median of the others, averaged over shared questions; loners are absent."""
    per_question = [
        ("q1", {"ann": 0.1, "bob": 0.3, "cat": 0.5}),  # two others: median = their mean
        ("q2", {"ann": 0.2, "bob": 0.6}),  # one other: that value
        ("q3", {"cat": 0.04}),  # alone: not counted
        ("q4", {"bob": 0.01, "cat": 0.09}),
        ("q5", {"dan": 0.3}),  # dan never shares a question
    ]
    result = relative_brier(per_question)
    assert set(result) == {"ann", "bob", "cat"}
    # ann: q1 0.1 - 0.4 = -0.3; q2 0.2 - 0.6 = -0.4 -> -0.35 over 2
    assert result["ann"][0] == pytest.approx(-0.35, abs=1e-12) and result["ann"][1] == 2
    # bob: q1 0.3 - 0.3 = 0; q2 0.6 - 0.2 = 0.4; q4 0.01 - 0.09 = -0.08 -> 0.32 / 3
    assert result["bob"][0] == pytest.approx(0.32 / 3, abs=1e-12) and result["bob"][1] == 3
    # cat: q1 0.5 - 0.2 = 0.3; q4 0.09 - 0.01 = 0.08 -> 0.19 over 2
    assert result["cat"][0] == pytest.approx(0.19, abs=1e-12) and result["cat"][1] == 2


def test_relative_brier_median_of_three_others_is_the_middle_one():
    """With three others the median is the middle value, not the mean."""
    result = relative_brier([("q", {"a": 0.2, "b": 0.0, "c": 0.1, "d": 0.9})])
    assert result["a"] == (pytest.approx(0.2 - 0.1, abs=1e-15), 1)  # others 0.0, 0.1, 0.9
    assert result["d"] == (pytest.approx(0.9 - 0.1, abs=1e-15), 1)  # others 0.0, 0.1, 0.2


@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["a", "b", "c", "d", "e", "f"]),
            st.floats(min_value=0.0, max_value=1.0),
            max_size=6,
        ),
        max_size=8,
    )
)
def test_relative_brier_matches_definition(questions):
    """Equal to the definition computed naively with statistics.median of the other analysts."""
    sums: dict[str, list[float]] = {}
    for briers in questions:
        for analyst, own in briers.items():
            others = [b for a, b in briers.items() if a != analyst]
            if others:
                sums.setdefault(analyst, []).append(own - statistics.median(others))
    result = relative_brier((f"q{i}", b) for i, b in enumerate(questions))
    assert set(result) == set(sums)
    for analyst, diffs in sums.items():
        assert result[analyst][1] == len(diffs)
        assert result[analyst][0] == pytest.approx(sum(diffs) / len(diffs), abs=1e-12)


def test_relative_brier_refuses_a_question_listed_twice():
    """A repeated question would count twice, so it is refused."""
    with pytest.raises(ValueError, match="q1"):
        relative_brier([("q1", {"a": 0.1, "b": 0.2}), ("q1", {"a": 0.1, "b": 0.2})])


# --- bootstrap ------------------------------------------------------------------------------------

SAMPLE = [(0.01, 30), (0.04, 25), (0.25, 10), (0.64, 5)]
SAMPLE_MEAN = (0.01 * 30 + 0.04 * 25 + 0.25 * 10 + 0.64 * 5) / 70


def test_bootstrap_is_deterministic_and_ignores_input_order():
    """The same ledger always gives the same interval, whatever order its values arrive in."""
    first = bootstrap_brier_ci(SAMPLE)
    assert bootstrap_brier_ci(SAMPLE) == first
    assert bootstrap_brier_ci(list(reversed(SAMPLE))) == first


def test_bootstrap_brackets_the_mean():
    """For a spread-out sample the interval strictly contains the sample mean."""
    low, high = bootstrap_brier_ci(SAMPLE)
    assert low < SAMPLE_MEAN < high


def test_bootstrap_of_identical_values_is_that_value():
    """If every pair scored the same, the interval is that value at both ends."""
    assert bootstrap_brier_ci([(0.09, 7)]) == (0.09, 0.09)
    assert bootstrap_brier_ci([(0.09, 3), (0.09, 4)]) == (0.09, 0.09)


def test_bootstrap_of_no_pairs_is_none():
    """No pairs, no interval."""
    assert bootstrap_brier_ci([]) is None
    assert bootstrap_brier_ci([(0.3, 0)]) is None


@pytest.mark.parametrize(
    "value_counts",
    [
        [(0.0, 500), (1.0, 500)],  # few distinct values: resampled by multinomial counts
        [(i / 999, 1) for i in range(1000)],  # every value distinct: resampled by pair indices
    ],
)
def test_bootstrap_width_matches_the_standard_error(value_counts):
    """The 90% interval's half-width is about 1.645 standard errors of the mean, on either side."""
    n = sum(c for _, c in value_counts)
    mean = sum(v * c for v, c in value_counts) / n
    sd = math.sqrt(sum(c * (v - mean) ** 2 for v, c in value_counts) / n)
    expected_half = 1.644854 * sd / math.sqrt(n)
    low, high = bootstrap_brier_ci(value_counts)
    assert 0.7 * expected_half < mean - low < 1.3 * expected_half
    assert 0.7 * expected_half < high - mean < 1.3 * expected_half


def test_bootstrap_handles_300k_pairs_over_50_values():
    """A 300,000-pair group over 50 distinct Brier values gets an interval around its mean."""
    value_counts = [((k / 50) ** 2, 6000) for k in range(50)]
    mean = sum(v for v, _ in value_counts) / 50
    low, high = bootstrap_brier_ci(value_counts, resamples=BOOTSTRAP_RESAMPLES)
    assert low <= mean <= high


def test_percentile_rule_is_linear_between_order_statistics():
    """q-quantile of x_0..x_{m-1}: h = (m-1) q, x_j + (h - j)(x_{j+1} - x_j), as numpy's default."""
    xs = [1.0, 2.0, 3.0, 4.0]
    assert _percentile(xs, 0.05) == pytest.approx(1.15, abs=1e-12)  # h = 0.15
    assert _percentile(xs, 0.95) == pytest.approx(3.85, abs=1e-12)  # h = 2.85
    assert _percentile(xs, 1.0) == 4.0
    assert _percentile(xs, 0.0) == 1.0


# --- module weight --------------------------------------------------------------------------------


def test_importing_scoring_loads_neither_numpy_nor_qt():
    """numpy is imported only when a bootstrap runs, and the core never pulls in Qt."""
    code = (
        "import sys, forecastapp.core.scoring\n"
        "print('numpy' in sys.modules, any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
