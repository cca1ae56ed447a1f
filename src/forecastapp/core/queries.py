"""The read side of the ledger: every SELECT the CLI and the GUI need, with filtering, sorting
and paging done in SQLite so neither ever loads the whole ledger into Python.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from forecastapp.core.errors import NotFoundError, ValidationError
from forecastapp.core.model import (
    DocumentRecord,
    FieldChange,
    ForecastRecord,
    Outcome,
    PairScore,
    QuestionDetail,
    QuestionRow,
    QuestionVersion,
    RecordOrigin,
    ResolutionRecord,
    Status,
    is_text,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

STATUS_FILTERS = ("open", "due", "resolved", "annulled", "all")

#: SQL truth value for a forecast row aliased `f`: made on more than a day before the (UTC) day it
#: was recorded, so it could rest on hindsight. Derived, never stored: recorded_at is set by the app.
BACKDATED_SQL = "(f.made_on < date(substr(f.recorded_at, 1, 10), '-1 day'))"

#: Sort keys the table and `list` accept, mapped to SQL expressions (ties break on seq).
SORT_KEYS: dict[str, str] = {
    "recorded": "q.seq",
    "statement": "q.statement COLLATE NOCASE",
    "tags": "tags COLLATE NOCASE",
    "probability": "q.latest_probability",
    "analyst": "a.name COLLATE NOCASE",
    "made_on": "q.latest_made_on",
    "resolve_by": "q.resolve_by",
    "status": "status_rank",
    "brier": "brier",
}

_STATUS_SQL = """CASE
    WHEN q.outcome IN ('yes', 'no') THEN 'resolved'
    WHEN q.outcome = 'annulled' THEN 'annulled'
    WHEN q.resolve_by < :today THEN 'due'
    ELSE 'open' END"""

# Due first: they need the analyst's attention.
_STATUS_RANK_SQL = """CASE
    WHEN q.outcome IS NULL AND q.resolve_by < :today THEN 0
    WHEN q.outcome IS NULL THEN 1
    WHEN q.outcome IN ('yes', 'no') THEN 2
    ELSE 3 END"""

_ROW_SELECT = f"""
SELECT q.seq, q.id, q.statement, q.criteria, q.condition, q.resolve_from, q.resolve_by, q.outcome,
       q.resolved_on, q.latest_probability, q.latest_made_on, q.document_id, q.excerpt, q.excerpt_start,
       q.excerpt_end, q.deleted,
       a.name AS latest_analyst,
       f.estimative_term AS estimative_term,
       (SELECT group_concat(tag, ',') FROM question_tags t WHERE t.question_id = q.id) AS tags,
       (SELECT avg(brier) FROM pair_scores ps WHERE ps.question_id = q.id) AS brier,
       {_STATUS_SQL} AS status,
       {_STATUS_RANK_SQL} AS status_rank
