"""Fatebook's CSV export (`fatebook-forecasts.csv`): read it into an import plan, and write the ledger in it.

The file has one row per forecast under exactly `FATEBOOK_HEADER`. Fatebook writes text fields in
double quotes, numbers and booleans bare, moments as `2024-03-05 09:07:3` (date and hours/minutes
zero-padded, seconds not), and multi-valued fields (shared with, comments, tags) joined with "; ".

Reading: rows with the same title and "Question created at" are one question; each row is one
forecast by its "Forecast created by"; Resolution YES / NO / AMBIGUOUS becomes yes / no / annulled
on the day of "Resolved at" (empty: open). "Question notes" become the question's criteria and
"Question tags" its tags. Multiple-choice rows are skipped (binary questions only). Moments carry
no zone and are read as UTC. Comments, sharing and Fatebook's own scores are not imported (the
ledger scores from the forecasts).

Writing (`write_fatebook`): one row per unretracted forecast of every live question, oldest first,
so Fatebook users can take their ledger back. "Question notes" carry the criteria (and the
condition, if any), "Question comments" the forecasts' rationales as "analyst: rationale",
"Question created by" the first forecaster. "Your Brier score for this question" is filled from
`pair_scores` for the row's analyst: twice our time-averaged Brier, i.e. on Fatebook's 0-2 scale
(Fatebook averages daily from question creation, we from the analyst's first forecast, so the two
can differ on the first days); empty while the pair is not scored. The relative Brier is left
empty: Fatebook's per-day median against other users has no counterpart in one exported row.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from sqlite_utils import Database

from forecastapp.core.errors import ImportFormatError
from forecastapp.core.files import write_output
from forecastapp.core.formats.plan import (
    ImportPlan,
    PlanBuilder,
    PlannedForecast,
    PlannedResolution,
    clean_name,
    clean_text,
    read_fraction,
    read_moment,
    read_moment_iso,
    read_utf8,
    record_id,
    split_tags,
)

FORMAT = "fatebook"

FATEBOOK_HEADER = (
    "Question title",
    "Multiple choice option",
    "Forecast created by",
    "Forecast (scale = 0-1)",
    "Forecast created at",
    "Question created by",
    "Question created at",
    "Question resolve by",
    "Resolution",
    "Resolved at",
    "Your Brier score for this question",
    "Your relative Brier score for this question",
    "Question notes",
    "Question shared with",
    "Question shared publicly",
    "Question comments",
    "Question tags",
)
"""The columns of Fatebook's CSV export, in its order."""

REQUIRED = ("Question title", "Forecast created by", "Forecast (scale = 0-1)", "Forecast created at",
            "Question created at")
"""Columns without which a file cannot be read as Fatebook's (older exports lack "Question tags")."""

JOIN = "; "
RESOLUTIONS = {"YES": "yes", "NO": "no", "AMBIGUOUS": "annulled"}
UNNAMED = "unnamed Fatebook user"

_FORMULA_START = tuple("=+-@\t\r")
# Columns the import does not read (the ledger scores forecasts itself; sharing has no counterpart).
_IGNORED = frozenset({
    "Your Brier score for this question", "Your relative Brier score for this question", "Question shared with",
    "Question shared publicly", "Question comments",
})


def looks_like_fatebook(header: list[str]) -> bool:
    """Whether a CSV header is Fatebook's export (all the columns a forecast needs are there)."""
    return all(col in header for col in REQUIRED)


def _unprotect(text: str) -> str:
    """Undo the spreadsheet protection `write_fatebook` adds ("'=x" was written for "=x", "''x" for "'x").

    Text that starts with an apostrophe is exported with a second one, so the one removed here is always the
    one the export added: "'=1+1" goes out as "''=1+1" and comes back as "'=1+1".
    """
    if len(text) > 1 and text[0] == "'" and text[1] in "'=+-@\t\r":
        return text[1:]
    return text


def read_fatebook(path: Path, *, today: date) -> ImportPlan:
    """Read a Fatebook CSV export into an import plan (nothing is written)."""
    return parse_fatebook(read_utf8(path, advice="export it again from Fatebook"), source=path.name, today=today)


