"""Bring another ledger's records in (a teammate's ledger, or a tracker's file turned into one).

Records travel with their stable ids, so what this ledger already has is skipped, and everything
new is added through `transfer.import_ledger`, the same SQL path as a ledger import, in one
transaction. Forecasts, retractions and soft deletes only ever add up. Resolutions can disagree,
so each question's incoming resolution records are screened first:

- this ledger has no resolution record for the question: theirs are added;
- theirs include every record this ledger has, plus later ones (they corrected after taking our
  records): the later ones are added, the way a correction made here would be;
- theirs add nothing new, or the two histories diverged but end in the same state (same outcome,
  resolved-on day and annulment reason, or both withdrawn): nothing is added, "same outcome";
- the histories diverged and end differently: a **conflict**. Our resolution stays in force (the
  latest record of `resolutions` is, by definition, the one in force; an incoming record must not
  silently take its place), and their record in force is kept whole in `conflicts`, flagged until
  a person settles it (`settle_conflict`: keep ours, or keep theirs, which appends an ordinary
  correction). Merging the same file again never flags the same record twice.

Every import or merge that adds something is recorded in `origins` (action, format, file name, the
file's SHA-256, the machine that ran it), and each record it added is linked to that origin in
`record_origins`; records without a link were made in this ledger.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from forecastapp.core import ledger
from forecastapp.core.errors import ImportFormatError, NotFoundError, ValidationError
from forecastapp.core.files import spooled
from forecastapp.core.integrity import origin_digest, verify_export, verify_ledger
from forecastapp.core.model import moment_iso, new_id, short_id
from forecastapp.core.pairs import refresh_pair_scores
from forecastapp.core.store import MIGRATION_SET, check_schema, is_ledger_file, writing
from forecastapp.core.transfer import TABLES, check_export, existing_id, export_ledger, import_ledger, read_export

SQLITE_MAGIC = b"SQLite format 3\x00"

#: Tables whose added records are linked to their origin (the tables a ledger export carries).
ORIGIN_TABLES = tuple(TABLES)


@dataclass(frozen=True)
class Origin:
    """Where incoming records come from; stored once per import or merge that adds something."""

    action: str  # "import" or "merge"
    format: str  # "ledger", "ledger-db", "fatebook", "predictionbook", "metaculus"
    source: str  # the file's (or folder's) name
    sha256: str | None = None
    host: str = ""


@dataclass(frozen=True)
class MergeReport:
    """What an import or merge added, found already present, left out as the same outcome, or flagged."""

    added: dict[str, int]
    present: dict[str, int]
    same_outcome: int
    conflicts: tuple[str, ...]
    origin_id: str | None

    def added_total(self) -> int:
        """Records added, all tables together."""
        return sum(self.added.values())

    def lines(self, *, verb: str = "added") -> list[str]:
        """The report as lines for a person: added, already present, same outcome, conflicts."""
        out = [f"{verb}: {_counts(self.added)}"]
        present = sum(self.present.values())
        out.append(f"already present: {plural(present, 'record', 'records')}"
                   + (f" ({_counts(self.present)})" if present else ""))
        if self.same_outcome:
            out.append("not added, same outcome already recorded: "
                       + plural(self.same_outcome, "resolution record", "resolution records"))
        if self.conflicts:
            out.append(f"conflicting resolutions flagged: {len(self.conflicts)} (the resolution in force here "
                       "stays; see `forecastapp conflicts`)")
        return out


_NOUNS = {
    "questions": ("question", "questions"), "forecasts": ("forecast", "forecasts"),
    "resolutions": ("resolution", "resolutions"), "retractions": ("retraction", "retractions"),
    "question_log": ("question log entry", "question log entries"), "analysts": ("analyst", "analysts"),
    "documents": ("document", "documents"),
}


def plural(n: int, one: str, many: str) -> str:
    """'1 forecast', '2 forecasts'."""
    return f"{n} {one if n == 1 else many}"


def _counts(counts: dict[str, int]) -> str:
    parts = [plural(counts[t], *_NOUNS[t]) for t in _NOUNS if counts.get(t)]
    return ", ".join(parts) if parts else "nothing"


# ---------------------------------------------------------------- reading another ledger


def file_sha256(path: Path) -> str | None:
    """SHA-256 of a file's bytes (of its files' bytes, in name order, for a folder); None if unreadable."""
    digest = hashlib.sha256()
    try:
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if not f.is_file():
                return None  # a pipe: read once already, by the import itself
            with f.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1024 * 1024), b""):
                    digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def is_sqlite_file(path: Path) -> bool:
    """Whether a file starts with SQLite's magic header."""
    try:
        with path.open("rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


#: The migration that added the hash chain: a ledger database that applied it must still have its chain.
_CHAIN_MIGRATION = "0003_hash_chain"


def read_ledger_database(path: Path, *, now: datetime) -> dict:
    """Another ledger database as a ledger export dict, read through a read-only connection.

    Its hash chain must verify first (`integrity.verify_ledger`): a broken one is refused in one line.
    """
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ImportFormatError(f"cannot open '{path.name}': {exc}") from None
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not set(TABLES) - {"question_versions"} <= names:
            raise ImportFormatError(f"'{path.name}' is an SQLite database but not a forecastapp ledger")
        if "_sqlite_migrations" in names:
            # A newer schema may mean what this version reads differently: refused as --db refuses it.
            check_schema(Path(path.name), [name for (name,) in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET])])
        if "question_versions" not in names:
            # A ledger from before question versions (migration 0008), never opened since: its questions
            # come across as they read now, as any question without versions does.
            columns = ", ".join(TABLES["question_versions"])
            conn.execute(f"CREATE TEMP TABLE question_versions (seq INTEGER PRIMARY KEY, {columns})")
        if "chain" in names:
            result = verify_ledger(Database(conn), derived=False)
            if not result.ok:
                raise ImportFormatError(f"refused: the ledger database '{path.name}' does not verify: "
                                        f"{result.summary()}; nothing was imported")
        elif "_sqlite_migrations" in names and conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE name = ?", [_CHAIN_MIGRATION]
        ).fetchone():
            raise ImportFormatError(f"refused: the ledger database '{path.name}' has had its hash chain removed, so "
                                    "its history cannot be checked; nothing was imported")
        else:
            # A ledger from before the hash chain (migration 0003), never opened since: it has no chain
            # to check (RELIABILITY.md). The export reads the chain, so an empty one stands in (in the
            # connection's own temporary schema; the file stays untouched).
            conn.execute("CREATE TEMP TABLE chain (seq INTEGER PRIMARY KEY, record_table TEXT, record_id TEXT,"
                         " hash TEXT)")
        return export_ledger(Database(conn), now=now)
    except sqlite3.DatabaseError as exc:
        raise ImportFormatError(f"'{path.name}' cannot be read as a ledger: {exc}") from None
    finally:
        conn.close()


