"""The write side of the ledger: every user action, validated first, then one transaction.

History is append-only by construction: a new probability is a new forecast row, an undo is a
retraction, a changed outcome is a correcting resolution record, and a deleted question is a
log entry that a restore reverses. Nothing here updates or deletes a history row (the schema's
triggers would refuse it anyway).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from types import EllipsisType

from sqlite_utils import Database

from forecastapp.core.errors import NotFoundError, ValidationError
from forecastapp.core.model import CONDITION_NOT_MET, Outcome, control_character, is_text, moment_iso, new_id
from forecastapp.core.pairs import refresh_pair_scores
from forecastapp.core.probability import MAX_P, MIN_P
from forecastapp.core.store import writing

MAX_TEXT = 100_000  # characters in one statement, criteria, rationale or evidence
MAX_TAG = 64


@dataclass(frozen=True)
class NewQuestion:
    """What a user gives to create a question (parsed and typed already)."""

    statement: str
    criteria: str = ""
    condition: str | None = None
    resolve_by: date | None = None
    resolve_from: date | None = None
    tags: tuple[str, ...] = ()
    document_id: str | None = None
    excerpt: str | None = None
    excerpt_start: int | None = None
    excerpt_end: int | None = None


# ---------------------------------------------------------------- validation helpers


def clean_text(value: str | None, what: str, *, required: bool = False) -> str:
    """The text trimmed, or a one-line ValidationError: empty when required, over MAX_TEXT, a NUL, undecodable."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"the {what} is empty; write what will be resolved")
    if len(value) > MAX_TEXT:
        raise ValidationError(f"the {what} is {len(value):,} characters long; the limit is {MAX_TEXT:,}")
    check_text(value, what)
    return value


def check_text(value: str, what: str) -> None:
    """Refuse a NUL (SQLite's length() stops at it) and undecodable bytes, which SQLite cannot store.

    Names and tags come through here too since tests/core/test_fuzz.py found both crashing an insert.
    """
    if "\x00" in value:
        raise ValidationError(f"the {what} contains a NUL character")
    control = control_character(value)
    if control is not None:
        # Terminal escapes (ESC[31m) and other control bytes would act on whoever later prints the text.
        raise ValidationError(f"the {what} contains the control character {control}; remove it (tabs and line "
                              "breaks are fine)")
    if not is_text(value):
        raise ValidationError(f"the {what} contains bytes that are not valid text (check your terminal's "
                              "encoding); type it again")


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Lower-case, trimmed, de-duplicated tags in the order given; commas split tags too."""
    out: list[str] = []
    for raw in tags:
        for part in str(raw).split(","):
            tag = " ".join(part.strip().lower().split())
            if not tag:
                continue
            if len(tag) > MAX_TAG:
                raise ValidationError(f"the tag '{tag[:20]}...' is longer than {MAX_TAG} characters")
            check_text(tag, "tag")
            if tag not in out:
                out.append(tag)
    return tuple(out)


def check_probability(p: float) -> float:
    """Refuse probabilities the scores cannot use (the parser gives the friendlier message first)."""
    # Compared before any float(): a huge int cannot become a float, nor be printed whole (Python's
    # int-to-text limit), so the message shows it shortened (both found by tests/core/test_fuzz.py).
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not (MIN_P <= p <= MAX_P):
        shown = repr(p) if not isinstance(p, int) or abs(p) < 10**30 else "a number of over 30 digits"
        raise ValidationError(f"probability {shown} is outside 0.1%..99.9%")
    return float(p)


def _question(db: Database, question_id: str) -> dict:
    rows = list(db.query("SELECT * FROM questions WHERE id = ?", [question_id]))
    if not rows:
        raise NotFoundError(f"no question with id '{question_id}'")
    return rows[0]


def _live_question(db: Database, question_id: str) -> dict:
    q = _question(db, question_id)
    if q["deleted"]:
        raise ValidationError(f"question {question_id[:8]} is deleted; restore it first")
    return q


def clean_analyst_name(name: str | None) -> str:
    """An analyst name as the ledger stores it (spaces collapsed), or a one-line ValidationError."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("the analyst name is empty; say who made the forecast")
    if len(name) > 200:
        raise ValidationError("the analyst name is longer than 200 characters")
    check_text(name, "analyst name")
    return name


