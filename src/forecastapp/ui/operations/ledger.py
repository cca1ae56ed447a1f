"""The desktop app's door to the ledger: one object that holds the open database and the clock.

Qt-free on purpose (it imports no PySide6), so every widget reaches the ledger through plain
method calls that are easy to test. It only calls `forecastapp.core` functions and never runs SQL
itself; its writes (each one transaction in the core) are the ledger writes the window's undoable
commands make, on the GUI thread. The scorecard and document views receive the same object
(`ledger_service`). Work that leaves the GUI thread is in the other modules of this package.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING

from forecastapp.core import queries, store
from forecastapp.core.model import (
    CONDITION_NOT_MET,
    DocumentRecord,
    Outcome,
    QuestionDetail,
    QuestionRow,
    utc_now,
)
from forecastapp.core.queries import QuestionFilter
from forecastapp.ui.operations.rows import DEFAULT_SORT, KeyPrefetch, KeyQuery
from forecastapp.ui.text import ExcerptContext, excerpt_context

if TYPE_CHECKING:
    from sqlite_utils import Database

    from forecastapp.core.ledger import NewQuestion


@dataclass(frozen=True)
class ForecastInput:
    """What the add/update dialogs hand back: a probability and who made it when, and why."""

    probability: float
    term: str | None
    analyst: str
    made_on: date
    rationale: str = ""


@dataclass(frozen=True)
class ResolutionInput:
    """What the resolve/correct dialogs hand back."""

    outcome: Outcome
    resolved_on: date
    evidence: str
    condition_not_met: bool = False
    recorded_by: str = ""

    @property
    def annul_reason(self) -> str | None:
        """The core's annulment reason for this input (only a failed condition has one)."""
        return CONDITION_NOT_MET if self.condition_not_met else None


@dataclass(frozen=True)
class QuestionEdit:
    """What the edit dialog hands back: the fields that change (None, or `...` for the dates, leaves one as it
    is), the tags to add and remove, and why."""

    reason: str
    statement: str | None = None
    criteria: str | None = None
    condition: str | None = None  # "" removes the condition
    resolve_by: date | None | EllipsisType = ...
    resolve_from: date | None | EllipsisType = ...
    tags_add: tuple[str, ...] = ()
    tags_remove: tuple[str, ...] = ()


def _ledger():
    """The core's write side, imported on first use (the first paint only reads)."""
    from forecastapp.core import ledger

    return ledger


_sqlite_utils_lock = threading.Lock()


def load_sqlite_utils() -> None:
    """Import sqlite-utils without letting it import numpy (about 250 ms the desktop app never needs).

    sqlite-utils imports numpy, when installed, only to map numpy scalar types to column types in
    `insert()`/`create()`. The ledger core writes with plain SQL and Python values, so the desktop
    app never needs that mapping; `core.scoring` imports numpy itself, lazily, when it bootstraps.
    numpy is blocked for the duration of this one import and unblocked afterwards, so it stays
    importable for everything that follows. The app calls this on a background thread after its
    first paint (`LedgerService.warm_up`), and before any ledger is opened in full.
    """
    with _sqlite_utils_lock:
        if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
            return
        sys.modules["numpy"] = None  # type: ignore[assignment] # `import numpy` now raises ImportError
        try:
            import sqlite_utils  # noqa: F401
        finally:
            del sys.modules["numpy"]