def read_ledger_export(path: Path) -> dict:
    """A ledger export file, read and checked (`transfer.read_export`), whose hash chain verifies.

    An export whose chain is broken, or that carries none (made by an older forecastapp), is refused
    in one line naming the first bad record.
    """
    data = read_export(path)
    try:
        result = verify_export(data)
    except ValidationError as exc:  # no chain at all
        raise ImportFormatError(f"refused: {exc}; nothing was imported") from None
    if not result.ok:
        raise ImportFormatError(f"refused: the ledger export '{path.name}' does not verify: {result.summary()};"
                                " nothing was imported")
    return data


def read_ledger_source(path: Path, *, now: datetime) -> tuple[dict, str]:
    """(ledger export dict, format name) of another ledger: a database file or a JSON export.

    Every import and merge of another forecastapp ledger reads it here (`forecastapp import` and
    `merge`, the desktop's import dialog and its scripted import), so its hash chain is always
    checked before a record of it is written: a broken chain is refused in one line.
    """
    if path.is_dir():
        raise ImportFormatError(f"'{path.name}' is a folder; merge takes a ledger database (.db) or export (.json)")
    if path.is_file() and is_sqlite_file(path):
        return read_ledger_database(path, now=now), "ledger-db"
    return read_ledger_export(path), "ledger"


# ---------------------------------------------------------------- bringing records in


def _state(kind: str, outcome: str | None, resolved_on: str | None, annul_reason: str | None) -> tuple | None:
    """What a question's latest resolution record leaves in force (None: withdrawn, i.e. open)."""
    return None if kind == "retract" else (outcome, resolved_on, annul_reason or None)


@dataclass(frozen=True)
class _Screened:
    kept: list[dict[str, Any]]
    same_outcome: int
    conflicts: list[tuple[str, str, dict[str, Any]]]  # (question id, our latest record id, their record)


