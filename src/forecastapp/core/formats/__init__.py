"""Other trackers' files: recognise a file, read it into an `ImportPlan`, and write a plan into the ledger.

    plan = read_plan(path, fmt="auto", today=today)   # nothing written; plan.counts(), plan.skipped
    report = apply_plan(db, plan, origin=..., now=now, progress=cb)   # one transaction

A plan becomes a ledger export dict (`plan_to_ledger`) and goes through `merge.bring_in`, so an
import takes exactly the path a ledger import takes (stable ids skipped, one transaction, pair
scores refreshed) and a tracker's resolution can never silently replace one made here: it is
flagged as a conflict instead.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database

from forecastapp.core.errors import ImportFormatError
from forecastapp.core.files import read_input
from forecastapp.core.formats.fatebook import looks_like_fatebook, read_fatebook
from forecastapp.core.formats.metaculus import FORECAST_FILE, QUESTION_FILE, looks_like_metaculus, read_metaculus
from forecastapp.core.formats.plan import ImportPlan, record_id
from forecastapp.core.formats.predictionbook import (
    looks_like_predictionbook_csv,
    looks_like_predictionbook_json,
    read_predictionbook,
)
from forecastapp.core.formats.spreadsheet import ColumnMapping, guess_mapping, read_spreadsheet, sniff_csv
from forecastapp.core.merge import MergeReport, Origin, bring_in, preview
from forecastapp.core.transfer import LEDGER_FORMAT

FORMATS = ("auto", "ledger", "fatebook", "predictionbook", "metaculus", "csv")
"""What `import --format` accepts; `auto` recognises the others by extension and header or keys, except
`csv` (a spreadsheet kept by hand), which has no header of its own to recognise and needs its columns named."""

# How every ledger export begins (`transfer.export_ledger` puts "format" first).
_LEDGER_HEAD = re.compile(r'\s*\{\s*"format"\s*:')

TRACKERS = {"fatebook": read_fatebook, "predictionbook": read_predictionbook, "metaculus": read_metaculus}


def detect_format(path: Path) -> str:
    """The format of a file or folder to import, recognised by its name and its header or keys."""
    if path.is_dir():
        if (path / QUESTION_FILE).is_file():
            return "metaculus"
        raise ImportFormatError(f"the folder '{path.name}' holds no {QUESTION_FILE}; give a file to import")
    if path.is_file():
        try:
            with path.open("rb") as fh:
                head = fh.read(64 * 1024)
        except OSError as exc:
            raise ImportFormatError(f"cannot read '{path}': {exc.strerror or exc}") from None
    else:
        head = read_input(path)[:64 * 1024]  # a pipe or a device: bounded, and never waited on forever
    text = head.decode("utf-8-sig", errors="replace")
    first = text.lstrip()[:1]
    if path.suffix.lower() == ".json" or first in ("{", "["):
        if _LEDGER_HEAD.match(text):
            # A ledger export names its format first; parsing one of 100,000 forecasts whole only to
            # say so took 0.4 s, on the import dialog's GUI thread.
            return "ledger"
        return _detect_json(path)
    if path.name in (QUESTION_FILE, FORECAST_FILE):
        return "metaculus"
    try:
        header = [h.strip() for h in next(csv.reader(io.StringIO(text, newline="")), [])]
    except csv.Error:
        header = []
    if looks_like_fatebook(header):
        return "fatebook"
    if looks_like_predictionbook_csv(header):
        return "predictionbook"
    if looks_like_metaculus(header):
        return "metaculus"
    raise ImportFormatError(
        f"'{path.name}' is not a file forecastapp recognises (a ledger export .json, Fatebook's CSV, "
        f"PredictionBook's CSV or JSON, or Metaculus's {QUESTION_FILE}); name it with --format "
        f"(a spreadsheet kept by hand: --format csv, with --map ROLE=COLUMN where its column names are not guessed)"
    )


def _detect_json(path: Path) -> str:
    try:
        data = json.loads(read_input(path).decode("utf-8-sig"))
    except (ImportFormatError, ValueError, RecursionError):
        # Let the ledger reader say exactly what is wrong with the file (ValueError covers bad UTF-8,
        # bad JSON and numbers too long to read; RecursionError arrays nested thousands deep).
        return "ledger"
    if isinstance(data, dict) and "format" in data:
        return "ledger"
    if looks_like_predictionbook_json(data):
        return "predictionbook"
    return "ledger"


def read_plan(
    path: Path,
    *,
    fmt: str = "auto",
    today: date,
    mapping: ColumnMapping | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Read another tracker's file (or, with fmt="csv", a hand-kept spreadsheet) into an import plan.

    Nothing is written. A spreadsheet is read with `mapping`, or with the columns its header names
    suggest (`guess_mapping`) when none is given; `progress` is only called for spreadsheets.
    """
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "csv":
        if mapping is None:
            mapping = guess_mapping(sniff_csv(path).header)
        return read_spreadsheet(path, mapping, today=today, progress=progress)
    reader = TRACKERS.get(fmt)
    if reader is None:
        raise ImportFormatError(f"format '{fmt}' is not one of {', '.join(TRACKERS)}")
    if fmt != "metaculus" and path.is_dir():
        raise ImportFormatError(f"'{path.name}' is a folder; a {fmt} export is one file")
    return reader(path, today=today)


