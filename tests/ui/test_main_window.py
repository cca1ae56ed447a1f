"""The main window as a user meets it: names, shortcuts, filters, detail pane, status bar, settings."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSlider,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from forecastapp.core.resources import read_text
from forecastapp.ui.models.ledger_table import COL_STATEMENT, COL_STATUS, IdRole
from tests.ui.conftest import child

SEED = json.loads(read_text("seed/north-korea-2023-outlook.json"))
TODAY_ISO = "2026-11-28"


def _statements(window) -> list[str]:
    model = window.model
    return [model.data(model.index(r, COL_STATEMENT)) for r in range(model.rowCount())]


def _seed_counts() -> dict[str, int]:
    """Open/due split of the seed, computed from its JSON: due = deadline before the fixed today."""
    due = sum(1 for q in SEED["questions"] if q.get("resolve_by") and q["resolve_by"] < TODAY_ISO)
    return {"due": due, "open": len(SEED["questions"]) - due}


def test_window_has_the_automation_names_title_and_shortcuts(window, seeded_path):
    assert window.objectName() == "MainWindow"
    assert window.windowTitle() == seeded_path.name  # Qt adds " — forecastapp" once (issue 14, item 9)
    for cls, name in ((QTableView, "forecastTable"), (QLineEdit, "searchField"), (QWidget, "detailPane"),
                      (QWidget, "scorecardView"), (QWidget, "documentView")):
        child(window, cls, name)
    shortcuts = {
        "actionAddForecast": "Ctrl+N", "actionUpdateForecast": "Ctrl+U", "actionResolveForecast": "Ctrl+R",
        "actionExportScorecard": "Ctrl+E", "actionUndo": QKeySequence(QKeySequence.StandardKey.Undo).toString(),
        "actionRedo": QKeySequence(QKeySequence.StandardKey.Redo).toString(),
    }
    for name, keys in shortcuts.items():
        action = child(window, QAction, name)
        assert action.shortcut().toString() == keys, name
    for name in ("actionImportLedger", "actionExportLedger", "actionExportScorecard"):
        assert child(window, QAction, name).isEnabled()
    tabs = child(window, QTabWidget, "mainTabs")
    assert [tabs.tabText(i).replace("&", "") for i in range(tabs.count())] == ["Forecasts", "Scorecard", "Document"]


def test_every_control_has_an_accessible_name(window):
    controls = (QLineEdit, QComboBox, QAbstractButton, QAbstractSpinBox, QSlider, QAbstractItemView,
                QPlainTextEdit, QTextEdit, QTabWidget)
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, controls):
            continue
        parent = widget.parentWidget()
        # Parts Qt builds inside a composite control and names itself: a combo's line edit and popup
        # list, a line edit's clear button, the "more" arrows of a crowded menu bar or toolbar.
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QLineEdit)) or widget.window() is not window:
            continue
        if widget.objectName().startswith("qt_") and widget.objectName() != "qt_tableview_cornerbutton":
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text):
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert unnamed == []


def test_the_table_lists_the_seed_with_due_questions_marked(window):
    assert window.model.rowCount() == len(SEED["questions"])
    assert _statements(window)[0] == " ".join(SEED["questions"][0]["statement"].split())
    statuses = [window.model.data(window.model.index(r, COL_STATUS)) for r in range(window.model.rowCount())]
    expected = _seed_counts()
    assert statuses.count("due") == expected["due"]
    assert statuses.count("open") == expected["open"]
    assert window.findChild(QWidget, "resultCount").text() == f"{len(SEED['questions'])} questions"


def test_status_bar_counts_open_due_and_resolved(window):
    expected = _seed_counts()
    text = window.findChild(QWidget, "statusCounts").text()
    assert f"Open {expected['open']}" in text
    assert f"Due {expected['due']}" in text
    assert "Resolved 0" in text


def test_search_filters_the_table_after_the_debounce(window, qtbot):
    field = child(window, QLineEdit, "searchField")
    words = "Kim Jong Un"
    expected = [q for q in SEED["questions"]
                if all(w.lower() in (q["statement"] + q.get("criteria", "") + (q.get("excerpt") or "")).lower()
                       for w in words.split())]
    assert 0 < len(expected) < len(SEED["questions"])
    qtbot.keyClicks(field, words)
    assert window.model.rowCount() == len(SEED["questions"])  # not yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: window.model.rowCount() != len(SEED["questions"]), timeout=2000)
    shown = {window.model.data(window.model.index(r, 0), IdRole) for r in range(window.model.rowCount())}
    # FTS matches word prefixes, so a plain substring test can only over-count; every shown row must match.
    assert shown <= {q["id"] for q in SEED["questions"]}
    for qid in shown:
        q = next(q for q in SEED["questions"] if q["id"] == qid)
        text = (q["statement"] + " " + q.get("criteria", "") + " " + (q.get("excerpt") or "")).lower()
        assert all(w.lower() in text for w in words.split())
    field.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == len(SEED["questions"]), timeout=2000)


def test_status_and_tag_filters(window):
    status = child(window, QComboBox, "statusFilterCombo")
    status.setCurrentIndex(status.findData("due"))
    assert window.model.rowCount() == _seed_counts()["due"]
    status.setCurrentIndex(status.findData("resolved"))
    assert window.model.rowCount() == 0
    status.setCurrentIndex(status.findData("all"))
    tags = child(window, QComboBox, "tagFilterCombo")
    tags.setCurrentIndex(tags.findData("nuclear"))
    expected = sum(1 for q in SEED["questions"] if "nuclear" in q.get("tags", []))
    assert window.model.rowCount() == expected > 0


def test_selecting_a_row_shows_the_question_with_its_source_in_context(window, qtbot):
    first = SEED["questions"][0]
    window.table.selectRow(0)
    pane = window.detail_pane
    assert pane.statement_label.text() == first["statement"]
    html_text = pane.text.toPlainText()
    assert first["excerpt"] in html_text
    document = read_text(SEED["document"]["source"])
    # The sentence before the excerpt's sentence is part of the context.
    before = document[: first["excerpt_start"]].rstrip()
    previous_sentence_end = before.rfind(".")
    assert previous_sentence_end > 0
    assert document[previous_sentence_end - 20 : previous_sentence_end + 1].strip() in html_text
    assert "Forecasts" in html_text and "67.5%" in html_text
    assert window.findChild(QAction, "actionResolveForecast").isEnabled()
    assert not window.findChild(QAction, "actionCorrectResolution").isEnabled()


def test_sorting_by_a_column_happens_in_the_database(window):
    window.table.sortByColumn(COL_STATEMENT, Qt.SortOrder.AscendingOrder)
    statements = _statements(window)
    assert statements == sorted(statements, key=str.casefold)
    window.table.sortByColumn(COL_STATEMENT, Qt.SortOrder.DescendingOrder)
    assert _statements(window) == sorted(statements, key=str.casefold, reverse=True)


def test_settings_are_saved_to_the_test_folder_and_restored(make_window, seeded_path, ui_settings, tmp_path):
    first = make_window(seeded_path)
    first.resize(790, 540)  # inside the offscreen screen, which restoreGeometry clamps to
    first.splitter.setSizes([500, 290])
    split = first.splitter.sizes()
    first.table.setColumnWidth(COL_STATEMENT, 333)
    first.close()
    assert Path(ui_settings.fileName()).is_relative_to(tmp_path)
    assert ui_settings.value("lastDatabase") == str(seeded_path)
    assert str(seeded_path) in (ui_settings.value("recentFiles") or [])
    second = make_window(seeded_path)
    assert (second.width(), second.height()) == (790, 540)
    assert second.table.columnWidth(COL_STATEMENT) == 333
    assert second.splitter.sizes() == split


def test_qsettings_default_location_is_the_test_folder(tmp_path):
    assert Path(QSettings().fileName()).is_relative_to(tmp_path)


def test_opening_a_file_that_is_not_a_ledger_explains_and_keeps_the_current_one(window, tmp_path, monkeypatch):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    assert window.open_database(bad) is False
    assert "not a forecastapp database" in shown[0]
    assert window.model.rowCount() == len(SEED["questions"])
    assert bad.read_text() == "not a database"


def test_new_database_starts_empty_and_joins_the_recent_list(window, tmp_path, monkeypatch):
    target = tmp_path / "fresh.db"
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.new_database_dialog()
    assert window.model.rowCount() == 0
    assert window.windowTitle() == "fresh.db"
    assert window.recent_files()[0] == str(target)
    assert window.findChild(QWidget, "resultCount").text() == "0 questions"


def test_splitter_holds_table_and_detail_pane(window):
    splitter = child(window, QSplitter, "mainSplitter")
    assert splitter.widget(0) is window.table
    assert splitter.widget(1).objectName() == "detailPane"


def test_the_running_app_reads_keys_and_counts_off_the_gui_thread(qtbot, seeded_path, ui_settings):
    from forecastapp.app import create_main_window
    from tests.ui.conftest import NOW, TODAY

    window = create_main_window(seeded_path, settings=ui_settings, now=lambda: NOW, today=lambda: TODAY,
                                defer_secondary=True)
    qtbot.addWidget(window)
    assert window.model.rowCount() == len(SEED["questions"])  # the first page is there for the first paint
    assert window.findChild(QWidget, "statusCounts").text() == ""  # counts come after it
    with qtbot.waitSignal(window.overview_updated, timeout=10_000):
        window.show()
    assert f"Due {_seed_counts()['due']}" in window.findChild(QWidget, "statusCounts").text()
    assert window.tag_filter.findData("nuclear") > 0
    window.table.selectRow(0)
    first_id = window.detail_pane.detail.question.id
    # Sorting runs in the background too; the selected question stays selected when the keys land.
    with qtbot.waitSignal(window.model.keys_reloaded, timeout=10_000):
        window.table.sortByColumn(COL_STATEMENT, Qt.SortOrder.DescendingOrder)
        assert window.model.loading
    assert window.detail_pane.detail.question.id == first_id
    assert window.model.data(window.table.currentIndex(), IdRole) == first_id
    with qtbot.waitSignal(window.model.keys_reloaded, timeout=10_000):
        qtbot.keyClicks(child(window, QLineEdit, "searchField"), "Kim Jong Un")
    assert 0 < window.model.rowCount() < len(SEED["questions"])
    assert not window.model.loading
    window.close()
    window.service.close()


def _unnamed_controls(root: QWidget) -> list[str]:
    controls = (QLineEdit, QComboBox, QAbstractButton, QAbstractSpinBox, QSlider, QAbstractItemView,
                QPlainTextEdit, QTextEdit)
    unnamed = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, controls) or widget.window() is not root:
            continue
        if isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox, QLineEdit)):
            continue
        if widget.objectName().startswith("qt_"):
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text):
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return unnamed


def test_dialog_controls_have_accessible_names(window, qtbot):
    from forecastapp.ui.dialogs.question import AddForecastDialog, EditQuestionDialog, UpdateForecastDialog
    from forecastapp.ui.dialogs.resolve import ResolveDialog

    window.table.selectRow(0)
    detail = window.detail_pane.detail
    for dialog in (AddForecastDialog(window.service, window), UpdateForecastDialog(window.service, detail, window),
                   ResolveDialog(window.service, detail, window), EditQuestionDialog(window.service, detail, window)):
        qtbot.addWidget(dialog)
        assert _unnamed_controls(dialog) == [], dialog.objectName()


def test_recent_menu_reopens_an_earlier_database(window, seeded_path, tmp_path):
    other = tmp_path / "other.db"
    assert window.open_database(other, seed=False)
    window.recent_menu.aboutToShow.emit()
    entries = [a for a in window.recent_menu.actions() if a.data()]
    assert [a.data() for a in entries] == [str(seeded_path)]  # the open database itself is not offered
    entries[0].trigger()
    assert window.service.path == seeded_path
    assert window.model.rowCount() == len(SEED["questions"])
    assert window.recent_files()[:2] == [str(seeded_path), str(other)]


def test_the_running_app_builds_the_scorecard_and_document_tabs_when_first_shown(qtbot, seeded_path, ui_settings):
    from forecastapp.app import create_main_window
    from forecastapp.ui.panels.document import DocumentPanel
    from forecastapp.ui.panels.scorecard import ScorecardPanel
    from tests.ui.conftest import NOW, TODAY

    window = create_main_window(seeded_path, settings=ui_settings, now=lambda: NOW, today=lambda: TODAY,
                                defer_secondary=True)
    qtbot.addWidget(window)
    assert window.findChild(ScorecardPanel) is None and window.findChild(DocumentPanel) is None  # not before the first paint
    window.action_show_scorecard.trigger()
    panel = window.findChild(ScorecardPanel)
    assert panel is not None and panel is window.scorecard_view
    assert panel.isVisibleTo(window) and window.findChild(DocumentPanel) is window.document_view


def test_a_recent_database_that_has_gone_is_reported_and_never_made_afresh(window, seeded_path, tmp_path, monkeypatch):
    other = tmp_path / "other.db"
    assert window.open_database(other, seed=False)
    assert window.open_database(seeded_path)
    other.unlink()  # moved or deleted outside the app
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    window.recent_menu.aboutToShow.emit()
    (entry,) = [a for a in window.recent_menu.actions() if a.data() == str(other)]
    entry.trigger()
    assert not other.exists()  # not recreated as a new (seeded) ledger
    assert window.service.path == seeded_path
    assert shown and str(other) in shown[0]
    assert str(other) not in window.recent_files()
