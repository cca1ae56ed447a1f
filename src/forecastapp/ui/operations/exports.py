"""Writing the ledger and the scorecard to files, on a worker thread (Qt-free; no SQL here).

The window's File > Export ledger… and Export scorecard… run these through `tasks.run_in_background`;
each opens its own connection, because an sqlite connection belongs to the thread that uses it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from forecastapp.core import store
from forecastapp.core.errors import ValidationError
from forecastapp.ui.operations import Progress, scorecard
from forecastapp.ui.operations.ledger import load_sqlite_utils


def refuse_writing_over(target: Path, db_path: Path) -> None:
    """Raise ValidationError when an export's `target` is the ledger's own file (writing it would destroy it)."""
    if store.is_ledger_file(target, db_path):
        raise ValidationError(f"'{target.name}' is the ledger's own database file; save the export as another file")


def export_ledger_file(db_path: Path, target: Path, progress: Progress, *, now: datetime) -> Path:
    """Write the whole ledger at `db_path` to `target` as JSON, on its own connection; returns `target`.

    The core writes atomically (`files.write_output`): the whole file first, beside the target (a
    link's target), then the cancel check, then the rename; a cancel leaves any existing file untouched.
    """
    from forecastapp.core import transfer

    refuse_writing_over(target, db_path)
    load_sqlite_utils()
    progress.report(0, 0)
    db = store.open_ledger(db_path, seed=False)
    try:
        transfer.write_export(db, target, now=now, before_replace=progress.check)
    finally:
        db.close()
    return target


def scorecard_file(db_path: Path, target: Path, fmt: str, progress: Progress, *, filters: dict[str, Any],
                   today: date, now: datetime):
    """Build the scorecard for `filters` and write it to `target` as `fmt`; returns the files written.

    A PDF is not written here: the scorecard itself is returned, for `write_scorecard_pdf` on the GUI thread
    (render/pdf.py lays the report out with QTextDocument, which Qt does not promise to be safe off it).
    A cancel while scoring writes nothing.
    """
    from forecastapp.core import report

    refuse_writing_over(target, db_path)
    card = scorecard.read_scorecard(db_path, filters=filters, today=today, now=now)
    progress.check()
    if fmt == "pdf":
        return card
    return report.write_scorecard(card, target, fmt)


def write_scorecard_pdf(card: dict[str, Any], target: Path):
    """Paint a scorecard `scorecard_file` returned as a PDF at `target` (on the GUI thread); returns the files."""
    from forecastapp.core import report
    from forecastapp.render.pdf import render_pdf

    return report.write_scorecard(card, target, "pdf", render_pdf=render_pdf)
