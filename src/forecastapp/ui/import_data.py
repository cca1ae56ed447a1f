"""What the import flow and the conflicts dialog need from the core, as plain calls (Qt-free; no SQL here).

The same shape as `ui/review_data.py`. The worker functions (`prepare_import`, `run_import`) run on
another thread and open their own connection, because an sqlite connection belongs to the thread
that uses it: `prepare_import` reads the file into a plan and asks the ledger what it would add
(a dry run), `run_import` writes that plan in one transaction. The conflict functions run on the
GUI thread through the service's open database, like the window's other single-record writes.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from sqlite_utils import Database

from forecastapp.core import store
from forecastapp.core.errors import ImportFormatError
from forecastapp.core.formats import apply_plan, detect_format, plan_to_ledger, preview_plan, read_plan
from forecastapp.core.formats.plan import ImportPlan, SkippedRow
from forecastapp.core.formats.spreadsheet import ColumnMapping, SheetPreview, guess_mapping, sniff_csv
from forecastapp.core.merge import Conflict, MergeReport, Origin, file_sha256, list_conflicts, plural, settle_conflict
from forecastapp.core.transfer import TABLES
from forecastapp.ui.service import login_name

#: The format combo's choices: (format, what a person reads). "auto" recognises the trackers only.
FORMAT_CHOICES = (
    ("auto", "Recognise it (a tracker's export), else read it as a spreadsheet"),
    ("fatebook", "Fatebook (its CSV export)"),
    ("predictionbook", "PredictionBook (my_predictions CSV or JSON)"),
    ("metaculus", "Metaculus (the export folder, or its question_data.csv)"),
    ("csv", "Spreadsheet (CSV) kept by hand"),
)
FORMAT_NAMES = {"fatebook": "Fatebook", "predictionbook": "PredictionBook", "metaculus": "Metaculus",
                "csv": "spreadsheet", "ledger": "forecastapp ledger"}


class _Service(Protocol):
    """The part of `LedgerService` this module uses."""

    @property
    def db(self) -> Database: ...

    def today(self) -> date: ...

    def now(self) -> datetime: ...


class _Progress(Protocol):
    """What a background function receives (ui/tasks.TaskContext): `report(done, total)` and `check()`."""

    def report(self, done: int, total: int) -> None: ...

    def check(self) -> None: ...


@dataclass(frozen=True)
class ImportSource:
    """A file (or Metaculus folder) to import, its format, and for a spreadsheet the columns to read."""

    path: Path
    format: str
    mapping: ColumnMapping | None = None


@dataclass(frozen=True)
class ImportPreview:
    """A file read into a plan, and what writing it would add, find present, and flag (nothing written yet)."""

    source: ImportSource
    plan: ImportPlan
    report: MergeReport

    @property
    def nothing_new(self) -> bool:
        """Whether importing would change nothing (the same file imported before)."""
        return self.report.added_total() == 0 and not self.report.conflicts

    def new_counts(self) -> dict[str, int]:
        """New questions, forecasts and resolutions; skipped rows; conflicts that would be flagged."""
        added = self.report.added
        return {"questions": added.get("questions", 0), "forecasts": added.get("forecasts", 0),
                "resolutions": added.get("resolutions", 0), "skipped": len(self.plan.skipped),
                "conflicts": len(self.report.conflicts)}

    def summary(self) -> str:
        """The preview as a few lines for a person."""
        n = self.plan.counts()
        new = self.new_counts()
        what = FORMAT_NAMES.get(self.plan.format, self.plan.format)
        lines = [f"{self.plan.source} ({what}): {plural(n['questions'], 'question', 'questions')}, "
                 f"{plural(n['forecasts'], 'forecast', 'forecasts')}, "
                 f"{plural(n['resolutions'], 'resolution', 'resolutions')} read; "
                 f"{plural(new['skipped'], 'row', 'rows')} skipped."]
        if self.nothing_new:
            lines.append("Nothing new: everything in this file is already in the ledger.")
        else:
            lines.append(f"New: {plural(new['questions'], 'question', 'questions')}, "
                         f"{plural(new['forecasts'], 'forecast', 'forecasts')}, "
                         f"{plural(new['resolutions'], 'resolution', 'resolutions')}.")
            present = sum(self.report.present.values())
            if present:
                lines.append(f"Already in the ledger: {plural(present, 'record', 'records')}.")
        if self.report.same_outcome:
            lines.append(f"Resolved the same way here already: "
                         f"{plural(self.report.same_outcome, 'resolution', 'resolutions')}.")
        lines.append(f"Conflicts that would be flagged: {new['conflicts']}"
                     + (" (a question resolved differently here; yours stays in force until you settle it)."
                        if new["conflicts"] else "."))
        return "\n".join(lines)

    def skipped_lines(self) -> list[str]:
        """Each skipped row as one line: where, then why (a spreadsheet's reason already names its row)."""
        return [skipped_line(s) for s in self.plan.skipped]


def skipped_line(s: SkippedRow) -> str:
    """One skipped row for a list: 'row 7, column 'Date': ...' or 'row 3: forecast dated after ...'."""
    return s.reason if s.reason.startswith(s.where) else f"{s.where}: {s.reason}"


def detect(path: Path) -> str | None:
    """The tracker format of `path` ("ledger" for a ledger export), or None when it is not one forecastapp knows."""
    try:
        return detect_format(path)
    except ImportFormatError:
        return None


def detection_problem(path: Path) -> str:
    """Why `path` is not recognised, in the core's words (for a folder, which cannot be a spreadsheet)."""
    try:
        detect_format(path)
    except ImportFormatError as exc:
        return str(exc)
    return ""


def sniff(path: Path, rows: int = 20) -> SheetPreview:
    """The spreadsheet's header and first rows (raises the core's one-line error if it cannot be read)."""
    return sniff_csv(path, rows=rows)


def guess(header: tuple[str, ...], *, default_analyst: str, tag_separator: str = ",") -> ColumnMapping:
    """The columns the header's names suggest for each role."""
    return guess_mapping(header, default_analyst=default_analyst, tag_separator=tag_separator)


def prepare_import(db_path: Path, source: ImportSource, *, today: date, progress: _Progress) -> ImportPreview:
    """Read the file into a plan and ask the ledger at `db_path` what it would add; writes nothing."""
    progress.report(0, 0)
    plan = read_plan(source.path, fmt=source.format, today=today, mapping=source.mapping, progress=progress.report)
    progress.check()
    # store.connect: pragmas only; the GUI thread has opened and migrated this ledger already.
    db = store.connect(db_path)
    try:
        report = preview_plan(db, plan)
    finally:
        db.close()
    return ImportPreview(source=source, plan=plan, report=report)


def run_import(
    db_path: Path, plan: ImportPlan, *, source: Path, now: datetime, progress: Callable[[int, int], None]
) -> MergeReport:
    """Write `plan` into the ledger at `db_path` in one transaction, on this thread's own connection.

    A Cancelled raised by `progress` (the user pressed Cancel) comes from inside the transaction,
    so the whole import rolls back and nothing is written.
    """
    records = plan_to_ledger(plan)
    progress(0, sum(len(records.get(table) or []) for table in TABLES))
    origin = Origin(action="import", format=plan.format, source=source.name, sha256=file_sha256(source),
                    host=platform.node())
    db = store.open_ledger(db_path, seed=False)
    try:
        return apply_plan(db, plan, origin=origin, now=now, progress=progress)
    finally:
        db.close()


def import_summary(source: Path, report: MergeReport) -> str:
    """What an import did, as a few lines for a person."""
    if report.added_total() == 0 and not report.conflicts:
        return f"Nothing new was in {source.name}; the ledger is unchanged."
    lines = [f"Imported {source.name}."]
    # The core's conflict line points to the command line; the dialog offers its own way to settle.
    lines += [line[0].upper() + line[1:] + "." for line in report.lines() if not line.startswith("conflicting")]
    if report.conflicts:
        lines.append(f"{plural(len(report.conflicts), 'question was', 'questions were')} resolved differently in "
                     "the file; your resolution stays in force until you settle "
                     + ("it." if len(report.conflicts) == 1 else "them."))
    return "\n".join(lines)


# ---------------------------------------------------------------- conflicts


def conflicts(service: _Service, *, include_settled: bool = False) -> list[Conflict]:
    """Resolution conflicts found by merges and imports, oldest first; open ones only unless asked."""
    return list_conflicts(service.db, include_settled=include_settled)


def settle(service: _Service, conflict_id: str, *, keep: str, note: str = "") -> str:
    """Settle a conflict, keeping "ours" or "theirs", recorded as by whoever is at the keyboard."""
    return settle_conflict(service.db, conflict_id, keep=keep, recorded_by=login_name(), note=note,
                           today=service.today(), now=service.now())


def resolution_text(outcome: str | None, day: str | None, *, kind: str = "") -> str:
    """'yes on 2026-03-01', 'open', or 'withdrawn' (their record took the resolution back)."""
    if outcome is None:
        return "withdrawn" if kind == "retract" else "open"
    return f"{outcome} on {day}" if day else outcome
