"""Tamper evidence: every history record is chained to the one before it by a SHA-256 hash.

The chain lives in the append-only `chain` table, one row per forecast, retraction, resolution,
question-log record, analyst and question version (a question's wording when it was recorded and
after each edit), in the order they were written. SQLite triggers (migrations 0003 and 0008) fill it
as each record is inserted, by calling the SQL function `CHAIN_FUNCTION` that `store.connect`
registers on every connection; so every write path (ledger, import, bulk loader, seed) is covered,
and a connection without the function cannot write history at all.

Canonical serialisation of one link (never change it: every existing chain depends on it):

    payload = {"prev": <previous link's hash, or GENESIS>, "table": <table name>,
               "record": {<every stored column of the record except seq>: <stored value>}}
    hash = sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                             allow_nan=False).encode("ascii")).hexdigest()

Values are the SQLite values as stored: TEXT as a JSON string, REAL as Python's shortest
round-trip float, INTEGER as an integer, NULL as null (a BLOB, which the app never writes,
becomes {"$blob": hex}). `verify_ledger` recomputes every link from the stored records.

What this proves, and what it does not: a record changed, removed or slipped in without the app
breaks the chain at that record. Someone who rewrites a record *and* recomputes every later hash
is not caught by the ledger alone; they are caught by anyone holding an earlier chain head (a
scorecard states the head it was drawn from), because the rewritten chain ends in another head.
"""

from __future__ import annotations

import hashlib
import json
import math
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import TYPE_CHECKING

from forecastapp.core.errors import ValidationError

if TYPE_CHECKING:
    from sqlite_utils import Database

#: The SQL function the chain triggers call: chain(prev_hash, table, name1, value1, name2, value2, ...).
CHAIN_FUNCTION = "forecastapp_chain_hash"
#: The "previous hash" of the first link.
GENESIS = "0" * 64

#: Chained tables and the columns hashed, in the order the migration's triggers pass them.
CHAINED_COLUMNS: dict[str, tuple[str, ...]] = {
    "forecasts": (
        "id", "question_id", "analyst_id", "probability", "estimative_term", "made_on", "recorded_at", "rationale",
    ),
    "retractions": ("id", "forecast_id", "recorded_at", "reason"),
    "resolutions": (
        "id", "question_id", "kind", "outcome", "annul_reason", "resolved_on", "evidence", "recorded_by",
        "recorded_at", "supersedes",
    ),
    "question_log": ("id", "question_id", "action", "recorded_at", "reason"),
    "analysts": ("id", "name", "recorded_at"),
    "question_versions": (
        "id", "question_id", "action", "statement", "criteria", "condition", "resolve_from", "resolve_by",
        "document_id", "excerpt", "excerpt_start", "excerpt_end", "tags_added", "tags_removed", "meaning_changed",
        "reason", "recorded_by", "recorded_at",
    ),
    # One record per import or merge: which file, and a seal over the records it brought in (their
    # number and origin_digest), so provenance cannot be dropped from record_origins unnoticed.
    "origins": (
        "id", "action", "format", "source", "source_sha256", "host", "recorded_at", "records", "records_sha256",
    ),
}
#: The migration that first chained each table beyond the four of migration 0003: a ledger read
#: without migrating it (a merge's source) that lacks it does not chain that table yet.
CHAINED_SINCE = {
    "analysts": "0008_question_record", "question_versions": "0008_question_record",
    "origins": "0009_hindsight_and_imports",
}
#: The tables the chain covered before migration 0008 (a ledger export that does not list its
#: `chained_tables` was made then, and its chain holds these only).
LEGACY_CHAINED_TABLES = ("forecasts", "retractions", "resolutions", "question_log")
#: A question's defining columns: kept in `questions` as a copy of its latest version.
QUESTION_DEFINING = ("statement", "criteria", "condition", "resolve_from", "resolve_by", "document_id", "excerpt",
                     "excerpt_start", "excerpt_end")