def login_name() -> str:
    """Who is at the keyboard, for `recorded_by` on resolutions (empty if the OS cannot say)."""
    try:
        import getpass  # only writes need it, after the first paint

        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class LedgerService:
    """The open ledger plus the clock: reads and writes for the GUI, all through `forecastapp.core`.

    A ledger whose schema is current is opened in two steps, so the window can paint before
    sqlite-utils has loaded: reads go through a plain sqlite3 `store.Reader` until the first
    write (or `db`) opens the ledger in full; from then on everything goes through that one
    connection. A ledger that needs creating or migrating is opened in full at once.
    """

    def __init__(
        self,
        db: Database | None,
        path: Path,
        *,
        now: Callable[[], datetime] = utc_now,
        today: Callable[[], date] = date.today,
        prefetch: KeyPrefetch | None = None,
        reader: store.Reader | None = None,
    ) -> None:
        if db is None and reader is None:
            raise ValueError("LedgerService needs an open ledger or a reader")
        self._db = db
        self._reader = reader
        self.path = Path(path)
        self._now = now
        self._today = today
        self._documents: OrderedDict[str, DocumentRecord] = OrderedDict()
        self._prefetch = prefetch
        self._first_rows: tuple[tuple[int, ...], queries.RowValues] | None = None

    # ------------------------------------------------------------ lifecycle

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        seed: bool = True,
        now: Callable[[], datetime] = utc_now,
        today: Callable[[], date] = date.today,
        prefetch: KeyPrefetch | None = None,
    ) -> LedgerService:
        """Open (creating and migrating if needed) the ledger at `path`; raises StoreError."""
        reader = store.open_reader(path)
        if reader is not None:
            return cls(None, path, now=now, today=today, prefetch=prefetch, reader=reader)
        load_sqlite_utils()
        return cls(store.open_ledger(path, seed=seed), path, now=now, today=today, prefetch=prefetch)

    def switch_to(self, path: Path, *, seed: bool = True, create: bool = False) -> None:
        """Close this ledger and open another in its place (the object stays the same for the views)."""
        load_sqlite_utils()
        new_db = store.open_ledger(path, seed=seed, create=create)  # raises before the old one is closed
        self.close()
        self._db = new_db
        self.path = Path(path)
        self._documents.clear()
        self._prefetch = None
        self._first_rows = None

    def close(self) -> None:
        """Close the database connection."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._db is not None:
            self._db.close()

    def warm_up(self) -> threading.Thread:
        """Load sqlite-utils on a background thread (after the first paint), so the first write does not wait for it."""
        thread = threading.Thread(target=load_sqlite_utils, name="forecastapp-warm-up", daemon=True)
        thread.start()
        return thread

    @property
    def fully_open(self) -> bool:
        """Whether the ledger is open for writing (False while only the start-up reader is)."""
        return self._db is not None

    @property
    def db(self) -> Database:
        """The open database, for core functions the service does not wrap (scorecard, exports, writes)."""
        if self._db is None:
            load_sqlite_utils()
            # `open_reader` found the schema current, so this changes nothing in the file.
            self._db = store.open_ledger(self.path, seed=False)
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        return self._db

    @property
    def _read(self) -> Database | store.Reader:
        """The connection reads go through: the full ledger once open, else the start-up reader."""
        if self._db is not None:
            return self._db
        assert self._reader is not None
        return self._reader

    def now(self) -> datetime:
        """The current moment (injected, so tests control it)."""
        return self._now()

    def today(self) -> date:
        """Today's date (injected, so tests control it)."""
        return self._today()

    # ------------------------------------------------------------ reads

    def key_query(self, flt: QuestionFilter, *, sort: str = DEFAULT_SORT, descending: bool = False,
                  limit: int | None = None) -> KeyQuery:
        """The key query for this ledger, filter and order, as of today (to run here or in a worker)."""
        return KeyQuery(path=self.path, flt=flt, sort=sort, descending=descending, today=self.today(), limit=limit)

    def keys(self, flt: QuestionFilter, *, sort: str = DEFAULT_SORT, descending: bool = False,
             limit: int | None = None) -> list[int]:
        """The ordered row keys of every question matching `flt` (sorting done in SQLite); the first `limit` only."""
        query = self.key_query(flt, sort=sort, descending=descending, limit=limit)
        if self._prefetch is not None:
            prefetch, self._prefetch = self._prefetch, None
            keys = prefetch.take(query)
            if keys is not None:
                self._first_rows = prefetch.first_rows
                return keys
        return queries.list_question_keys(self._read, flt, today=query.today, sort=sort, descending=descending,
                                          limit=limit)

    def row_values(self, keys: Sequence[int]) -> queries.RowValues:
        """The raw rows for these keys, each built into a QuestionRow only when asked (`RowValues.row`)."""
        if self._first_rows is not None:
            first, self._first_rows = self._first_rows, None
            if first[0] == tuple(keys):
                return first[1]
        return queries.get_row_values(self._read, keys, today=self.today())

    def status_counts(self) -> dict[str, int]:
        """How many live questions are open, due, resolved and annulled."""
        return queries.status_counts(self._read, today=self.today())

    def detail(self, question_id: str) -> QuestionDetail:
        """A question with its forecast and resolution histories."""
        return queries.question_detail(self._read, question_id, today=self.today())

    def question_key(self, question_id: str) -> int:
        """The table's row key (seq) of a question, to find its row (raises NotFoundError)."""
        return queries.question_key(self._read, question_id)

    def mean_brier(self) -> float | None:
        """Mean Brier over every scored pair of live questions (None before anything is scored)."""
        return queries.mean_brier(self._read)

    def analysts(self) -> list[str]:
        """Every analyst's name, alphabetically."""
        return queries.list_analysts(self._read)

    def tags(self) -> list[str]:
        """Every tag in use on live questions, alphabetically."""
        return [tag for tag, _n in queries.list_tags(self._read)]

    def documents(self) -> list[tuple[str, str]]:
        """(id, title) of every stored document."""
        return [(doc_id, title) for doc_id, title, _n in queries.list_documents(self._read)]

    def document(self, document_id: str) -> DocumentRecord:
        """One document with its text (a few recent ones are kept, since documents are long and immutable)."""
        doc = self._documents.get(document_id)
        if doc is None:
            doc = queries.get_document(self._read, document_id)
            self._documents[document_id] = doc
            while len(self._documents) > 8:
                self._documents.popitem(last=False)
        else:
            self._documents.move_to_end(document_id)
        return doc

    def excerpt_context(self, row: QuestionRow, *, sentences: int = 2) -> ExcerptContext | None:
        """The question's source excerpt with `sentences` sentences of context on each side."""
        if row.document_id is None or row.excerpt is None or row.excerpt_start is None or row.excerpt_end is None:
            return None
        text = self.document(row.document_id).text
        return excerpt_context(text, row.excerpt_start, row.excerpt_end, sentences=sentences)

    # ------------------------------------------------------------ writes (each one transaction in the core)

    def create_forecast(self, question: NewQuestion, forecast: ForecastInput) -> tuple[str, str]:
        """Add a question with its first forecast; returns (question id, forecast id)."""
        return _ledger().create_forecast(
            self.db, question, analyst=forecast.analyst, probability=forecast.probability, term=forecast.term,
            made_on=forecast.made_on, rationale=forecast.rationale, today=self.today(), now=self.now(),
        )

    def add_forecast(self, question_id: str, forecast: ForecastInput) -> str:
        """Record a new probability for a question; returns the forecast id."""
        return _ledger().add_forecast(
            self.db, question_id=question_id, analyst=forecast.analyst, probability=forecast.probability,
            term=forecast.term, made_on=forecast.made_on, rationale=forecast.rationale, today=self.today(),
            now=self.now(),
        )

    def retract_forecast(self, forecast_id: str, *, reason: str) -> str:
        """Withdraw a forecast (it stays in the history, marked retracted)."""
        return _ledger().retract_forecast(self.db, forecast_id=forecast_id, reason=reason, now=self.now())

    def resolve(self, question_id: str, resolution: ResolutionInput) -> str:
        """Record how an open question resolved."""
        return _ledger().resolve(
            self.db, question_id=question_id, outcome=resolution.outcome, resolved_on=resolution.resolved_on,
            evidence=resolution.evidence, recorded_by=resolution.recorded_by or login_name(),
            annul_reason=resolution.annul_reason, today=self.today(), now=self.now(),
        )

    def correct_resolution(self, question_id: str, resolution: ResolutionInput) -> str:
        """Record a correcting resolution that supersedes the one in force."""
        return _ledger().correct_resolution(
            self.db, question_id=question_id, outcome=resolution.outcome, resolved_on=resolution.resolved_on,
            evidence=resolution.evidence, recorded_by=resolution.recorded_by or login_name(),
            annul_reason=resolution.annul_reason, today=self.today(), now=self.now(),
        )

    def retract_resolution(self, question_id: str, *, reason: str) -> str:
        """Withdraw the resolution in force; the question is open again and both records stay."""
        return _ledger().retract_resolution(
            self.db, question_id=question_id, reason=reason, recorded_by=login_name(), now=self.now()
        )

    def edit_question(self, question_id: str, edit: QuestionEdit) -> str:
        """Record an edit of a question as its new version; returns the version's id."""
        return _ledger().edit_question(
            self.db, question_id=question_id, statement=edit.statement, criteria=edit.criteria,
            condition=edit.condition, resolve_by=edit.resolve_by, resolve_from=edit.resolve_from,
            tags_add=edit.tags_add, tags_remove=edit.tags_remove, reason=edit.reason, recorded_by=login_name(),
            now=self.now(),
        )

    def delete_question(self, question_id: str, *, reason: str = "") -> None:
        """Soft-delete a question (hidden from lists and scores; restorable)."""
        _ledger().delete_question(self.db, question_id=question_id, reason=reason, now=self.now())

    def restore_question(self, question_id: str, *, reason: str = "") -> None:
        """Bring back a soft-deleted question."""
        _ledger().restore_question(self.db, question_id=question_id, reason=reason, now=self.now())

    def retract_and_delete(self, question_id: str, forecast_id: str, *, reason: str) -> None:
        """Undo of "add": retract the question's first forecast and soft-delete it, in one transaction."""
        with store.writing(self.db):
            _ledger().retract_forecast(self.db, forecast_id=forecast_id, reason=reason, now=self.now())
            _ledger().delete_question(self.db, question_id=question_id, reason=reason, now=self.now())

    def restore_with_forecast(self, question_id: str, forecast: ForecastInput, *, reason: str) -> str:
        """Redo of "add": restore the question and record its forecast again, in one transaction."""
        with store.writing(self.db):
            _ledger().restore_question(self.db, question_id=question_id, reason=reason, now=self.now())
            return self.add_forecast(question_id, forecast)
