"""The window's action set: every QAction with its shortcut and tip, the menus, the tool bar, and which
actions the selected question enables.

Built like Qt's application.py example (`create_actions`, `create_menus`, `create_tool_bars`). The
actions are attributes of the window (`window.action_add`, …) and added to it, so their shortcuts work
wherever the focus is; their slots are the window's own and those of its file and ledger actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

if TYPE_CHECKING:
    from forecastapp.core.model import QuestionDetail


def _adder(window):
    """A function that makes one named action on `window`."""

    def action(name: str, text: str, slot, *, shortcut=None, tip: str = "") -> QAction:
        made = QAction(text, window)
        made.setObjectName(name)
        if shortcut is not None:
            made.setShortcut(QKeySequence(shortcut))
        if tip:
            made.setStatusTip(tip)
            made.setToolTip(tip)
        if slot is not None:
            made.triggered.connect(slot)
        window.addAction(made)  # shortcuts work even when a menu is not shown
        return made

    return action


def create_actions(window) -> None:
    """Every action of the window, as `window.action_*` attributes."""
    _file_actions(window, _adder(window))
    _edit_actions(window, _adder(window))
    _forecast_actions(window, _adder(window))
    _view_actions(window, _adder(window))


def _file_actions(window, a) -> None:
    files = window.files
    window.action_new_db = a("actionNewDatabase", "&New database…", files.new_database_dialog,
                             shortcut="Ctrl+Shift+N", tip="Create an empty ledger database")
    window.action_open_db = a("actionOpenDatabase", "&Open database…", files.open_database_dialog,
                              shortcut=QKeySequence.StandardKey.Open, tip="Open another ledger database")
    window.action_import = a("actionImportLedger", "&Import ledger…", files.import_ledger_dialog,
                             tip="Add the records of a ledger JSON export, or merge another analyst's ledger "
                                 "database, with a preview before anything is written")
    window.action_import_other = a(
        "actionImportOther", "Import from another tracker or spreadsheet…", files.import_other_dialog,
        shortcut="Ctrl+Shift+I",
        tip="Bring in Fatebook, PredictionBook or Metaculus exports, or a spreadsheet kept by hand, with a "
            "preview before anything is written")
    window.action_import_document = a(
        "actionImportDocument", "Import &document…", lambda: files.import_document(), shortcut="Ctrl+I",
        tip="Bring in an assessment (.txt, .md or .pdf; or drop it on the window) and review its candidate "
            "forecasts")
    window.action_export = a("actionExportLedger", "&Export ledger…", files.export_ledger_dialog,
                             tip="Save the whole ledger, history included, as JSON")
    window.action_export_scorecard = a(
        "actionExportScorecard", "Export &scorecard…", files.export_scorecard_dialog, shortcut="Ctrl+E",
        tip="Save the scorecard, with the Scorecard tab's filters, as JSON, CSV, Markdown, HTML or PDF")
    window.action_quit = a("actionQuit", "&Quit", window.close, shortcut=QKeySequence.StandardKey.Quit,
                           tip="Close forecastapp")
    window.action_quit.setMenuRole(QAction.MenuRole.QuitRole)


def _edit_actions(window, a) -> None:
    window.action_undo = window.undo_stack.createUndoAction(window, "&Undo")
    window.action_undo.setObjectName("actionUndo")
    window.action_undo.setShortcut(QKeySequence.StandardKey.Undo)
    window.action_redo = window.undo_stack.createRedoAction(window, "&Redo")
    window.action_redo.setObjectName("actionRedo")
    window.action_redo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
                                    + [QKeySequence("Ctrl+Y")])
    window.addAction(window.action_undo)
    window.addAction(window.action_redo)
    window.action_find = a("actionFind", "&Find…", window.focus_search, shortcut=QKeySequence.StandardKey.Find,
                           tip="Search statements, criteria and excerpts")
    window.action_reload = a("actionReload", "Re&load", window.reload, shortcut=QKeySequence.StandardKey.Refresh,
                             tip="Re-read the ledger (another program may have changed it)")


def _forecast_actions(window, a) -> None:
    edits, files = window.edits, window.files
    window.action_add = a("actionAddForecast", "&Add forecast…", lambda: edits.add_forecast(), shortcut="Ctrl+N",
                          tip="Add a question with its first forecast")
    window.action_update = a("actionUpdateForecast", "&Update forecast…", edits.update_forecast,
                             shortcut="Ctrl+U", tip="Record a new probability for the selected question")
    # Ctrl+E is Export scorecard's; Ctrl+Shift+E is free.
    window.action_edit = a("actionEditQuestion", "&Edit question…", edits.edit_question, shortcut="Ctrl+Shift+E",
                           tip="Change the selected question's wording, criteria, condition, deadline or tags (the "
                               "earlier version stays in its history)")
    window.action_resolve = a("actionResolveForecast", "&Resolve…", edits.resolve_question, shortcut="Ctrl+R",
                              tip="Record how the selected question resolved")
    window.action_correct = a("actionCorrectResolution", "&Correct resolution…", edits.correct_resolution,
                              tip="Replace the resolution in force with a correction (both stay visible)")
    window.action_withdraw = a(
        "actionWithdrawResolution", "&Withdraw resolution…", edits.withdraw_resolution,
        tip="Withdraw the resolution in force: the question reopens, both records stay, and forecasts recorded "
            "after it are kept but never scored")
    window.action_settle_conflicts = a(
        "actionSettleConflicts", "Settle merge conflicts…", files.settle_conflicts_dialog,
        tip="Questions a merge or an import found resolved differently: keep ours or take theirs")
    window.action_delete = a("actionDeleteQuestion", "&Delete question", edits.delete_question,
                             tip="Hide the selected question from lists and scores (Undo brings it back)")


def _view_actions(window, a) -> None:
    window.action_show_forecasts = a("actionShowForecasts", "&Forecasts", lambda: window.show_tab(0),
                                     shortcut="Ctrl+1")
    window.action_show_scorecard = a("actionShowScorecard", "&Scorecard", lambda: window.show_tab(1),
                                     shortcut="Ctrl+2")
    window.action_show_document = a("actionShowDocument", "&Document", lambda: window.show_tab(2),
                                    shortcut="Ctrl+3")
    window.action_show_in_document = a("actionShowInDocument", "Show in d&ocument", window.show_in_document,
                                       shortcut="Ctrl+Shift+D",
                                       tip="Show the selected question's source excerpt in its document")
    window.action_about = a("actionAbout", "&About forecastapp", lambda: show_about(window))
    window.action_about.setMenuRole(QAction.MenuRole.AboutRole)


def create_menus(window) -> None:
    """File, Edit, Forecast, View and Help (File > Open recent is filled as it opens)."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.setObjectName("fileMenu")
    file_menu.addAction(window.action_new_db)
    file_menu.addAction(window.action_open_db)
    window.recent_menu = QMenu("Open &recent", window)
    window.recent_menu.setObjectName("recentMenu")
    window.recent_menu.aboutToShow.connect(lambda: window.files.fill_recent_menu(window.recent_menu))
    file_menu.addMenu(window.recent_menu)
    file_menu.addSeparator()
    for action in (window.action_import, window.action_import_other, window.action_import_document,
                   window.action_export, window.action_export_scorecard):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(window.action_quit)

    edit_menu = bar.addMenu("&Edit")
    edit_menu.setObjectName("editMenu")
    edit_menu.addAction(window.action_undo)
    edit_menu.addAction(window.action_redo)
    edit_menu.addSeparator()
    edit_menu.addAction(window.action_find)

    forecast_menu = bar.addMenu("F&orecast")
    forecast_menu.setObjectName("forecastMenu")
    for action in (window.action_add, window.action_update, window.action_edit, window.action_resolve,
                   window.action_withdraw, window.action_correct, window.action_settle_conflicts):
        forecast_menu.addAction(action)
    forecast_menu.addSeparator()
    forecast_menu.addAction(window.action_delete)

    view_menu = bar.addMenu("&View")
    view_menu.setObjectName("viewMenu")
    for action in (window.action_show_forecasts, window.action_show_scorecard, window.action_show_document):
        view_menu.addAction(action)
    view_menu.addSeparator()
    view_menu.addAction(window.action_show_in_document)
    view_menu.addAction(window.action_reload)

    help_menu = bar.addMenu("&Help")
    help_menu.setObjectName("helpMenu")
    help_menu.addAction(window.action_about)


