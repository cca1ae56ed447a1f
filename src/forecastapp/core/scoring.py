"""Score arithmetic, exactly as SCORING.md defines it: per-pair scores, group summaries, intervals.

Pure functions over numbers and dates: no Qt, no database, no clock. The store computes the per-pair
values with `brier`, `time_averaged_brier` and `log_score`, adds pairs up into `GroupTotals` (with
`GroupAccumulator`, or with SQL `GROUP BY`, since every field is a mergeable sum), and `summarize`
turns one group's totals into the scorecard's JSON-ready figures. Values are full floats: renderers
round for display.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from forecastapp.core.errors import ProbabilityError, ValidationError

Z95 = 1.959964
"""Two-sided 95% normal quantile used for the Wilson intervals (SCORING.md gives it to 6 decimals)."""

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20_260_501
"""Fixed seed: the same ledger must always print the same interval."""

N_BINS = 10

HORIZONS = ("under 6 months", "6 to 24 months", "over 24 months")

# Horizon limits in days from the first forecast to the resolution (SCORING.md, "Groups"); the
# scorecard's SQL groups by the same two numbers.
HORIZON_SHORT_BELOW = 183
HORIZON_LONG_ABOVE = 730

# Cap on the number of counts drawn in one multinomial call (resamples x distinct values), so a group
# whose Brier values are nearly all distinct cannot allocate gigabytes at once.
_MAX_DRAWS_PER_CALL = 1 << 22

# Resample by multinomial counts while the distinct values number at most N / 4; beyond that, draw
# pair indices (measured: a multinomial category costs about as much as four to six direct draws).
_MULTINOMIAL_MAX_SHARE = 4


# --- input checks ---------------------------------------------------------------------------------


def _check_probability(p: float, what: str = "probability") -> float:
    """Return `p` as a float if it lies in [0, 1] (NaN fails), else raise ProbabilityError."""
    try:
        ok = 0.0 <= p <= 1.0
    except TypeError:
        ok = False
    if not ok:
        raise ProbabilityError(f"{what} {p!r} is not a number from 0 to 1: give it as a fraction such as 0.7")
    return float(p)


def _check_outcome(outcome: int) -> int:
    """Return the outcome as 0 or 1, else raise ValidationError."""
    if outcome not in (0, 1):
        raise ValidationError(
            f"outcome {outcome!r} is neither 0 (no) nor 1 (yes): score only questions resolved yes or no"
        )
    return int(outcome)


# --- per pair -------------------------------------------------------------------------------------


def brier(p: float, outcome: int) -> float:
    """Brier score of one probability of yes against the outcome: (p - o)^2, in [0, 1], lower is better."""
    d = _check_probability(p) - _check_outcome(outcome)
    # d * d rather than d ** 2: IEEE multiplication is correctly rounded everywhere, so the same
    # forecast always yields the same float, which matters because distinct values are counted.
    return d * d


def log_score(p: float, outcome: int) -> float:
    """Natural-log score: ln(p) if yes, ln(1 - p) if no; always <= 0, higher is better."""
    p = _check_probability(p)
    o = _check_outcome(outcome)
    given = p if o == 1 else 1.0 - p
    if given == 0.0:
        raise ProbabilityError(
            f"probability {p!r} gave the outcome no chance at all, so its log score is infinite: "
            "probabilities must lie between 0.001 and 0.999"
        )
    # log1p(-p) is ln(1 - p) without the rounding of 1 - p, which matters for small p.
    return math.log(p) if o == 1 else math.log1p(-p)


def time_averaged_brier(forecasts: Sequence[tuple[date, float]], outcome: int, resolved_on: date) -> float:
    """Mean daily Brier from the first forecast day F through R - 1, each day carrying the latest forecast.

    `forecasts` are the pair's unretracted forecasts with made_on <= resolved_on, ordered by
    (made_on, recorded order); of several on one day the last counts. If R <= F the only day is F.
    Runs in O(len(forecasts)) whatever the horizon: each forecast contributes span * (p - o)^2.
    """
    o = _check_outcome(outcome)
    total = 0.0
    first_day: date | None = None
    prev_day: date | None = None
    prev_p = 0.0
    for made_on, p in forecasts:
        p = _check_probability(p)
        if made_on > resolved_on:
            raise ValidationError(
                f"forecast made on {made_on.isoformat()} is after the resolution on {resolved_on.isoformat()}: "
                "forecasts made after a question resolved are never scored"
            )
        if prev_day is None:
            first_day = made_on
        elif made_on < prev_day:
            raise ValidationError(
                f"forecast made on {made_on.isoformat()} is listed after one made on {prev_day.isoformat()}: "
                "pass forecasts ordered by date, then by the order they were recorded"
            )
        elif made_on > prev_day:
            # The previous day's last forecast held from prev_day up to the day before this one.
            total += (made_on - prev_day).days * _squared_error(prev_p, o)
        prev_day, prev_p = made_on, p
    if first_day is None or prev_day is None:
        raise ValidationError("a scored pair needs at least one forecast made on or before its resolution")
    days = (resolved_on - first_day).days
    if days <= 0:
        # R == F (R < F was refused above): the only day is F, carrying the last forecast made on F.
        return _squared_error(prev_p, o)
    # The last forecast holds up to R - 1; a forecast made on R itself covers no day (span 0).
    total += (resolved_on - prev_day).days * _squared_error(prev_p, o)
    return total / days


def _squared_error(p: float, o: int) -> float:
    """(p - o)^2 for already checked inputs."""
    d = p - o
    return d * d


def horizon_group(first_made_on: date, resolved_on: date) -> str:
    """Horizon group of a pair from its first forecast date F and resolution date R (one of HORIZONS)."""
    return horizon_group_of_days((resolved_on - first_made_on).days)


def horizon_group_of_days(days: int) -> str:
    """Horizon group for a horizon already counted in days (R - F), e.g. `pair_scores.horizon_days`."""
    if days < HORIZON_SHORT_BELOW:
        return HORIZONS[0]
    if days <= HORIZON_LONG_ABOVE:
        return HORIZONS[1]
    return HORIZONS[2]


# --- calibration bins and intervals ---------------------------------------------------------------


def calibration_bin(p: float) -> int:
    """Calibration bin 0..9 of a final probability: min(floor(10p + 1e-9), 9)."""
    # The 1e-9 puts a probability such as 0.3, whose 10p may land a hair under 3, into bin 3.
    return min(math.floor(10.0 * _check_probability(p) + 1e-9), N_BINS - 1)


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float] | tuple[None, None]:
    """Wilson score interval for k successes in n trials; (None, None) when n is 0."""
    if not 0 <= k <= n:
        raise ValueError(f"wilson_interval needs 0 <= k <= n, got k={k!r}, n={n!r}")
    if n == 0:
        return (None, None)
    phat = k / n
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (phat + z2 / (2 * n)) / denominator
    half_width = (z / denominator) * math.sqrt(phat * (1.0 - phat) / n + z2 / (4 * n * n))
    # At k = 0 (k = n) the bound is exactly 0 (1) in exact arithmetic; pin it so rounding cannot
    # leave k/n a hair outside its own interval.
    low = 0.0 if k == 0 else max(0.0, centre - half_width)
    high = 1.0 if k == n else min(1.0, centre + half_width)
    return (low, high)


# --- group totals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BinStats:
    """Raw sums for one calibration bin: pair count, sum of final probabilities, count resolved yes."""

    n: int
    sum_p: float
    sum_o: int


@dataclass(frozen=True)
class GroupTotals:
    """Everything a group's summary needs, as mergeable sums (so SQL GROUP BY can produce them too)."""

    n: int
    sum_brier: float
    sum_brier_time_averaged: float
    sum_log_score: float
    sum_outcome: int
    bins: tuple[BinStats, ...]
    brier_value_counts: tuple[tuple[float, int], ...]

    def __post_init__(self) -> None:
        # Totals assembled by hand or by SQL can drift apart; a summary of inconsistent sums would
        # print plausible wrong numbers, so refuse them here.
        if len(self.bins) != N_BINS:
            raise ValueError(f"GroupTotals needs exactly {N_BINS} bins, got {len(self.bins)}")
        if sum(b.n for b in self.bins) != self.n:
            raise ValueError(f"GroupTotals bins hold {sum(b.n for b in self.bins)} pairs but n is {self.n}")
        if sum(c for _, c in self.brier_value_counts) != self.n:
            raise ValueError(
                f"GroupTotals brier_value_counts hold {sum(c for _, c in self.brier_value_counts)} pairs "
                f"but n is {self.n}"
            )
        if not 0 <= self.sum_outcome <= self.n:
            raise ValueError(f"GroupTotals sum_outcome {self.sum_outcome} is outside 0..{self.n}")

    @classmethod
    def empty(cls) -> GroupTotals:
        """Totals of a group with no scored pair."""
        return GroupAccumulator().totals()


