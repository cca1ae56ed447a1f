"""Two analysts' ledgers that share questions, for the merge, import and conflict tests of the desktop app."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from forecastapp.core import ledger as L
from forecastapp.core.store import open_ledger
from forecastapp.core.transfer import import_ledger, read_export, write_export

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
LATER = datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc)
DISPUTED = "Will the harbour reopen before March?"
AGREED = "Will the ferry run on New Year's Day?"


def question_id(db: Database, statement: str) -> str:
    """The id of the question with this statement."""
    return db.execute("SELECT id FROM questions WHERE statement = ?", [statement]).fetchone()[0]


def ann_and_bo(folder: Path) -> tuple[Database, Database]:
    """Ann's ledger (ann.db) with DISPUTED and AGREED at 60%, and Bo's (bo.db) started from Ann's export.

    Both are returned open; the caller adds what its test needs and closes them.
    """
    ann, bo = open_ledger(folder / "ann.db", seed=False), open_ledger(folder / "bo.db", seed=False)
    for statement in (DISPUTED, AGREED):
        L.create_forecast(ann, L.NewQuestion(statement), analyst="Ann", probability=0.6, made_on=date(2026, 1, 5),
                          today=TODAY, now=NOW)
    write_export(ann, folder / "ann.json", now=NOW)
    import_ledger(bo, read_export(folder / "ann.json"))
    return ann, bo


def resolve_differently(ann: Database, bo: Database) -> None:
    """Bo resolves DISPUTED no (with evidence), Ann resolves it yes: a merge flags one conflict."""
    L.resolve(bo, question_id=question_id(bo, DISPUTED), outcome="no", resolved_on=date(2026, 3, 1),
              evidence="port notice 14/2026", recorded_by="bo", today=TODAY, now=LATER)
    L.resolve(ann, question_id=question_id(ann, DISPUTED), outcome="yes", resolved_on=date(2026, 3, 1), today=TODAY,
              now=LATER)