def create_tool_bar(window) -> QToolBar:
    """The main tool bar: add, update, resolve, undo, redo."""
    bar = QToolBar("Main toolbar", window)
    bar.setObjectName("mainToolBar")
    bar.setAccessibleName("Main toolbar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for action in (window.action_add, window.action_update, window.action_resolve):
        bar.addAction(action)
    bar.addSeparator()
    bar.addAction(window.action_undo)
    bar.addAction(window.action_redo)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar


def row_actions(window) -> list[QAction]:
    """The actions on the selected question, for the table's and the detail pane's context menus."""
    return [window.action_update, window.action_edit, window.action_resolve, window.action_correct,
            window.action_withdraw, window.action_delete]


def update_actions(window, detail: QuestionDetail | None) -> None:
    """Enable the actions that apply to the selected question (`detail`, None for none)."""
    live = detail is not None and not detail.question.deleted
    resolved = live and any(r.effective for r in detail.resolutions)
    window.action_update.setEnabled(live)
    window.action_edit.setEnabled(live)
    window.action_resolve.setEnabled(live and not resolved)
    window.action_correct.setEnabled(resolved)
    window.action_withdraw.setEnabled(resolved)
    window.action_delete.setEnabled(live)
    window.action_show_in_document.setEnabled(
        live and detail.question.document_id is not None and detail.question.excerpt_start is not None)


def show_about(window) -> None:
    """Help > About."""
    from PySide6.QtWidgets import QMessageBox

    from forecastapp import __version__

    QMessageBox.about(
        window, "About forecastapp",
        f"<p><b>forecastapp {__version__}</b></p><p>A forecast ledger for analysts: record probabilistic "
        "judgements, resolve them, and see how well calibrated they were.</p>",
    )