def parse_fatebook(text: str, *, source: str, today: date) -> ImportPlan:
    """Turn the text of a Fatebook CSV export into an import plan."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFormatError(f"'{source}' is empty; expected Fatebook's CSV export") from None
    except csv.Error as exc:
        raise ImportFormatError(f"'{source}' is not readable CSV ({exc})") from None
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFormatError(
            f"'{source}' is not a Fatebook export: column {missing[0]!r} is missing "
            f"(expected the header {','.join(FATEBOOK_HEADER[:5])},...)"
        )
    col = {name: header.index(name) for name in FATEBOOK_HEADER if name in header and name not in _IGNORED}
    b = PlanBuilder(format=FORMAT, source=source, today=today)
    seen: Counter[tuple] = Counter()
    qids: dict[tuple[str, str], str] = {}
    try:
        for i, cells in enumerate(reader):
            if not any(cells):
                continue
            width = len(cells)
            row = {name: _unprotect(cells[j]) if j < width else "" for name, j in col.items()}
            _read_row(b, row, f"row {i + 2}", seen, qids)
    except csv.Error as exc:
        raise ImportFormatError(f"'{source}' is not readable CSV (near row {reader.line_num}: {exc})") from None
    if "Question comments" in header:
        b.note("Fatebook comments, sharing and scores are not imported; the ledger scores the forecasts itself")
    return b.build()


def _read_row(b: PlanBuilder, row: dict[str, str], where: str, seen: Counter, qids: dict) -> None:
    """Add one CSV row (one forecast) to the plan, or record why it is skipped."""
    if row.get("Multiple choice option", "").strip():
        b.skip(where, "multiple-choice question (only yes/no questions are imported)")
        return
    key = (row["Question title"], row["Question created at"])
    qid = qids.get(key)
    if qid is None:
        try:
            title = clean_text(row["Question title"], "question title", required=True)
            created, created_iso = read_moment_iso(row["Question created at"])
        except ValueError as exc:
            b.skip(where, f"question: {exc}")
            return
        # Keyed on the moment, not its text, so a re-saved file with padded seconds names the same question.
        qid = qids[key] = record_id(FORMAT, "question", title, created_iso)
        if qid not in b.questions:
            _new_question(b, qid, title, created_iso, row)
    q = b.questions[qid]
    try:
        moment, moment_text = read_moment_iso(row["Forecast created at"])
        p = read_fraction(row["Forecast (scale = 0-1)"])
    except ValueError as exc:
        b.skip(where, f"forecast: {exc}")
        return
    if moment.date() > b.today:
        b.skip(where, "forecast dated in the future")
        return
    name = clean_name(row["Forecast created by"], UNNAMED)
    if name == UNNAMED:
        b.note(f"forecasts with no 'Forecast created by' are recorded as '{UNNAMED}'")
    fkey = (qid, name.casefold(), moment_text, row["Forecast (scale = 0-1)"].strip())
    seen[fkey] += 1
    q["forecasts"].append((where, PlannedForecast(
        id=record_id(FORMAT, "forecast", *fkey, seen[fkey]), analyst=name, probability=b.probability(p),
        made_on=moment.date(), recorded_at=moment_text,
    )))


def _new_question(b: PlanBuilder, qid: str, title: str, created_iso: str, row: dict[str, str]) -> dict:
    """Start a question from the first row that names it (question fields repeat on every row)."""
    resolve_by = None
    if row.get("Question resolve by", "").strip():
        try:
            resolve_by = read_moment(row["Question resolve by"]).date()
        except ValueError:
            b.note("unreadable 'Question resolve by' dates were left empty")
    try:
        criteria = clean_text(row.get("Question notes"), "question notes")
    except ValueError:
        criteria = ""
        b.note("question notes that break the ledger's limits were left out")
    q = b.question(
        qid, statement=title, recorded_at=created_iso, criteria=criteria, resolve_by=resolve_by,
        tags=split_tags(row.get("Question tags"), JOIN.strip(), b),
    )
    q["resolution"] = _resolution(b, qid, row)
    return q


def _resolution(b: PlanBuilder, qid: str, row: dict[str, str]) -> PlannedResolution | None:
    raw = row.get("Resolution", "").strip().upper()
    if not raw:
        return None
    outcome = RESOLUTIONS.get(raw)
    if outcome is None:
        b.note(f"resolution '{raw[:20]}' is not YES, NO or AMBIGUOUS; such questions were left open")
        return None
    try:
        moment, moment_text = read_moment_iso(row.get("Resolved at"))
    except ValueError:
        b.note("resolutions without a readable 'Resolved at' were left open")
        return None
    if moment.date() > b.today:
        b.note("resolutions dated in the future were left open")
        return None
    return PlannedResolution(
        id=record_id(FORMAT, "resolution", qid, outcome, moment.date().isoformat()),
        outcome=outcome, resolved_on=moment.date(), recorded_at=moment_text,
        recorded_by=clean_name(row.get("Question created by"), ""),
        evidence="resolved on Fatebook" + (" as AMBIGUOUS" if raw == "AMBIGUOUS" else ""),
    )


# ---------------------------------------------------------------- writing


def fatebook_moment(moment: datetime) -> str:
    """A moment as Fatebook writes it: `2024-03-05 09:07:3` (seconds not zero-padded)."""
    return _Bare(f"{moment.date().isoformat()} {moment.hour:02d}:{moment.minute:02d}:{moment.second}")


def _day_moment(day: str, recorded_at: str) -> str:
    """The Fatebook moment of something dated `day`: its recording time if recorded that day, else midnight."""
    recorded = read_moment(recorded_at)
    if recorded.date().isoformat() == day:
        return fatebook_moment(recorded)
    return _Bare(f"{day} 00:00:0")


class _Bare(str):
    """A value Fatebook prints without quotes (its dates and decimals)."""


def _cell(value: object) -> str:
    """One cell as Fatebook prints it: text quoted (and protected from spreadsheets), numbers and dates bare."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, _Bare):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_START) or text.startswith("'"):
        # A spreadsheet would run "=..." as a formula; the quote is removed again on import. Text already
        # starting with a quote gets one too, so the import cannot take the text's own quote for ours.
        text = "'" + text
    return '"' + text.replace('"', '""') + '"'