FROM questions q
LEFT JOIN forecasts f ON f.seq = q.latest_seq
LEFT JOIN analysts a ON a.id = q.latest_analyst_id
"""


@dataclass(frozen=True)
class QuestionFilter:
    """Which questions a list shows."""

    status: str = "all"
    tag: str | None = None
    analyst: str | None = None
    document_id: str | None = None
    search: str | None = None
    include_deleted: bool = False

    def with_(self, **changes: object) -> QuestionFilter:
        """A copy with some fields changed."""
        return replace(self, **changes)


def fts_query(text: str) -> str | None:
    """Turn what a user types into a safe FTS5 query: every word must appear, as a prefix."""
    words = re.findall(r"\w+", text or "", flags=re.UNICODE)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words[:32])


def _where(flt: QuestionFilter) -> tuple[str, dict]:
    if flt.status not in STATUS_FILTERS:
        raise ValidationError(f"status '{flt.status}' is not one of {', '.join(STATUS_FILTERS)}")
    for what, value in (("tag", flt.tag), ("analyst", flt.analyst), ("document", flt.document_id)):
        # SQLite cannot even compare text with undecodable bytes in it (found by tests/core/test_fuzz.py);
        # the search box needs no check, fts_query keeps word characters only.
        if value and not is_text(value):
            raise ValidationError(f"the {what} filter contains bytes that are not valid text; type it again")
    clauses: list[str] = []
    params: dict = {}
    if not flt.include_deleted:
        clauses.append("q.deleted = 0")
    if flt.status != "all":
        clauses.append(f"({_STATUS_SQL}) = :status")
        params["status"] = flt.status
    if flt.tag:
        clauses.append("EXISTS (SELECT 1 FROM question_tags t WHERE t.question_id = q.id AND t.tag = :tag)")
        params["tag"] = " ".join(flt.tag.strip().lower().split())
    if flt.analyst:
        clauses.append(
            "EXISTS (SELECT 1 FROM forecasts f2 JOIN analysts a2 ON a2.id = f2.analyst_id"
            " WHERE f2.question_id = q.id AND a2.name = :analyst COLLATE NOCASE)"
        )
        params["analyst"] = " ".join(flt.analyst.split())
    if flt.document_id:
        clauses.append("q.document_id = :document_id")
        params["document_id"] = flt.document_id
    if flt.search:
        match = fts_query(flt.search)
        if match:
            clauses.append("q.seq IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH :match)")
            params["match"] = match
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _order(sort: str, descending: bool) -> str:
    if sort not in SORT_KEYS:
        raise ValidationError(f"cannot sort by '{sort}'; use one of {', '.join(SORT_KEYS)}")
    direction = "DESC" if descending else "ASC"
    if sort == "recorded":
        # seq is never NULL: ordering by it alone lets SQLite walk the table in rowid order and stop
        # at a LIMIT instead of sorting every row (the app's default order, and its first paint).
        return f"ORDER BY q.seq {direction}"
    # NULLs (no deadline, no forecast, not scored) go last whichever way the column is sorted.
    return f"ORDER BY ({SORT_KEYS[sort]}) IS NULL, {SORT_KEYS[sort]} {direction}, q.seq {direction}"


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _row(r: dict, latest: dict[str, float] | None = None) -> QuestionRow:
    return QuestionRow(
        id=r["id"],
        statement=r["statement"],
        criteria=r["criteria"],
        condition=r["condition"],
        tags=tuple(sorted(r["tags"].split(","))) if r["tags"] else (),
        resolve_from=_iso(r["resolve_from"]),
        resolve_by=_iso(r["resolve_by"]),
        status=Status(r["status"]),
        outcome=Outcome(r["outcome"]) if r["outcome"] else None,
        resolved_on=_iso(r["resolved_on"]),
        latest_probability=r["latest_probability"],
        latest_analyst=r["latest_analyst"],
        latest_made_on=_iso(r["latest_made_on"]),
        estimative_term=r["estimative_term"],
        document_id=r["document_id"],
        excerpt=r["excerpt"],
        excerpt_start=r["excerpt_start"],
        excerpt_end=r["excerpt_end"],
        brier=r["brier"],
        deleted=bool(r["deleted"]),
        latest=latest or {},
        key=r["seq"],
    )


def latest_by_analyst(db: Database, question_ids: Sequence[str]) -> dict[str, dict[str, float]]:
    """For each question, every analyst's latest unretracted probability."""
    out: dict[str, dict[str, float]] = {qid: {} for qid in question_ids}
    for chunk_start in range(0, len(question_ids), 500):
        chunk = list(question_ids[chunk_start : chunk_start + 500])
        marks = ",".join("?" * len(chunk))
        rows = db.query(
            f"""
            SELECT question_id, name, probability FROM (
                SELECT f.question_id, a.name, f.probability,
                       row_number() OVER (PARTITION BY f.question_id, f.analyst_id
                                          ORDER BY f.made_on DESC, f.recorded_at DESC, f.seq DESC) AS rn
                FROM forecasts f JOIN analysts a ON a.id = f.analyst_id
                WHERE f.question_id IN ({marks})
                  AND NOT EXISTS (SELECT 1 FROM retractions r WHERE r.forecast_id = f.id)
            ) WHERE rn = 1 ORDER BY name COLLATE NOCASE
            """,
            chunk,
        )
        for r in rows:
            out[r["question_id"]][r["name"]] = r["probability"]
    return out


def list_questions(
    db: Database,
    flt: QuestionFilter = QuestionFilter(),
    *,
    today: date,
    sort: str = "recorded",
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
    with_latest: bool = True,
) -> list[QuestionRow]:
    """One page of questions, filtered and sorted in SQL."""
    where, params = _where(flt)
    params["today"] = today.isoformat()
    sql = f"{_ROW_SELECT} {where} {_order(sort, descending)}"
    if limit is not None:
        sql += " LIMIT :limit OFFSET :offset"
        params.update(limit=limit, offset=offset)
    rows = list(db.query(sql, params))
    latest = latest_by_analyst(db, [r["id"] for r in rows]) if with_latest else {}
    return [_row(r, latest.get(r["id"])) for r in rows]