def _screen_resolutions(db: Database, records: Iterable[dict[str, Any]]) -> _Screened:
    """Sort incoming resolution records into those to add, those already settled the same way, and conflicts."""
    by_question: dict[str, list[dict[str, Any]]] = {}
    kept: list[dict[str, Any]] = []
    for r in records:
        if isinstance(r, dict) and isinstance(r.get("id"), str):
            by_question.setdefault(str(r.get("question_id")), []).append(r)
        else:
            kept.append(r)  # malformed: left for the ledger import to refuse with its message
    same = 0
    conflicts: list[tuple[str, str, dict[str, Any]]] = []
    for qid, theirs in by_question.items():
        ours = db.execute(
            "SELECT id, kind, outcome, resolved_on, annul_reason FROM resolutions WHERE question_id = ? ORDER BY seq",
            [qid],
        ).fetchall()
        our_ids = {r[0] for r in ours}
        their_ids = {r["id"] for r in theirs}
        new = [r for r in theirs if r["id"] not in our_ids]
        if not ours or not new or our_ids <= their_ids:
            kept.extend(theirs)  # nothing here yet, nothing new, or theirs continue ours
            continue
        # Diverged: only records both sides have go on (as "already present").
        kept.extend(r for r in theirs if r["id"] in our_ids)
        last = theirs[-1]
        if _state(*ours[-1][1:]) == _state(last.get("kind"), last.get("outcome"), last.get("resolved_on"),
                                           last.get("annul_reason")):
            same += len(new)
        else:
            conflicts.append((qid, ours[-1][0], last))
    return _Screened(kept, same, conflicts)


#: Above this many incoming records the page cache is raised for the import's transaction.
LARGE_IMPORT = 10_000
_LARGE_CACHE_KIB = 128 * 1024


@contextlib.contextmanager
def _large_cache(db: Database, records: int) -> Iterator[None]:
    """Raise SQLite's page cache while a large import runs, then put it back.

    One transaction of 100,000 forecasts dirties far more pages than the default 2 MiB cache holds;
    SQLite then spills them to the WAL mid-transaction and reads them back (measured on a 100,000-row
    Fatebook file: 34 s -> 22 s with 128 MiB). The cache only grows as pages are actually used.
    """
    if records <= LARGE_IMPORT:
        yield
        return
    before = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = {-_LARGE_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(before)}")


def _known_conflict(db: Database, their_id: str) -> bool:
    return db.execute("SELECT 1 FROM conflicts WHERE theirs_resolution_id = ?", [their_id]).fetchone() is not None


def bring_in(
    db: Database,
    data: dict,
    *,
    origin: Origin,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> MergeReport:
    """Add another ledger's new records in one transaction, flag conflicting resolutions, note origins."""
    # `import_ledger` checks `data` before writing anything; the screening below only reads it.
    records = sum(len(data.get(t) or []) for t in TABLES)
    with _large_cache(db, records), writing(db):
        marks = {t: db.execute(f"SELECT coalesce(max(rowid), 0) FROM {t}").fetchone()[0] for t in ORIGIN_TABLES}
        screened = _screen_resolutions(db, data.get("resolutions", []))
        report = import_ledger(db, {**data, "resolutions": screened.kept, "settings": {}}, progress=progress,
                               refresh=False)
        new_conflicts = [c for c in screened.conflicts if not _known_conflict(db, c[2]["id"])]
        origin_id = None
        if sum(report.added.values()) or new_conflicts:
            origin_id = new_id()
            # The origin is sealed with the records it brings in (integrity.origin_digest), then chained.
            added = [(table, record_id) for table in ORIGIN_TABLES
                     for (record_id,) in db.execute(f"SELECT id FROM {table} WHERE rowid > ?", [marks[table]])]
            records, digest = origin_digest(added)
            db.execute(
                "INSERT INTO origins (id, action, format, source, source_sha256, host, recorded_at, records,"
                " records_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [origin_id, origin.action, origin.format, origin.source, origin.sha256, origin.host, moment_iso(now),
                 records, digest],
            )
            for table in ORIGIN_TABLES:
                db.execute(
                    "INSERT OR IGNORE INTO record_origins (record_table, record_id, origin_id)"
                    f" SELECT ?, id, ? FROM {table} WHERE rowid > ?",
                    [table, origin_id, marks[table]],
                )
        # After the origins: a scored pair notes the import its final forecast came from.
        refresh_pair_scores(db, report.touched)
        conflict_ids = []
        for qid, ours_id, theirs in new_conflicts:
            conflict_id = new_id()
            db.execute(
                "INSERT INTO conflicts (id, question_id, ours_resolution_id, theirs_resolution_id, theirs_kind,"
                " theirs_outcome, theirs_annul_reason, theirs_resolved_on, theirs_evidence, theirs_recorded_by,"
                " theirs_recorded_at, origin_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [conflict_id, qid, ours_id, theirs["id"], theirs.get("kind"), theirs.get("outcome"),
                 theirs.get("annul_reason"), theirs.get("resolved_on"), theirs.get("evidence") or "",
                 theirs.get("recorded_by") or "", theirs.get("recorded_at") or moment_iso(now), origin_id,
                 moment_iso(now)],
            )
            conflict_ids.append(conflict_id)
    present = dict(report.skipped)
    return MergeReport(
        added=dict(report.added), present=present, same_outcome=screened.same_outcome,
        conflicts=tuple(conflict_ids), origin_id=origin_id,
    )


