"""Time the JSON scorecard against one bare SQLite aggregate over the same forecasts, in one run.

    python bench/bench_scorecard.py --db big.db

The bare aggregate is the cheapest honest question one can ask of the forecasts: the mean squared
error of every forecast on a question resolved yes or no, in a single SQL statement. The scorecard is
everything `forecastapp scorecard --format json --no-verify` does after opening the ledger:
`build_scorecard` (every group, the relative Brier, the excluded counts, the per-pair list, the chain
head) and `to_json`. Recomputing the hash chain (the command's default `--verify`) is left out: it
re-hashes every history record, so it grows with the history, not with what is scored (`forecastapp
verify` times it on its own). Each is run three times, alternately so that a burst of load elsewhere
hits both alike, and the medians of the wall-clock times compared; the CPU times are printed too,
since they wander less on a busy machine.
The last line is `ratio: X` (scorecard time / bare aggregate time); the target is at most 3, with
peak memory (the process's maximum resident set) under 500 MB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

from forecastapp.core.report import to_json
from forecastapp.core.scorecard import build_scorecard
from forecastapp.core.store import open_ledger

RUNS = 3

BARE_AGGREGATE = """
SELECT avg((f.probability - o) * (f.probability - o))
FROM forecasts f
JOIN (SELECT id, CASE outcome WHEN 'yes' THEN 1.0 ELSE 0.0 END AS o
      FROM questions WHERE outcome IN ('yes', 'no')) q ON q.id = f.question_id
"""


def _peak_mb() -> float:
    """The process's peak resident memory in MB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: run both measurements and print them, ratio last."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"error: '{args.db}' does not exist; build one with bench/make_ledger.py", file=sys.stderr)
        return 2
    db = open_ledger(args.db, seed=False)
    # The clock is read here, at the edge, as the CLI does.
    today, now = date.today(), datetime.now(timezone.utc)
    bare_times: list[float] = []
    card_times: list[float] = []
    bare_cpu: list[float] = []
    card_cpu: list[float] = []
    value = None
    size = 0
    card = None
    for _ in range(RUNS):
        start, cpu = time.perf_counter(), time.process_time()
        value = db.execute(BARE_AGGREGATE).fetchone()[0]
        bare_times.append(time.perf_counter() - start)
        bare_cpu.append(time.process_time() - cpu)

        card = None  # let the previous run's scorecard go before building the next
        start, cpu = time.perf_counter(), time.process_time()
        card = build_scorecard(db, verify=False, today=today, now=now)
        text = to_json(card)
        card_times.append(time.perf_counter() - start)
        card_cpu.append(time.process_time() - cpu)
        size = len(text.encode("utf-8"))
        del text
    assert card is not None
    if value is None:
        # avg() over no rows: nothing is resolved yes or no, so there is nothing to time.
        print(f"error: '{args.db}' has no forecast on a question resolved yes or no; build one with "
              "bench/make_ledger.py", file=sys.stderr)
        return 2
    bare = statistics.median(bare_times)
    scorecard = statistics.median(card_times)
    print(f"ledger: {card.ledger.questions:,} questions, {card.ledger.forecasts:,} forecasts, "
          f"{card.overall.n:,} scored pairs")
    print(f"bare aggregate: {bare:.3f} s (median of {RUNS}: {', '.join(f'{t:.3f}' for t in bare_times)}; "
          f"mean squared error {value:.6f})")
    print(f"scorecard (build + JSON): {scorecard:.3f} s (median of {RUNS}: "
          f"{', '.join(f'{t:.3f}' for t in card_times)}; {size / 1e6:.1f} MB of JSON)")
    # CPU time of this process, for a machine busy with other work, where wall-clock times wander.
    bare_cpu_s, card_cpu_s = statistics.median(bare_cpu), statistics.median(card_cpu)
    # A small ledger's aggregate can take less CPU time than the clock resolves.
    cpu_ratio = f"{card_cpu_s / bare_cpu_s:.2f}" if bare_cpu_s else "n/a"
    print(f"cpu time: bare {bare_cpu_s:.3f} s, scorecard {card_cpu_s:.3f} s (ratio {cpu_ratio})")
    print(f"peak memory: {_peak_mb():.0f} MB")
    print(f"ratio: {scorecard / bare:.2f}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
