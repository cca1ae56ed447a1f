"""Metaculus's data export: `question_data.csv` plus `forecast_data.csv`, binary questions only.

question_data.csv (one row per question): Question ID, Question Title, Question Type, Open Time,
Scheduled Close Time, Resolution, Resolution Known Time, and more (URL, Label, Categories, ...).
forecast_data.csv (one row per forecast): Question ID, Forecaster ID, Forecaster Username, Start
Time, End Time, Probability Yes, and the columns of other question types.

Only binary questions are imported; other types (numeric, date, multiple choice, ...) are skipped
with their forecasts and said so. Rows without a Forecaster ID are Metaculus's community aggregates
(e.g. `recency_weighted`), not a person's forecasts, and are skipped too. Resolution yes / no is the
outcome on the day of Resolution Known Time; annulled and ambiguous become annulled. A forecast is
dated by its Start Time; its End Time is not kept (the ledger has no expiring forecasts: a forecast
holds until the analyst's next one). The question's URL becomes its criteria (the fine print lives
there), its Categories its tags, and Scheduled Close Time its resolve-by date.
"""

from __future__ import annotations

import ast
import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from forecastapp.core.errors import ImportFormatError
from forecastapp.core.formats.plan import (
    ImportPlan,
    PlanBuilder,
    PlannedForecast,
    PlannedResolution,
    clean_name,
    clean_text,
    iso_moment,
    read_fraction,
    read_moment,
    read_utf8,
    record_id,
    split_tags,
)

FORMAT = "metaculus"
QUESTION_FILE = "question_data.csv"
FORECAST_FILE = "forecast_data.csv"

QUESTION_REQUIRED = ("Question ID", "Question Title", "Question Type", "Resolution")
FORECAST_REQUIRED = ("Question ID", "Start Time", "Probability Yes")
RESOLUTIONS = {"yes": "yes", "no": "no", "annulled": "annulled", "ambiguous": "annulled"}

# A numeric question's CDF column is long; Python's csv refuses fields over 128 KiB by default.
_FIELD_LIMIT = 64 * 1024 * 1024


def looks_like_metaculus(header: list[str]) -> bool:
    """Whether a CSV header is Metaculus's question_data.csv or forecast_data.csv."""
    return all(c in header for c in QUESTION_REQUIRED) or (
        all(c in header for c in FORECAST_REQUIRED) and ("Forecaster ID" in header or "Forecaster Username" in header)
    )