def ensure_analyst(db: Database, name: str, *, now: datetime) -> str:
    """The id of the analyst with this name (case-insensitive), creating them if new."""
    name = clean_analyst_name(name)
    rows = list(db.query("SELECT id FROM analysts WHERE name = ? COLLATE NOCASE", [name]))
    if rows:
        return rows[0]["id"]
    analyst_id = new_id()
    db.execute(
        "INSERT INTO analysts (id, name, recorded_at) VALUES (?, ?, ?)", [analyst_id, name, moment_iso(now)]
    )
    return analyst_id


# ---------------------------------------------------------------- documents


def add_document(
    db: Database,
    *,
    title: str,
    text: str,
    author: str | None = None,
    published_on: date | None = None,
    document_id: str | None = None,
    now: datetime,
) -> tuple[str, bool]:
    """Store a document once (matched by its text's SHA-256); returns (id, created)."""
    title = clean_text(title, "title", required=True)
    check_text(author or "", "author")
    if not text.strip():
        raise ValidationError("the document has no text")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with writing(db):
        existing = list(db.query("SELECT id FROM documents WHERE sha256 = ?", [digest]))
        if existing:
            return existing[0]["id"], False
        doc_id = document_id or new_id()
        db.execute(
            "INSERT INTO documents (id, title, author, published_on, text, sha256, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [doc_id, title, author, published_on.isoformat() if published_on else None, text, digest,
             moment_iso(now)],
        )
    return doc_id, True


# ---------------------------------------------------------------- questions and forecasts


def _validate_question(db: Database, q: NewQuestion, *, made_on: date | None) -> NewQuestion:
    statement = clean_text(q.statement, "statement", required=True)
    criteria = clean_text(q.criteria, "criteria")
    condition = clean_text(q.condition, "condition") or None
    if q.resolve_from and (q.resolve_by is None or q.resolve_from > q.resolve_by):
        raise ValidationError("the resolution window starts after it ends")
    if made_on and q.resolve_by and q.resolve_by < made_on:
        raise ValidationError(
            f"resolve-by {q.resolve_by.isoformat()} is before the forecast date {made_on.isoformat()}"
        )
    excerpt = q.excerpt
    if q.document_id is not None:
        rows = list(db.query("SELECT text FROM documents WHERE id = ?", [q.document_id]))
        if not rows:
            raise NotFoundError(f"no document with id '{q.document_id}'")
        if excerpt is not None:
            text = rows[0]["text"]
            start, end = q.excerpt_start, q.excerpt_end
            if start is None or end is None or not (0 <= start < end <= len(text)):
                raise ValidationError("the excerpt's offsets are outside the document")
            if text[start:end] != excerpt:
                raise ValidationError("the excerpt does not match the document text at its offsets")
    elif excerpt is not None:
        raise ValidationError("an excerpt needs the document it comes from")
    return NewQuestion(
        statement=statement,
        criteria=criteria,
        condition=condition,
        resolve_by=q.resolve_by,
        resolve_from=q.resolve_from,
        tags=normalize_tags(q.tags),
        document_id=q.document_id,
        excerpt=excerpt,
        excerpt_start=q.excerpt_start if excerpt is not None else None,
        excerpt_end=q.excerpt_end if excerpt is not None else None,
    )


def _insert_question(db: Database, q: NewQuestion, *, question_id: str, now: datetime) -> None:
    db.execute(
        "INSERT INTO questions (id, statement, criteria, condition, resolve_from, resolve_by, document_id,"
        " excerpt, excerpt_start, excerpt_end, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            question_id, q.statement, q.criteria, q.condition,
            q.resolve_from.isoformat() if q.resolve_from else None,
            q.resolve_by.isoformat() if q.resolve_by else None,
            q.document_id, q.excerpt, q.excerpt_start, q.excerpt_end, moment_iso(now),
        ],
    )
    if q.tags:
        db.conn.executemany(
            "INSERT INTO question_tags (question_id, tag) VALUES (?, ?)", [(question_id, t) for t in q.tags]
        )


