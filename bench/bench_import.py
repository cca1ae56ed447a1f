"""How fast a large Fatebook CSV imports, against a bare sqlite3 executemany of the same rows.

    python bench/bench_import.py [--rows 100000] [--seed 1]

Writes a Fatebook export of `--rows` forecasts (5 per question, 8 analysts, about 70% of questions
resolved, Fatebook's unpadded seconds) into a temporary folder, then times:
- ours: `read_plan` + `apply_plan` into a new empty ledger (parsing, validation, deterministic ids,
  the idempotency checks, triggers, origins, pair scores; one transaction);
- bare: reading the same CSV with the csv module and one `executemany` of its rows into a plain
  17-column table of a new database, in one transaction.
Both include reading the file. The last line is `ratio: X`, how many times the bare insert's rows
per second exceeds ours (the price of the ledger's checks). Nothing is left behind.
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from forecastapp.core.formats import apply_plan, read_plan
from forecastapp.core.formats.fatebook import FATEBOOK_HEADER
from forecastapp.core.merge import Origin
from forecastapp.core.store import open_ledger

TODAY = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=timezone.utc)
ANALYSTS = ("Avery Stone", "Blake Ortiz", "Casey Nakamura", "Dana Okafor", "Eli Brennan", "Farah Haddad",
            "Gus Lindqvist", "Hana Kowalski")
TAGS = ("economy", "elections", "energy", "china", "russia", "health", "climate", "cyber")
PER_QUESTION = 5


def _moment(m: datetime) -> str:
    return f"{m.date().isoformat()} {m.hour:02d}:{m.minute:02d}:{m.second}"


def write_fatebook_csv(path: Path, rows: int, seed: int) -> None:
    """A synthetic Fatebook export of `rows` forecasts, written the way Fatebook writes it."""
    rng = random.Random(seed)
    start = datetime(2019, 1, 1, tzinfo=timezone.utc)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(FATEBOOK_HEADER))
        written = 0
        q = 0
        while written < rows:
            q += 1
            created = start + timedelta(seconds=rng.randrange(0, 6 * 365 * 86400))
            resolve_by = created + timedelta(days=rng.randrange(30, 700))
            resolved = resolve_by.date() < TODAY and rng.random() < 0.85
            outcome = rng.choice(("YES", "NO", "NO", "AMBIGUOUS" if rng.random() < 0.05 else "YES"))
            resolved_at = resolve_by + timedelta(hours=rng.randrange(1, 72))
            tags = "; ".join(rng.sample(TAGS, rng.randrange(0, 3)))
            title = f"Will event {q} happen before {resolve_by.date().isoformat()}?"
            moments = sorted(created + timedelta(seconds=rng.randrange(0, int((resolve_by - created).total_seconds())))
                             for _ in range(PER_QUESTION))
            for m in moments[: rows - written]:
                who = rng.choice(ANALYSTS)
                p = rng.choice((0, 1)) if rng.random() < 0.01 else round(rng.random(), 2)
                cells = [
                    f'"{title}"', "", f'"{who}"', repr(float(p)), _moment(m), f'"{ANALYSTS[q % 8]}"', _moment(created),
                    _moment(resolve_by), f'"{outcome}"' if resolved else "",
                    _moment(resolved_at) if resolved else "", "", "", '""', "", "false", "", f'"{tags}"' if tags else "",
                ]
                fh.write("\n" + ",".join(cells))
                written += 1


def time_ours(csv_path: Path, db_path: Path) -> tuple[float, int]:
    """Seconds for our import of the file into a new ledger, and the forecasts it added."""
    db = open_ledger(db_path, seed=False)
    try:
        t0 = time.perf_counter()
        plan = read_plan(csv_path, fmt="fatebook", today=TODAY)
        report = apply_plan(db, plan, origin=Origin("import", "fatebook", csv_path.name), now=NOW)
        return time.perf_counter() - t0, report.added["forecasts"]
    finally:
        db.close()


def time_bare(csv_path: Path, db_path: Path) -> tuple[float, int]:
    """Seconds to read the same CSV and executemany its rows into a plain table."""
    conn = sqlite3.connect(db_path)
    try:
        cols = ", ".join(f"c{i} TEXT" for i in range(len(FATEBOOK_HEADER)))
        conn.execute(f"CREATE TABLE rows ({cols})")
        t0 = time.perf_counter()
        with csv_path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            rows = list(reader)
        with conn:
            conn.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * len(FATEBOOK_HEADER))})", rows)
        return time.perf_counter() - t0, len(rows)
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print rows per second for both paths, then `ratio: X`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="forecastapp-bench-") as tmp:
        folder = Path(tmp)
        csv_path = folder / "fatebook-forecasts.csv"
        write_fatebook_csv(csv_path, args.rows, args.seed)
        print(f"file: {args.rows:,} rows, {csv_path.stat().st_size / 1e6:.1f} MB")
        bare_s, bare_n = time_bare(csv_path, folder / "bare.db")
        print(f"bare sqlite3 executemany: {bare_n:,} rows in {bare_s:.2f} s = {bare_n / bare_s:,.0f} rows/s")
        ours_s, added = time_ours(csv_path, folder / "ledger.db")
        print(f"forecastapp import: {args.rows:,} rows ({added:,} forecasts added) in {ours_s:.2f} s "
              f"= {args.rows / ours_s:,.0f} rows/s")
        print(f"ratio: {(bare_n / bare_s) / (args.rows / ours_s):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
