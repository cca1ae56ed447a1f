"""Render the main window and the add-forecast dialog into docs/ (offscreen, no display needed).

    python docs/screenshots.py [--dark]

Works on a temporary copy of the starting ledger, with a few questions resolved, corrected and
updated through the core so the table and the detail pane show every status. Nothing outside the
temporary folder is touched (QSettings included). Writes docs/main-window.png and
docs/add-dialog.png (with --dark: docs/main-window-dark.png, to check the dark palette).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DOCS = Path(__file__).resolve().parent
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


def build_ledger(path: Path) -> str:
    """The starting ledger plus resolved examples; returns the id of the question to show in detail."""
    from forecastapp.core import ledger, queries
    from forecastapp.core.store import open_ledger

    db = open_ledger(path, seed=True)
    try:
        rows = queries.list_questions(db, today=TODAY)
        by_deadline = sorted((r for r in rows if r.resolve_by and r.resolve_by < TODAY and not r.condition),
                             key=lambda r: r.resolve_by)
        shown = by_deadline[0]
        # A forecast update, then a resolution that was later corrected: the detail pane's full story.
        ledger.add_forecast(db, question_id=shown.id, analyst="Mina Park", probability=0.8, made_on=date(2024, 6, 3),
                            rationale="Sanctions renewed in May; no sign of relief talks.", today=TODAY, now=NOW)
        ledger.add_forecast(db, question_id=shown.id, analyst=shown.latest_analyst or "Mina Park",
                            probability=0.875, term="very likely", made_on=date(2024, 10, 1), today=TODAY, now=NOW)
        ledger.resolve(db, question_id=shown.id, outcome="no", resolved_on=shown.resolve_by,
                       evidence="Read a humanitarian licence as sanctions relief.", recorded_by="mina",
                       today=TODAY, now=NOW)
        ledger.correct_resolution(db, question_id=shown.id, outcome="yes", resolved_on=shown.resolve_by,
                                  evidence="The licence was routine humanitarian relief, which the criteria "
                                           "exclude; see https://ofac.treasury.gov/recent-actions",
                                  recorded_by="mina", today=TODAY, now=NOW)
        for r, outcome in zip(by_deadline[1:4], ("yes", "no", "yes")):
            ledger.resolve(db, question_id=r.id, outcome=outcome, resolved_on=r.resolve_by,
                           evidence="Checked against the criteria sources.", recorded_by="mina", today=TODAY, now=NOW)
        conditional = next((r for r in rows if r.condition and r.resolve_by and r.resolve_by < TODAY), None)
        if conditional is not None:
            ledger.resolve(db, question_id=conditional.id, outcome="annulled", annul_reason="condition_not_met",
                           resolved_on=conditional.resolve_by, evidence="The condition did not hold.",
                           recorded_by="mina", today=TODAY, now=NOW)
        return shown.id
    finally:
        db.close()


def apply_dark_palette(app) -> None:
    """A plain dark Fusion palette (what a dark desktop theme gives Qt)."""
    from PySide6.QtGui import QColor, QPalette

    app.setStyle("Fusion")
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#333333",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#333333",
        QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.PlaceholderText: "#9a9a9a",
        QPalette.ColorRole.Link: "#8ab4f8",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#7a7a7a"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#7a7a7a"))
    app.setPalette(p)


def main() -> None:
    """Build the ledger, show the window and the dialog, save the PNGs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dark", action="store_true", help="render the main window with a dark palette")
    args = parser.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from forecastapp.app import create_main_window
    from forecastapp.ui.app import ensure_application
    from forecastapp.ui.ledger_model import IdRole
    from forecastapp.ui.question_dialog import AddForecastDialog

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = ensure_application(sys.argv[:1])
        app.setOrganizationName("forecastapp-screenshots")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
        if args.dark:
            apply_dark_palette(app)
        db_path = folder / "forecasts.db"
        shown_id = build_ledger(db_path)

        window = create_main_window(db_path, settings=QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat),
                                    now=lambda: NOW, today=lambda: TODAY, background=False)
        window.resize(1440, 880)
        window.splitter.setSizes([860, 580])
        window.show()
        for _ in range(5):
            app.processEvents()
        model = window.model
        row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0), IdRole) == shown_id)
        window.table.selectRow(row)
        for _ in range(5):
            app.processEvents()
        name = "main-window-dark.png" if args.dark else "main-window.png"
        window.grab().save(str(DOCS / name))
        print(f"wrote docs/{name}")

        if not args.dark:
            dialog = AddForecastDialog(window.service, window, analyst="Mina Park")
            dialog.statement_edit.setPlainText("North Korea conducts its seventh nuclear test before 1 January 2028.")
            dialog.criteria_edit.setPlainText(
                "Yes if the CTBTO or two national seismic agencies report an explosion at Punggye-ri "
                "attributed to a nuclear device, or North Korean state media announce a test.")
            dialog.probability.set_value(0.325)
            dialog.resolve_by.edit.setText("in 13 months")
            dialog.tags_edit.setText("nuclear, military")
            dialog.show()
            for _ in range(5):
                app.processEvents()
            dialog.grab().save(str(DOCS / "add-dialog.png"))
            print("wrote docs/add-dialog.png")
            dialog.close()
        window.close()
        window.service.close()
        QApplication.processEvents()


if __name__ == "__main__":
    main()
