"""MainWindow: the desktop app's one window, composed of its parts.

The parts, each in its own module of this package: the action set (`actions`: menus, tool bar,
shortcuts), the filter bar (`filter_bar`), the ledger table with the selection (`ledger_table`), the tabs
with the detail pane and the Scorecard and Document panels (`tabs`), the status bar with the
integrity state (`status_bar`), the File menu's work (`file_actions`) and the Forecast menu's undoable
writes (`ledger_actions`, `undo`). The window holds the open ledger, the selected question and the
overview (counts and filter lists), and keeps the parts in step: after every change it re-queries the
table, re-reads the selected question and emits `ledger_changed`.

After the first paint the status bar fills in: counts and the mean Brier from one background read
(`operations.rows.read_overview`), and the hash chain's state from a child process.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import QMainWindow, QWidget

from forecastapp.core.errors import ForecastError
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.window import actions
from forecastapp.ui.window.file_actions import FileActions
from forecastapp.ui.window.filter_bar import FilterBar
from forecastapp.ui.window.ledger_actions import LedgerActions
from forecastapp.ui.window.ledger_table import LedgerTable
from forecastapp.ui.window.overview import OverviewReader
from forecastapp.ui.window.state import restore_window, save_window
from forecastapp.ui.window.status_bar import StatusBar
from forecastapp.ui.window.tabs import MainTabs

if TYPE_CHECKING:
    from forecastapp.ui.operations.rows import Overview
    from forecastapp.ui.panels.detail import DetailPane
    from forecastapp.ui.panels.document import DocumentPanel
    from forecastapp.ui.panels.scorecard import ScorecardPanel


def _forward(part: str, name: str):
    """A window method that calls the same-named method of its part `part` (for scripts, tests and the bench)."""

    def method(self, *args, **kwargs):
        return getattr(getattr(self, part), name)(*args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"The window's `{part}.{name}`."
    return method


class MainWindow(QMainWindow):
    """The desktop app's single window."""

    #: Emitted after any change to the ledger (a write, an import, another database).
    ledger_changed = Signal()
    #: Emitted when the question in the detail pane changes ("" for none).
    question_selected = Signal(str)
    #: Emitted once, right after the window's first paint has completed.
    first_painted = Signal()
    #: Emitted when the status counts and filter lists were re-read.
    overview_updated = Signal()

    def __init__(self, service: LedgerService, *, settings: QSettings | None = None,
                 defer_secondary: bool = False, background: bool = True, parent: QWidget | None = None) -> None:
        """Build the window on an open ledger.

        :param defer_secondary: load the status counts and filter lists after the first paint.
        :param background: run key lists, counts and filter lists on the database thread (the app
            does; tests pass False to read inline and assert without waiting).
        """
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)  # an assessment file dropped on the window is imported (dropEvent)
        self._service = service
        self._settings = settings if settings is not None else QSettings()
        self._current_id: str | None = None
        self._painted = False
        self._defer_secondary = defer_secondary
        self._background = background

        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.files = FileActions(self, service, self._settings)
        self.edits = LedgerActions(self, service, self._settings)
        actions.create_actions(self)
        actions.create_menus(self)
        self._tool_bar = actions.create_tool_bar(self)

        self.filter_bar = FilterBar()
        self.search_field, self.tag_filter = self.filter_bar.search_field, self.filter_bar.tag_filter
        self._ledger = LedgerTable(service, self.filter_bar, self, background=background, show_detail=self._show_detail)
        self.model, self.table = self._ledger.model, self._ledger.view
        self._ledger.add_row_actions(actions.row_actions(self) + [self.action_show_in_document], self.action_delete)
        self.removeAction(self.action_delete)
        self._ledger.selection_cleared.connect(self._update_actions)
        self._ledger.row_activated.connect(lambda: self.action_update.isEnabled() and self.edits.update_forecast())
        self.status = StatusBar(self, service, background=background)
        self.counts_label = self.status.counts_label
        self._tabs = MainTabs(self, service, self.filter_bar, self.table, actions.row_actions(self),
                              defer=defer_secondary, on_pane_built=self._pane_built, on_panels_built=self._panels_built)
        self.splitter = self._tabs.splitter
        self.setCentralWidget(self._tabs)
        self.status.integrity_changed.connect(self._on_integrity_changed)
        self._overview = OverviewReader(service, self, background=background)
        self._overview.updated.connect(self._apply_overview)

        restore_window(self, self._settings, first_page=defer_secondary and background)
        self._update_title()
        self._update_actions()
        if not defer_secondary:
            self._load_secondary()
        app = QCoreApplication.instance()
        if app is not None:
            # Quitting without closing this window (--exit-after-paint) must not wait for the check.
            app.aboutToQuit.connect(self.status.stop_integrity_check)
        # else: the first paint needs only the first page of rows; the filter lists and the status
        # counts (full scans on a large ledger) are loaded right after it (see `event`).

    # ================================================================ the parts

    @property
    def service(self) -> LedgerService:
        """The ledger service behind the window (shared with the scorecard and document views)."""
        return self._service

    @property
    def detail_pane(self) -> DetailPane:
        """The detail pane beside the table (in the app, built right after the first paint)."""
        return self._tabs.detail_pane

    @property
    def scorecard_view(self) -> ScorecardPanel:
        """The Scorecard tab's panel (built on first use)."""
        return self._tabs.scorecard_view

    @property
    def document_view(self) -> DocumentPanel:
        """The Document tab's panel (built on first use)."""
        return self._tabs.document_view

    def _pane_built(self, pane: DetailPane) -> None:
        pane.show_in_document_requested.connect(self.show_in_document)

    def _panels_built(self, scorecard: ScorecardPanel, document: DocumentPanel) -> None:
        scorecard.set_integrity(self.status.integrity)
        self.ledger_changed.connect(scorecard.refresh)
        self.ledger_changed.connect(document.refresh)
        document.question_selected.connect(self.select_question)
        document.new_forecast_requested.connect(self.edits.new_forecast_from_excerpt)

    def _on_integrity_changed(self, state) -> None:
        if self._tabs.built_scorecard is not None:
            self._tabs.built_scorecard.set_integrity(state)

    def show_tab(self, index: int) -> None:
        """Show the Forecasts (0), Scorecard (1) or Document (2) tab."""
        self._tabs.setCurrentIndex(index)

    def show_error(self, title: str, message: str) -> None:
        """Explain a refusal or a failure in a message box."""
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, title, message)

    @property
    def overview(self) -> Overview | None:
        """The last status counts and filter lists read (None while unknown)."""
        return self._overview.overview

    # ================================================================ loading and refreshing

    @Slot()
    def _load_secondary(self) -> None:
        """Fill the filter lists and the status bar (after the first paint when deferred)."""
        self._overview.refresh()
        self._ledger.update_result_count()
        self.files.remember_recent(self._service.path)

    def _apply_overview(self, overview: Overview) -> None:
        self.filter_bar.refill(overview.tags, overview.analysts, overview.documents)
        self.status.show_counts(overview.counts)
        self.status.set_mean_brier(overview.mean_brier)
        self.overview_updated.emit()

    @Slot()
    def apply_filters(self) -> None:
        """Re-query the table for the filter bar's settings (debounced while typing)."""
        self._ledger.apply_filters()

    @Slot()
    def focus_search(self) -> None:
        """Put the cursor in the search field (Ctrl+F)."""
        self.show_tab(0)
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    @Slot()
    def reload(self) -> None:
        """Re-read everything from the ledger and re-check its hash chain (F5: another program may have written)."""
        self.refresh_after_change(self._current_id)
        self.status.check_integrity()

    def refresh_after_change(self, question_id: str | None, *, select_new: bool = False) -> None:
        """After a write: re-query the table, then select the new or touched question (or keep showing it)."""
        self._ledger.reload(question_id, select_new=select_new, then=self.ledger_changed.emit)
        self._overview.refresh()

    def database_opened(self) -> None:
        """Another ledger is open (`files.open_database`): drop what belonged to the old one and read the new."""
        self.undo_stack.clear()
        self._current_id = None
        self._overview.forget()  # the old ledger's lists; the new one's are read below
        self.status.forget_integrity()  # the old ledger's check; the new one's runs below
        self._ledger.show_all()
        self._ledger.select_row(-1)
        self._show_detail(None)
        self._update_title()
        self._load_secondary()
        self.status.check_integrity()
        self.ledger_changed.emit()

    # ================================================================ the selected question

    @property
    def current_question_id(self) -> str | None:
        """The id of the question the detail pane shows, or None."""
        return self._current_id

    def selected_detail(self):
        """The question shown in the detail pane (QuestionDetail) or None (also before the pane is built)."""
        return self._tabs.detail_pane.detail if self._tabs.pane_built else None

    def _show_detail(self, question_id: str | None) -> None:
        detail = None
        if question_id:
            try:
                detail = self._service.detail(question_id)
            except ForecastError:
                detail = None
        context = None
        if detail is not None and detail.question.excerpt:
            try:
                context = self._service.excerpt_context(detail.question)
            except ForecastError:
                context = None
        self.detail_pane.show_question(detail, context, today=self._service.today())
        new_id = detail.question.id if detail else None
        changed = new_id != self._current_id
        self._current_id = new_id
        self._update_actions()
        if changed:
            self.question_selected.emit(new_id or "")

    @Slot()
    def _update_actions(self) -> None:
        actions.update_actions(self, self.selected_detail())

    def _update_title(self) -> None:
        # Qt adds the application's display name ("— forecastapp") itself: the file name is the title.
        self.setWindowTitle(self._service.path.name)
        self.setWindowFilePath(str(self._service.path))

    @Slot(str)
    def select_question(self, question_id: str) -> bool:
        """Show a question in the Forecasts tab with its row selected (clearing filters that hide it)."""
        try:
            key = self._service.question_key(question_id)
        except ForecastError:
            return False
        self.show_tab(0)
        self._ledger.select_key(key, question_id)
        return True

    @Slot()
    def show_in_document(self) -> bool:
        """Switch to the Document tab and flash the selected question's source excerpt."""
        detail = self.selected_detail()
        if detail is None or detail.question.document_id is None:
            return False
        self.show_tab(2)  # showing the tab loads the view if it is stale
        if not self.document_view.show_question(detail.question.id):
            self.statusBar().showMessage("This question's excerpt is not in its document any more", 6000)
            return False
        self.document_view.text_view().setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # ================================================================ the parts' public methods

    add_forecast = _forward("edits", "add_forecast")
    update_forecast = _forward("edits", "update_forecast")
    edit_question = _forward("edits", "edit_question")
    resolve_question = _forward("edits", "resolve_question")
    correct_resolution = _forward("edits", "correct_resolution")
    withdraw_resolution = _forward("edits", "withdraw_resolution")
    delete_question = _forward("edits", "delete_question")
    open_database = _forward("files", "open_database")
    new_database_dialog = _forward("files", "new_database_dialog")
    recent_files = _forward("files", "recent_files")
    import_ledger = _forward("files", "import_ledger")
    export_ledger = _forward("files", "export_ledger")
    export_ledger_dialog = _forward("files", "export_ledger_dialog")
    export_scorecard = _forward("files", "export_scorecard")

    @property
    def current_task(self):
        """The running (or last) import or export, for tests and the bench."""
        return self.files.task

    # ================================================================ Qt events

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Accept a file the import takes (`FileActions.accepts_drop`)."""
        if self.files.accepts_drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Import a dropped document, or preview a dropped export or sheet (`FileActions.drop`)."""
        if self.files.drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dropEvent(event)

    def event(self, event: QEvent) -> bool:  # noqa: D401 - Qt override
        """Notice the first paint (for --exit-after-paint and the deferred loading)."""
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            # The rest of this paint pass (all child widgets) runs before a zero-timer fires.
            QTimer.singleShot(0, self._after_first_paint)
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Repaint the status colours and the detail pane when the desktop switches between light and dark."""
        # (A palette change can arrive while __init__ is still building the window.)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and hasattr(
                self, "_tabs"):
            self.model.restyle()
            if self._tabs.pane_built:
                self._show_detail(self._current_id)
            self.status.restyle()
        super().changeEvent(event)

    @Slot()
    def _after_first_paint(self) -> None:
        self.first_painted.emit()
        # sqlite-utils loads now, off the GUI thread, so the first write does not wait for it.
        self._service.warm_up()
        if self._defer_secondary:
            self.model.load_rest()
            self._load_secondary()
            self.detail_pane  # noqa: B018 - builds the pane in the placeholder's place
        self.status.check_integrity()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Save the window state, let a running task finish or cancel, and close the ledger."""
        if self.files.task is not None and self.files.task.running:
            self.files.task.cancel()
            from forecastapp.ui.operations.tasks import database_pool

            database_pool().waitForDone(10_000)
        self.status.stop_integrity_check()
        if "forecastapp.ui.operations.tasks" in sys.modules:
            from forecastapp.ui.operations.tasks import read_pool

            read_pool().waitForDone(10_000)
        save_window(self, self._settings)
        super().closeEvent(event)