def _score(value: float | None) -> str | None:
    """Our 0-1 Brier as Fatebook's 0-2 figure, six decimals, no exponent."""
    if value is None or not math.isfinite(value):
        return None
    return _Bare(f"{2 * value:.6f}".rstrip("0").rstrip(".") or "0")


def fatebook_rows(db: Database) -> list[list[object]]:
    """The ledger as Fatebook export rows (values, not yet printed), oldest question first."""
    effective = {
        qid: (recorded_at, recorded_by)
        for qid, recorded_at, recorded_by in db.execute(
            "SELECT r.question_id, r.recorded_at, r.recorded_by FROM resolutions r"
            " WHERE r.seq = (SELECT max(seq) FROM resolutions x WHERE x.question_id = r.question_id)"
        ).fetchall()
    }
    tags: dict[str, list[str]] = {}
    for qid, tag in db.execute("SELECT question_id, tag FROM question_tags ORDER BY question_id, tag"):
        tags.setdefault(qid, []).append(tag)
    rows = db.execute(
        """
        SELECT q.id, q.statement, q.criteria, q.condition, q.resolve_by, q.recorded_at, q.outcome, q.resolved_on,
               a.name, f.probability, f.made_on, f.recorded_at, f.rationale, ps.brier_time_averaged
        FROM forecasts f
        JOIN questions q ON q.id = f.question_id
        JOIN analysts a ON a.id = f.analyst_id
        LEFT JOIN pair_scores ps ON ps.question_id = f.question_id AND ps.analyst_id = f.analyst_id
        WHERE q.deleted = 0 AND NOT EXISTS (SELECT 1 FROM retractions r WHERE r.forecast_id = f.id)
        ORDER BY q.seq, f.made_on, f.recorded_at, f.seq
        """
    ).fetchall()
    out: list[list[object]] = []
    for _qid, question_rows in groupby(rows, key=itemgetter(0)):  # ordered by question, so each comes once
        out.extend(_question_rows(list(question_rows), effective, tags))
    return out


def _question_rows(rows: list[tuple], effective: dict, tags: dict[str, list[str]]) -> list[list[object]]:
    """The export rows of one question's forecasts (question fields repeated on each, as Fatebook does)."""
    qid, statement, criteria, condition, resolve_by, q_recorded, outcome, resolved_on = rows[0][:8]
    first_forecast = _day_moment(rows[0][10], rows[0][11])
    # Fatebook expects a question to exist before its forecasts; a backdated forecast moves it earlier.
    q_moment = fatebook_moment(read_moment(q_recorded))
    created_at = min(q_moment, first_forecast, key=read_moment)
    notes = criteria or ""
    if condition:
        notes = (notes + "\n\n" if notes else "") + f"Condition: {condition}"
    comments = JOIN.join(f"{r[8]}: {' '.join(r[12].split())}" for r in rows if r[12])
    resolution = resolved_at = None
    if outcome is not None:
        resolution = {v: k for k, v in RESOLUTIONS.items()}[outcome]
        resolved_at = _day_moment(resolved_on, effective[qid][0])
    out = []
    for r in rows:
        out.append([
            statement, None, r[8], float(r[9]), _day_moment(r[10], r[11]), rows[0][8], created_at,
            _Bare(f"{resolve_by} 00:00:0") if resolve_by else None, resolution, resolved_at,
            _score(r[13]), None, notes, None, False, comments or None, JOIN.join(tags.get(qid, [])) or None,
        ])
    return out


def fatebook_csv(db: Database) -> str:
    """The ledger as the text of a Fatebook CSV export (header line, then one line per forecast)."""
    return _render(fatebook_rows(db))


def _render(rows: list[list[object]]) -> str:
    lines = [",".join(FATEBOOK_HEADER)]
    lines.extend(",".join(_cell(v) for v in row) for row in rows)
    # Fatebook joins its lines with "\n" and ends the file without one.
    return "\n".join(lines)


def write_fatebook(db: Database, path: Path | str) -> int:
    """Write the ledger as a Fatebook CSV export, atomically (`files.write_output`); returns the forecast rows."""
    rows = fatebook_rows(db)
    write_output(path, _render(rows))
    return len(rows)
