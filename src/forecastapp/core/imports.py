"""Bringing a file into the ledger: one entry for the command line's `import` and the desktop's import.

    incoming = read_incoming(path, fmt="auto", today=today, now=now)   # nothing written
    report = write_incoming(db, incoming, dry_run=False, now=now)      # one transaction, origin noted
    result = import_file(db, path, fmt="auto", today=today, now=now)    # both at once

A file is another forecastapp ledger (a JSON export or a database: `merge.read_ledger_source`, whose hash
chain must verify), another tracker's export or a spreadsheet kept by hand (`formats.read_plan`). Either
becomes a ledger export dict and goes through `merge.bring_in_file`, which notes where the records came
from: records already here are skipped, and a resolution that differs from the one in force here is
flagged as a conflict instead of replacing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database

from forecastapp.core.errors import ImportFormatError
from forecastapp.core.formats import detect_format, plan_to_ledger, read_plan
from forecastapp.core.formats.plan import ImportPlan
from forecastapp.core.formats.spreadsheet import ColumnMapping
from forecastapp.core.merge import MergeReport, bring_in_file, preview, read_ledger_source

LEDGER_FORMATS = ("ledger", "ledger-db")
"""The formats of another forecastapp ledger: a JSON export and a database file."""


@dataclass(frozen=True)
class Incoming:
    """A file read and checked, ready to be brought in: nothing of it is written yet."""

    path: Path
    format: str  # "ledger", "ledger-db", "fatebook", "predictionbook", "metaculus" or "csv"
    data: dict  # the records, as a ledger export dict
    plan: ImportPlan | None = None  # for another tracker's file or a spreadsheet: what was read and skipped

    @property
    def action(self) -> str:
        """How the origin names it: a ledger database is merged, anything else imported."""
        return "merge" if self.format == "ledger-db" else "import"


@dataclass(frozen=True)
class ImportResult:
    """What `import_file` read, and what it added (or, in a dry run, would add), found present or flagged."""

    incoming: Incoming
    report: MergeReport
    dry_run: bool


def read_incoming(
    path: Path,
    *,
    fmt: str = "auto",
    mapping: ColumnMapping | None = None,
    today: date,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> Incoming:
    """Read a file to bring in (`fmt` "auto" recognises it; "ledger" also takes a ledger database); writes nothing."""
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt in LEDGER_FORMATS:
        if path.is_dir():
            raise ImportFormatError(f"'{path.name}' is a folder; a ledger export is one .json file")
        # The core's one reader of another ledger: its hash chain must verify, or nothing is written.
        data, fmt = read_ledger_source(path, now=now)
        return Incoming(path=path, format=fmt, data=data)
    plan = read_plan(path, fmt=fmt, today=today, mapping=mapping, progress=progress)
    return Incoming(path=path, format=plan.format, data=plan_to_ledger(plan), plan=plan)


def write_incoming(
    db: Database,
    incoming: Incoming,
    *,
    dry_run: bool = False,
    name: str | None = None,
    host: str = "",
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> MergeReport:
    """Bring `incoming` into the ledger in one transaction, its origin noted (`name`: the file's name to note, if
    not the path's); with `dry_run`, what that would add, skip and flag, read without writing."""
    if dry_run:
        return preview(db, incoming.data)
    return bring_in_file(db, incoming.data, source=incoming.path, name=name, action=incoming.action,
                         fmt=incoming.format, host=host, now=now, progress=progress)


def import_file(
    db: Database,
    path: Path,
    *,
    fmt: str = "auto",
    mapping: ColumnMapping | None = None,
    dry_run: bool = False,
    host: str = "",
    today: date,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read the file at `path` and bring it in (`read_incoming`, then `write_incoming`)."""
    incoming = read_incoming(path, fmt=fmt, mapping=mapping, today=today, now=now)
    report = write_incoming(db, incoming, dry_run=dry_run, host=host, now=now, progress=progress)
    return ImportResult(incoming=incoming, report=report, dry_run=dry_run)