def preview(db: Database, data: dict, *, screen: bool = True) -> MergeReport:
    """What `bring_in` (or, with `screen=False`, a plain ledger import) would do, read without writing."""
    check_export(data)
    if screen:
        screened = _screen_resolutions(db, data.get("resolutions", []))
    else:
        screened = _Screened(list(data.get("resolutions", [])), 0, [])
    added = {t: 0 for t in TABLES}
    present = {t: 0 for t in TABLES}
    for table in TABLES:
        rows = screened.kept if table == "resolutions" else data.get(table, [])
        for row in rows:
            if table == "question_versions" and row.get("action") == "create":
                continue  # travels with its question (see transfer.import_ledger)
            (added if existing_id(db, table, row) is None else present)[table] += 1
    conflicts = tuple(c[2]["id"] for c in screened.conflicts if not _known_conflict(db, c[2]["id"]))
    return MergeReport(added=added, present=present, same_outcome=screened.same_outcome, conflicts=conflicts,
                       origin_id=None)


def refuse_own_ledger(path: Path, own_path: Path) -> None:
    """Raise ValidationError when `path` is the ledger at `own_path` itself, a side file or a link of it
    (a ledger cannot merge itself)."""
    if is_ledger_file(path, own_path):
        raise ValidationError(f"'{path.name}' is this ledger itself; merge another analyst's ledger")


def merge_ledger(
    db: Database,
    path: Path,
    *,
    host: str = "",
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
    own_path: Path | None = None,
) -> MergeReport:
    """Merge another analyst's ledger (database or JSON export) into this one."""
    if own_path is not None:
        refuse_own_ledger(path, own_path)
    # A pipe (`merge <(cat e.json)`) is read once, into a file its readers can look at twice.
    with spooled(path) as source:
        data, fmt = read_ledger_source(source, now=now)
        return bring_in_file(db, data, source=source, name=path.name, action="merge", fmt=fmt, host=host, now=now,
                             progress=progress)