def _check_made_on(made_on: date, today: date) -> None:
    if made_on > today:
        raise ValidationError(f"made-on {made_on.isoformat()} is in the future; a forecast is dated when it is made")


def _check_forecast(q: dict, *, made_on: date, today: date) -> None:
    _check_made_on(made_on, today)
    if q["outcome"] is None:
        return
    if made_on.isoformat() > q["resolved_on"]:
        raise ValidationError(
            f"question {q['id'][:8]} resolved {q['outcome']} on {q['resolved_on']}; "
            f"a forecast made on {made_on.isoformat()} would be hindsight and is refused"
        )
    # Whatever its made-on day, a forecast recorded now is recorded knowing the outcome.
    raise ValidationError(
        f"question {q['id'][:8]} resolved {q['outcome']} on {q['resolved_on']}; a forecast recorded after its "
        "resolution would be hindsight and is refused"
    )


def hindsight_note(db: Database, question_id: str) -> str | None:
    """Why a forecast recorded now on this open question will never be scored, or None.

    A question whose resolution was withdrawn (or corrected and withdrawn) is open again and takes
    forecasts, but its outcome was on the record once: forecasts recorded since are kept in the
    history and left out of every score (pairs.py, "recorded_after").
    """
    if db.execute("SELECT 1 FROM resolutions WHERE question_id = ? AND outcome IS NOT NULL LIMIT 1",
                  [question_id]).fetchone() is None:
        return None
    return (f"question {question_id[:8]} was resolved once (its resolution was withdrawn), so this forecast is "
            "kept in the history but never scored")


def _insert_forecast(
    db: Database, *, forecast_id: str, question_id: str, analyst_id: str, probability: float,
    term: str | None, made_on: date, rationale: str, now: datetime,
) -> None:
    db.execute(
        "INSERT INTO forecasts (id, question_id, analyst_id, probability, estimative_term, made_on, recorded_at,"
        " rationale) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [forecast_id, question_id, analyst_id, probability, term, made_on.isoformat(), moment_iso(now), rationale],
    )


def create_forecast(
    db: Database,
    question: NewQuestion,
    *,
    analyst: str,
    probability: float,
    term: str | None = None,
    made_on: date,
    rationale: str = "",
    today: date,
    now: datetime,
    question_id: str | None = None,
    forecast_id: str | None = None,
) -> tuple[str, str]:
    """Add a question together with its first forecast; returns (question id, forecast id)."""
    probability = check_probability(probability)
    _check_made_on(made_on, today)
    rationale = clean_text(rationale, "rationale")
    q = _validate_question(db, question, made_on=made_on)
    question_id = question_id or new_id()
    forecast_id = forecast_id or new_id()
    with writing(db):
        analyst_id = ensure_analyst(db, analyst, now=now)
        _insert_question(db, q, question_id=question_id, now=now)
        _insert_forecast(
            db, forecast_id=forecast_id, question_id=question_id, analyst_id=analyst_id,
            probability=probability, term=term, made_on=made_on, rationale=rationale, now=now,
        )
    return question_id, forecast_id


def add_question(db: Database, question: NewQuestion, *, now: datetime, question_id: str | None = None) -> str:
    """Add a question with no forecast yet (forecasts come with `add_forecast`)."""
    q = _validate_question(db, question, made_on=None)
    question_id = question_id or new_id()
    with writing(db):
        _insert_question(db, q, question_id=question_id, now=now)
    return question_id


def add_forecast(
    db: Database,
    *,
    question_id: str,
    analyst: str,
    probability: float,
    term: str | None = None,
    made_on: date,
    rationale: str = "",
    today: date,
    now: datetime,
    forecast_id: str | None = None,
) -> str:
    """Record a new probability for a question (an update appends; nothing is overwritten)."""
    probability = check_probability(probability)
    rationale = clean_text(rationale, "rationale")
    forecast_id = forecast_id or new_id()
    with writing(db):
        q = _live_question(db, question_id)
        _check_forecast(q, made_on=made_on, today=today)
        analyst_id = ensure_analyst(db, analyst, now=now)
        _insert_forecast(
            db, forecast_id=forecast_id, question_id=question_id, analyst_id=analyst_id,
            probability=probability, term=term, made_on=made_on, rationale=rationale, now=now,
        )
        if q["outcome"] in ("yes", "no"):
            refresh_pair_scores(db, [question_id])
    return forecast_id