def list_question_keys(
    db: Database, flt: QuestionFilter = QuestionFilter(), *, today: date, sort: str = "recorded",
    descending: bool = False, limit: int | None = None,
) -> list[int]:
    """The row keys (seq) of every matching question, in order: a cheap index for a lazy table.

    `limit` keeps only the first keys: a window's first screen needs no more, and SQLite then stops
    early (about 1 ms in the order of recording, against 150 ms for 100,000 keys).
    """
    where, params = _where(flt)
    params["today"] = today.isoformat()
    needs_join = sort in ("analyst", "tags", "brier")
    if needs_join:
        sql = f"SELECT seq FROM ({_ROW_SELECT} {where} {_order(sort, descending)})"
    else:
        # The status rank is worked out only when it is the order (100,000 CASEs are not free).
        rank = f", {_STATUS_RANK_SQL} AS status_rank" if sort == "status" else ""
        sql = f"SELECT q.seq{rank} FROM questions q {where} {_order(sort, descending)}"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [r[0] for r in db.execute(sql, params).fetchall()]


@dataclass(frozen=True)
class RowValues:
    """Question rows as SQLite returned them, keyed by seq; `row(key)` builds one `QuestionRow` when asked.

    Building a `QuestionRow` is the costly part of reading a page (dates, enums, a frozen dataclass of
    twenty fields: most of the 10-15 ms a block of 200 takes). A GUI that reads on a worker thread
    keeps the worker's Python work, which competes with the GUI thread for the interpreter, to one
    `fetchall`, and builds on the GUI thread only the rows it paints.
    """

    names: tuple[str, ...]
    values: dict[int, tuple]

    def row(self, key: int) -> QuestionRow | None:
        """The row for `key`, or None if the key was not read (or has vanished)."""
        value = self.values.get(key)
        return None if value is None else _row(dict(zip(self.names, value)))

    def rows(self, keys: Sequence[int]) -> list[QuestionRow]:
        """The rows for these keys, in the order given; keys that were not read are skipped."""
        return [row for row in map(self.row, keys) if row is not None]

    def key_of(self, question_id: str) -> int | None:
        """The key of the row with this question id, if it was read."""
        at = self.names.index("id")
        return next((key for key, value in self.values.items() if value[at] == question_id), None)


def get_row_values(db: Database, keys: Sequence[int], *, today: date) -> RowValues:
    """The raw rows for these keys (seq); keys that vanished are missing from `values`."""
    if not keys:
        return RowValues(names=(), values={})
    params: dict = {f"k{i}": k for i, k in enumerate(keys)}
    params["today"] = today.isoformat()
    marks = ",".join(f":k{i}" for i in range(len(keys)))
    cursor = db.execute(f"{_ROW_SELECT} WHERE q.seq IN ({marks})", params)
    names = tuple(d[0] for d in cursor.description)
    # seq is the first column of _ROW_SELECT.
    return RowValues(names=names, values={value[0]: value for value in cursor.fetchall()})


def get_rows(db: Database, keys: Sequence[int], *, today: date) -> list[QuestionRow]:
    """The rows for these keys (seq), in the order given; keys that vanished are skipped."""
    return get_row_values(db, keys, today=today).rows(keys)


def question_key(db: Database, question_id: str) -> int:
    """The row key (seq) of a question, for finding it in a key list."""
    row = db.execute("SELECT seq FROM questions WHERE id = ?", [question_id]).fetchone()
    if row is None:
        raise NotFoundError(f"no question with id '{question_id}'")
    return row[0]


def count_questions(db: Database, flt: QuestionFilter = QuestionFilter(), *, today: date) -> int:
    """How many questions match the filter."""
    where, params = _where(flt)
    params["today"] = today.isoformat()
    return db.execute(f"SELECT count(*) FROM questions q {where}", params).fetchone()[0]


def status_counts(db: Database, *, today: date) -> dict[str, int]:
    """How many live questions are open, due, resolved and annulled."""
    counts = {s.value: 0 for s in Status}
    for status, n in db.execute(
        f"SELECT {_STATUS_SQL} AS status, count(*) FROM questions q WHERE q.deleted = 0 GROUP BY status",
        {"today": today.isoformat()},
    ).fetchall():
        counts[status] = n
    return counts


def mean_brier(db: Database) -> float | None:
    """Mean Brier over the scored pairs of live questions (the scorecard's overall Brier, unfiltered); None if none."""
    # pair_scores already holds one row per scored (question, analyst) pair; averaging it is the
    # scorecard's overall figure without building the rest of the scorecard.
    row = db.execute(
        "SELECT avg(brier) FROM pair_scores WHERE question_id IN (SELECT id FROM questions WHERE deleted = 0)"
    ).fetchone()
    return row[0] if row else None