_DEFINING_WORDS = {"statement": "statement", "criteria": "criteria", "condition": "condition",
                   "resolve_from": "resolve-from date", "resolve_by": "resolve-by date", "document_id": "document",
                   "excerpt": "excerpt", "excerpt_start": "excerpt's start", "excerpt_end": "excerpt's end"}


# Built once (json.dumps with these options would build one per call); same options, same bytes.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def _jsonable(value: object) -> object:
    if isinstance(value, (bytes, memoryview)):
        return {"$blob": bytes(value).hex()}
    return value


def canonical_payload(prev_hash: str, table: str, record: dict[str, object]) -> bytes:
    """The exact bytes hashed for one link (see the module docstring)."""
    if any(isinstance(v, (bytes, memoryview)) for v in record.values()):
        record = {k: _jsonable(v) for k, v in record.items()}
    return _ENCODER.encode({"prev": prev_hash, "table": table, "record": record}).encode("ascii")


def record_hash(prev_hash: str, table: str, record: dict[str, object]) -> str:
    """The hash of one link: SHA-256 (hex) of its canonical payload."""
    return hashlib.sha256(canonical_payload(prev_hash, table, record)).hexdigest()


def sql_chain_hash(prev_hash: str, table: str, *names_and_values: object) -> str:
    """The SQL function behind the chain triggers: record_hash with the record given as name, value pairs."""
    record = dict(zip(names_and_values[::2], names_and_values[1::2]))
    return record_hash(prev_hash, table, record)  # type: ignore[arg-type]


def register_functions(conn) -> None:
    """Make the chain function available on a connection (store.connect does this for every connection)."""
    conn.create_function(CHAIN_FUNCTION, -1, sql_chain_hash, deterministic=True)