def retract_forecast(db: Database, *, forecast_id: str, reason: str = "", now: datetime) -> str:
    """Withdraw a forecast (an undo): it stays in the history, marked retracted, and is not scored."""
    reason = clean_text(reason, "reason")
    with writing(db):
        rows = list(db.query(
            "SELECT f.question_id, r.id AS retraction FROM forecasts f"
            " LEFT JOIN retractions r ON r.forecast_id = f.id WHERE f.id = ?",
            [forecast_id],
        ))
        if not rows:
            raise NotFoundError(f"no forecast with id '{forecast_id}'")
        if rows[0]["retraction"]:
            raise ValidationError(f"forecast {forecast_id[:8]} is already retracted")
        retraction_id = new_id()
        db.execute(
            "INSERT INTO retractions (id, forecast_id, recorded_at, reason) VALUES (?, ?, ?, ?)",
            [retraction_id, forecast_id, moment_iso(now), reason],
        )
        refresh_pair_scores(db, [rows[0]["question_id"]])
    return retraction_id


# ---------------------------------------------------------------- resolutions


def _check_outcome(q: dict, outcome: Outcome | str, annul_reason: str | None) -> tuple[Outcome, str | None]:
    try:
        outcome = Outcome(str(outcome).lower())
    except ValueError:
        raise ValidationError(f"outcome '{outcome}' is not one of yes, no, annulled") from None
    annul_reason = (annul_reason or "").strip() or None
    if annul_reason and outcome is not Outcome.ANNULLED:
        raise ValidationError("only an annulled question has an annulment reason")
    if annul_reason == CONDITION_NOT_MET and not q["condition"]:
        raise ValidationError(f"question {q['id'][:8]} has no condition, so its condition cannot fail")
    return outcome, annul_reason


def _check_resolved_on(resolved_on: date, today: date) -> None:
    if resolved_on > today:
        raise ValidationError(f"resolved-on {resolved_on.isoformat()} is in the future")


def resolve(
    db: Database,
    *,
    question_id: str,
    outcome: Outcome | str,
    resolved_on: date,
    evidence: str = "",
    recorded_by: str = "",
    annul_reason: str | None = None,
    today: date,
    now: datetime,
) -> str:
    """Record how an open question resolved, with who/when/evidence."""
    evidence = clean_text(evidence, "evidence")
    check_text(recorded_by, "recorder's name")
    with writing(db):
        q = _live_question(db, question_id)
        if q["outcome"] is not None:
            raise ValidationError(
                f"question {question_id[:8]} already resolved {q['outcome']} on {q['resolved_on']}; "
                "record a correction instead"
            )
        outcome, annul_reason = _check_outcome(q, outcome, annul_reason)
        _check_resolved_on(resolved_on, today)
        resolution_id = _insert_resolution(
            db, question_id=question_id, kind="resolve", outcome=outcome, annul_reason=annul_reason,
            resolved_on=resolved_on, evidence=evidence, recorded_by=recorded_by, supersedes=None, now=now,
        )
        refresh_pair_scores(db, [question_id])
    return resolution_id


def _effective_resolution(db: Database, question_id: str) -> dict | None:
    rows = list(db.query(
        "SELECT * FROM resolutions WHERE question_id = ? ORDER BY seq DESC LIMIT 1", [question_id]
    ))
    if not rows or rows[0]["kind"] == "retract":
        return None
    return rows[0]


