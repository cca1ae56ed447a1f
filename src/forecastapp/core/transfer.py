"""Lossless JSON export and idempotent import of a whole ledger.

Every record travels with its stable id, so importing a file twice adds nothing and ledgers from
two machines can meet. Derived data (latest-forecast columns, scored pairs, search index) is not
exported: the importing database rebuilds it.

A question's versions travel too. A new question is recorded with the wording of its 'create'
version (what it said when it was first recorded, not what it says now), and its 'edit' versions
then follow, each applied to the question as a local edit is; the importing ledger's own trigger
writes the 'create' version, so the exported one is neither added nor counted.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database

from forecastapp import __version__
from forecastapp.core.errors import ImportFormatError
from forecastapp.core.files import read_input, write_output
from forecastapp.core.integrity import CHAINED_COLUMNS, QUESTION_DEFINING, chain_head, chained_tables
from forecastapp.core.model import is_text, moment_iso
from forecastapp.core.pairs import refresh_pair_scores
from forecastapp.core.store import writing

LEDGER_FORMAT = "forecastapp-ledger/1"

# Table -> exported columns, in dependency order (a record only refers to earlier tables).
TABLES: dict[str, tuple[str, ...]] = {
    "documents": ("id", "title", "author", "published_on", "text", "sha256", "recorded_at"),
    "analysts": ("id", "name", "recorded_at"),
    "questions": (
        "id", "statement", "criteria", "condition", "resolve_from", "resolve_by", "document_id", "excerpt",
        "excerpt_start", "excerpt_end", "recorded_at",
    ),
    "question_versions": CHAINED_COLUMNS["question_versions"],
    "forecasts": (
        "id", "question_id", "analyst_id", "probability", "estimative_term", "made_on", "recorded_at", "rationale",
    ),
    "retractions": ("id", "forecast_id", "recorded_at", "reason"),
    "resolutions": (
        "id", "question_id", "kind", "outcome", "annul_reason", "resolved_on", "evidence", "recorded_by",
        "recorded_at", "supersedes",
    ),
    "question_log": ("id", "question_id", "action", "recorded_at", "reason"),
}
# Optional text columns an export may leave out; stored as empty text, as the ledger writes them.
_DEFAULTS = {"criteria": "", "rationale": "", "evidence": "", "recorded_by": "", "reason": "", "tags_added": "[]",
             "tags_removed": "[]", "meaning_changed": 0}
_ORDER = {"documents": "recorded_at, id", "analysts": "recorded_at, id"}


_ORIGIN_COLUMNS = ("id", "action", "format", "source", "source_sha256", "host", "recorded_at")


def _has(db: Database, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone() is not None


def note_origins(db: Database, data: dict) -> None:
    """Copy an export's `origins` and `record_origins` for the records it holds (a replay of the export
    into an empty ledger, in `core.scorecard_audit`); rows that are malformed or name no record are skipped."""
    held = {(t, r.get("id")) for t in TABLES for r in data.get(t) or [] if isinstance(r, dict)}
    links = [link for link in data.get("record_origins") or []
             if isinstance(link, list) and len(link) == 3 and all(isinstance(x, str) for x in link)
             and (link[0], link[1]) in held]
    wanted = {link[2] for link in links}
    columns = CHAINED_COLUMNS["origins"]
    for origin in data.get("origins") or []:
        storable = isinstance(origin, dict) and all(_storable(origin.get(c)) for c in columns)
        if storable and origin.get("id") in wanted:
            db.execute(f"INSERT OR IGNORE INTO origins ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                       [origin.get(c) for c in columns])
    db.conn.executemany("INSERT OR IGNORE INTO record_origins (record_table, record_id, origin_id) SELECT ?, ?, ?"
                        " WHERE EXISTS (SELECT 1 FROM origins WHERE id = ?3)", links)


def export_ledger(db: Database, *, now: datetime) -> dict:
    """The whole ledger as one JSON-ready dict (history included, derived data left out)."""
    out: dict = {"format": LEDGER_FORMAT, "exported_at": moment_iso(now), "app_version": __version__}
    for table, columns in TABLES.items():
        order = _ORDER.get(table, "seq")
        rows = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}").fetchall()
        out[table] = [dict(zip(columns, row)) for row in rows]
    tags: dict[str, list[str]] = {}
    for qid, tag in db.execute("SELECT question_id, tag FROM question_tags ORDER BY question_id, tag").fetchall():
        tags.setdefault(qid, []).append(tag)
    for q in out["questions"]:
        q["tags"] = tags.get(q["id"], [])
    out["settings"] = dict(db.execute("SELECT key, value FROM settings ORDER BY key").fetchall())
    # Where imported records came from (which file, when it entered this ledger): importing ignores it
    # (records brought in are noted as coming from the file they came in by); `verify --scorecard`
    # reads it to recompute a scorecard's imported pairs at an earlier head.
    chained = chained_tables(db)
    origin_columns = chained.get("origins", _ORIGIN_COLUMNS)
    out["origins"] = [dict(zip(origin_columns, row)) for row in db.execute(
        f"SELECT {', '.join(origin_columns)} FROM origins ORDER BY seq")] if _has(db, "origins") else []
    out["record_origins"] = [list(row) for row in db.execute(
        "SELECT record_table, record_id, origin_id FROM record_origins ORDER BY origin_id, record_table, record_id"
    )] if _has(db, "record_origins") else []
    # The hash chain's order, each link's stored hash and the head, so a reader can recompute it from
    # this file alone and name the first record that does not match (`forecastapp verify --ledger
    # FILE.json`); an import or merge checks them before writing anything (core.merge.read_ledger_source).
    links = db.execute("SELECT record_table, record_id, hash FROM chain ORDER BY seq").fetchall()
    out["chain"] = [[t, i] for t, i, _ in links]
    out["chain_hashes"] = [h for _, _, h in links]
    out["chained_tables"] = list(chained)
    out["chain_head"] = chain_head(db)
    return out


def write_export(
    db: Database, path: Path | str, *, now: datetime, before_replace: Callable[[], None] | None = None
) -> None:
    """Write the ledger export to a file, atomically (a crash never leaves half a file): `files.write_output`."""
    data = export_ledger(db, now=now)
    write_output(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n", before_replace=before_replace)


@dataclass(frozen=True)
class ImportReport:
    """What an import added and what it skipped because it was already there."""

    added: dict[str, int]
    skipped: dict[str, int]
    #: The questions whose records the import added to (their scored pairs may have changed).
    touched: frozenset[str] = frozenset()

    def summary(self) -> str:
        """One line for a person: 'added 3 questions, 5 forecasts; 12 records already present'."""
        parts = [f"{n} {t.replace('_', ' ')}" for t, n in self.added.items() if n]
        skipped = sum(self.skipped.values())
        text = "added " + (", ".join(parts) if parts else "nothing")
        if skipped:
            text += f"; {skipped} record{'s' if skipped != 1 else ''} already present"
        return text


def read_export(path: Path) -> dict:
    """Read and check a ledger export file, before anything is written."""
    raw = read_input(path)  # at most MAX_INPUT_BYTES, never waiting forever on a pipe
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ImportFormatError(f"'{path.name}' is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"'{path.name}' is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except (ValueError, RecursionError):
        # A number of thousands of digits (ValueError), or arrays nested thousands deep: JSON, but no
        # ledger export (both found by tests/core/test_fuzz.py).
        raise ImportFormatError(f"'{path.name}' is not a forecastapp ledger export (it nests too deeply or holds "
                                "a number too long to read)") from None
    check_export(data, name=path.name)
    return data


def check_export(data: object, *, name: str = "the file") -> None:
    """Refuse anything that is not a forecastapp ledger export of a known format."""
    if not isinstance(data, dict) or data.get("format") != LEDGER_FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ImportFormatError(f"{name} is not a forecastapp ledger export (format {found!r}, expected {LEDGER_FORMAT!r})")
    for table, columns in TABLES.items():
        rows = data.get(table, [])
        if not isinstance(rows, list):
            raise ImportFormatError(f"{name}: '{table}' must be a list")
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
                raise ImportFormatError(f"{name}: {table} record {i + 1} has no id")
            for col in columns:
                if not _storable(row.get(col)):
                    raise ImportFormatError(f"{name}: {table} record {i + 1} has a malformed '{col}'")
                if col in _DAY_COLUMNS and row.get(col) is not None and not _is_day(row.get(col)):
                    # SQLite's CHECK (date(x) = x) lets text that is no date at all through (NULL passes a
                    # CHECK), and a scored pair then has no day to count from (found by test_fuzz.py).
                    raise ImportFormatError(f"{name}: {table} record {i + 1} has a '{col}' that is not a day "
                                            "(YYYY-MM-DD)")
        if table == "questions":
            for i, row in enumerate(rows):
                tags = row.get("tags", [])
                if not isinstance(tags, list) or not all(isinstance(t, str) and is_text(t) for t in tags):
                    raise ImportFormatError(f"{name}: questions record {i + 1} has malformed tags")
    settings = data.get("settings")
    if settings is not None and not (
        isinstance(settings, dict) and all(is_text(k) and _storable(v) for k, v in settings.items())
    ):
        raise ImportFormatError(f"{name}: 'settings' must be an object of plain values")


#: Columns that hold a calendar day, as YYYY-MM-DD text.
_DAY_COLUMNS = frozenset({"made_on", "resolved_on", "resolve_by", "resolve_from", "published_on"})


def _is_day(value: object) -> bool:
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


_SQLITE_INT = range(-(2**63), 2**63)


def _storable(value: object) -> bool:
    """Whether SQLite stores a JSON value as given: text without undecodable bytes, a 64-bit integer, a
    finite number, or null (the checks below each a crash found by tests/core/test_fuzz.py)."""
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return is_text(value)
    if isinstance(value, int):
        return value in _SQLITE_INT
    if isinstance(value, float):
        return math.isfinite(value)
    return False


def existing_id(db: Database, table: str, record: dict) -> str | None:
    """The id of this ledger's copy of an incoming record, or None if it is new.

    Records match on their id; an analyst also on the name (ignoring case) and a document on its SHA-256.
    """
    if table == "analysts":
        sql = "SELECT id FROM analysts WHERE id = ? OR name = ? COLLATE NOCASE"
        args = [record["id"], record.get("name")]
    elif table == "documents":
        sql, args = "SELECT id FROM documents WHERE id = ? OR sha256 = ?", [record["id"], record.get("sha256")]
    else:
        sql, args = f"SELECT id FROM {table} WHERE id = ?", [record["id"]]
    hit = db.execute(sql, args).fetchone()
    return hit[0] if hit else None


# Records that others refer to and that a history record never precedes: written first, as listed.
_FIRST = ("documents", "analysts", "questions")


def _in_recorded_order(data: dict) -> Iterator[tuple[str, dict]]:
    """The export's records as (table, row): documents, analysts and questions first, then the history
    records in the order of the export's hash chain (the order they were recorded in; any not in it after).

    The order matters beyond references: what counts as hindsight, or as a forecast on earlier wording,
    is decided by which record came first (core/pairs.py), so an import keeps its source's order.
    """
    for table in _FIRST:
        for row in data.get(table, []):
            yield table, row
    later = [t for t in TABLES if t not in _FIRST]
    pending: dict[tuple[str, object], list[dict]] = {}
    for table in later:
        for row in data.get(table, []):
            pending.setdefault((table, row.get("id")), []).append(row)
    order = data.get("chain")
    for link in order if isinstance(order, list) else []:
        if isinstance(link, list) and len(link) == 2:
            for row in pending.pop((link[0], link[1]), ()):
                yield link[0], row
    for table in later:
        for row in data.get(table, []):
            if (table, row.get("id")) in pending:
                for same in pending.pop((table, row.get("id"))):
                    yield table, same


def import_ledger(
    db: Database, data: dict, *, progress: Callable[[int, int], None] | None = None, refresh: bool = True
) -> ImportReport:
    """Add every record of an export that this ledger does not have yet, in one transaction.

    With `refresh=False` the caller refreshes the touched questions' scored pairs itself, in the same
    transaction (merge.bring_in does, once the records' origins are noted: a pair's provenance is part of it).
    """
    check_export(data)
    added = {t: 0 for t in TABLES}
    skipped = {t: 0 for t in TABLES}
    total = sum(len(data.get(t, [])) for t in TABLES)
    done = 0
    analyst_map: dict[str, str] = {}
    document_map: dict[str, str] = {}
    touched: set[str] = set()
    # A new question is recorded as it read when it was created; its edits follow in order.
    created = {v.get("question_id"): v for v in data.get("question_versions", []) if v.get("action") == "create"}
    with writing(db):
        for table, row in _in_recorded_order(data):
            columns = TABLES[table]
            done += 1
            if progress and done % 1000 == 0:
                progress(done, total)
            if table == "question_versions" and row.get("action") == "create":
                continue  # written by the question's own insert (or already here with it)
            values = {c: row.get(c, _DEFAULTS.get(c)) for c in columns}
            if table == "questions" and values["id"] in created:
                first = created[values["id"]]
                values.update({c: first.get(c, _DEFAULTS.get(c)) for c in QUESTION_DEFINING})
            for c, default in _DEFAULTS.items():
                if c in values and values[c] is None:
                    values[c] = default
            existing = existing_id(db, table, values)
            if existing is not None:
                # The same analyst or document here under another id: later records point at ours.
                if table == "analysts":
                    analyst_map[values["id"]] = existing
                elif table == "documents":
                    document_map[values["id"]] = existing
                skipped[table] += 1
                continue
            if table == "forecasts":
                values["analyst_id"] = analyst_map.get(values["analyst_id"], values["analyst_id"])
            if table in ("questions", "question_versions") and values.get("document_id"):
                values["document_id"] = document_map.get(values["document_id"], values["document_id"])
            try:
                db.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    [values[c] for c in columns],
                )
                if table == "questions":
                    for tag in row.get("tags", []):
                        db.execute("INSERT OR IGNORE INTO question_tags (question_id, tag) VALUES (?, ?)",
                                   [values["id"], tag])
            except sqlite3.IntegrityError as exc:
                raise ImportFormatError(
                    f"{table} record {values['id']} cannot be imported ({exc}); nothing was imported"
                ) from None
            added[table] += 1
            qid = values.get("question_id") or (values["id"] if table == "questions" else None)
            if table == "retractions":
                qid = db.execute("SELECT question_id FROM forecasts WHERE id = ?", [values["forecast_id"]]).fetchone()[0]
            if qid:
                touched.add(qid)
        for key, value in (data.get("settings") or {}).items():
            db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", [str(key), str(value)])
        if refresh:
            refresh_pair_scores(db, touched)
    if progress:
        progress(total, total)
    return ImportReport(added=added, skipped=skipped, touched=frozenset(touched))
