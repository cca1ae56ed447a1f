"""Render the scorecard tab and the document view to PNG files in this folder.

    python docs/panels_screenshots.py [--dark] [--scale 2]

Works on a temporary copy of the starting ledger with a few resolved example questions added
through `forecastapp.core.ledger` (the starting ledger itself has no resolutions yet, so its
scorecard would be empty). Runs under the offscreen platform unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)

# (statement, tags, analyst, probability, term, made on, outcome, resolved on). Invented examples,
# clearly marked as such, so no real-world outcome is asserted about the starting ledger's questions.
EXAMPLES = [
    ("Example: the ministry publishes the budget review by June", ("economy",), "Ana Ruiz", 0.675, "likely",
     date(2025, 1, 10), "yes", date(2025, 6, 2)),
    ("Example: the port reopens to foreign shipping in 2025", ("economy", "isolation"), "Ana Ruiz", 0.325,
     "unlikely", date(2025, 2, 1), "no", date(2025, 9, 30)),
    ("Example: the summit takes place before October", ("diplomacy",), "Ana Ruiz", 0.875, "very likely",
     date(2025, 3, 1), "yes", date(2025, 9, 15)),
    ("Example: the sanctions committee adds new designations", ("sanctions",), "Ana Ruiz", 0.875, "very likely",
     date(2025, 3, 20), "no", date(2025, 12, 31)),
    ("Example: a new missile test is reported in the first quarter", ("military",), "Ana Ruiz", 0.5,
     "roughly even chance", date(2025, 1, 5), "yes", date(2025, 3, 31)),
    ("Example: grain imports exceed last year's", ("economy", "china"), "Ana Ruiz", 0.675, "likely",
     date(2025, 2, 14), "yes", date(2026, 2, 20)),
    ("Example: the border crossing reopens for tourists", ("isolation",), "Ana Ruiz", 0.125, "very unlikely",
     date(2025, 4, 1), "no", date(2026, 4, 1)),
    ("Example: a joint exercise is announced in spring", ("military", "russia"), "Ben Okafor", 0.6, None,
     date(2025, 2, 1), "yes", date(2025, 5, 20)),
    ("Example: the central bank changes the exchange-rate regime", ("economy",), "Ben Okafor", 0.2, None,
     date(2025, 1, 15), "no", date(2025, 12, 31)),
    ("Example: the special envoy visits Pyongyang", ("diplomacy",), "Ben Okafor", 0.35, None,
     date(2025, 3, 10), "yes", date(2026, 1, 12)),
    ("Example: the trade fair admits foreign exhibitors", ("economy", "isolation"), "Ben Okafor", 0.8, None,
     date(2025, 5, 5), "yes", date(2026, 6, 30)),
    ("Example: the satellite launch succeeds on the first attempt", ("military",), "Ben Okafor", 0.3, None,
     date(2025, 6, 1), "no", date(2026, 9, 1)),
]
# Second opinions on the same questions, so the relative Brier has something to compare.
SECOND_OPINIONS = [(0, "Ben Okafor", 0.55), (2, "Ben Okafor", 0.7), (3, "Ben Okafor", 0.6), (8, "Ana Ruiz", 0.1)]


def build_example_ledger(path: Path) -> None:
    """The starting ledger plus the resolved examples above, written through the core."""
    from forecastapp.core import ledger
    from forecastapp.core.store import open_ledger

    db = open_ledger(path, seed=True)
    try:
        ids = []
        for statement, tags, analyst, p, term, made_on, outcome, resolved_on in EXAMPLES:
            qid, _ = ledger.create_forecast(
                db, ledger.NewQuestion(statement=statement, tags=tags, resolve_by=resolved_on),
                analyst=analyst, probability=p, term=term, made_on=made_on, today=TODAY, now=NOW,
            )
            ids.append((qid, made_on, outcome, resolved_on))
        for index, analyst, p in SECOND_OPINIONS:
            qid, made_on, _outcome, _resolved_on = ids[index]
            ledger.add_forecast(db, question_id=qid, analyst=analyst, probability=p, made_on=made_on,
                                today=TODAY, now=NOW)
        for qid, _made_on, outcome, resolved_on in ids:
            ledger.resolve(db, question_id=qid, outcome=outcome, resolved_on=resolved_on,
                           evidence="Example resolution for the screenshots.", today=TODAY, now=NOW)
    finally:
        db.close()


def guard_none_refcount() -> bool:
    """Keep a leaking binding from freeing None; True if the leak was seen and countered.

    With PySide6 6.12 on Python 3.11, each call of a Qt method that returns nothing takes one
    reference from None without giving it back (Python 3.12 made None immortal, which hides this).
    After a few thousand calls the interpreter aborts with "deallocating None". Rendering two
    panels makes that many calls, so the script tops None's count up when it sees the leak.
    """
    if sys.version_info >= (3, 12):
        return False
    import ctypes

    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(100):
        probe.setObjectName("probe")
    if sys.getrefcount(None) >= before:
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40  # ob_refcnt is a CPython object's first field
    return True


def main(argv: list[str] | None = None) -> int:
    """Build the example ledger, render both panels and save the PNGs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dark", action="store_true", help="use a dark Fusion palette")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio, e.g. 2 for 200%%")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the PNG files")
    parser.add_argument("--suffix", default="", help="added to the file names, e.g. -dark")
    args = parser.parse_args(argv)
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)

    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    if guard_none_refcount():
        print("note: this PySide6 build leaks references to None; countered for this run", file=sys.stderr)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if args.dark:
        palette = QPalette()
        role = QPalette.ColorRole
        dark = {
            role.Window: "#2b2b2b", role.Base: "#1f1f1f", role.AlternateBase: "#2b2b2b", role.Text: "#e6e6e6",
            role.WindowText: "#e6e6e6", role.Button: "#333333", role.ButtonText: "#e6e6e6",
            role.Highlight: "#3d6fb4", role.HighlightedText: "#ffffff", role.Mid: "#555555",
            role.PlaceholderText: "#9a9a9a", role.ToolTipBase: "#333333", role.ToolTipText: "#e6e6e6",
        }
        for which, colour in dark.items():
            palette.setColor(which, QColor(colour))
        for which in (role.Text, role.WindowText, role.ButtonText):
            palette.setColor(QPalette.ColorGroup.Disabled, which, QColor("#7a7a7a"))
        app.setPalette(palette)

    from forecastapp.ui.document_panel import DocumentPanel
    from forecastapp.ui.scorecard_panel import ScorecardPanel
    from forecastapp.ui.service import LedgerService

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "example.db"
        build_example_ledger(path)
        service = LedgerService.open(path, seed=False, now=lambda: NOW, today=lambda: TODAY)
        try:
            scorecard = ScorecardPanel(service)
            scorecard.resize(1180, 900)
            done = []
            scorecard.scorecard_updated.connect(lambda: done.append(True))
            scorecard.show()
            while not done:
                app.processEvents()
            app.processEvents()
            scorecard.grab().save(str(args.out / f"scorecard{args.suffix}.png"))
            scorecard.close()

            document = DocumentPanel(service)
            document.resize(1000, 720)
            document.show()
            app.processEvents()
            # A passage no question quotes yet, selected: the button that turns it into a forecast lights up.
            view = document.text_view()
            text = view.toPlainText()
            wanted = "In 2023, Russia has re-emerged as a major player in North Korea"
            start = text.find(wanted)
            if start >= 0:
                cursor = view.textCursor()
                cursor.setPosition(start)
                cursor.setPosition(start + len(wanted), cursor.MoveMode.KeepAnchor)
                view.setTextCursor(cursor)
            app.processEvents()
            document.grab().save(str(args.out / f"document-view{args.suffix}.png"))
            document.close()
        finally:
            service.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