def plan_to_ledger(plan: ImportPlan) -> dict:
    """A plan as a ledger export dict, ready for the ledger's import path."""
    analysts: dict[str, dict] = {}
    questions, forecasts, resolutions = [], [], []
    for q in plan.questions:
        questions.append({
            "id": q.id, "statement": q.statement, "criteria": q.criteria, "condition": None, "resolve_from": None,
            "resolve_by": q.resolve_by.isoformat() if q.resolve_by else None, "document_id": None, "excerpt": None,
            "excerpt_start": None, "excerpt_end": None, "recorded_at": q.recorded_at, "tags": list(q.tags),
        })
        for f in q.forecasts:
            key = f.analyst.casefold()
            a = analysts.get(key)
            if a is None:
                # An analyst's id depends on the name only, so two imports of one person agree.
                a = analysts[key] = {"id": record_id("analyst", "name", key), "name": f.analyst,
                                     "recorded_at": f.recorded_at}
            a["recorded_at"] = min(a["recorded_at"], f.recorded_at)
            forecasts.append({
                "id": f.id, "question_id": q.id, "analyst_id": a["id"], "probability": f.probability,
                "estimative_term": None, "made_on": f.made_on.isoformat(), "recorded_at": f.recorded_at,
                "rationale": f.rationale,
            })
        r = q.resolution
        if r is not None:
            resolutions.append({
                "id": r.id, "question_id": q.id, "kind": "resolve", "outcome": r.outcome, "annul_reason": None,
                "resolved_on": r.resolved_on.isoformat(), "evidence": r.evidence, "recorded_by": r.recorded_by,
                "recorded_at": r.recorded_at, "supersedes": None,
            })
    return {
        "format": LEDGER_FORMAT, "documents": [], "analysts": list(analysts.values()), "questions": questions,
        "forecasts": forecasts, "retractions": [], "resolutions": resolutions, "question_log": [], "settings": {},
    }


def apply_plan(
    db: Database,
    plan: ImportPlan,
    *,
    origin: Origin,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> MergeReport:
    """Write a plan into the ledger in one transaction; records already present are skipped."""
    return bring_in(db, plan_to_ledger(plan), origin=origin, now=now, progress=progress)


def preview_plan(db: Database, plan: ImportPlan) -> MergeReport:
    """What `apply_plan` would add, skip and flag, read without writing (a dry run)."""
    return preview(db, plan_to_ledger(plan))
