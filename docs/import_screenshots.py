"""Render the import and conflict dialogs' screenshots into docs/ (offscreen, no display needed).

    python docs/import_screenshots.py [--scale 2] [--out FOLDER]

Writes import-spreadsheet.png (the column page for tests/data/spreadsheets/hand-kept.csv, an invented
sheet), import-preview.png (its preview) and settle-conflicts.png (two invented "Example:" questions
that a teammate's ledger resolved the other way). Kept apart from docs/screenshots.py so that the
main window's pictures do not change when these do. Works in a temporary folder; nothing else is
touched (QSettings included).
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shots import DOCS, parse_args, settle, start_app  # noqa: E402 - docs/shots.py, beside this script

SHEET = DOCS.parent / "tests" / "data" / "spreadsheets" / "hand-kept.csv"
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
#: (statement, ours, theirs, their evidence). Invented, and marked so, like docs/screenshots.py's examples.
DISPUTES = [
    ("Example: the port reopens to foreign shipping before March", "yes", "no",
     "Example: harbour notice 14/2026 keeps the port closed to foreign-flagged ships."),
    ("Example: the budget review is published by June", "no", "yes",
     "Example: posted under Publications on 2 June; the first check missed it."),
]


def build_conflicts(folder: Path) -> Path:
    """Ana's ledger after merging Ben's, in which each example question was resolved the other way."""
    from forecastapp.core import ledger
    from forecastapp.core.merge import merge_ledger
    from forecastapp.core.store import open_ledger
    from forecastapp.core.transfer import import_ledger, read_export, write_export

    ann_path, bo_path = folder / "ana.db", folder / "ben-okafor.db"
    ann, bo = open_ledger(ann_path, seed=False), open_ledger(bo_path, seed=False)
    made_on, resolved_on = date(2026, 1, 12), date(2026, 6, 30)
    later = datetime(2026, 7, 2, 9, 0, tzinfo=timezone.utc)
    try:
        for statement, *_ in DISPUTES:
            ledger.create_forecast(ann, ledger.NewQuestion(statement), analyst="Ana Ruiz", probability=0.6,
                                   made_on=made_on, today=made_on, now=datetime(2026, 1, 12, 9, 0, tzinfo=timezone.utc))
        write_export(ann, folder / "ana.json", now=NOW)
        import_ledger(bo, read_export(folder / "ana.json"))
        for statement, ours, theirs, evidence in DISPUTES:
            qid = ann.execute("SELECT id FROM questions WHERE statement = ?", [statement]).fetchone()[0]
            ledger.resolve(bo, question_id=qid, outcome=theirs, resolved_on=resolved_on, evidence=evidence,
                           recorded_by="ben", today=TODAY, now=later)
            ledger.resolve(ann, question_id=qid, outcome=ours, resolved_on=resolved_on,
                           evidence="Example resolution for the screenshots.", recorded_by="ana", today=TODAY, now=later)
        bo.close()
        merge_ledger(ann, bo_path, now=NOW)
    finally:
        ann.close()
    return ann_path


def main(argv: list[str] | None = None) -> int:
    """Build the example ledgers, open the dialogs and save the PNGs."""
    args = parse_args(__doc__.splitlines()[0], argv)

    from forecastapp.core.store import open_ledger
    from forecastapp.ui.dialogs.conflicts import ConflictsDialog
    from forecastapp.ui.dialogs.import_wizard import ImportDialog
    from forecastapp.ui.operations.ledger import LedgerService

    out: Path = args.out
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = start_app(folder)

        empty = folder / "forecasts.db"
        open_ledger(empty, seed=False).close()
        service = LedgerService.open(empty, seed=False, now=lambda: NOW, today=lambda: TODAY)
        dialog = ImportDialog(service, path=SHEET, default_analyst="Ana Ruiz")
        dialog.resize(1100, 640)
        dialog.show()
        dialog.go_next()
        settle(app)
        dialog.grab().save(str(out / "import-spreadsheet.png"))
        print("wrote import-spreadsheet.png")
        dialog.go_next()
        while dialog.preview is None or dialog.is_busy():
            app.processEvents()
        dialog.resize(1000, 460)
        settle(app)
        dialog.grab().save(str(out / "import-preview.png"))
        print("wrote import-preview.png")
        dialog.close()
        service.close()

        merged = LedgerService.open(build_conflicts(folder), seed=False, now=lambda: NOW, today=lambda: TODAY)
        conflicts = ConflictsDialog(merged)
        conflicts.resize(1000, 340)
        conflicts.show()
        conflicts.select_row(0)
        conflicts.note_edit.setText("Example: the harbour notice is the official word")
        settle(app)
        conflicts.grab().save(str(out / "settle-conflicts.png"))
        print("wrote settle-conflicts.png")
        conflicts.close()
        merged.close()
        app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