class GroupAccumulator:
    """Streams scored pairs into a group's totals: `.add(...)` per pair, `.merge(other)`, `.totals()`."""

    def __init__(self) -> None:
        self._n = 0
        self._sum_brier = 0.0
        self._sum_brier_ta = 0.0
        self._sum_log = 0.0
        self._sum_outcome = 0
        self._bin_n = [0] * N_BINS
        self._bin_sum_p = [0.0] * N_BINS
        self._bin_sum_o = [0] * N_BINS
        self._value_counts: dict[float, int] = {}

    def add(self, p_final: float, outcome: int, brier_ta: float) -> None:
        """Add one scored pair: its final probability, its outcome and its time-averaged Brier."""
        p = _check_probability(p_final, "final probability")
        o = _check_outcome(outcome)
        ta = _check_probability(brier_ta, "time-averaged Brier")
        self.add_alike(calibration_bin(p), p, o, brier(p, o), 1, ta, log_score(p, o))

    def add_alike(self, k: int, p: float, o: int, b: float, count: int, sum_ta: float, sum_log: float) -> None:
        """Add `count` pairs sharing final probability `p` (bin `k`), outcome `o` and Brier `b`, with the sums
        of their time-averaged Briers and log scores (rows a SQL GROUP BY made; taken as already checked)."""
        self._n += count
        self._sum_brier += b * count
        self._sum_brier_ta += sum_ta
        self._sum_log += sum_log
        self._sum_outcome += o * count
        self._bin_n[k] += count
        self._bin_sum_p[k] += p * count
        self._bin_sum_o[k] += o * count
        self._value_counts[b] = self._value_counts.get(b, 0) + count

    def merge(self, other: GroupAccumulator | GroupTotals) -> GroupAccumulator:
        """Add another group's pairs (an accumulator or finished totals) into this one; returns self."""
        t = other.totals() if isinstance(other, GroupAccumulator) else other
        self._n += t.n
        self._sum_brier += t.sum_brier
        self._sum_brier_ta += t.sum_brier_time_averaged
        self._sum_log += t.sum_log_score
        self._sum_outcome += t.sum_outcome
        for k, b in enumerate(t.bins):
            self._bin_n[k] += b.n
            self._bin_sum_p[k] += b.sum_p
            self._bin_sum_o[k] += b.sum_o
        for value, count in t.brier_value_counts:
            self._value_counts[value] = self._value_counts.get(value, 0) + count
        return self

    def totals(self) -> GroupTotals:
        """The sums so far, with Brier value counts sorted by value (a deterministic order)."""
        return GroupTotals(
            n=self._n,
            sum_brier=self._sum_brier,
            sum_brier_time_averaged=self._sum_brier_ta,
            sum_log_score=self._sum_log,
            sum_outcome=self._sum_outcome,
            bins=tuple(BinStats(self._bin_n[k], self._bin_sum_p[k], self._bin_sum_o[k]) for k in range(N_BINS)),
            brier_value_counts=tuple(sorted(self._value_counts.items())),
        )