def resolve_question_id(db: Database, ref: str, *, include_deleted: bool = True) -> str:
    """The full id of the question a user means by an id or a unique id prefix (at least 4 characters)."""
    return resolve_record_id(db, "questions", ref, what="question", where="" if include_deleted else "deleted = 0")


#: The tables whose ids a user may type, and what one of their records is called.
_ID_TABLES = {"questions": "question", "forecasts": "forecast", "conflicts": "conflict", "documents": "document"}


def resolve_record_id(db: Database, table: str, ref: str, *, what: str, where: str = "") -> str:
    """The full id a user means by an id or a unique prefix of one (at least 4 characters), in `table`."""
    assert table in _ID_TABLES
    ref = (ref or "").strip().lower()
    if not re.fullmatch(r"[0-9a-f-]{4,36}", ref):
        raise NotFoundError(f"'{ref}' is not a {what} id (give at least 4 characters of one)")
    extra = f" AND {where}" if where else ""
    rows = db.execute(
        f"SELECT id FROM {table} WHERE id >= ? AND id < ?{extra} LIMIT 2", [ref, ref + "\uffff"]
    ).fetchall()
    if not rows:
        raise NotFoundError(f"no {what} with id '{ref}'")
    if len(rows) > 1:
        raise NotFoundError(f"'{ref}' matches several {what}s; give more characters of the id")
    return rows[0][0]


#: The origin columns question_detail reads beside a record (`o` is its `origins` row, NULLs when made here).
_ORIGIN_SQL = ("o.id AS origin_id, o.action AS origin_action, o.format AS origin_format, o.source AS origin_source,"
               " o.recorded_at AS origin_at")


def _origin_join(table: str, alias: str) -> str:
    return (f"LEFT JOIN record_origins ro ON ro.record_table = '{table}' AND ro.record_id = {alias}.id"
            " LEFT JOIN origins o ON o.id = ro.origin_id")


def _origin(r: dict) -> RecordOrigin | None:
    if r["origin_id"] is None:
        return None
    return RecordOrigin(id=r["origin_id"], action=r["origin_action"], format=r["origin_format"],
                        source=r["origin_source"], imported_at=r["origin_at"])


def question_detail(db: Database, question_id: str, *, today: date) -> QuestionDetail:
    """A question with its complete forecast and resolution history.

    Each forecast says whether the scores leave it out as hindsight (`unscored`, from the derived table
    `unscored_forecasts`), and each forecast and resolution record the import or merge it came from
    (`origin`, from `record_origins`); `scores` names the final forecast behind each scored pair.
    """
    rows = list(db.query(f"{_ROW_SELECT} WHERE q.id = :id", {"id": question_id, "today": today.isoformat()}))
    if not rows:
        raise NotFoundError(f"no question with id '{question_id}'")
    question = _row(rows[0], latest_by_analyst(db, [question_id])[question_id])
    forecasts = tuple(
        ForecastRecord(
            id=r["id"], analyst=r["name"], probability=r["probability"], estimative_term=r["estimative_term"],
            made_on=date.fromisoformat(r["made_on"]), recorded_at=r["recorded_at"], rationale=r["rationale"],
            retracted_at=r["retracted_at"], retraction_reason=r["reason"], backdated=bool(r["backdated"]),
            backdate_evidence=r["evidence"], unscored=r["unscored"], origin=_origin(r),
        )
        for r in db.query(
            # A forecast dated the day its question's document was published, on a question quoting
            # that document, is the document's own forecast: the dated excerpt is its evidence.
            f"""SELECT f.*, a.name, x.recorded_at AS retracted_at, x.reason, {BACKDATED_SQL} AS backdated,
                      CASE WHEN {BACKDATED_SQL} AND q.excerpt IS NOT NULL AND d.published_on = f.made_on
                           THEN 'the excerpt from “' || d.title || '”, published ' || d.published_on
                      END AS evidence,
                      u.reason AS unscored, {_ORIGIN_SQL}
               FROM forecasts f JOIN analysts a ON a.id = f.analyst_id
               JOIN questions q ON q.id = f.question_id
               LEFT JOIN documents d ON d.id = q.document_id
               LEFT JOIN retractions x ON x.forecast_id = f.id
               LEFT JOIN unscored_forecasts u ON u.forecast_id = f.id
               {_origin_join('forecasts', 'f')}
               WHERE f.question_id = ? ORDER BY f.made_on, f.recorded_at, f.seq""",
            [question_id],
        )
    )
    res_rows = list(db.query(
        f"SELECT r.*, {_ORIGIN_SQL} FROM resolutions r {_origin_join('resolutions', 'r')}"
        " WHERE r.question_id = ? ORDER BY r.seq", [question_id]))
    last = res_rows[-1]["id"] if res_rows and res_rows[-1]["kind"] != "retract" else None
    resolutions = tuple(
        ResolutionRecord(
            id=r["id"], kind=r["kind"], outcome=Outcome(r["outcome"]) if r["outcome"] else None,
            annul_reason=r["annul_reason"], resolved_on=_iso(r["resolved_on"]), evidence=r["evidence"],
            recorded_by=r["recorded_by"], recorded_at=r["recorded_at"], supersedes=r["supersedes"],
            effective=r["id"] == last, origin=_origin(r),
        )
        for r in res_rows
    )
    title = None
    if question.document_id:
        title = db.execute("SELECT title FROM documents WHERE id = ?", [question.document_id]).fetchone()[0]
    log = tuple(
        (r["action"], r["recorded_at"], r["reason"])
        for r in db.query("SELECT * FROM question_log WHERE question_id = ? ORDER BY seq", [question_id])
    )
    scores = tuple(
        PairScore(analyst=r[0], final_forecast_id=r[1], brier=r[2])
        for r in db.execute(
            "SELECT a.name, ps.final_forecast_id, ps.brier FROM pair_scores ps JOIN analysts a ON a.id = ps.analyst_id"
            " WHERE ps.question_id = ? ORDER BY a.name COLLATE NOCASE", [question_id]).fetchall()
    )
    return QuestionDetail(question=question, forecasts=forecasts, resolutions=resolutions, document_title=title,
                          log=log, versions=question_versions(db, question_id), scores=scores)


