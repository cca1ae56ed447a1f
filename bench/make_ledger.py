"""Build a reproducible synthetic ledger for benchmarks through the core's bulk path.

    python bench/make_ledger.py --questions 100000 --forecasts 1000000 --out big.db [--seed 1]

The same arguments always give the same records (ids included). What it contains:
- 8 analysts of differing skill and bias, 12 tags (1 to 3 per question), 3 source documents (about
  40% of questions cite one);
- questions created between 2018 and mid-2026, each with a deadline under 6 months, 6 to 24 months
  or over 24 months away; about 10% conditional;
- forecasts spread over the questions (exactly --forecasts in all), 1 to 4 analysts per question,
  each updating over time as the answer becomes clearer; probabilities on the grids people use
  (whole percents, about a quarter entered as ICD 203 terms at the term's value);
- about 70% of questions resolved yes or no, 5% annulled (on conditional questions mostly because
  the condition did not hold), the rest open, some of them past their deadline (due); a few
  resolved questions with no forecast, a few retracted forecasts and a few deleted questions.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from forecastapp.core.bulk import BulkRecords, bulk_load
from forecastapp.core.estimative import TERMS
from forecastapp.core.store import open_ledger

# The synthetic world's "today": fixed so the same seed gives the same ledger on any day.
TODAY = date(2026, 6, 30)
START = date(2018, 1, 1)
RECORDED_AT = "2026-06-30T12:00:00.000000Z"

ANALYSTS = (
    # name, noise (sd in log-odds), bias (log-odds added)
    ("Avery Stone", 0.45, 0.0),
    ("Blake Ortiz", 0.6, 0.15),
    ("Casey Nakamura", 0.8, -0.1),
    ("Dana Okafor", 0.5, 0.3),
    ("Eli Brennan", 1.0, 0.0),
    ("Farah Haddad", 0.7, -0.25),
    ("Gus Lindqvist", 1.2, 0.1),
    ("Hana Kowalski", 0.55, 0.05),
)
TAGS = (
    "north korea", "china", "russia", "middle east", "energy", "elections", "economy", "cyber", "military",
    "diplomacy", "health", "climate",
)
DOCUMENTS = (
    ("Annual threat outlook 2023", "Office of Analysis"),
    ("Regional energy security review", "Energy Desk"),
    ("Elections and stability assessment", "Political Desk"),
)
ACTORS = (
    "North Korea", "China", "Russia", "Iran", "the EU", "India", "Brazil", "Turkey", "Japan", "Saudi Arabia",
    "the United States", "Nigeria", "Indonesia", "Mexico", "Ukraine", "Pakistan",
)
EVENTS = (
    "conduct a nuclear test", "hold a snap election", "sign a new trade agreement", "cut oil output by 5%",
    "launch an ICBM", "default on sovereign debt", "announce new sanctions", "open formal peace talks",
    "report GDP growth above 3%", "suffer a major cyberattack on its grid", "expel a foreign ambassador",
    "ratify the climate accord", "change its head of government", "impose capital controls",
)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


_TERM_FOR_PERCENT: list[tuple[str, float] | None] = []
for _pct in range(100):
    # The ICD 203 term whose range holds this whole percent (lower bound inclusive), if any.
    _match = next((t for t in TERMS if t.low <= _pct / 100 < t.high), None)
    _TERM_FOR_PERCENT.append((_match.name, _match.value) if _match else None)


def _grid(p: float, rng: random.Random) -> tuple[float, str | None]:
    """Put a probability on a grid people type: a whole percent, or a quarter of the time an ICD 203 term."""
    pct = min(99, max(1, round(p * 100)))
    if rng.random() < 0.25:
        term = _TERM_FOR_PERCENT[pct]
        if term is not None:
            return term[1], term[0]
    return pct / 100, None


def build(questions: int, forecasts: int, seed: int) -> BulkRecords:
    """The synthetic ledger's records as lazy row iterables for `bulk_load`."""
    if questions < 1 or forecasts < 0:
        raise SystemExit("need --questions >= 1 and --forecasts >= 0")
    rng = random.Random(seed)
    analyst_ids = [_uuid(rng) for _ in ANALYSTS]
    doc_ids = [_uuid(rng) for _ in DOCUMENTS]
    span = (TODAY - START).days - 30

    # One plan per question (a small tuple each), so the forecast generator can follow it later.
    plans = []
    weights = []
    for i in range(questions):
        qid = _uuid(rng)
        created = START + timedelta(days=rng.randrange(span))
        r = rng.random()
        horizon = rng.randint(20, 182) if r < 0.55 else rng.randint(183, 730) if r < 0.9 else rng.randint(731, 1500)
        resolve_by = created + timedelta(days=horizon)
        truth = rng.betavariate(1.0, 1.0)
        yes = rng.random() < truth
        conditional = rng.random() < 0.10
        r = rng.random()
        latest_day = min(resolve_by, TODAY)
        if r < 0.70:
            status = "yes" if yes else "no"
            resolved_on = created + timedelta(days=rng.randint(1, max(1, (latest_day - created).days)))
        elif r < 0.75:
            status = "annulled"
            resolved_on = created + timedelta(days=rng.randint(1, max(1, (latest_day - created).days)))
        else:
            status = None
            resolved_on = None
            if rng.random() > 0.25:  # most open questions are not yet due
                resolve_by = max(resolve_by, TODAY + timedelta(days=rng.randint(10, 700)))
        annul_reason = "condition_not_met" if status == "annulled" and conditional and rng.random() < 0.7 else None
        n_analysts = rng.choices((1, 2, 3, 4), weights=(3, 4, 2, 1))[0]
        chosen = rng.sample(range(len(ANALYSTS)), n_analysts)
        no_forecasts = status in ("yes", "no") and rng.random() < 0.005
        tags = rng.sample(TAGS, rng.choices((1, 2, 3), weights=(5, 3, 1))[0])
        doc = rng.randrange(len(DOCUMENTS)) if rng.random() < 0.4 else None
        statement = f"Will {rng.choice(ACTORS)} {rng.choice(EVENTS)} by {resolve_by.isoformat()}? (#{i + 1})"
        deleted = rng.random() < 0.001
        plans.append((qid, created, resolve_by, truth, yes, conditional, status, resolved_on, annul_reason,
                      chosen, tags, doc, statement, deleted))
        weights.append(0.0 if no_forecasts else rng.uniform(0.3, 1.7))

    # Exactly `forecasts` in all: proportional shares, the remainder to the largest fractions.
    total_w = sum(weights) or 1.0
    shares = [forecasts * w / total_w for w in weights]
    counts = [int(s) for s in shares]
    short = forecasts - sum(counts)
    for i in sorted(range(questions), key=lambda j: counts[j] - shares[j])[:short]:
        counts[i] += 1

    documents = [
        (doc_ids[k], title, author, "2023-01-15", f"{title}\n\nSynthetic document text {k}.",
         hashlib.sha256(f"{title}\n\nSynthetic document text {k}.".encode()).hexdigest(), RECORDED_AT)
        for k, (title, author) in enumerate(DOCUMENTS)
    ]
    analysts = [(analyst_ids[k], name, RECORDED_AT) for k, (name, _, _) in enumerate(ANALYSTS)]

    def question_rows():
        for qid, created, resolve_by, _, _, conditional, *_rest in plans:
            doc = _rest[5]
            statement = _rest[6]
            yield (qid, statement, "Resolves yes if credible reporting confirms it.",
                   "if the current government stays in office" if conditional else None,
                   None, resolve_by.isoformat(), doc_ids[doc] if doc is not None else None,
                   f"{created.isoformat()}T08:00:00.000000Z")

    def tag_rows():
        for plan in plans:
            for tag in plan[10]:
                yield (plan[0], tag)

    retracted: list[str] = []
    frng = random.Random(seed * 7919 + 1)

    def forecast_rows():
        for plan, k in zip(plans, counts):
            qid, created, resolve_by, truth, yes, _, status, resolved_on, _, chosen, *_ = plan
            if k == 0:
                continue
            end = resolved_on or min(resolve_by, TODAY)
            days = max(0, (end - created).days)
            made = sorted(frng.randint(0, days) for _ in range(k))
            made[0] = 0  # the question was asked with a first forecast
            target = 1.0 if yes else 0.0
            for j, offset in enumerate(made):
                a = chosen[j] if j < len(chosen) else frng.choice(chosen)
                _, noise, bias = ANALYSTS[a]
                # Evidence accumulates: the analyst's view drifts toward the outcome as the day nears.
                progress = (offset / days) if days else 0.0
                belief = truth + (target - truth) * 0.4 * progress * progress
                belief = min(0.995, max(0.005, belief))
                p = _sigmoid(_logit(belief) + bias + frng.gauss(0.0, noise))
                value, term = _grid(p, frng)
                fid = _uuid(frng)
                if frng.random() < 0.003:
                    retracted.append(fid)
                day = created + timedelta(days=offset)
                yield (fid, qid, analyst_ids[a], value, term, day.isoformat(),
                       f"{day.isoformat()}T12:00:00.{j:06d}Z", "")

    def retraction_rows():
        for fid in retracted:
            yield (_uuid(frng), fid, RECORDED_AT, "entered by mistake")

    def resolution_rows():
        for plan in plans:
            qid, status, resolved_on, annul_reason = plan[0], plan[6], plan[7], plan[8]
            if status is None:
                continue
            yield (_uuid(frng), qid, "resolve", status, annul_reason, resolved_on.isoformat(), "", "bench",
                   RECORDED_AT, None)

    def log_rows():
        for plan in plans:
            if plan[13]:
                yield (_uuid(frng), plan[0], "delete", RECORDED_AT, "duplicate")

    return BulkRecords(
        documents=documents, analysts=analysts, questions=question_rows(), question_tags=tag_rows(),
        forecasts=forecast_rows(), retractions=retraction_rows(), resolutions=resolution_rows(),
        question_log=log_rows(),
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: parse arguments, refuse to overwrite, build and report counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, required=True)
    parser.add_argument("--forecasts", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"error: '{args.out}' exists; remove it or choose another --out", file=sys.stderr)
        return 2
    start = time.perf_counter()
    db = open_ledger(args.out, seed=False)
    try:
        counts = bulk_load(db, build(args.questions, args.forecasts, args.seed))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    print(", ".join(f"{table} {n:,}" for table, n in counts.items()))
    print(f"built {args.out} in {time.perf_counter() - start:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
