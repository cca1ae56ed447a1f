"""File > Import from another tracker or spreadsheet: choose, map columns, preview, import, cancel, import again."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QMenu

from forecastapp.core.store import open_ledger
from forecastapp.ui.dialogs.conflicts import ConflictsDialog
from forecastapp.ui.dialogs.import_wizard import PAGE_MAPPING, PAGE_PREVIEW, PAGE_SOURCE, ImportDialog
from forecastapp.ui.models.ledger_table import COL_STATEMENT, COL_STATUS
from forecastapp.ui.operations import imports

DATA = Path(__file__).resolve().parents[1] / "data"
HAND_KEPT = DATA / "spreadsheets" / "hand-kept.csv"
FATEBOOK = DATA / "formats" / "fatebook-forecasts.csv"
BRIDGE = "Will the harbour bridge reopen by June 2025?"
COUNCIL = "Will the city council pass the budget in March?"
FERRY = "Will the ferry timetable change in spring?"
LIBRARY = "Will the new library open before 2026?"


@pytest.fixture
def empty_window(make_window, tmp_path):
    """A main window on an empty ledger."""
    path = tmp_path / "empty.db"
    open_ledger(path, seed=False).close()
    return make_window(path)


def _open(qtbot, window, path: Path) -> ImportDialog:
    window.findChild(QAction, "actionImportOther").trigger()
    dialog = window.findChild(ImportDialog, "ImportDialog")
    assert dialog is not None and dialog.isVisible() and dialog.page() == PAGE_SOURCE
    qtbot.keyClicks(dialog.path_edit, str(path))
    return dialog


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _wait_preview(qtbot, dialog: ImportDialog) -> str:
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.busy_bar.isVisible(), timeout=10000)
    return dialog.findChild(type(dialog.preview_label), "importPreview").text()


def _wait_imported(qtbot, dialog: ImportDialog) -> str:
    qtbot.waitUntil(lambda: not dialog.is_busy() and dialog.result_label.text().startswith(("Imported", "Nothing")),
                    timeout=10000)
    return dialog.result_label.text()


def _table(window) -> dict[str, str]:
    model = window.model
    return {model.data(model.index(r, COL_STATEMENT)): model.data(model.index(r, COL_STATUS))
            for r in range(model.rowCount())}


def _count(db_path: Path, table: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_the_action_sits_after_import_ledger_with_its_shortcut(empty_window):
    action = empty_window.findChild(QAction, "actionImportOther")
    assert action.text() == "Import from another tracker or spreadsheet…"
    assert action.shortcut().toString() == "Ctrl+Shift+I"
    actions = empty_window.findChild(QMenu, "fileMenu").actions()
    names = [a.objectName() for a in actions]
    assert names[names.index("actionImportLedger") + 1] == "actionImportOther"


def test_a_hand_kept_spreadsheet_is_mapped_previewed_and_imported(qtbot, empty_window):
    window = empty_window
    dialog = _open(qtbot, window, HAND_KEPT)
    assert dialog.findChild(QComboBox, "formatCombo").currentData() == "auto"
    _click(qtbot, dialog.next_button)
    # Not a tracker's export: the column page, with the first rows and the guessed columns.
    assert dialog.page() == PAGE_MAPPING
    table = dialog.mapping_table
    assert table.model().rowCount() == 9  # 10 rows after the header, one blank
    assert table.model().index(0, 0).data() == BRIDGE
    assert table.model().headerData(0, Qt.Orientation.Horizontal) == "Question\n→ statement"
    # Rows are numbered as in a spreadsheet program (header = row 1, the blank line 5 counted but not
    # shown), the numbering the skip reasons below use: the impossible date sits in row 7.
    numbers = [table.model().headerData(r, Qt.Orientation.Vertical) for r in range(table.model().rowCount())]
    assert numbers == ["2", "3", "4", "6", "7", "8", "9", "10", "11"]
    assert table.model().index(4, 2).data() == "2025-02-30"
    guessed = {role: dialog.findChild(QComboBox, f"map_{role}").currentText() for role in dialog.role_combos}
    assert guessed == {"statement": "Question", "probability": "My forecast", "made_on": "Date",
                       "resolve_by": "Deadline", "outcome": "Outcome", "resolved_on": "Resolved on", "tags": "Tags",
                       "analyst": "(none)", "criteria": "Notes"}
    # Every control can be named by a screen reader.
    for combo in dialog.role_combos.values():
        assert combo.accessibleName().startswith("Column holding the ")

    # Taking the statement away is refused beside its combo; putting it back lets the user go on.
    statement = dialog.findChild(QComboBox, "map_statement")
    statement.setCurrentIndex(0)
    error = dialog.role_errors["statement"]
    assert error.isVisible() and error.text() == "choose the column that holds the statement"
    assert not dialog.next_button.isEnabled()
    statement.setCurrentIndex(statement.findText("Question"))
    assert not error.isVisible() and dialog.next_button.isEnabled()
    dialog.analyst_edit.setText("Ann Lee")

    _click(qtbot, dialog.next_button)
    assert dialog.page() == PAGE_PREVIEW
    text = _wait_preview(qtbot, dialog)
    assert text.splitlines()[:3] == [
        "hand-kept.csv (spreadsheet): 4 questions, 6 forecasts, 3 resolutions read; 3 rows skipped.",
        "New: 4 questions, 6 forecasts, 3 resolutions.",
        "Conflicts that would be flagged: 0.",
    ]
    skipped = dialog.skipped_texts()
    assert [line.split(":")[0] for line in skipped] == ["row 7, column 'Date'", "row 8, column 'Question'",
                                                         "row 11, column 'My forecast'"]
    assert "'2025-02-30' is not a real date" in skipped[0]
    assert _table(window) == {}  # the preview wrote nothing

    _click(qtbot, dialog.import_button)
    result = _wait_imported(qtbot, dialog)
    assert result.splitlines()[:2] == ["Imported hand-kept.csv.",
                                       "Added: 4 questions, 6 forecasts, 3 resolutions, 1 analyst."]
    # The bar counted every record: 1 analyst + 4 questions + 6 forecasts + 3 resolutions.
    bar = dialog.progress_bar
    assert (bar.minimum(), bar.maximum(), bar.value()) == (0, 14, 14)
    assert not dialog.import_button.isEnabled()
    qtbot.waitUntil(lambda: len(_table(window)) == 4, timeout=5000)
    assert _table(window) == {BRIDGE: "resolved yes", COUNCIL: "resolved no", FERRY: "annulled", LIBRARY: "due"}
    window.select_question(window.model.id_at(0))
    detail = window.selected_detail()
    assert [f.analyst for f in detail.forecasts] == ["Ann Lee"] * len(detail.forecasts)
    dialog.close()


def test_changing_a_column_changes_the_preview(qtbot, empty_window):
    dialog = _open(qtbot, empty_window, HAND_KEPT)
    _click(qtbot, dialog.next_button)
    outcome = dialog.findChild(QComboBox, "map_outcome")
    outcome.setCurrentIndex(outcome.findText("(none)"))
    assert dialog.mapping_table.model().headerData(4, Qt.Orientation.Horizontal) == "Outcome\n"
    _click(qtbot, dialog.next_button)
    lines = _wait_preview(qtbot, dialog).splitlines()
    assert lines[0] == "hand-kept.csv (spreadsheet): 4 questions, 6 forecasts, 0 resolutions read; 3 rows skipped."
    assert lines[1] == "New: 4 questions, 6 forecasts, 0 resolutions."
    # Back to the columns keeps the choice made there.
    _click(qtbot, dialog.back_button)
    assert dialog.page() == PAGE_MAPPING and outcome.currentText() == "(none)"
    dialog.close()


def test_importing_the_same_file_again_previews_nothing_new(qtbot, empty_window):
    window = empty_window
    for attempt in range(2):
        dialog = _open(qtbot, window, HAND_KEPT)
        _click(qtbot, dialog.next_button)
        _click(qtbot, dialog.next_button)
        text = _wait_preview(qtbot, dialog)
        if attempt == 0:
            _click(qtbot, dialog.import_button)
            _wait_imported(qtbot, dialog)
            dialog.close()
            qtbot.waitUntil(lambda: window.findChild(ImportDialog, "ImportDialog") is None, timeout=5000)
    assert text.splitlines()[1] == "Nothing new: everything in this file is already in the ledger."
    assert not dialog.import_button.isEnabled()
    assert _count(window.service.path, "forecasts") == 6
    dialog.close()


def test_cancel_during_the_import_writes_nothing(qtbot, empty_window, monkeypatch):
    window = empty_window
    gate = threading.Event()
    real = imports.run_import

    def held(db_path, plan, *, source, now, progress):
        def report(done: int, total: int) -> None:
            if total and done >= total:
                gate.wait(10)  # every record is written, the transaction still open: now Cancel arrives
            progress(done, total)

        return real(db_path, plan, source=source, now=now, progress=report)

    monkeypatch.setattr(imports, "run_import", held)
    dialog = _open(qtbot, window, HAND_KEPT)
    _click(qtbot, dialog.next_button)
    _click(qtbot, dialog.next_button)
    _wait_preview(qtbot, dialog)
    _click(qtbot, dialog.import_button)
    assert dialog.progress_bar.isVisible() and dialog.close_button.text() == "Cancel"
    assert not dialog.back_button.isEnabled()
    _click(qtbot, dialog.close_button)
    gate.set()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10000)
    assert dialog.result_label.text() == "Import cancelled; nothing was written."
    assert dialog.isVisible() and dialog.import_button.isEnabled()  # the user may still import
    for table in ("questions", "forecasts", "resolutions", "analysts", "origins"):
        assert _count(window.service.path, table) == 0, table
    dialog.close()


def test_a_fatebook_export_is_recognised_and_goes_straight_to_the_preview(qtbot, empty_window):
    window = empty_window
    dialog = _open(qtbot, window, FATEBOOK)
    _click(qtbot, dialog.next_button)
    assert dialog.page() == PAGE_PREVIEW
    lines = _wait_preview(qtbot, dialog).splitlines()
    assert lines[:2] == ["fatebook-forecasts.csv (Fatebook): 5 questions, 8 forecasts, 3 resolutions read; "
                         "3 rows skipped.", "New: 5 questions, 8 forecasts, 3 resolutions."]
    assert "row 11: multiple-choice question (only yes/no questions are imported)" in dialog.skipped_texts()
    assert "Note: 2 probabilities of 0 or 1" in dialog.notes_label.text()
    _click(qtbot, dialog.import_button)
    added = _wait_imported(qtbot, dialog).splitlines()[1]
    assert added == "Added: 5 questions, 8 forecasts, 3 resolutions, 3 analysts."
    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=5000)  # two Oslo questions share a title
    # Back from a tracker's preview goes to the source page (there are no columns to choose).
    _click(qtbot, dialog.back_button)
    assert dialog.page() == PAGE_SOURCE
    dialog.close()


def test_choosing_spreadsheet_reads_even_a_trackers_file_by_columns(qtbot, empty_window):
    dialog = _open(qtbot, empty_window, FATEBOOK)
    dialog.set_format("csv")
    _click(qtbot, dialog.next_button)
    assert dialog.page() == PAGE_MAPPING
    assert dialog.findChild(QComboBox, "map_statement").currentText() == "Question title"
    dialog.close()


def test_a_missing_file_and_an_empty_file_are_explained_on_the_first_page(qtbot, empty_window, tmp_path):
    dialog = _open(qtbot, empty_window, tmp_path / "nowhere.csv")
    _click(qtbot, dialog.next_button)
    assert dialog.page() == PAGE_SOURCE
    assert dialog.source_error.isVisible() and "does not exist" in dialog.source_error.text()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    dialog.path_edit.setText(str(empty))
    _click(qtbot, dialog.next_button)
    assert dialog.source_error.text() == "'empty.csv' is empty; there is nothing to import"
    dialog.close()


def test_an_import_that_flags_a_conflict_offers_to_settle_it(qtbot, empty_window, tmp_path):
    window = empty_window
    sheet = tmp_path / "mine.csv"
    sheet.write_text("question,p,date,outcome,resolved on\nWill X happen?,30%,2025-01-01,yes,2025-02-01\n",
                     encoding="utf-8")
    dialog = _open(qtbot, window, sheet)
    _click(qtbot, dialog.next_button)
    _click(qtbot, dialog.next_button)
    _wait_preview(qtbot, dialog)
    _click(qtbot, dialog.import_button)
    _wait_imported(qtbot, dialog)
    assert not dialog.settle_button.isVisible()
    dialog.close()
    qtbot.waitUntil(lambda: window.findChild(ImportDialog, "ImportDialog") is None, timeout=5000)
    # The sheet is corrected by hand to NO: the ledger's YES stays, the sheet's NO is flagged.
    sheet.write_text("question,p,date,outcome,resolved on\nWill X happen?,30%,2025-01-01,no,2025-02-01\n",
                     encoding="utf-8")
    dialog = _open(qtbot, window, sheet)
    _click(qtbot, dialog.next_button)
    _click(qtbot, dialog.next_button)
    assert "Conflicts that would be flagged: 1 " in _wait_preview(qtbot, dialog)
    _click(qtbot, dialog.import_button)
    result = _wait_imported(qtbot, dialog)
    assert result.splitlines()[-1] == ("1 question was resolved differently in the file; your resolution stays in "
                                       "force until you settle it.")
    assert dialog.settle_button.isVisible()
    _click(qtbot, dialog.settle_button)
    conflicts = window.findChild(ConflictsDialog, "ConflictsDialog")
    assert conflicts is not None and conflicts.isVisible()
    assert [(c.statement, c.ours_outcome, c.theirs_outcome) for c in conflicts.conflicts()] == [
        ("Will X happen?", "yes", "no")]
    conflicts.close()
    dialog.close()


def test_every_control_has_an_accessible_name(qtbot, empty_window):
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QCheckBox,
        QHeaderView,
        QLineEdit,
        QProgressBar,
        QPushButton,
        QWidget,
    )

    dialog = _open(qtbot, empty_window, HAND_KEPT)
    _click(qtbot, dialog.next_button)
    kinds = (QComboBox, QLineEdit, QPushButton, QAbstractItemView, QProgressBar, QCheckBox)
    # A table's own header views are announced with the table, a combo's pop-up list with the combo.
    inner = {id(c.view()) for c in dialog.findChildren(QComboBox)}
    unnamed = [w.objectName() or type(w).__name__ for w in dialog.findChildren(QWidget)
               if isinstance(w, kinds) and not isinstance(w, QHeaderView) and id(w) not in inner
               and not w.accessibleName()]
    assert unnamed == []
    dialog.close()


def _drop(window, path: Path) -> bool:
    """Drag `path` over the window and drop it there, as from a file manager; whether the window took it."""
    from PySide6.QtCore import QMimeData, QPoint, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(40, 40), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(window, QDropEvent(QPointF(40, 40), Qt.DropAction.CopyAction, mime,
                                              Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    return True


def test_a_dropped_export_opens_at_its_preview_and_a_dropped_sheet_at_its_columns(qtbot, empty_window):
    window = empty_window
    assert _drop(window, FATEBOOK)
    dialog = window.findChild(ImportDialog, "ImportDialog")
    assert dialog is not None and dialog.isVisible()
    assert _wait_preview(qtbot, dialog).startswith("fatebook-forecasts.csv (Fatebook")
    assert _table(window) == {}  # a drop writes nothing before Import
    dialog.close()
    qtbot.waitUntil(lambda: window.findChild(ImportDialog, "ImportDialog") is None, timeout=5000)

    assert _drop(window, HAND_KEPT)
    dialog = window.findChild(ImportDialog, "ImportDialog")
    assert dialog.page() == PAGE_MAPPING
    assert dialog.findChild(QComboBox, "map_statement").currentText() == "Question"


def test_a_tracker_import_that_flags_a_conflict_ends_its_progress_at_the_total_it_began_with(tmp_path):
    """Regression: the conflicting resolution is not written, and the bar's total shrank by it at the end."""
    from dataclasses import replace
    from datetime import date, datetime, timezone

    from forecastapp.core import ledger as L
    from forecastapp.core.formats import read_plan

    today, now = date(2026, 11, 28), datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
    path = tmp_path / "ann.db"
    open_ledger(path, seed=False).close()
    plan = read_plan(FATEBOOK, today=today)
    # The Fed question imported while open, then resolved here the other way than the file says.
    open_fed = replace(plan, questions=tuple(replace(q, resolution=None) if q.statement.startswith("Will the Fed")
                                             else q for q in plan.questions))
    imports.run_import(path, open_fed, source=FATEBOOK, now=now, progress=lambda done, total: None)
    db = open_ledger(path, seed=False)
    try:
        fed = db.execute("SELECT id FROM questions WHERE statement LIKE 'Will the Fed%'").fetchone()[0]
        L.resolve(db, question_id=fed, outcome="yes", resolved_on=date(2024, 3, 20), today=today, now=now)
    finally:
        db.close()

    calls = []
    report = imports.run_import(path, plan, source=FATEBOOK, now=now, progress=lambda *call: calls.append(call))
    assert len(report.conflicts) == 1
    counts = plan.counts()
    analysts = {f.analyst.casefold() for q in plan.questions for f in q.forecasts}
    total = counts["questions"] + counts["forecasts"] + counts["resolutions"] + len(analysts)
    assert {t for _done, t in calls} == {total}
    assert calls[0] == (0, total) and calls[-1] == (total, total)


