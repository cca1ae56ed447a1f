"""Reads for the ledger table and the status bar, on a thread of their own (Qt-free; no SQL here).

These open their own connection: an sqlite3 connection belongs to the thread that uses it. They
use store.connect_reader (plain sqlite3, no migration, no sqlite-utils) because the GUI thread has
already opened (and if need be migrated) the ledger; a reader must never race it to migrate. The
table model (`ui/models/ledger_table.py`) and the window run them through `operations/tasks.py`;
`KeyPrefetch` runs the first one on a plain thread while Qt is still loading.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from forecastapp.core import queries, store
from forecastapp.core.queries import QuestionFilter

#: The order questions were recorded in (the table's order when no column is sorted).
DEFAULT_SORT = "recorded"
#: Rows the table reads at a time (one block is a screenful several times over).
BLOCK_SIZE = 200


@dataclass(frozen=True)
class KeyQuery:
    """Everything that decides a key list, so a result can be matched to the request it answers."""

    path: Path
    flt: QuestionFilter
    sort: str
    descending: bool
    today: date
    #: Only the first keys (the first screen); None for all of them.
    limit: int | None = None


def read_rows(db_path: Path, keys: Sequence[int], *, today: date) -> queries.RowValues:
    """Read the raw rows for `keys` on a connection of this thread's own (the GUI thread builds the ones it shows)."""
    db = store.connect_reader(db_path)
    try:
        return queries.get_row_values(db, keys, today=today)
    finally:
        db.close()


def read_keys(query: KeyQuery, *, first_block: int = 0) -> tuple[list[int], queries.RowValues]:
    """Run `queries.list_question_keys` for `query` on a connection of this thread's own.

    Returns the keys and the raw rows of the first `first_block` keys (so the top of a new result
    shows at once, without a second round trip).
    """
    db = store.connect_reader(query.path)
    try:
        keys = queries.list_question_keys(db, query.flt, today=query.today, sort=query.sort,
                                          descending=query.descending, limit=query.limit)
        return keys, queries.get_row_values(db, keys[:first_block], today=query.today)
    finally:
        db.close()


@dataclass(frozen=True)
class Overview:
    """The figures around the table: status counts, the filter lists and the mean Brier."""

    counts: dict[str, int]
    tags: list[str]
    analysts: list[str]
    documents: list[tuple[str, str]]
    #: The scorecard's overall Brier (unfiltered), for the status bar; None before anything is scored.
    mean_brier: float | None = None


def read_overview(db_path: Path, *, today: date) -> Overview:
    """Status counts, tags, analysts, documents and the mean Brier, on a connection of this thread's own."""
    db = store.connect_reader(db_path)
    try:
        return Overview(
            counts=queries.status_counts(db, today=today),
            tags=[tag for tag, _n in queries.list_tags(db)],
            analysts=queries.list_analysts(db),
            documents=[(doc_id, title) for doc_id, title, _n in queries.list_documents(db)],
            mean_brier=queries.mean_brier(db),
        )
    finally:
        db.close()


class KeyPrefetch:
    """The first key list, read on a plain thread while Qt is still loading (start-up overlap)."""

    def __init__(self, query: KeyQuery) -> None:
        self.query = query
        self._keys: list[int] | None = None
        #: (keys, raw rows) of the first block, read right after the keys.
        self.first_rows: tuple[tuple[int, ...], queries.RowValues] | None = None
        self._thread = threading.Thread(target=self._run, name="forecastapp-key-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            # The first screen's rows too, so the first paint needs no query on the GUI thread.
            keys, first_rows = read_keys(self.query, first_block=BLOCK_SIZE)
            self._keys = keys
            self.first_rows = (tuple(keys[:BLOCK_SIZE]), first_rows)
        except Exception:  # noqa: BLE001 - a failed prefetch only means the GUI thread asks itself
            self._keys = None
            self.first_rows = None

    def take(self, query: KeyQuery) -> list[int] | None:
        """The prefetched keys if they answer `query` (same ledger, filter, order and day), else None."""
        self._thread.join()
        if query != self.query:
            return None
        keys, self._keys = self._keys, None
        return keys
