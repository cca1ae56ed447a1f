"""The desktop app's door to the ledger: one object that holds the open database and the clock.

Qt-free on purpose (it imports no PySide6), so every widget reaches the ledger through plain
method calls that are easy to test. It only calls `forecastapp.core` functions and never runs SQL
itself. The scorecard and document views receive the same object (`ledger_service`).
"""

from __future__ import annotations

import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from datetime import date, datetime
from pathlib import Path
from types import EllipsisType

from forecastapp.core import queries, store
from forecastapp.core.errors import ValidationError
from forecastapp.core.model import (
    CONDITION_NOT_MET,
    DocumentRecord,
    Outcome,
    QuestionDetail,
    QuestionRow,
    ResolutionRecord,
    utc_now,
)
from forecastapp.core.queries import QuestionFilter

if TYPE_CHECKING:
    from sqlite_utils import Database

    from forecastapp.core.ledger import NewQuestion
    from forecastapp.core.scorecard_types import Scorecard

#: The order questions were recorded in (the table's order when no column is sorted).
DEFAULT_SORT = "recorded"
#: Rows the table reads at a time (one block is a screenful several times over).
BLOCK_SIZE = 200


@dataclass(frozen=True)
class ExcerptContext:
    """A source excerpt with a few sentences of the document text on either side."""

    before: str
    excerpt: str
    after: str
    clipped_before: bool
    clipped_after: bool


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


# ---------------------------------------------------------------- text helpers (pure)


def describe_resolution(r: ResolutionRecord) -> str:
    """One line for a resolution record: 'yes on 2025-12-31' / 'annulled (condition did not hold) on ...'."""
    what = r.outcome.value if r.outcome else "withdrawn"
    if r.annul_reason == CONDITION_NOT_MET:
        what += " (condition did not hold)"
    elif r.annul_reason:
        what += f" ({r.annul_reason.replace('_', ' ')})"
    return f"{what} on {r.resolved_on.isoformat()}" if r.resolved_on else what


# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) and whitespace,
# or at a blank line (headings and list items in assessments rarely end with a full stop).
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+|\n\s*\n")
_CONTEXT_LIMIT = 600  # characters of context on each side, whatever the sentence lengths


def excerpt_context(text: str, start: int, end: int, *, sentences: int = 2) -> ExcerptContext:
    """Cut `sentences` sentences before and after text[start:end], clipped to a readable length."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    matches = list(_SENTENCE_END.finditer(text))
    # Sentence starts at or before the excerpt: the last is the excerpt's own sentence.
    before_starts = [m.end() for m in matches if m.end() <= start]
    ctx_start = before_starts[-(sentences + 1)] if len(before_starts) > sentences else 0
    after_ends = [m.start() for m in matches if m.start() >= end]
    # The sentence holding the excerpt's end finishes at the first boundary after it; then `sentences` more.
    ctx_end = after_ends[sentences] if len(after_ends) > sentences else len(text)
    clipped_before = ctx_start > 0
    clipped_after = ctx_end < len(text)
    if start - ctx_start > _CONTEXT_LIMIT:
        ctx_start, clipped_before = _word_boundary(text, start - _CONTEXT_LIMIT, forward=True), True
    if ctx_end - end > _CONTEXT_LIMIT:
        ctx_end, clipped_after = _word_boundary(text, end + _CONTEXT_LIMIT, forward=False), True
    return ExcerptContext(
        before=text[ctx_start:start].lstrip(),
        excerpt=text[start:end],
        after=text[end:ctx_end].rstrip(),
        clipped_before=clipped_before,
        clipped_after=clipped_after,
    )


def _word_boundary(text: str, index: int, *, forward: bool) -> int:
    """The nearest space at or after (forward) / before `index`, so a clip never cuts a word."""
    if forward:
        found = text.find(" ", index)
        return len(text) if found < 0 else found + 1
    found = text.rfind(" ", 0, index)
    return 0 if found < 0 else found


# ---------------------------------------------------------------- background work (run by ui/tasks.py)


class Progress:
    """The duck type background functions receive: `report(done, total)` and `check()` (may raise)."""

    def report(self, done: int, total: int) -> None:  # pragma: no cover - interface
        """Say how far the work is."""

    def check(self) -> None:  # pragma: no cover - interface
        """Stop here (by raising) if the user cancelled."""


def import_ledger_file(db_path: Path, source: Path, progress: Progress, *, now: datetime) -> str:
    """Import a ledger JSON export into the ledger at `db_path`, on its own connection; returns a summary.

    Cancelling during the import raises from the progress callback inside the core's transaction,
    so the import rolls back completely.
    """
    from forecastapp.core import transfer
    from forecastapp.core.merge import plural, read_ledger_source
    from forecastapp.ui.import_data import run_ledger_import

    load_sqlite_utils()
    progress.report(0, 0)
    # The core's one reader of another ledger: a broken hash chain is refused before anything is written.
    data, fmt = read_ledger_source(source, now=now)
    progress.check()
    # The import dialog's write, as `forecastapp import` does it: a resolution that differs from ours
    # is flagged as a conflict, never put in force, and the new records note where they came from.
    report = run_ledger_import(db_path, data, source=source, fmt=fmt, now=now, progress=progress.report)
    summary = transfer.ImportReport(added=report.added, skipped=report.present).summary()
    if report.conflicts:
        summary += f"; {plural(len(report.conflicts), 'conflicting resolution', 'conflicting resolutions')} flagged"
    return summary


def refuse_writing_over(target: Path, db_path: Path) -> None:
    """Raise ValidationError when an export's `target` is the ledger's own file (writing it would destroy it)."""
    if store.is_ledger_file(target, db_path):
        raise ValidationError(f"'{target.name}' is the ledger's own database file; save the export as another file")


def export_ledger_file(db_path: Path, target: Path, progress: Progress, *, now: datetime) -> Path:
    """Write the whole ledger at `db_path` to `target` as JSON, on its own connection; returns `target`.

    The core writes atomically (`files.write_output`): the whole file first, beside the target (a
    link's target), then the cancel check, then the rename; a cancel leaves any existing file untouched.
    """
    from forecastapp.core import transfer

    refuse_writing_over(target, db_path)
    load_sqlite_utils()
    progress.report(0, 0)
    db = store.open_ledger(db_path, seed=False)
    try:
        transfer.write_export(db, target, now=now, before_replace=progress.check)
    finally:
        db.close()
    return target


# ---------------------------------------------------------------- reads on another thread

# These open their own connection: an sqlite3 connection belongs to the thread that uses it. They
# use store.connect_reader (plain sqlite3, no migration, no sqlite-utils) because the GUI thread has
# already opened (and if need be migrated) the ledger; a reader must never race it to migrate.


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


def read_scorecard(db_path: Path, *, filters: dict[str, Any], today: date, now: datetime) -> Scorecard:
    """The scorecard to export for `filters` (the Scorecard tab's `filters()`), on this thread's own connection.

    The filters are `build_scorecard`'s keyword arguments, passed as they are, so a filter the tab
    gains reaches the export without a change here.
    """
    from forecastapp.core.scorecard import build_scorecard

    load_sqlite_utils()
    db = store.connect(db_path)
    try:
        # An exported scorecard is shared with readers: it states whether the ledger's chain verified.
        return build_scorecard(db, **filters, today=today, now=now, verify=True)
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