#: The fields an edit can change, in the order a history shows them.
EDITABLE_FIELDS = ("statement", "criteria", "condition", "resolve_from", "resolve_by")


def question_versions(db: Database, question_id: str) -> tuple[QuestionVersion, ...]:
    """A question's versions, oldest first, each with the fields it changed from the one before."""
    import json

    out: list[QuestionVersion] = []
    before: dict | None = None
    for r in db.query("SELECT * FROM question_versions WHERE question_id = ? ORDER BY seq", [question_id]):
        changes = () if before is None else tuple(
            FieldChange(c, before[c], r[c]) for c in EDITABLE_FIELDS if before[c] != r[c]
        )
        out.append(QuestionVersion(
            id=r["id"], action=r["action"], recorded_at=r["recorded_at"], recorded_by=r["recorded_by"],
            reason=r["reason"], meaning_changed=bool(r["meaning_changed"]), changes=changes,
            tags_added=tuple(json.loads(r["tags_added"])), tags_removed=tuple(json.loads(r["tags_removed"])),
        ))
        before = r
    return tuple(out)


def get_document(db: Database, document_id: str) -> DocumentRecord:
    """One stored document with its full text."""
    rows = list(db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
    if not rows:
        raise NotFoundError(f"no document with id '{document_id}'")
    r = rows[0]
    return DocumentRecord(id=r["id"], title=r["title"], author=r["author"], published_on=_iso(r["published_on"]),
                          text=r["text"], recorded_at=r["recorded_at"])


def list_documents(db: Database) -> list[tuple[str, str, int]]:
    """(id, title, number of live questions) for every document."""
    return [
        (r["id"], r["title"], r["n"])
        for r in db.query(
            "SELECT d.id, d.title, (SELECT count(*) FROM questions q WHERE q.document_id = d.id AND q.deleted = 0)"
            " AS n FROM documents d ORDER BY d.recorded_at"
        )
    ]


def list_analysts(db: Database) -> list[str]:
    """Every analyst's name, alphabetically."""
    return [r[0] for r in db.execute("SELECT name FROM analysts ORDER BY name COLLATE NOCASE").fetchall()]


def list_tags(db: Database) -> list[tuple[str, int]]:
    """Every tag in use on live questions, with how many questions carry it."""
    return [
        (r[0], r[1])
        for r in db.execute(
            "SELECT t.tag, count(*) FROM question_tags t JOIN questions q ON q.id = t.question_id"
            " WHERE q.deleted = 0 GROUP BY t.tag ORDER BY t.tag"
        ).fetchall()
    ]


def document_excerpts(db: Database, document_id: str) -> list[tuple[str, int, int, str]]:
    """(question id, start, end, statement) of every live question linked to a document."""
    return [
        (r[0], r[1], r[2], r[3])
        for r in db.execute(
            "SELECT id, excerpt_start, excerpt_end, statement FROM questions"
            " WHERE document_id = ? AND deleted = 0 AND excerpt IS NOT NULL ORDER BY excerpt_start",
            [document_id],
        ).fetchall()
    ]
