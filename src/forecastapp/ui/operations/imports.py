"""What the import flow and the conflicts dialog need from the core, as plain calls (Qt-free; no SQL here).

The same shape as `operations/review.py`. The worker functions (`prepare_import`, `run_import`) run on
another thread and open their own connection, because an sqlite connection belongs to the thread
that uses it: `prepare_import` reads the file into a plan and asks the ledger what it would add
(a dry run), `run_import` writes that plan in one transaction. The conflict functions run on the
GUI thread through the service's open database, like the window's other single-record writes.

Another forecastapp ledger (a JSON export, or another analyst's ledger database) has no plan: it
already holds ledger records. `prepare_ledger_import` reads it whole and previews it, and
`run_ledger_import` writes it the way `forecastapp merge` does (`core.merge.bring_in`): records
already here skipped, a question resolved differently flagged as a conflict, the origin recorded.
Both kinds of preview are an `ImportPreview`; a ledger's has `plan=None` and the records in `ledger`.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from forecastapp.ui.operations import Progress
from forecastapp.ui.operations.ledger import load_sqlite_utils, login_name

# The core modules below import sqlite-utils; loading it first, the desktop app's way, keeps numpy
# out (a no-op once the app's warm-up has done it).
load_sqlite_utils()

from sqlite_utils import Database  # noqa: E402

from forecastapp.core import store  # noqa: E402
from forecastapp.core.errors import ImportFormatError, ValidationError  # noqa: E402
from forecastapp.core.formats import detect_format, plan_to_ledger, read_plan  # noqa: E402
from forecastapp.core.formats.plan import ImportPlan, SkippedRow  # noqa: E402
from forecastapp.core.formats.spreadsheet import ColumnMapping, SheetPreview, guess_mapping, sniff_csv  # noqa: E402
from forecastapp.core.merge import (  # noqa: E402
    Conflict,
    MergeReport,
    bring_in_file,
    is_sqlite_file,
    list_conflicts,
    plural,
    preview,
    read_ledger_source,
    refuse_own_ledger,
    settle_conflict,
)
from forecastapp.core.transfer import TABLES  # noqa: E402

#: The format combo's choices: (format, what a person reads). "auto" recognises the trackers only.
FORMAT_CHOICES = (
    ("auto", "Recognise it (a tracker's export), else read it as a spreadsheet"),
    ("fatebook", "Fatebook (its CSV export)"),
    ("predictionbook", "PredictionBook (my_predictions CSV or JSON)"),
    ("metaculus", "Metaculus (the export folder, or its question_data.csv)"),
    ("csv", "Spreadsheet (CSV) kept by hand"),
    ("ledger", "forecastapp ledger (its JSON export, or another analyst's ledger database to merge)"),
)
FORMAT_NAMES = {"fatebook": "Fatebook", "predictionbook": "PredictionBook", "metaculus": "Metaculus",
                "csv": "spreadsheet", "ledger": "forecastapp ledger export",
                "ledger-db": "forecastapp ledger database"}
#: Formats that are another forecastapp ledger: read whole and merged, not planned row by row.
LEDGER_FORMATS = ("ledger", "ledger-db")
#: Ledger tables a preview names besides questions, forecasts and resolutions, when it would add some.
_OTHER_NOUNS = (("retractions", "retraction", "retractions"), ("question_log", "question log entry",
                                                                "question log entries"),
                ("documents", "document", "documents"))


class _Service(Protocol):
    """The part of `LedgerService` this module uses."""

    @property
    def db(self) -> Database: ...

    def today(self) -> date: ...

    def now(self) -> datetime: ...


@dataclass(frozen=True)
class ImportSource:
    """A file (or Metaculus folder) to import, its format, and for a spreadsheet the columns to read."""

    path: Path
    format: str
    mapping: ColumnMapping | None = None


@dataclass(frozen=True)
class ImportPreview:
    """A file read, and what writing it would add, find present, and flag (nothing written yet).

    A tracker's export or a spreadsheet is read into `plan`; another forecastapp ledger has no
    plan (`plan` is None) and its records are in `ledger`, ready for `run_ledger_import`.
    """

    source: ImportSource
    plan: ImportPlan | None
    report: MergeReport
    ledger: dict | None = None

    @property
    def is_ledger(self) -> bool:
        """Whether the file is another forecastapp ledger (merged whole; it has no rows to skip)."""
        return self.plan is None

    @property
    def nothing_new(self) -> bool:
        """Whether importing would change nothing (the same file imported before)."""
        return self.report.added_total() == 0 and not self.report.conflicts

    def read_counts(self) -> dict[str, int]:
        """Questions, forecasts and resolutions the file holds."""
        if self.plan is not None:
            n = self.plan.counts()
            return {t: n[t] for t in ("questions", "forecasts", "resolutions")}
        data = self.ledger or {}
        return {t: len(data.get(t) or []) for t in ("questions", "forecasts", "resolutions")}

    def new_counts(self) -> dict[str, int]:
        """New questions, forecasts and resolutions; skipped rows; conflicts that would be flagged."""
        added = self.report.added
        return {"questions": added.get("questions", 0), "forecasts": added.get("forecasts", 0),
                "resolutions": added.get("resolutions", 0),
                "skipped": len(self.plan.skipped) if self.plan is not None else 0,
                "conflicts": len(self.report.conflicts)}

    def notes(self) -> tuple[str, ...]:
        """What the reader noticed about the file (values it moved, for instance); none for a ledger."""
        return tuple(self.plan.notes) if self.plan is not None else ()

    def summary(self) -> str:
        """The preview as a few lines for a person (a ledger's first line has no skipped rows: it has no rows)."""
        n = self.read_counts()
        new = self.new_counts()
        name = self.plan.source if self.plan is not None else self.source.path.name
        what = FORMAT_NAMES.get(self.source.format if self.plan is None else self.plan.format, self.source.format)
        read = (f"{name} ({what}): {plural(n['questions'], 'question', 'questions')}, "
                f"{plural(n['forecasts'], 'forecast', 'forecasts')}, "
                f"{plural(n['resolutions'], 'resolution', 'resolutions')} read")
        lines = [read + (f"; {plural(new['skipped'], 'row', 'rows')} skipped." if self.plan is not None else ".")]
        if self.nothing_new:
            lines.append("Nothing new: everything in this file is already in the ledger.")
        else:
            # A ledger also carries retractions, log entries and documents; named only when some are new.
            others = [plural(self.report.added.get(t, 0), one, many) for t, one, many in _OTHER_NOUNS
                      if self.report.added.get(t, 0)]
            lines.append(f"New: {plural(new['questions'], 'question', 'questions')}, "
                         f"{plural(new['forecasts'], 'forecast', 'forecasts')}, "
                         + ", ".join([plural(new['resolutions'], 'resolution', 'resolutions'), *others]) + ".")
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
        return [skipped_line(s) for s in self.plan.skipped] if self.plan is not None else []


def skipped_line(s: SkippedRow) -> str:
    """One skipped row for a list: 'row 7, column 'Date': ...' or 'row 3: forecast dated after ...'."""
    return s.reason if s.reason.startswith(s.where) else f"{s.where}: {s.reason}"


def detect(path: Path) -> str | None:
    """The format of `path`: a tracker's, "ledger" (an export), "ledger-db" (an SQLite file), or None (unknown)."""
    if path.is_file() and is_sqlite_file(path):
        return "ledger-db"
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


def prepare_import(db_path: Path, source: ImportSource, *, today: date, progress: Progress) -> ImportPreview:
    """Read the file into a plan and ask the ledger at `db_path` what it would add; writes nothing."""
    load_sqlite_utils()
    progress.report(0, 0)
    plan = read_plan(source.path, fmt=source.format, today=today, mapping=source.mapping, progress=progress.report)
    progress.check()
    return ImportPreview(source=source, plan=plan, report=_dry_run(db_path, plan_to_ledger(plan)))


def run_import(
    db_path: Path, plan: ImportPlan, *, source: Path, now: datetime, progress: Callable[[int, int], None]
) -> MergeReport:
    """Write `plan` into the ledger at `db_path` in one transaction, on this thread's own connection.

    A Cancelled raised by `progress` (the user pressed Cancel) comes from inside the transaction,
    so the whole import rolls back and nothing is written.
    """
    load_sqlite_utils()
    return _bring_in(db_path, plan_to_ledger(plan), action="import", fmt=plan.format, source=source, now=now,
                     progress=progress)


def own_ledger_problem(path: Path, db_path: Path) -> str | None:
    """The one-line refusal when `path` is the ledger at `db_path` itself (merging it into itself), else None."""
    try:
        refuse_own_ledger(path, db_path)
    except ValidationError as exc:
        return str(exc)
    return None


def prepare_ledger_import(db_path: Path, source: ImportSource, *, now: datetime, progress: Progress) -> ImportPreview:
    """Read another forecastapp ledger (a JSON export or a database) whole and preview merging it; writes nothing.

    The preview screens resolutions as the merge will: a question resolved differently in the two
    ledgers counts as a conflict to flag. The returned preview's source format says which kind of
    ledger the file turned out to be ("ledger" or "ledger-db"), whatever the caller guessed.
    """
    load_sqlite_utils()
    progress.report(0, 0)
    refuse_own_ledger(source.path, db_path)
    data, fmt = read_ledger_source(source.path, now=now)
    progress.check()
    return ImportPreview(source=ImportSource(path=source.path, format=fmt), plan=None, report=_dry_run(db_path, data),
                         ledger=data)


def run_ledger_import(
    db_path: Path, data: dict, *, source: Path, fmt: str, now: datetime, progress: Callable[[int, int], None]
) -> MergeReport:
    """Merge another ledger's records (as previewed) into the ledger at `db_path` in one transaction.

    The same write as `forecastapp merge` and `forecastapp import EXPORT.json`: records already here
    are skipped, conflicting resolutions flagged, and the origin recorded (the file's name and
    SHA-256; action "import" for a JSON export, "merge" for a ledger database, as the command line
    names them). A Cancelled raised by `progress` rolls the whole merge back.
    """
    load_sqlite_utils()
    return _bring_in(db_path, data, action="import" if fmt == "ledger" else "merge", fmt=fmt, source=source,
                     now=now, progress=progress)


def _dry_run(db_path: Path, data: dict) -> MergeReport:
    """What bringing ledger records in would add, skip and flag, read on this thread's own connection."""
    # store.connect: pragmas only; the GUI thread has opened and migrated this ledger already.
    db = store.connect(db_path)
    try:
        return preview(db, data)
    finally:
        db.close()


def _bring_in(db_path: Path, data: dict, *, action: str, fmt: str, source: Path, now: datetime,
              progress: Callable[[int, int], None]) -> MergeReport:
    """Bring ledger records in as `core.merge.bring_in` does, on this thread's own connection, the origin noted."""
    total = sum(len(data.get(table) or []) for table in TABLES)

    def report(done: int, written: int) -> None:
        # The core counts only the records it goes on to write (a conflicting resolution is not
        # one), so its last report is put as "all of them" and the bar's end stays where it began.
        progress(total if done >= written else done, total)

    report(0, total)
    db = store.open_ledger(db_path, seed=False)
    try:
        return bring_in_file(db, data, source=source, action=action, fmt=fmt, host=platform.node(), now=now,
                             progress=report)
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


def import_ledger_file(db_path: Path, source: Path, progress: Progress, *, now: datetime) -> str:
    """Import a ledger JSON export into the ledger at `db_path`, on its own connection; returns a summary.

    Cancelling during the import raises from the progress callback inside the core's transaction,
    so the import rolls back completely.
    """
    from forecastapp.core.transfer import ImportReport

    load_sqlite_utils()
    progress.report(0, 0)
    # The core's one reader of another ledger: a broken hash chain is refused before anything is written.
    data, fmt = read_ledger_source(source, now=now)
    progress.check()
    # The import dialog's write, as `forecastapp import` does it: a resolution that differs from ours
    # is flagged as a conflict, never put in force, and the new records note where they came from.
    report = run_ledger_import(db_path, data, source=source, fmt=fmt, now=now, progress=progress.report)
    summary = ImportReport(added=report.added, skipped=report.present).summary()
    if report.conflicts:
        summary += f"; {plural(len(report.conflicts), 'conflicting resolution', 'conflicting resolutions')} flagged"
    return summary