def correct_resolution(
    db: Database,
    *,
    question_id: str,
    outcome: Outcome | str,
    resolved_on: date | None,
    evidence: str,
    recorded_by: str = "",
    annul_reason: str | None = None,
    today: date,
    now: datetime,
) -> str:
    """Replace the effective resolution with a new, visible record that supersedes it.

    `resolved_on` None keeps the day of the resolution it corrects: a correction of the outcome alone
    must not move the day the outcome became known (which decides what counts as hindsight).
    """
    evidence = clean_text(evidence, "evidence")
    check_text(recorded_by, "recorder's name")
    with writing(db):
        q = _live_question(db, question_id)
        current = _effective_resolution(db, question_id)
        if current is None:
            raise ValidationError(f"question {question_id[:8]} is not resolved; resolve it instead")
        outcome, annul_reason = _check_outcome(q, outcome, annul_reason)
        if resolved_on is None:
            resolved_on = date.fromisoformat(current["resolved_on"])
        _check_resolved_on(resolved_on, today)
        if (current["outcome"], current["resolved_on"], current["annul_reason"]) == (
            outcome.value, resolved_on.isoformat(), annul_reason
        ):
            raise ValidationError("the correction records the same outcome and date as the resolution in force")
        if not evidence:
            raise ValidationError("a correction needs evidence: say why the earlier resolution was wrong")
        resolution_id = _insert_resolution(
            db, question_id=question_id, kind="correct", outcome=outcome, annul_reason=annul_reason,
            resolved_on=resolved_on, evidence=evidence, recorded_by=recorded_by, supersedes=current["id"],
            now=now,
        )
        refresh_pair_scores(db, [question_id])
    return resolution_id


def retract_resolution(
    db: Database, *, question_id: str, reason: str = "", recorded_by: str = "", now: datetime
) -> str:
    """Withdraw the resolution in force (an undo): the question is open again, both records stay."""
    reason = clean_text(reason, "reason")
    check_text(recorded_by, "recorder's name")
    with writing(db):
        _live_question(db, question_id)
        current = _effective_resolution(db, question_id)
        if current is None:
            raise ValidationError(f"question {question_id[:8]} is not resolved")
        resolution_id = _insert_resolution(
            db, question_id=question_id, kind="retract", outcome=None, annul_reason=None, resolved_on=None,
            evidence=reason, recorded_by=recorded_by, supersedes=current["id"], now=now,
        )
        refresh_pair_scores(db, [question_id])
    return resolution_id


def _insert_resolution(
    db: Database, *, question_id: str, kind: str, outcome: Outcome | None, annul_reason: str | None,
    resolved_on: date | None, evidence: str, recorded_by: str, supersedes: str | None, now: datetime,
) -> str:
    resolution_id = new_id()
    db.execute(
        "INSERT INTO resolutions (id, question_id, kind, outcome, annul_reason, resolved_on, evidence,"
        " recorded_by, recorded_at, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            resolution_id, question_id, kind, outcome.value if outcome else None, annul_reason,
            resolved_on.isoformat() if resolved_on else None, evidence, recorded_by, moment_iso(now),
            supersedes,
        ],
    )
    return resolution_id


# ---------------------------------------------------------------- editing a question

#: The columns whose change alters what a question asks (an edit of any of them is `meaning_changed`).
MEANING_COLUMNS = ("statement", "criteria", "condition", "resolve_from", "resolve_by")
_DEFINING = ("statement", "criteria", "condition", "resolve_from", "resolve_by", "document_id", "excerpt",
             "excerpt_start", "excerpt_end")