def bring_in_file(
    db: Database,
    data: dict,
    *,
    source: Path,
    action: str,
    fmt: str,
    name: str | None = None,
    host: str = "",
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> MergeReport:
    """Bring in records read from the file at `source` (`bring_in`), its origin noted: the action, the format,
    the file's name (`name`, else the source's) and the SHA-256 of its bytes. Every import and merge of a file
    writes through here."""
    origin = Origin(action=action, format=fmt, source=name or source.name, sha256=file_sha256(source), host=host)
    return bring_in(db, data, origin=origin, now=now, progress=progress)


# ---------------------------------------------------------------- conflicts


@dataclass(frozen=True)
class Conflict:
    """A question two ledgers resolved differently: what is in force here, and what the other side says."""

    id: str
    question_id: str
    statement: str
    ours_outcome: str | None  # the outcome in force here when the conflict was found (None: withdrawn)
    ours_resolved_on: str | None
    theirs_kind: str
    theirs_outcome: str | None
    theirs_resolved_on: str | None
    theirs_annul_reason: str | None
    theirs_evidence: str
    theirs_recorded_by: str
    theirs_recorded_at: str
    source: str
    recorded_at: str
    settled_kept: str | None = None
    settled_at: str | None = None
    settled_note: str = ""
    settled_by: str = ""


def list_conflicts(db: Database, *, include_settled: bool = False) -> list[Conflict]:
    """Conflicts in the order they were found; open ones only unless `include_settled`."""
    rows = db.execute(
        f"""
        SELECT c.id, c.question_id, q.statement, r.outcome, r.resolved_on, c.theirs_kind, c.theirs_outcome,
               c.theirs_resolved_on, c.theirs_annul_reason, c.theirs_evidence, c.theirs_recorded_by,
               c.theirs_recorded_at, o.source, c.recorded_at, s.kept, s.recorded_at, coalesce(s.note, ''),
               coalesce(s.recorded_by, '')
        FROM conflicts c
        JOIN questions q ON q.id = c.question_id
        -- Ours as it was when the conflict was found: once theirs is kept, the question's own outcome is theirs.
        JOIN resolutions r ON r.id = c.ours_resolution_id
        JOIN origins o ON o.id = c.origin_id
        LEFT JOIN conflict_settlements s ON s.conflict_id = c.id
        {'' if include_settled else 'WHERE s.id IS NULL'}
        ORDER BY c.seq
        """
    ).fetchall()
    return [Conflict(*r) for r in rows]


def find_conflict(db: Database, ref: str) -> Conflict:
    """The conflict whose id starts with `ref` (at least 4 characters)."""
    ref = ref.strip().lower()
    if len(ref) < 4:
        raise NotFoundError(f"conflict id '{ref}' is too short; give at least 4 characters of it")
    hits = [c for c in list_conflicts(db, include_settled=True) if c.id.startswith(ref)]
    if not hits:
        raise NotFoundError(f"no conflict with id '{ref}'; `forecastapp conflicts` lists them")
    if len(hits) > 1:
        raise NotFoundError(f"conflict id '{ref}' matches {len(hits)} conflicts; give more characters")
    return hits[0]


def settle_conflict(
    db: Database,
    ref: str,
    *,
    keep: str,
    recorded_by: str = "",
    note: str = "",
    today: date,
    now: datetime,
) -> str:
    """Settle a conflict: keep ours (nothing else changes) or theirs (recorded as a correction); returns the settlement id."""
    if keep not in ("ours", "theirs"):
        raise ValidationError(f"keep '{keep}' is not one of ours, theirs")
    ledger.check_text(recorded_by, "recorder's name")
    ledger.check_text(note, "note")
    with writing(db):
        c = find_conflict(db, ref)
        if c.settled_kept is not None:
            raise ValidationError(f"conflict {short_id(c.id)} was already settled ({c.settled_kept} kept)")
        resolution_id = None
        if keep == "theirs":
            resolution_id = _apply_theirs(db, c, recorded_by=recorded_by, today=today, now=now)
        settlement_id = new_id()
        db.execute(
            "INSERT INTO conflict_settlements (id, conflict_id, kept, resolution_id, recorded_by, recorded_at, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [settlement_id, c.id, keep, resolution_id, recorded_by, moment_iso(now), " ".join(note.split())],
        )
    return settlement_id


def _apply_theirs(db: Database, c: Conflict, *, recorded_by: str, today: date, now: datetime) -> str | None:
    """Put their resolution in force through the ledger's own rules; None if it already is."""
    theirs = _state(c.theirs_kind, c.theirs_outcome, c.theirs_resolved_on, c.theirs_annul_reason)
    current = db.execute(
        "SELECT kind, outcome, resolved_on, annul_reason FROM resolutions WHERE question_id = ? ORDER BY seq DESC LIMIT 1",
        [c.question_id],
    ).fetchone()
    if (_state(*current) if current else None) == theirs:
        return None
    why = f"settled conflict {short_id(c.id)}: kept the resolution merged from {c.source}"
    if c.theirs_evidence:
        why += f" ({' '.join(c.theirs_evidence.split())})"
    if theirs is None:
        return ledger.retract_resolution(db, question_id=c.question_id, reason=why, recorded_by=recorded_by, now=now)
    outcome, resolved_on, annul_reason = theirs
    day = date.fromisoformat(resolved_on)
    if current is None or _state(*current) is None:
        return ledger.resolve(
            db, question_id=c.question_id, outcome=outcome, resolved_on=day, evidence=why, recorded_by=recorded_by,
            annul_reason=annul_reason, today=today, now=now,
        )
    return ledger.correct_resolution(
        db, question_id=c.question_id, outcome=outcome, resolved_on=day, evidence=why, recorded_by=recorded_by,
        annul_reason=annul_reason, today=today, now=now,
    )


def conflict_json(c: Conflict) -> dict[str, Any]:
    """One conflict as a JSON-ready dict (the `conflicts --format json` contract: keys only ever added)."""
    return {
        "id": c.id, "question_id": c.question_id, "statement": c.statement,
        "ours": {"outcome": c.ours_outcome, "resolved_on": c.ours_resolved_on},
        "theirs": {"kind": c.theirs_kind, "outcome": c.theirs_outcome, "resolved_on": c.theirs_resolved_on,
                   "annul_reason": c.theirs_annul_reason, "evidence": c.theirs_evidence,
                   "recorded_by": c.theirs_recorded_by, "recorded_at": c.theirs_recorded_at},
        "source": c.source, "recorded_at": c.recorded_at,
        "settled": None if c.settled_kept is None else {"kept": c.settled_kept, "at": c.settled_at,
                                                        "note": c.settled_note, "by": c.settled_by},
    }

