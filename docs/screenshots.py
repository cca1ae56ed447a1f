"""Render the desktop app's screenshots into docs/ (offscreen, no display needed).

    python docs/screenshots.py [--scale 2] [--out FOLDER]

Writes main-window.png, main-window-dark.png, add-dialog.png, scorecard.png, document-view.png,
document-review.png (the review of an invented assessment from tests/data/assessments/) and
edit-question.png (the edit dialog beside the detail pane of a question edited earlier).

Works on a temporary copy of the starting ledger. The starting ledger's questions are about real
events and stay as they are (open, or due once their deadline has passed: true either way); every
resolution, correction and second opinion in the pictures belongs to invented questions that say
"Example:" and are made by example analysts, so no outcome is claimed for a real event. Nothing
outside the temporary folder is touched (QSettings included).
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shots import DOCS, parse_args, settle, start_app  # noqa: E402 - docs/shots.py, beside this script
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)

# (statement, tags, analyst, probability, term, made on, outcome, resolved on). Invented examples,
# marked as such in the statement, so the scorecard has something to score.
EXAMPLES = [
    ("Example: the ministry publishes the budget review by June", ("economy",), "Ana Ruiz", 0.5,
     "roughly even chance", date(2025, 1, 10), "yes", date(2025, 6, 2)),
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
    ("Example: the special envoy visits the capital", ("diplomacy",), "Ben Okafor", 0.35, None,
     date(2025, 3, 10), "yes", date(2026, 1, 12)),
    ("Example: the trade fair admits foreign exhibitors", ("economy", "isolation"), "Ben Okafor", 0.8, None,
     date(2025, 5, 5), "yes", date(2026, 6, 30)),
    ("Example: the satellite launch succeeds on the first attempt", ("military",), "Ben Okafor", 0.3, None,
     date(2025, 6, 1), "no", date(2026, 9, 1)),
]
# Second opinions on the same questions, so the relative Brier has something to compare.
SECOND_OPINIONS = [(0, "Ben Okafor", 0.55), (2, "Ben Okafor", 0.7), (3, "Ben Okafor", 0.6), (8, "Ana Ruiz", 0.1)]
#: The example the main window shows in its detail pane: updated twice, resolved, then corrected.
SHOWN = 0
#: A passage of the starting document that no question quotes yet (selected in the document view).
UNQUOTED = "In 2023, Russia has re-emerged as a major player in North Korea"
#: The assessment the review screenshot imports (invented for the detector's tests).
REVIEWED = DOCS.parent / "tests" / "data" / "assessments" / "kaliva-port-2024.txt"


def _at(day: date, hour: int = 9) -> datetime:
    """A recording moment on `day`: each example is recorded when it was made, so none is back-dated."""
    return datetime.combine(day, time(hour), tzinfo=timezone.utc)


def build_ledger(path: Path) -> str:
    """The starting ledger plus the resolved examples above; returns the id of the example to show in detail."""
    from forecastapp.core import ledger
    from forecastapp.core.store import open_ledger

    db = open_ledger(path, seed=True)
    try:
        ids = []
        for statement, tags, analyst, p, term, made_on, _outcome, resolved_on in EXAMPLES:
            qid, _ = ledger.create_forecast(
                db, ledger.NewQuestion(statement=statement, tags=tags, resolve_by=resolved_on),
                analyst=analyst, probability=p, term=term, made_on=made_on, today=made_on, now=_at(made_on),
            )
            ids.append(qid)
        for index, analyst, p in SECOND_OPINIONS:
            made_on = EXAMPLES[index][5]
            ledger.add_forecast(db, question_id=ids[index], analyst=analyst, probability=p, made_on=made_on,
                                today=made_on, now=_at(made_on, 15))
        # The shown example's full story: two updates, a resolution recorded wrongly, then corrected.
        shown = ids[SHOWN]
        for p, term, made_on, why in ((0.675, "likely", date(2025, 3, 3), "the draft went to cabinet on schedule"),
                                      (0.8, None, date(2025, 5, 6), "the minister named a date in parliament")):
            ledger.add_forecast(db, question_id=shown, analyst="Ana Ruiz", probability=p, term=term, made_on=made_on,
                                rationale=f"Example: {why}.", today=made_on, now=_at(made_on))
        for i, (qid, example) in enumerate(zip(ids, EXAMPLES)):
            outcome, resolved_on = example[6], example[7]
            recorded = resolved_on + timedelta(days=1)
            if i == SHOWN:
                ledger.resolve(db, question_id=qid, outcome="no", resolved_on=resolved_on,
                               evidence="Example: no review found on the ministry's site.", recorded_by="ana",
                               today=recorded, now=_at(recorded))
                fixed = recorded + timedelta(days=2)
                ledger.correct_resolution(db, question_id=qid, outcome=outcome, resolved_on=resolved_on,
                                          evidence="Example: the review was posted under Publications on "
                                                   "2 June; the first check missed it. https://example.org/review",
                                          recorded_by="ana", today=fixed, now=_at(fixed))
            else:
                ledger.resolve(db, question_id=qid, outcome=outcome, resolved_on=resolved_on,
                               evidence="Example resolution for the screenshots.", recorded_by="ana",
                               today=recorded, now=_at(recorded))
        return shown
    finally:
        db.close()


#: The example edited before the edit-question picture (its detail pane lists the edit), and the one the
#: dialog is open on (indexes into EXAMPLES).
EDITED, EDITING = 9, 7


def edit_question_shot(app, window, out: Path) -> None:
    """edit-question.png: the edit dialog changing a question's wording, beside the detail pane of one edited before.

    Taken last, so the edit it records shows in no other picture.
    """
    from PySide6.QtGui import QPainter, QPalette, QPixmap

    from forecastapp.core import ledger
    from forecastapp.ui.dialogs.question import EditQuestionDialog

    db = window.service.db
    ids = [db.execute("SELECT id FROM questions WHERE statement = ?", [e[0]]).fetchone()[0]
           for e in (EXAMPLES[EDITED], EXAMPLES[EDITING])]
    ledger.edit_question(db, question_id=ids[0], criteria="Example: yes if the envoy's visit is reported by the "
                         "foreign ministry or state media; a transit stop does not count.",
                         tags_add=["envoy"], reason="Example: a transit stop was reported; say it does not count",
                         recorded_by="ben", now=_at(EXAMPLES[EDITED][5] + timedelta(days=20)))

    window.resize(1440, 900)
    window.action_show_forecasts.trigger()
    window.select_question(ids[0])
    settle(app, window)
    pane = window.detail_pane.grab()
    dialog = EditQuestionDialog(window.service, window.service.detail(ids[1]), window)
    dialog.statement_edit.setPlainText("Example: a joint exercise is announced before the summer")
    dialog.reason_edit.setText("Example: \u201cin spring\u201d was read two ways")
    dialog.show()
    settle(app, dialog)
    shot = dialog.grab()
    gap = 16
    picture = QPixmap(shot.width() + pane.width() + 3 * gap, max(shot.height(), pane.height()) + 2 * gap)
    picture.fill(window.palette().color(QPalette.ColorRole.Mid))
    painter = QPainter(picture)
    painter.drawPixmap(gap, gap, shot)
    painter.drawPixmap(shot.width() + 2 * gap, gap, pane)
    painter.end()
    picture.save(str(out / "edit-question.png"))
    print("wrote edit-question.png")
    dialog.close()


def dark_palette():
    """A plain dark Fusion palette (what a dark desktop theme gives Qt)."""
    from PySide6.QtGui import QColor, QPalette

    role = QPalette.ColorRole
    palette = QPalette()
    colours = {
        role.Window: "#2b2b2b", role.WindowText: "#e6e6e6", role.Base: "#1e1e1e", role.AlternateBase: "#262626",
        role.Text: "#e6e6e6", role.Button: "#333333", role.ButtonText: "#e6e6e6", role.Highlight: "#2f65ca",
        role.HighlightedText: "#ffffff", role.ToolTipBase: "#333333", role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#9a9a9a", role.Link: "#8ab4f8", role.Mid: "#555555",
    }
    for which, colour in colours.items():
        palette.setColor(which, QColor(colour))
    for which in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, which, QColor("#7a7a7a"))
    return palette


def main(argv: list[str] | None = None) -> int:
    """Build the example ledger, show the window, its tabs and the add dialog, and save the PNGs."""
    args = parse_args(__doc__.splitlines()[0], argv)

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from forecastapp.app import create_main_window
    from forecastapp.core.ledger import NewQuestion
    from forecastapp.ui.dialogs.question import AddForecastDialog

    out: Path = args.out
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = start_app(folder)
        db_path = folder / "forecasts.db"
        shown_id = build_ledger(db_path)
        light = app.palette()

        window = create_main_window(db_path, settings=QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat),
                                    now=lambda: NOW, today=lambda: TODAY, background=False)
        window.resize(1440, 900)
        window.splitter.setSizes([900, 540])
        window.show()
        settle(app)
        window.select_question(shown_id)
        settle(app, window)
        window.grab().save(str(out / "main-window.png"))
        print("wrote main-window.png")

        # The palette change reaches the widgets as posted events: let them arrive before the detail
        # pane's HTML is rebuilt in the new tones.
        app.setPalette(dark_palette())
        settle(app)
        window.select_question(shown_id)
        settle(app, window)
        window.grab().save(str(out / "main-window-dark.png"))
        print("wrote main-window-dark.png")
        app.setPalette(light)
        settle(app)
        window.select_question(shown_id)
        settle(app, window)

        # The add dialog as "New forecast from selection" opens it: the excerpt and its offsets come along.
        text = window.service.document(window.service.documents()[0][0]).text
        start = text.index(UNQUOTED)
        prefill = NewQuestion(statement="", document_id=window.service.documents()[0][0], excerpt=UNQUOTED,
                              excerpt_start=start, excerpt_end=start + len(UNQUOTED))
        dialog = AddForecastDialog(window.service, window, prefill=prefill, analyst="Ana Ruiz")
        dialog.statement_edit.setPlainText(
            "Example: Russia's defence minister visits Pyongyang again before the end of 2027.")
        dialog.criteria_edit.setPlainText(
            "Yes if Russian or North Korean state media report an official visit by the sitting Russian "
            "defence minister to Pyongyang between today and 31 December 2027.")
        dialog.probability.set_value(0.6)
        dialog.resolve_by.edit.setText("in 13 months")
        dialog.tags_edit.setText("russia, military")
        dialog.show()
        settle(app, dialog)
        dialog.grab().save(str(out / "add-dialog.png"))
        print("wrote add-dialog.png")
        dialog.close()

        window.resize(1440, 1060)  # room for the per-group tables under the charts
        window.action_show_scorecard.trigger()
        panel = window.scorecard_view
        while panel.scorecard() is None or panel.is_busy():
            app.processEvents()
        settle(app, window)
        window.grab().save(str(out / "scorecard.png"))
        print("wrote scorecard.png")

        # A passage no question quotes yet, selected: the button that turns it into a forecast lights up.
        window.resize(1120, 800)  # lines of a readable length
        window.action_show_document.trigger()
        settle(app)
        view = window.document_view.text_view()
        cursor = view.textCursor()
        qt_start = view.toPlainText().find(UNQUOTED)
        cursor.setPosition(qt_start)
        cursor.setPosition(qt_start + len(UNQUOTED), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        view.setFocus()
        settle(app, window)
        window.grab().save(str(out / "document-view.png"))
        print("wrote document-view.png")

        # The review of an imported assessment (an invented port, so no claim about a real one):
        # two candidates ticked, one of them edited, the one being edited selected in the text.
        from forecastapp.core.documents import import_document
        from forecastapp.ui.panels.review import DocumentReview

        imported = import_document(window.service.db, REVIEWED, author="J. M. Ortega",
                                   published_on=date(2024, 9, 10), today=TODAY, now=NOW)
        review = DocumentReview(window.service, imported.document_id, window)
        review.resize(1280, 720)
        review.show()
        settle(app, review)
        review.set_checked(0)
        review.set_checked(3)
        review.list_widget().setCurrentRow(3)
        review.statement_edit.setPlainText("Dredging of the Kaliva approach channel to 16.5 m is finished by the end "
                                           "of 2025")
        review.probability_spin.setValue(25)
        review.resolve_edit.setText("end of 2025")
        review.tags_edit.setText("kaliva, infrastructure")
        settle(app, review)
        review.grab().save(str(out / "document-review.png"))
        print("wrote document-review.png")
        review.close()

        edit_question_shot(app, window, out)

        window.close()
        window.service.close()
        QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