def edit_question(
    db: Database,
    *,
    question_id: str,
    statement: str | None = None,
    criteria: str | None = None,
    condition: str | None = None,
    resolve_by: date | None | EllipsisType = ...,
    resolve_from: date | None | EllipsisType = ...,
    tags_add: Iterable[str] = (),
    tags_remove: Iterable[str] = (),
    reason: str,
    recorded_by: str = "",
    now: datetime,
) -> str:
    """Change a question's wording, criteria, condition, window or tags, as a new version; returns its id.

    None (or `...` for the dates) leaves a field as it is; an empty condition removes it, and None for a
    date removes it. The edit is checked as a new question is (a statement, a window that starts before
    it ends, a deadline not before the first forecast), must change something and give a reason. The
    version is chained; a trigger copies its snapshot into the question and applies the tag changes.
    """
    reason = " ".join(clean_text(reason, "reason").split())
    if not reason:
        raise ValidationError("give a reason for the edit: say why the question changes")
    check_text(recorded_by, "recorder's name")
    add, remove = normalize_tags(tags_add), normalize_tags(tags_remove)
    both = sorted(set(add) & set(remove))
    if both:
        raise ValidationError(f"the tag '{both[0]}' is both added and removed")
    with writing(db):
        q = _live_question(db, question_id)
        new = {c: q[c] for c in _DEFINING}
        if statement is not None:
            new["statement"] = clean_text(statement, "statement", required=True)
        if criteria is not None:
            new["criteria"] = clean_text(criteria, "criteria")
        if condition is not None:
            new["condition"] = clean_text(condition, "condition") or None
        if resolve_by is not ...:
            new["resolve_by"] = resolve_by.isoformat() if resolve_by else None
        if resolve_from is not ...:
            new["resolve_from"] = resolve_from.isoformat() if resolve_from else None
        _check_edit(db, q, new)
        tags = {r[0] for r in db.execute("SELECT tag FROM question_tags WHERE question_id = ?", [question_id])}
        missing = [t for t in remove if t not in tags]
        if missing:
            raise ValidationError(f"question {question_id[:8]} has no tag '{missing[0]}' to remove")
        added = [t for t in add if t not in tags]
        changed = [c for c in _DEFINING if new[c] != q[c]]
        if not changed and not added and not remove:
            raise ValidationError(f"the edit changes nothing: question {question_id[:8]} already reads so")
        version_id = new_id()
        db.execute(
            f"INSERT INTO question_versions (id, question_id, action, {', '.join(_DEFINING)}, tags_added,"
            " tags_removed, meaning_changed, reason, recorded_by, recorded_at)"
            f" VALUES (?, ?, 'edit', {', '.join('?' * len(_DEFINING))}, ?, ?, ?, ?, ?, ?)",
            [version_id, question_id, *(new[c] for c in _DEFINING), json.dumps(added, ensure_ascii=False),
             json.dumps(list(remove), ensure_ascii=False), int(any(c in MEANING_COLUMNS for c in changed)), reason,
             recorded_by, moment_iso(now)],
        )
        refresh_pair_scores(db, [question_id])
    return version_id


def _check_edit(db: Database, q: dict, new: dict) -> None:
    """The rules a new question's window and condition follow, for an edited one."""
    start, end = new["resolve_from"], new["resolve_by"]
    if start is not None and (end is None or start > end):
        raise ValidationError(
            f"the resolution window starts ({start}) after it ends ({end})" if end
            else "a resolution window needs a resolve-by date to end it"
        )
    if end is not None and end != q["resolve_by"]:
        first = db.execute("SELECT min(made_on) FROM forecasts WHERE question_id = ?", [q["id"]]).fetchone()[0]
        if first is not None and end < first:
            raise ValidationError(f"resolve-by {end} is before the question's first forecast, made on {first}")
    if new["condition"] is None and q["condition"] is not None:
        effective = _effective_resolution(db, q["id"])
        if effective is not None and effective["annul_reason"] == CONDITION_NOT_MET:
            raise ValidationError(
                f"question {q['id'][:8]} was annulled because its condition did not hold; its condition stays"
            )


# ---------------------------------------------------------------- soft delete


def delete_question(db: Database, *, question_id: str, reason: str = "", now: datetime) -> None:
    """Hide a question from lists and scores; its history stays and `restore_question` undoes it."""
    _log_question(db, question_id=question_id, action="delete", reason=reason, now=now)


def restore_question(db: Database, *, question_id: str, reason: str = "", now: datetime) -> None:
    """Bring back a soft-deleted question."""
    _log_question(db, question_id=question_id, action="restore", reason=reason, now=now)


def _log_question(db: Database, *, question_id: str, action: str, reason: str, now: datetime) -> None:
    reason = clean_text(reason, "reason")
    with writing(db):
        q = _question(db, question_id)
        if action == "delete" and q["deleted"]:
            raise ValidationError(f"question {question_id[:8]} is already deleted")
        if action == "restore" and not q["deleted"]:
            raise ValidationError(f"question {question_id[:8]} is not deleted")
        db.execute(
            "INSERT INTO question_log (id, question_id, action, recorded_at, reason) VALUES (?, ?, ?, ?, ?)",
            [new_id(), question_id, action, moment_iso(now), reason],
        )
        refresh_pair_scores(db, [question_id])
