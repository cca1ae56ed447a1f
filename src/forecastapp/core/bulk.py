"""Bulk loading: many ready-made ledger records in one transaction, then one rebuild of the scored pairs.

For trusted, machine-made input (the benchmark's synthetic ledgers, tools that generate ledgers).
Records are inserted as given, with `executemany` straight from the caller's iterables, so a million
forecasts stream through without being held in memory. Only the schema's own rules apply (types,
CHECK constraints, foreign keys, append-only triggers, the derived columns' triggers); the ledger's
user-facing rules (no forecast dated in the future or after its question resolved, and so on) are
not re-checked row by row, which is what makes this path fast. Use `core.ledger` for user input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from forecastapp.core.pairs import rebuild_pair_scores
from forecastapp.core.store import writing

DOCUMENT_COLUMNS = ("id", "title", "author", "published_on", "text", "sha256", "recorded_at")
ANALYST_COLUMNS = ("id", "name", "recorded_at")
QUESTION_COLUMNS = (
    "id", "statement", "criteria", "condition", "resolve_from", "resolve_by", "document_id", "recorded_at",
)
QUESTION_TAG_COLUMNS = ("question_id", "tag")
FORECAST_COLUMNS = (
    "id", "question_id", "analyst_id", "probability", "estimative_term", "made_on", "recorded_at", "rationale",
)
RETRACTION_COLUMNS = ("id", "forecast_id", "recorded_at", "reason")
RESOLUTION_COLUMNS = (
    "id", "question_id", "kind", "outcome", "annul_reason", "resolved_on", "evidence", "recorded_by",
    "recorded_at", "supersedes",
)
QUESTION_LOG_COLUMNS = ("id", "question_id", "action", "recorded_at", "reason")

# Insertion order: every record only refers to records of earlier tables.
_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("documents", DOCUMENT_COLUMNS),
    ("analysts", ANALYST_COLUMNS),
    ("questions", QUESTION_COLUMNS),
    ("question_tags", QUESTION_TAG_COLUMNS),
    ("forecasts", FORECAST_COLUMNS),
    ("retractions", RETRACTION_COLUMNS),
    ("resolutions", RESOLUTION_COLUMNS),
    ("question_log", QUESTION_LOG_COLUMNS),
)

# Page cache for the load (KiB, negative per SQLite's convention): the random-order id indexes of a
# million rows stay in memory instead of being re-read from disk. Restored afterwards.
_LOAD_CACHE_KIB = 256 * 1024


@dataclass(frozen=True)
class BulkRecords:
    """Rows per table, each a tuple in the order of that table's *_COLUMNS constant; any iterable works."""

    documents: Iterable[tuple] = ()
    analysts: Iterable[tuple] = ()
    questions: Iterable[tuple] = ()
    question_tags: Iterable[tuple] = ()
    forecasts: Iterable[tuple] = ()
    retractions: Iterable[tuple] = ()
    resolutions: Iterable[tuple] = ()
    question_log: Iterable[tuple] = ()


def bulk_load(db: Database, records: BulkRecords) -> dict[str, int]:
    """Insert every record in one transaction, rebuild `pair_scores`, and return rows added per table.

    Tables are filled in dependency order, each iterable consumed once and only when its table's turn
    comes, so a generator may depend on what earlier generators produced. Any failure rolls the whole
    load back.
    """
    counts: dict[str, int] = {}
    old_cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = {-_LOAD_CACHE_KIB}")
    try:
        with writing(db):
            for table, columns in _TABLES:
                counter = _Counter(getattr(records, table))
                marks = ", ".join("?" * len(columns))
                db.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", counter)
                counts[table] = counter.count
            rebuild_pair_scores(db)
            counts["pair_scores"] = db.execute("SELECT count(*) FROM pair_scores").fetchone()[0]
    finally:
        db.execute(f"PRAGMA cache_size = {old_cache}")
    return counts


class _Counter:
    """Passes rows through to executemany and counts them."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> Iterator[tuple]:
        return self

    def __next__(self) -> tuple:
        row = next(self._rows)
        self.count += 1
        return row
