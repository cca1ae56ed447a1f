"""Two connections reading one snapshot of a ledger, so a reader can split its work over two threads.

SQLite and numpy let go of the GIL, so a second connection in a worker thread overlaps real work with
the first (what `scorecard.build_scorecard` does); both must see the same state of the ledger.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from forecastapp.core.errors import ForecastError
from forecastapp.core.store import connect

# Every write that can change a scorecard appends to one of these tables (history is append-only) or
# adds an analyst or a document, so two read transactions that agree on this see the same scorecard.
_FINGERPRINT_SQL = """
SELECT (SELECT max(seq) FROM questions), (SELECT max(seq) FROM forecasts), (SELECT max(seq) FROM retractions),
       (SELECT max(seq) FROM resolutions), (SELECT max(seq) FROM question_log),
       (SELECT count(*) FROM analysts), (SELECT count(*) FROM documents)
"""


@contextlib.contextmanager
def second_reader(db: Database) -> Iterator[Database | None]:
    """A second connection reading the same snapshot as `db`, or None where that cannot be had.

    Both connections hold a read transaction for the duration, started one after the other; if a
    writer committed in between, their fingerprints differ and the pair is tried again. None (read
    everything on `db`) for an in-memory ledger, a connection already inside a transaction, or a
    ledger that keeps changing.
    """
    path = next((row[2] for row in db.execute("PRAGMA database_list").fetchall() if row[1] == "main"), "")
    if not path or db.conn.in_transaction:
        yield None
        return
    try:
        other = connect(Path(path))
    except (ForecastError, sqlite3.Error):
        yield None
        return
    agreed = False
    try:
        for _ in range(3):
            db.conn.execute("BEGIN")
            other.conn.execute("BEGIN")
            if db.execute(_FINGERPRINT_SQL).fetchone() == other.execute(_FINGERPRINT_SQL).fetchone():
                agreed = True
                break
            db.conn.execute("ROLLBACK")
            other.conn.execute("ROLLBACK")
        yield other if agreed else None
    finally:
        for conn in (db.conn, other.conn):
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # a read transaction: nothing to keep
        other.close()