@dataclass(frozen=True)
class BadRecord:
    """Where the chain breaks: 1-based position in the chain, the record, and why."""

    position: int
    table: str
    record_id: str
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of re-computing the chain."""

    ok: bool
    checked: int
    first_bad: BadRecord | None
    head: str
    #: With an intact chain: the first derived value (a question's outcome, a scored pair, ...) that
    #: the chained history does not give, in one line; None when everything derived agrees.
    derived: str | None = None

    def summary(self) -> str:
        """One line: 'verified: N records, head H', 'broken at record N (table id): reason', or
        'derived data does not match the history: ...'."""
        if self.derived is not None:
            return f"derived data does not match the history ({self.checked} records verified): {self.derived}"
        if self.first_bad is None:
            return f"verified: {self.checked} records, head {self.head}"
        bad = self.first_bad
        return f"broken at record {bad.position} ({bad.table} {bad.record_id}): {bad.reason}"


def chain_head(db: Database) -> str:
    """The hash of the latest link (GENESIS for a ledger with no history yet): what a scorecard quotes."""
    row = db.execute("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


def chained_tables(db: Database) -> dict[str, tuple[str, ...]]:
    """The tables this ledger's schema chains, with their hashed columns (all of CHAINED_COLUMNS for a
    current ledger; fewer for one from before a migration that chained more, read as it is)."""
    if not _has_table(db, "_sqlite_migrations"):
        return dict(CHAINED_COLUMNS)
    applied = {r[0] for r in db.execute("SELECT name FROM _sqlite_migrations")}
    return {t: c for t, c in CHAINED_COLUMNS.items() if CHAINED_SINCE.get(t, "") in applied or t not in CHAINED_SINCE}


def origin_digest(records: Iterable[tuple[str, str]]) -> tuple[int, str]:
    """The seal of an import's records: how many, and SHA-256 (hex) of "table<TAB>id" lines, one per record,
    in (table, id) order, each ending in a newline."""
    h = hashlib.sha256()
    n = 0
    for table, record_id in sorted(records):
        h.update(f"{table}\t{record_id}\n".encode())
        n += 1
    return n, h.hexdigest()


def check_origins(db: Database) -> BadRecord | None:
    """Check each import's seal against the records `record_origins` links to it; the first that differs, or None.

    A scorecard says which pairs rest on imported history from `record_origins`; a link removed (to pass
    imported history off as made here) or added changes the count or digest its chained origin states.
    """
    if "origins" not in chained_tables(db):
        return None
    stated = {oid: (n, digest) for oid, n, digest in db.execute("SELECT id, records, records_sha256 FROM origins")}
    found: dict[str, list[tuple[str, str]]] = {oid: [] for oid in stated}
    for table, record_id, origin_id in db.execute("SELECT record_table, record_id, origin_id FROM record_origins"):
        if origin_id not in found:
            return BadRecord(_position(db, "origins", origin_id), "origins", origin_id,
                             f"a {table} record is linked to an import that is not on the record")
        found[origin_id].append((table, record_id))
    for origin_id, records in found.items():
        if origin_digest(records) != stated[origin_id]:
            n = len(records)
            return BadRecord(_position(db, "origins", origin_id), "origins", origin_id,
                             f"the import states {stated[origin_id][0]} records but {n} are linked to it, or other ones "
                             "(record_origins was changed outside the app)")
    return None


def _position(db: Database, table: str, record_id: str) -> int:
    row = db.execute("SELECT count(*) FROM chain WHERE seq <= (SELECT seq FROM chain WHERE record_table = ? AND"
                     " record_id = ?)", [table, record_id]).fetchone()
    return row[0] if row and row[0] else db.execute("SELECT count(*) FROM chain").fetchone()[0] + 1


def verify_ledger(db: Database, *, derived: bool = True) -> VerifyResult:
    """Re-compute every link from the stored records, then check what is derived from them; report the
    first record (or derived value) that does not match.

    Everything is read in one read transaction (unless the caller holds one already), so a write
    committed by another program half-way through is not taken for a mismatch. `derived=False` skips
    the scores and states derived from the history (`derived_problem`): a merge, which recomputes them,
    checks only what it takes across.
    """
    own = not db.conn.in_transaction
    if own:
        db.conn.execute("BEGIN")
    try:
        return _verify_ledger(db, derived)
    finally:
        if own and db.conn.in_transaction:
            db.conn.execute("ROLLBACK")  # a read transaction: nothing to keep


def _verify_ledger(db: Database, derived: bool) -> VerifyResult:
    head = chain_head(db)
    tables = chained_tables(db)
    # The chain is checked in passes that each read what they need once, instead of one row per link
    # joining every history table: (1) the links in order, each naming a history table and linking to
    # the hash before it; (2) per table, each link's record recomputed from the link's own stored
    # previous hash, which (1) has tied to the link before. Together they find exactly what replaying
    # the chain link by link finds; of several problems the first in chain order is reported, and at
    # one link in the order a replay meets them (table, removed record, link, hash).
    seqs: array[int] = array("q")
    found: tuple[int, int, str, str, str] | None = None  # (position, priority, table, record id, reason)
    prev = GENESIS
    position = 0
    for seq, table, record_id, stored_prev, stored_hash in db.execute(
        "SELECT seq, record_table, record_id, prev_hash, hash FROM chain ORDER BY seq"
    ):
        position += 1
        seqs.append(seq)
        if found is None:
            if table not in tables:
                found = (position, 0, table, record_id, "the chain names a table that is not history")
            elif stored_prev != prev:
                found = (position, 2, table, record_id,
                         "the link to the previous record does not match (records were removed or reordered)")
        prev = stored_hash
    last_seq = seqs[found[0] - 1] if found is not None else (seqs[-1] if seqs else 0)
    for table, columns in tables.items():
        for candidate in _table_problems(db, table, columns, last_seq):
            at = bisect_left(seqs, candidate[0]) + 1
            if found is None or (at, candidate[1]) < found[:2]:
                found = (at, *candidate[1:])
            break  # a table's problems come in chain order: its first is all that can matter
    if found is not None:
        at, _, table, record_id, reason = found
        return _broken(at - 1, at, table, record_id, reason, head)
    # Every history record must be in the chain: one written with the triggers dropped is not. (A ledger
    # read without migrating it, a merge's source, is checked for the tables its schema chains.)
    for table in tables:
        row = db.execute(
            f"SELECT id FROM {table} WHERE id NOT IN (SELECT record_id FROM chain WHERE record_table = ?)"
            " ORDER BY rowid LIMIT 1",
            [table],
        ).fetchone()
        if row:
            return _broken(position, position + 1, table, row[0], "the record is not in the chain (added outside the app)",
                           head)
    bad = check_question_versions(db) or check_origins(db)
    if bad is not None:
        return VerifyResult(ok=False, checked=position, first_bad=bad, head=head)
    problem = derived_problem(db) if derived else None
    if problem is not None:
        return VerifyResult(ok=False, checked=position, first_bad=None, head=head, derived=problem)
    return VerifyResult(ok=True, checked=position, first_bad=None, head=head)


def check_question_versions(db: Database) -> BadRecord | None:
    """Check each question's defining columns against its latest chained version; the first mismatch, or None.

    The chain proves the versions; `questions` keeps a copy of the latest one (for lists and search),
    which triggers maintain. A question whose copy differs, or that has no version at all, was changed
    or added outside the app. The position reported is the chain position of the version it differs
    from (for a question without any, the position after the chain's end).
    """
    if "question_versions" not in chained_tables(db):
        # A ledger from before question versions (migration 0008), read as it is (a merge reads one
        # without migrating it): nothing of its questions is on the record yet.
        return None
    differs = " OR ".join(f"q.{c} IS NOT v.{c}" for c in QUESTION_DEFINING)
    cols = ", ".join(f"q.{c}" for c in QUESTION_DEFINING) + ", " + ", ".join(f"v.{c}" for c in QUESTION_DEFINING)
    row = db.execute(
        f"SELECT q.id, v.id, {cols} FROM questions q"
        " LEFT JOIN question_versions v ON v.seq = (SELECT max(seq) FROM question_versions WHERE question_id = q.id)"
        f" WHERE v.seq IS NULL OR {differs} ORDER BY q.seq LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    question_id, version_id = row[0], row[1]
    if version_id is None:
        links = db.execute("SELECT count(*) FROM chain").fetchone()[0]
        return BadRecord(links + 1, "questions", question_id,
                         "the question has no chained version (added outside the app)")
    n = len(QUESTION_DEFINING)
    column = next((c for c, ours, chained in zip(QUESTION_DEFINING, row[2 : 2 + n], row[2 + n :]) if ours != chained),
                  QUESTION_DEFINING[0])
    position = db.execute(
        "SELECT count(*) FROM chain WHERE seq <= (SELECT seq FROM chain WHERE record_table = 'question_versions'"
        " AND record_id = ?)", [version_id]
    ).fetchone()[0]
    return BadRecord(position, "questions", question_id,
                     f"its {_DEFINING_WORDS[column]} differs from its last chained version (changed outside the app)")


# What the history says each question's derived columns must hold: the outcome and day of its latest
# resolution record (none, or a withdrawal, leaves both empty) and whether its latest log entry is a delete.
_QUESTION_STATE_SQL = """
SELECT id, outcome, resolved_on, deleted, r_outcome, r_resolved_on, l_deleted FROM (
    SELECT q.id, q.outcome, q.resolved_on, q.deleted,
           (SELECT r.outcome FROM resolutions r WHERE r.question_id = q.id ORDER BY r.seq DESC LIMIT 1) AS r_outcome,
           (SELECT r.resolved_on FROM resolutions r WHERE r.question_id = q.id ORDER BY r.seq DESC LIMIT 1)
               AS r_resolved_on,
           coalesce((SELECT l.action = 'delete' FROM question_log l WHERE l.question_id = q.id
                     ORDER BY l.seq DESC LIMIT 1), 0) AS l_deleted
    FROM questions q
)
WHERE outcome IS NOT r_outcome OR resolved_on IS NOT r_resolved_on OR deleted IS NOT l_deleted
ORDER BY id LIMIT 1
"""


def _has_table(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone() is not None


def derived_problem(db: Database) -> str | None:
    """The first derived value a scorecard reads that the chained history does not give, or None.

    Checked: each question's outcome, resolution day and deleted flag (from its resolution records and
    its log), then every scored pair and every forecast left out as hindsight, recomputed from the
    history (pairs.derived_mismatch). A scorecard reads its figures from those, so a score edited in
    place, or an outcome set without a resolution record, fails here even with the chain intact.
    """
    if not _has_table(db, "unscored_forecasts"):
        return None  # a ledger from before migration 0009, read without migrating it: nothing of this to check
    row = db.execute(_QUESTION_STATE_SQL).fetchone()
    if row is not None:
        qid, outcome, resolved_on, deleted, r_outcome, r_resolved_on, l_deleted = row
        if deleted != l_deleted:
            state = "deleted" if deleted else "not deleted"
            return f"question {qid[:8]} is marked {state}, but its log says otherwise"
        said = f"{r_outcome} on {r_resolved_on}" if r_outcome else "no outcome in force"
        return (f"question {qid[:8]} is stored as resolved {outcome or 'nothing'}"
                f"{f' on {resolved_on}' if resolved_on else ''}, but its resolution records give {said}")
    from forecastapp.core.pairs import derived_mismatch  # pairs reads queries; integrity stays light

    return derived_mismatch(db)


def _table_problems(
    db: Database, table: str, columns: tuple[str, ...], last_seq: int
) -> Iterator[tuple[int, int, str, str, str]]:
    """A chained table's problems up to link `last_seq`, as (seq, priority, table, id, reason), the first
    first: a link whose record is gone, or whose record no longer hashes to the link's hash."""
    missing = db.execute(
        f"SELECT c.seq, c.record_id FROM chain c WHERE c.record_table = ? AND c.seq <= ?"
        f" AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = c.record_id) ORDER BY c.seq LIMIT 1",
        [table, last_seq],
    ).fetchone()
    bound = missing[0] if missing else last_seq
    changed = None
    encode = _record_encoder(table, columns)
    for seq, stored_prev, stored_hash, *values in db.execute(
        f"SELECT c.seq, c.prev_hash, c.hash, {', '.join('t.' + c for c in columns)} FROM chain c"
        f" JOIN {table} t ON t.id = c.record_id WHERE c.record_table = ? AND c.seq <= ?",
        [table, bound],
    ):
        if changed is not None and seq >= changed[0]:
            continue
        if hashlib.sha256(encode(stored_prev, values)).hexdigest() != stored_hash:
            changed = (seq, values[columns.index("id")])
    problems = []
    if missing:
        problems.append((missing[0], 1, table, missing[1], "the record was removed from the ledger"))
    if changed:
        problems.append((changed[0], 3, table, changed[1],
                         "the record does not match its hash (it was changed after it was recorded)"))
    yield from sorted(problems)


