"""Lossless JSON export and idempotent import of a whole ledger.

Every record travels with its stable id, so importing a file twice adds nothing and ledgers from
two machines can meet. Derived data (latest-forecast columns, scored pairs, search index) is not
exported: the importing database rebuilds it.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from forecastapp import __version__
from forecastapp.core.errors import ImportFormatError
from forecastapp.core.files import read_input, write_output
from forecastapp.core.integrity import chain_head
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
_DEFAULTS = {"criteria": "", "rationale": "", "evidence": "", "recorded_by": "", "reason": ""}
_ORDER = {"documents": "recorded_at, id", "analysts": "recorded_at, id"}


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
    # The hash chain's order and head, so a reader can recompute it from this file alone
    # (`forecastapp verify --ledger FILE.json`); importing ignores both.
    out["chain"] = [[t, i] for t, i in db.execute("SELECT record_table, record_id FROM chain ORDER BY seq")]
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


def import_ledger(
    db: Database, data: dict, *, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Add every record of an export that this ledger does not have yet, in one transaction."""
    check_export(data)
    added = {t: 0 for t in TABLES}
    skipped = {t: 0 for t in TABLES}
    total = sum(len(data.get(t, [])) for t in TABLES)
    done = 0
    analyst_map: dict[str, str] = {}
    document_map: dict[str, str] = {}
    touched: set[str] = set()
    with writing(db):
        for table, columns in TABLES.items():
            for row in data.get(table, []):
                done += 1
                if progress and done % 1000 == 0:
                    progress(done, total)
                values = {c: row.get(c, _DEFAULTS.get(c)) for c in columns}
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
                if table == "questions" and values.get("document_id"):
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
        refresh_pair_scores(db, touched)
    if progress:
        progress(total, total)
    return ImportReport(added=added, skipped=skipped)