def metaculus_files(path: Path) -> tuple[Path, Path]:
    """(question_data.csv, forecast_data.csv) for a folder, either file, or a renamed question file."""
    if path.is_dir():
        folder, questions = path, path / QUESTION_FILE
    elif path.name == FORECAST_FILE:
        folder, questions = path.parent, path.parent / QUESTION_FILE
    else:
        folder, questions = path.parent, path
    forecasts = folder / FORECAST_FILE
    for f in (questions, forecasts):
        if not f.is_file():
            raise ImportFormatError(
                f"'{f.name}' was not found in '{folder.name or folder}'; a Metaculus export needs "
                f"{QUESTION_FILE} and {FORECAST_FILE} side by side"
            )
    return questions, forecasts


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, row) of a Metaculus CSV, after checking its header."""
    text = read_utf8(path)
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in required if c not in header]
        if missing:
            raise ImportFormatError(f"'{path.name}' is not Metaculus's {path.name}: column {missing[0]!r} is missing")
        reader.fieldnames = header
        for i, row in enumerate(reader):
            yield i + 2, {k: (v or "") for k, v in row.items() if k is not None}
    except csv.Error as exc:
        raise ImportFormatError(f"'{path.name}' is not readable CSV (near row {reader.line_num}: {exc})") from None


def _categories(value: str) -> str:
    """Metaculus writes categories as a Python list literal; the names joined by a unit separator."""
    text = value.strip()
    if text.startswith("["):
        try:
            items = ast.literal_eval(text)
            if isinstance(items, (list, tuple)):
                return "\x1f".join(str(i) for i in items)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            # Not a list Metaculus wrote: the parser refuses deep nesting with MemoryError or
            # RecursionError, and str() refuses an integer of more than 4,300 digits with ValueError.
            pass
        return ""
    return text.replace(";", "\x1f")


def read_metaculus(path: Path, *, today: date) -> ImportPlan:
    """Read a Metaculus data export (a folder, or either of its two CSV files) into an import plan."""
    question_file, forecast_file = metaculus_files(path)
    b = PlanBuilder(format=FORMAT, source=question_file.parent.name or question_file.name, today=today)
    kinds: dict[str, str] = {}  # Metaculus question id -> question type (lower case)
    qids: dict[str, str] = {}  # Metaculus question id -> our question id
    for n, row in _rows(question_file, QUESTION_REQUIRED):
        src = row["Question ID"].strip()
        where = f"{QUESTION_FILE} row {n}"
        kind = row["Question Type"].strip().lower()
        if not src:
            b.skip(where, "question without a Question ID")
            continue
        kinds[src] = kind
        if kind != "binary":
            b.skip(where, f"{kind.replace('_', ' ') or 'untyped'} question (only binary questions are imported)")
            continue
        _question(b, row, src, where, qids)
    b.note("forecasts keep their Start Time; Metaculus's End Time (expiry or withdrawal) is not kept")
    for n, row in _rows(forecast_file, FORECAST_REQUIRED):
        where = f"{FORECAST_FILE} row {n}"
        src = row["Question ID"].strip()
        if src not in kinds:
            b.skip(where, f"forecast on a question missing from {QUESTION_FILE}")
            continue
        if kinds[src] != "binary":
            b.skip(where, f"forecast on a {kinds[src].replace('_', ' ') or 'untyped'} question "
                          "(only binary questions are imported)")
            continue
        if src not in qids:
            b.skip(where, "forecast on a question that could not be imported")
            continue
        if "Forecaster ID" in row and not row["Forecaster ID"].strip():
            b.skip(where, "community aggregate, not a person's forecast")
            continue
        try:
            moment = read_moment(row["Start Time"])
            p = read_fraction(row["Probability Yes"])
        except ValueError as exc:
            b.skip(where, f"forecast: {exc}")
            continue
        if moment.date() > today:
            b.skip(where, "forecast dated in the future")
            continue
        who = row.get("Forecaster ID", "").strip()
        name = clean_name(row.get("Forecaster Username") or row.get("Forecaster"),
                          f"Metaculus user {who}".strip())
        q = b.questions[qids[src]]
        q["forecasts"].append((where, PlannedForecast(
            id=record_id(FORMAT, "forecast", src, who or name.casefold(), iso_moment(moment)),
            analyst=name, probability=b.probability(p), made_on=moment.date(), recorded_at=iso_moment(moment),
        )))
    # A question without an Open Time is dated by its first forecast.
    for q in b.questions.values():
        if not q["recorded_at"] and q["forecasts"]:
            q["recorded_at"] = min(f.recorded_at for _, f in q["forecasts"])
    return b.build()


def _question(b: PlanBuilder, row: dict[str, str], src: str, where: str, qids: dict[str, str]) -> None:
    """Start one binary question from its question_data.csv row."""
    try:
        title = clean_text(row["Question Title"], "question title", required=True)
        label = clean_text(row.get("Label"), "label")
        url = clean_text(row.get("Question URL"), "URL")
    except ValueError as exc:
        b.skip(where, f"question: {exc}")
        return
    statement = f"{title} ({label})" if label and label not in title else title
    opened = row.get("Open Time", "").strip() or row.get("Post Published Time", "").strip()
    recorded_at = ""
    if opened:
        try:
            recorded_at = iso_moment(read_moment(opened))
        except ValueError:
            b.note("unreadable Open Times were replaced by the first forecast's time")
    resolve_by = None
    close = row.get("Scheduled Resolve Time", "").strip() or row.get("Scheduled Close Time", "").strip()
    if close:
        try:
            resolve_by = read_moment(close).date()
        except ValueError:
            b.note("unreadable Scheduled Close Times were left empty")
    qid = record_id(FORMAT, "question", src)
    qids[src] = qid
    q = b.question(
        qid, statement=statement, recorded_at=recorded_at, criteria=f"Resolves as on Metaculus: {url}" if url else "",
        resolve_by=resolve_by, tags=split_tags(_categories(row.get("Categories", "")), "\x1f", b),
    )
    raw = row["Resolution"].strip().lower()
    if not raw:
        return
    outcome = RESOLUTIONS.get(raw)
    if outcome is None:
        b.note(f"binary resolutions other than yes, no, annulled or ambiguous (e.g. '{raw[:20]}') were left open")
        return
    when = row.get("Resolution Known Time", "").strip() or row.get("Actual Close Time", "").strip()
    try:
        moment = read_moment(when)
    except ValueError:
        b.note("resolutions without a readable Resolution Known Time were left open")
        return
    if moment.date() > b.today:
        b.note("resolutions dated in the future were left open")
        return
    q["resolution"] = PlannedResolution(
        id=record_id(FORMAT, "resolution", src, outcome, moment.date().isoformat()),
        outcome=outcome, resolved_on=moment.date(), recorded_at=iso_moment(moment),
        evidence=f"resolved {raw} on Metaculus" + (f": {url}" if url else ""),
    )