def summarize(totals: GroupTotals) -> dict[str, Any]:
    """One group's scorecard figures as a JSON-ready dict; every figure is None when the group is empty."""
    n = totals.n
    calibration = [_calibration_entry(k, b) for k, b in enumerate(totals.bins)]
    if n == 0:
        return {
            "n": 0,
            "brier": None,
            "brier_time_averaged": None,
            "log_score": None,
            "base_rate": None,
            "brier_skill_vs_50": None,
            "brier_skill_vs_base_rate": None,
            "murphy": {"reliability": None, "resolution": None, "uncertainty": None},
            "calibration": calibration,
            "brier_ci90": None,
        }
    mean_brier = totals.sum_brier / n
    base_rate = totals.sum_outcome / n
    uncertainty = base_rate * (1.0 - base_rate)
    # Decide "base rate is 0 or 1" on the integer count, not on a float that might be a hair off.
    degenerate = totals.sum_outcome in (0, n)
    reliability = 0.0
    resolution = 0.0
    for b in totals.bins:
        if b.n:
            f_k = b.sum_p / b.n
            o_k = b.sum_o / b.n
            reliability += b.n * (f_k - o_k) ** 2
            resolution += b.n * (o_k - base_rate) ** 2
    ci = bootstrap_brier_ci(totals.brier_value_counts, level=0.90)
    return {
        "n": n,
        "brier": mean_brier,
        "brier_time_averaged": totals.sum_brier_time_averaged / n,
        "log_score": totals.sum_log_score / n,
        "base_rate": base_rate,
        "brier_skill_vs_50": 1.0 - mean_brier / 0.25,
        "brier_skill_vs_base_rate": None if degenerate else 1.0 - mean_brier / uncertainty,
        "murphy": {
            "reliability": reliability / n,
            "resolution": resolution / n,
            "uncertainty": uncertainty,
        },
        "calibration": calibration,
        "brier_ci90": None if ci is None else [ci[0], ci[1]],
    }