class _Unusual(Exception):
    """A value the fast encoder leaves to the general one (a BLOB, an infinite float)."""


def _json_value(value: object) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)  # type: ignore[arg-type]
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)  # type: ignore[arg-type]
    if kind is float and math.isfinite(value):  # type: ignore[arg-type]
        return float.__repr__(value)  # type: ignore[arg-type]
    raise _Unusual


def _record_encoder(table: str, columns: tuple[str, ...]) -> Callable[[str, list], bytes]:
    """`canonical_payload` for one table's records, as the same bytes, without a dict and a general JSON encoder
    per record: the keys' order and spelling are fixed per table, so only the values are encoded each time."""
    order = sorted(columns)
    picks = [columns.index(c) for c in order]
    template = ('{"prev":%s,"record":{' + ",".join(f"{encode_basestring_ascii(c)}:%s" for c in order)
                + "}," + f'"table":{encode_basestring_ascii(table)}' + "}")

    def encode(prev: str, values: list) -> bytes:
        try:
            text = template % (_json_value(prev), *[_json_value(values[i]) for i in picks])
        except _Unusual:
            return canonical_payload(prev, table, dict(zip(columns, values)))
        return text.encode("ascii")

    return encode


def _broken(checked: int, position: int, table: str, record_id: str, reason: str, head: str) -> VerifyResult:
    return VerifyResult(
        ok=False, checked=checked, first_bad=BadRecord(position, table, record_id, reason), head=head
    )