def test_the_keyboard_alone_goes_through_the_wizard_and_escape_closes_it(qtbot, empty_window):
    """Enter moves on once a page is complete (and not before), Enter on the preview imports, Escape closes."""
    window = empty_window
    dialog = _open(qtbot, window, HAND_KEPT)
    dialog.path_edit.setFocus()
    dialog.path_edit.clear()
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)
    assert dialog.page() == PAGE_SOURCE  # nothing typed: Next is disabled, Enter does nothing
    qtbot.keyClicks(dialog.path_edit, str(HAND_KEPT))
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)
    assert dialog.page() == PAGE_MAPPING
    statement = dialog.findChild(QComboBox, "map_statement")
    statement.setCurrentIndex(0)
    qtbot.keyClick(dialog.analyst_edit, Qt.Key.Key_Return)
    assert dialog.page() == PAGE_MAPPING  # a required column is missing
    statement.setCurrentIndex(statement.findText("Question"))
    qtbot.keyClick(dialog.analyst_edit, Qt.Key.Key_Return)
    assert dialog.page() == PAGE_PREVIEW
    _wait_preview(qtbot, dialog)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    assert _wait_imported(qtbot, dialog).startswith("Imported hand-kept.csv.")
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.findChild(ImportDialog, "ImportDialog") is None, timeout=5000)