def _calibration_entry(k: int, b: BinStats) -> dict[str, Any]:
    """One calibration bin as a JSON-ready dict (nulls when the bin is empty)."""
    ci_low, ci_high = wilson_interval(b.sum_o, b.n)
    return {
        "bin": k,
        # k / 10 rather than k * 0.1, so bin 3 prints as 0.3, not 0.30000000000000004.
        "lower": k / N_BINS,
        "upper": (k + 1) / N_BINS,
        "n": b.n,
        "mean_forecast": b.sum_p / b.n if b.n else None,
        "observed": b.sum_o / b.n if b.n else None,
        "ci_low": ci_low,
        "ci_high": ci_high,
    }


# --- bootstrap ------------------------------------------------------------------------------------


def bootstrap_brier_ci(
    value_counts: Sequence[tuple[float, int]],
    *,
    level: float = 0.90,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the mean Brier from (value, count) pairs; None for no pairs.

    Each resample draws N pairs with replacement from the group's N pairs. Only the count of each
    distinct Brier value matters to the mean, so a resample is one multinomial draw of N over the K
    distinct values with probabilities count / N: exact, and O(K) per resample instead of O(N).
    When nearly every pair has its own value (K > N / 4) it draws the N pair indices instead, which
    is the same resampling and cheaper there.
    Values are sorted (and duplicates merged) first, so the input order never changes the result.

    The bounds are the (1 - level) / 2 and (1 + level) / 2 quantiles of the resampled means, by
    linear interpolation between order statistics (numpy's default "linear" rule, Hyndman and Fan
    type 7): sorted means x_0..x_{m-1}, h = (m - 1) q, j = floor(h), bound = x_j + (h - j)(x_{j+1} - x_j).

    Same input, seed and numpy build give the same interval. NumPy promises its random streams only
    for the same build on the same machine, so another numpy version may move the bounds slightly.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"bootstrap level must lie strictly between 0 and 1, got {level!r}")
    if resamples < 1:
        raise ValueError(f"bootstrap needs at least one resample, got {resamples!r}")
    merged: dict[float, int] = {}
    for value, count in value_counts:
        if count < 0 or int(count) != count:
            raise ValueError(f"bootstrap count {count!r} for Brier value {value!r} is not a whole number >= 0")
        if not math.isfinite(value):
            raise ValueError(f"bootstrap Brier value {value!r} is not a finite number")
        if count:
            merged[float(value)] = merged.get(float(value), 0) + int(count)
    if not merged:
        return None
    values = sorted(merged)
    if len(values) == 1:
        # Every resample is the same pair set: the interval is the value itself, without the rounding
        # that (N * v) / N could introduce.
        return (values[0], values[0])

    import numpy as np  # Lazy: importing the scoring module must stay cheap for the CLI and GUI.

    counts = [merged[v] for v in values]
    n_pairs = sum(counts)
    pvals = np.asarray(counts, dtype=np.float64) / n_pairs
    value_array = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    # A multinomial costs about as much per distinct value as drawing a few pairs directly, so when
    # nearly every pair has its own value (K close to N) drawing N pair indices is the cheaper exact way.
    by_counts = len(values) * _MULTINOMIAL_MAX_SHARE <= n_pairs
    expanded = None if by_counts else np.repeat(value_array, counts)
    chunk = max(1, _MAX_DRAWS_PER_CALL // (len(values) if by_counts else n_pairs))
    means: list[float] = []
    remaining = resamples
    while remaining:
        size = min(chunk, remaining)
        if expanded is None:
            draws = rng.multinomial(n_pairs, pvals, size=size)  # shape (size, K): counts per distinct value
            means.extend((draws @ value_array / n_pairs).tolist())
        else:
            picks = rng.integers(0, n_pairs, size=(size, n_pairs))  # N pair indices per resample
            means.extend((expanded[picks].sum(axis=1) / n_pairs).tolist())
        remaining -= size
    means.sort()
    q_low = (1.0 - level) / 2.0
    low = _percentile(means, q_low)
    high = _percentile(means, 1.0 - q_low)
    # A mean of values lies between the smallest and largest value; clamp away any last-bit rounding.
    return (max(values[0], low), min(values[-1], high))


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-quantile of ascending values by linear interpolation between order statistics (type 7)."""
    h = (len(sorted_values) - 1) * q
    j = math.floor(h)
    if j >= len(sorted_values) - 1:
        return sorted_values[-1]
    return sorted_values[j] + (h - j) * (sorted_values[j + 1] - sorted_values[j])


# --- relative Brier -------------------------------------------------------------------------------


def relative_brier(per_question: Iterable[tuple[str, Mapping[str, float]]]) -> dict[str, tuple[float, int]]:
    """Per analyst: (mean of own Brier minus the median of the other analysts' Briers, number of questions).

    Only questions where at least one other analyst scored count; analysts with no such question are
    absent. Negative is better. Keys come out sorted by analyst.
    """
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    seen: set[str] = set()
    for question, briers in per_question:
        if question in seen:
            # Listing a question twice would silently double its weight.
            raise ValueError(f"relative_brier got question {question!r} twice")
        seen.add(question)
        if len(briers) < 2:
            continue
        checked = {a: _check_probability(b, f"Brier of {a!r} on {question!r}") for a, b in briers.items()}
        ordered = sorted(checked.values())
        for analyst, own in checked.items():
            diff = own - _median_without(ordered, own)
            sums[analyst] = sums.get(analyst, 0.0) + diff
            counts[analyst] = counts.get(analyst, 0) + 1
    return {a: (sums[a] / counts[a], counts[a]) for a in sorted(sums)}


def _median_without(ordered: list[float], value: float) -> float:
    """Median of ascending `ordered` with one copy of `value` removed, in O(log m)."""
    # Removing any copy of an equal value leaves the same multiset, so the leftmost copy will do.
    i = bisect.bisect_left(ordered, value)

    def at(j: int) -> float:
        return ordered[j] if j < i else ordered[j + 1]

    m = len(ordered) - 1
    if m % 2:
        return at(m // 2)
    return (at(m // 2 - 1) + at(m // 2)) / 2.0