def build_chain(db: Database, tables: dict[str, tuple[str, ...]] | None = None) -> int:
    """Chain the existing records of `tables` after the chain's head (migrations 0003, 0008); returns links made.

    `tables` maps each table to its hashed columns, in the migration's own spelling (default: the
    four history tables migration 0003 chained). Records are chained in the order they were recorded
    (recorded_at, then the table's place in `tables`, then rowid, which is seq where there is one).
    """
    if tables is None:
        tables = {t: CHAINED_COLUMNS[t] for t in LEGACY_CHAINED_TABLES}
    parts = []
    for rank, table in enumerate(tables):
        parts.append(f"SELECT recorded_at AS r, {rank} AS k, rowid AS s, '{table}' AS t, id FROM {table}")
    rows = db.execute(f"{' UNION ALL '.join(parts)} ORDER BY r, k, s").fetchall()
    prev = chain_head(db)
    n = 0
    for _, _, _, table, record_id in rows:
        columns = tables[table]
        values = db.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", [record_id]).fetchone()
        h = record_hash(prev, table, dict(zip(columns, values)))
        db.execute(
            "INSERT INTO chain (record_table, record_id, prev_hash, hash) VALUES (?, ?, ?, ?)",
            [table, record_id, prev, h],
        )
        prev = h
        n += 1
    return n


def _kind(value: object) -> str:
    """What a JSON value is, for a refusal: 'null', 'a list', 'a string', 'a number', ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "a string", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def _replay_export(data: object, *, name: str = "the file") -> tuple[VerifyResult, list[str]]:
    """Recompute the chain of a ledger export from its records, in the order its `chain` lists.

    An export carries each link's stored hash (`chain_hashes`, parallel to `chain`), so the first
    record whose recomputed hash differs is the one named. An export made before it carried them
    can only be checked against its stated head, so a changed record is named at the last link.
    """
    if not isinstance(data, dict):
        raise ValidationError(f"{name} is not a forecastapp ledger export (it holds {_kind(data)})")
    order = data.get("chain")
    stated = data.get("chain_head")
    if not isinstance(order, list) or not isinstance(stated, str):
        raise ValidationError("the ledger export carries no hash chain (made by an older forecastapp); export it again")
    stored = data.get("chain_hashes")
    if stored is not None and not (
        isinstance(stored, list) and len(stored) == len(order) and all(isinstance(h, str) for h in stored)
    ):
        return _broken(0, 1, "?", "?", "the export's list of link hashes does not match its chain list",
                       stated), []
    chained = data.get("chained_tables", list(LEGACY_CHAINED_TABLES))
    if not (isinstance(chained, list) and all(isinstance(t, str) and t in CHAINED_COLUMNS for t in chained)):
        raise ValidationError("the ledger export's list of chained tables names a table that is not history")
    records: dict[tuple[str, str], dict] = {}
    for table in chained:
        columns = CHAINED_COLUMNS[table]
        rows = data.get(table)
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict) and isinstance(row.get("id"), str):
                records[(table, row["id"])] = {c: row.get(c) for c in columns}
    prev, hashes = GENESIS, []
    for position, link in enumerate(order, start=1):
        if not (isinstance(link, list) and len(link) == 2 and all(isinstance(x, str) for x in link)):
            return _broken(position - 1, position, "?", "?", "the chain list is malformed", stated), hashes
        table, record_id = link
        record = records.pop((table, record_id), None)
        if record is None:
            return _broken(position - 1, position, table, record_id, "the record is missing from the export",
                           stated), hashes
        try:
            expected = record_hash(prev, table, record)
        except (ValueError, TypeError):  # NaN or infinity, which no ledger stores (json reads them)
            return _broken(position - 1, position, table, record_id, "the record holds a value no ledger stores",
                           stated), hashes
        if stored is not None and expected != stored[position - 1]:
            return _broken(position - 1, position, table, record_id,
                           "the record does not match its hash (it was changed after it was recorded)", stated), hashes
        prev = expected
        hashes.append(prev)
    if records:
        table, record_id = next(iter(records))
        return _broken(len(order), len(order) + 1, table, record_id, "the record is not in the chain", stated), hashes
    if prev != stated:
        where = len(order)
        reason = ("the chain head the export states is not its last link's hash (the head was changed)"
                  if stored is not None else
                  "the records do not hash to the chain head the export states (a record was changed; this export"
                  " carries no link hashes to name it: export the ledger again)")
        return _broken(where, where, *(order[-1] if order else ("?", "?")), reason, stated), hashes
    return VerifyResult(ok=True, checked=len(order), first_bad=None, head=prev), hashes


def verify_export(data: object, *, name: str = "the file") -> VerifyResult:
    """Recompute the hash chain of a ledger export (`forecastapp export`) and compare its stated head.

    Raises ValidationError (one line) for something that is no export (`name` says which file) or carries no chain.
    """
    return _replay_export(data, name=name)[0]


def scorecard_head(scorecard: object) -> str:
    """The chain head a scorecard states it was drawn from (`"ledger": {"chain_head": ...}`)."""
    if not isinstance(scorecard, dict):
        raise ValidationError(f"the file is not a forecastapp scorecard (it holds {_kind(scorecard)})")
    ledger = scorecard.get("ledger")
    head = ledger.get("chain_head") if isinstance(ledger, dict) else None
    if not isinstance(head, str) or len(head) != 64:
        raise ValidationError("the scorecard states no ledger chain head, so it cannot be checked against a ledger")
    return head


@dataclass(frozen=True)
class HeadMatch:
    """Where a scorecard's chain head sits in a ledger's (or export's) chain: 1-based position of total links."""

    position: int
    total: int
    source: str  # "the ledger" or "the ledger export"

    def summary(self) -> str:
        """'scorecard matches the ledger at record P of N[; K records added since]'."""
        later = self.total - self.position
        tail = f"; {later} record{'s' if later != 1 else ''} added since" if later else ""
        return f"scorecard matches {self.source} at record {self.position} of {self.total}{tail}"


class ForeignScorecard(ValidationError):
    """The scorecard's chain head is not a link of this ledger's chain: a failed check (exit status 1), not bad
    input."""


def locate_scorecard_head(scorecard: object, *, db: Database | None = None, export: dict | None = None) -> HeadMatch:
    """Find a scorecard's chain head among the links of the ledger's (or export's) chain, which must verify.

    Raises ValidationError when the ledger is broken or the head is not in it.
    """
    head = scorecard_head(scorecard)
    if export is not None:
        result, hashes = _replay_export(export)
        source = "the ledger export"
    else:
        assert db is not None
        result = verify_ledger(db)
        hashes = [r[0] for r in db.execute("SELECT hash FROM chain ORDER BY seq")]
        source = "the ledger"
    if not result.ok:
        raise ValidationError(f"{source} itself does not verify: {result.summary()}")
    if head not in hashes:
        raise ForeignScorecard(
            f"the scorecard's chain head {head[:16]}... is not in {source}'s chain: it was drawn from another or a"
            " rewritten ledger"
        )
    return HeadMatch(position=hashes.index(head) + 1, total=len(hashes), source=source)


def check_scorecard(scorecard: object, *, db: Database | None = None, export: dict | None = None) -> str:
    """Check a scorecard came from this ledger (or export): its chain head is a link of the ledger's chain.

    Returns a one-line confirmation; raises ValidationError when the ledger is broken or the head is not in it.
    This checks the head only; `core.scorecard_audit.audit_scorecard` also recomputes the figures.
    """
    return locate_scorecard_head(scorecard, db=db, export=export).summary()
