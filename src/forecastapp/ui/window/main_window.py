"""MainWindow: the forecast table with its filter bar and detail pane, menus, undo, status bar.

Built like Qt's application.py example: `_create_actions`, `_create_menus`, `_create_tool_bar`,
`_create_status_bar`, `_read_settings`, and `_write_settings` on close. Every ledger change goes
through an undoable command (ui/window/undo.py) that calls the core via LedgerService; the window then
re-queries the table's key list and re-reads the selected question. Long work (import, export,
the scorecard export) runs in ui/operations/tasks.py with a cancellable progress dialog.

The Scorecard and Document tabs are `ScorecardPanel` and `DocumentPanel`; both stay idle until
their tab is first shown, so they add nothing to the first paint. After the first paint the status
bar fills in: counts and the mean Brier from one background read (`service.read_overview`), and
the hash chain's state from `integrity.verify_in_child` (a child process; see there why).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from forecastapp.core.errors import ForecastError
from forecastapp.core.numbers import format_score
from forecastapp.core.queries import QuestionFilter
from forecastapp.ui.models.ledger_table import (
    COL_ANALYST,
    COL_BRIER,
    COL_MADE_ON,
    COL_PROBABILITY,
    COL_RESOLVE_BY,
    COL_STATEMENT,
    COL_STATUS,
    COL_TAGS,
    IdRole,
    LedgerTableModel,
)
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.settings import (
    K_GEOMETRY,
    K_HEADER,
    K_LAST_ANALYST,
    K_LAST_DB,
    K_LAST_DIR,
    K_RECENT,
    K_SCORECARD_FORMAT,
    K_SORT_DESCENDING,
    K_SORT_KEY,
    K_SPLITTER,
    K_STATE,
    MAX_RECENT,
    settings_list,
)
from forecastapp.ui.widgets import look

if TYPE_CHECKING:
    from forecastapp.core.ledger import NewQuestion
    from forecastapp.ui.panels.detail import DetailPane
    from forecastapp.ui.panels.document import DocumentPanel
    from forecastapp.ui.panels.scorecard import ScorecardPanel

SEARCH_DEBOUNCE_MS = 200
STATUS_FILTERS = (("All statuses", "all"), ("Open", "open"), ("Due", "due"), ("Resolved", "resolved"),
                  ("Annulled", "annulled"))
#: The scorecard export's save-dialog filters: (format, filter text, file extensions it accepts).
SCORECARD_EXPORTS = (
    ("json", "JSON (*.json)", (".json",)),
    ("csv", "CSV (*.csv)", (".csv",)),
    ("md", "Markdown (*.md)", (".md", ".markdown")),
    ("html", "HTML (*.html)", (".html", ".htm")),
    ("pdf", "PDF (*.pdf)", (".pdf",)),
)
SCORECARD_FILTERS = ";;".join(text for _fmt, text, _ext in SCORECARD_EXPORTS)
FORMAT_NAMES = {"json": "JSON", "csv": "CSV", "md": "Markdown", "html": "HTML", "pdf": "PDF"}


#: Files a drop on the window opens in the import dialog. A ledger database (.db) is not among them:
#: dropped, it could as well mean "open this one", so merging one stays an explicit menu choice.
IMPORT_DROP_SUFFIXES = (".csv", ".json")


def scorecard_target(path: str, selected_filter: str) -> tuple[Path, str]:
    """The file and format a scorecard save dialog's answer means.

    A known extension picks the format; otherwise the chosen filter does, and its extension is added.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    for fmt, _text, extensions in SCORECARD_EXPORTS:
        if suffix in extensions:
            return target, fmt
    chosen = next((e for e in SCORECARD_EXPORTS if e[1] == selected_filter), SCORECARD_EXPORTS[0])
    fmt, _text, extensions = chosen
    return target.with_name(target.name + extensions[0]), fmt


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
        self._task = None
        self._progress = None  # the running task's QProgressDialog
        self._mean_brier: float | None = None
        self._painted = False
        self._defer_secondary = defer_secondary
        self._background = background
        self._selecting = False
        self._key_before_reset: int | None = None
        self._overview_task = None
        self._integrity_task = None
        self._integrity = None  # the last IntegrityState, or None while unknown
        self._overview = None  # the last Overview (counts and filter lists), or None while unknown

        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")

        self._create_actions()
        self._create_menus()
        self._create_tool_bar()
        self._create_central()
        self._create_status_bar()
        self._read_settings()
        self._update_title()
        self._update_actions()
        if not defer_secondary:
            self._load_secondary()
        app = QCoreApplication.instance()
        if app is not None:
            # Quitting without closing this window (--exit-after-paint) must not wait for the check.
            app.aboutToQuit.connect(self._stop_integrity_check)
        # else: the first paint needs only the first page of rows; the filter lists and the status
        # counts (full scans on a large ledger) are loaded right after it (see `event`).

    # ================================================================ building

    def _action(self, name: str, text: str, slot, *, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even when a menu is not shown
        return action

    def _create_actions(self) -> None:
        a = self._action
        self.action_new_db = a("actionNewDatabase", "&New database…", self.new_database_dialog,
                               shortcut="Ctrl+Shift+N", tip="Create an empty ledger database")
        self.action_open_db = a("actionOpenDatabase", "&Open database…", self.open_database_dialog,
                                shortcut=QKeySequence.StandardKey.Open, tip="Open another ledger database")
        self.action_import = a("actionImportLedger", "&Import ledger…", self.import_ledger_dialog,
                               tip="Add the records of a ledger JSON export, or merge another analyst's ledger "
                                   "database, with a preview before anything is written")
        self.action_import_other = a(
            "actionImportOther", "Import from another tracker or spreadsheet…", self.import_other_dialog,
            shortcut="Ctrl+Shift+I",
            tip="Bring in Fatebook, PredictionBook or Metaculus exports, or a spreadsheet kept by hand, with a "
                "preview before anything is written")
        self.action_import_document = a(
            "actionImportDocument", "Import &document…", lambda: self.import_document(), shortcut="Ctrl+I",
            tip="Bring in an assessment (.txt, .md or .pdf; or drop it on the window) and review its candidate "
                "forecasts")
        self.action_export = a("actionExportLedger", "&Export ledger…", self.export_ledger_dialog,
                               tip="Save the whole ledger, history included, as JSON")
        self.action_export_scorecard = a(
            "actionExportScorecard", "Export &scorecard…", self.export_scorecard_dialog, shortcut="Ctrl+E",
            tip="Save the scorecard, with the Scorecard tab's filters, as JSON, CSV, Markdown, HTML or PDF")
        self.action_quit = a("actionQuit", "&Quit", self.close, shortcut=QKeySequence.StandardKey.Quit,
                             tip="Close forecastapp")
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.action_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.action_undo.setObjectName("actionUndo")
        self.action_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.action_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.action_redo.setObjectName("actionRedo")
        self.action_redo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
                                      + [QKeySequence("Ctrl+Y")])
        self.addAction(self.action_undo)
        self.addAction(self.action_redo)
        self.action_find = a("actionFind", "&Find…", self.focus_search, shortcut=QKeySequence.StandardKey.Find,
                             tip="Search statements, criteria and excerpts")
        self.action_reload = a("actionReload", "Re&load", self.reload, shortcut=QKeySequence.StandardKey.Refresh,
                               tip="Re-read the ledger (another program may have changed it)")

        self.action_add = a("actionAddForecast", "&Add forecast…", lambda: self.add_forecast(), shortcut="Ctrl+N",
                            tip="Add a question with its first forecast")
        self.action_update = a("actionUpdateForecast", "&Update forecast…", self.update_forecast,
                               shortcut="Ctrl+U", tip="Record a new probability for the selected question")
        # Ctrl+E is Export scorecard's; Ctrl+Shift+E is free.
        self.action_edit = a("actionEditQuestion", "&Edit question…", self.edit_question, shortcut="Ctrl+Shift+E",
                             tip="Change the selected question's wording, criteria, condition, deadline or tags (the "
                                 "earlier version stays in its history)")
        self.action_resolve = a("actionResolveForecast", "&Resolve…", self.resolve_question, shortcut="Ctrl+R",
                                tip="Record how the selected question resolved")
        self.action_correct = a("actionCorrectResolution", "&Correct resolution…", self.correct_resolution,
                                tip="Replace the resolution in force with a correction (both stay visible)")
        self.action_withdraw = a(
            "actionWithdrawResolution", "&Withdraw resolution…", self.withdraw_resolution,
            tip="Withdraw the resolution in force: the question reopens, both records stay, and forecasts recorded "
                "after it are kept but never scored")
        self.action_settle_conflicts = a(
            "actionSettleConflicts", "Settle merge conflicts…", self.settle_conflicts_dialog,
            tip="Questions a merge or an import found resolved differently: keep ours or take theirs")
        self.action_delete = a("actionDeleteQuestion", "&Delete question", self.delete_question,
                               tip="Hide the selected question from lists and scores (Undo brings it back)")

        self.action_show_forecasts = a("actionShowForecasts", "&Forecasts", lambda: self._tabs.setCurrentIndex(0),
                                       shortcut="Ctrl+1")
        self.action_show_scorecard = a("actionShowScorecard", "&Scorecard", lambda: self._tabs.setCurrentIndex(1),
                                       shortcut="Ctrl+2")
        self.action_show_document = a("actionShowDocument", "&Document", lambda: self._tabs.setCurrentIndex(2),
                                      shortcut="Ctrl+3")
        self.action_show_in_document = a("actionShowInDocument", "Show in d&ocument", self.show_in_document,
                                         shortcut="Ctrl+Shift+D",
                                         tip="Show the selected question's source excerpt in its document")
        self.action_about = a("actionAbout", "&About forecastapp", self.about)
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.setObjectName("fileMenu")
        file_menu.addAction(self.action_new_db)
        file_menu.addAction(self.action_open_db)
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action_import)
        file_menu.addAction(self.action_import_other)
        file_menu.addAction(self.action_import_document)
        file_menu.addAction(self.action_export)
        file_menu.addAction(self.action_export_scorecard)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)

        edit_menu = bar.addMenu("&Edit")
        edit_menu.setObjectName("editMenu")
        edit_menu.addAction(self.action_undo)
        edit_menu.addAction(self.action_redo)
        edit_menu.addSeparator()
        edit_menu.addAction(self.action_find)

        forecast_menu = bar.addMenu("F&orecast")
        forecast_menu.setObjectName("forecastMenu")
        for action in (self.action_add, self.action_update, self.action_edit, self.action_resolve,
                       self.action_withdraw, self.action_correct, self.action_settle_conflicts):
            forecast_menu.addAction(action)
        forecast_menu.addSeparator()
        forecast_menu.addAction(self.action_delete)

        view_menu = bar.addMenu("&View")
        view_menu.setObjectName("viewMenu")
        for action in (self.action_show_forecasts, self.action_show_scorecard, self.action_show_document):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.action_show_in_document)
        view_menu.addAction(self.action_reload)

        help_menu = bar.addMenu("&Help")
        help_menu.setObjectName("helpMenu")
        help_menu.addAction(self.action_about)

    def _create_tool_bar(self) -> None:
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("mainToolBar")
        bar.setAccessibleName("Main toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.action_add, self.action_update, self.action_resolve):
            bar.addAction(action)
        bar.addSeparator()
        bar.addAction(self.action_undo)
        bar.addAction(self.action_redo)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self._tool_bar = bar

    def _create_filter_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("filterBar")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(0, 0, 0, 0)

        self.search_field = QLineEdit()
        self.search_field.setObjectName("searchField")
        self.search_field.setAccessibleName("Search")
        self.search_field.setPlaceholderText("Search statements, criteria, excerpts (Ctrl+F)")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumWidth(self.search_field.fontMetrics().horizontalAdvance("x" * 22))
        self._search_timer = QTimer(self)
        self._search_timer.setObjectName("searchDebounce")
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_field.textChanged.connect(self._search_timer.start)
        self.search_field.returnPressed.connect(self.apply_filters)

        def combo(name: str, accessible: str) -> QComboBox:
            box = QComboBox()
            box.setObjectName(name)
            box.setAccessibleName(accessible)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            return box

        self.status_filter = combo("statusFilterCombo", "Status filter")
        for text, value in STATUS_FILTERS:
            self.status_filter.addItem(text, value)
        self.status_filter.setMinimumContentsLength(8)
        self.tag_filter = combo("tagFilterCombo", "Tag filter")
        self.tag_filter.setMinimumContentsLength(8)
        self.analyst_filter = combo("analystFilterCombo", "Analyst filter")
        self.analyst_filter.setMinimumContentsLength(9)
        self.document_filter = combo("documentFilterCombo", "Document filter")
        self.document_filter.setMinimumContentsLength(10)
        for box, text in ((self.tag_filter, "All tags"), (self.analyst_filter, "All analysts"),
                          (self.document_filter, "All documents")):
            box.addItem(text, None)
        for box in (self.status_filter, self.tag_filter, self.analyst_filter, self.document_filter):
            box.currentIndexChanged.connect(self.apply_filters)

        self.result_count = QLabel()
        self.result_count.setObjectName("resultCount")
        self.result_count.setAccessibleName("Number of questions shown")

        layout.addWidget(self.search_field, 3)
        layout.addWidget(self.status_filter)
        layout.addWidget(self.tag_filter)
        layout.addWidget(self.analyst_filter)
        layout.addWidget(self.document_filter, 1)
        layout.addWidget(self.result_count)
        return bar

    def _create_table(self) -> QTableView:
        self.model = LedgerTableModel(self._service, self, load=False, background=self._background)
        table = QTableView()
        table.setObjectName("forecastTable")
        table.setAccessibleName("Forecasts")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setShowGrid(False)
        table.setTabKeyNavigation(False)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.action_update, self.action_edit, self.action_resolve, self.action_correct,
                       self.action_withdraw, self.action_delete, self.action_show_in_document):
            table.addAction(action)
        self.action_delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        # Delete only means "delete question" while the table has focus, never inside a text field.
        self.action_delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.removeAction(self.action_delete)
        vheader = table.verticalHeader()
        vheader.setAccessibleName("Row numbers")
        vheader.hide()
        table.setCornerButtonEnabled(False)
        corner = table.findChild(QAbstractButton, "qt_tableview_cornerbutton")
        if corner is not None:
            corner.setAccessibleName("Select all")
        # Fixed row heights: the view never asks every row for its size (which would fetch them all).
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setObjectName("forecastTableHeader")
        header.setAccessibleName("Columns: click to sort")
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSortIndicatorClearable(True)  # a third click returns to the order of recording
        fm = table.fontMetrics()
        date_w = fm.horizontalAdvance("2026-12-31") + 28
        widths = {
            COL_TAGS: fm.horizontalAdvance("x" * 16), COL_PROBABILITY: fm.horizontalAdvance("99.9%") + 28,
            COL_ANALYST: fm.horizontalAdvance("x" * 13),
            COL_MADE_ON: date_w, COL_RESOLVE_BY: date_w,
            COL_STATUS: fm.horizontalAdvance("resolved yes") + 44, COL_BRIER: fm.horizontalAdvance("Brier") + 34,
        }
        for col, width in widths.items():
            table.setColumnWidth(col, width)
        # The statement takes whatever the other columns leave, so status and Brier stay in view;
        # its tooltip and the detail pane show the whole text.
        header.setSectionResizeMode(COL_STATEMENT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(fm.horizontalAdvance("Brier") + 24)
        table.doubleClicked.connect(self._on_table_double_clicked)
        return table

    def _create_central(self) -> None:
        page = QWidget()
        page.setObjectName("forecastsPage")
        self.table = self._create_table()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.table)
        self._detail_pane: DetailPane | None = None
        self._detail_placeholder: QLabel | None = None
        if self._defer_secondary:
            # The app: until the first paint is done the pane's place holds what the pane shows with
            # nothing selected; the pane and its modules (about 20 ms) load right after it.
            self._detail_placeholder = QLabel(look.DETAIL_EMPTY_TEXT)
            self._detail_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._detail_placeholder.setWordWrap(True)
            self._detail_placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.splitter.addWidget(self._detail_placeholder)
        else:
            self.splitter.addWidget(self.detail_pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self._create_filter_bar())
        layout.addWidget(self.splitter, 1)

        self._tabs = QTabWidget()
        self._tabs.setObjectName("mainTabs")
        self._tabs.setAccessibleName("Views")
        self._tabs.setDocumentMode(True)
        self._tabs.addTab(page, "&Forecasts")
        # The scorecard's filter row is wider than the rest of the window needs; in a scroll area it
        # scrolls sideways in a narrow window instead of setting the whole window's minimum width.
        scorecard_page = QScrollArea()
        scorecard_page.setObjectName("scorecardPage")
        scorecard_page.setAccessibleName("Scorecard")
        scorecard_page.setWidgetResizable(True)
        scorecard_page.setFrameShape(QFrame.Shape.NoFrame)
        self._tabs.addTab(scorecard_page, "&Scorecard")
        self._scorecard_page = scorecard_page
        self._scorecard_view: ScorecardPanel | None = None
        self._document_view: DocumentPanel | None = None
        self._document_page: QWidget | None = None
        if self._defer_secondary:
            # The app: the Scorecard and Document panels (about 45 ms with their modules) are built
            # when their tab is first shown or they are first used, not before the first paint.
            self._document_page = QWidget()
            self._document_page.setObjectName("documentPage")
            QVBoxLayout(self._document_page).setContentsMargins(0, 0, 0, 0)
            self._tabs.addTab(self._document_page, "&Document")
            self._tabs.currentChanged.connect(self._build_panels)
        else:
            self._build_panels()
        self.setCentralWidget(self._tabs)

        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.keys_reloaded.connect(self._on_keys_reloaded)
        self.model.loading_changed.connect(self._update_result_count)

    @property
    def detail_pane(self) -> DetailPane:
        """The detail pane beside the table (in the app, built right after the first paint)."""
        if self._detail_pane is None:
            from forecastapp.ui.panels.detail import DetailPane

            pane = DetailPane([self.action_update, self.action_edit, self.action_resolve, self.action_correct,
                               self.action_withdraw, self.action_delete])
            pane.show_in_document_requested.connect(self.show_in_document)
            self._detail_pane = pane
            if self._detail_placeholder is not None:
                # It takes the placeholder's size, so the splitter's restored sizes stay.
                self.splitter.replaceWidget(1, pane)
                self._detail_placeholder.deleteLater()
                self._detail_placeholder = None
        return self._detail_pane

    @property
    def scorecard_view(self) -> ScorecardPanel:
        """The Scorecard tab's panel (built on first use)."""
        self._build_panels()
        return self._scorecard_view  # type: ignore[return-value]

    @property
    def document_view(self) -> DocumentPanel:
        """The Document tab's panel (built on first use)."""
        self._build_panels()
        return self._document_view  # type: ignore[return-value]

    @Slot()
    def _build_panels(self) -> None:
        if self._scorecard_view is not None:
            return
        from forecastapp.ui.panels.document import DocumentPanel
        from forecastapp.ui.panels.scorecard import ScorecardPanel

        # Both panels wait for their tab to be shown before they read or score anything (a refresh
        # while hidden only marks them stale), so building them costs no query.
        scorecard = self._scorecard_view = ScorecardPanel(self._service, self)
        document = self._document_view = DocumentPanel(self._service, self)
        scorecard.set_integrity(self._integrity)
        self.ledger_changed.connect(scorecard.refresh)
        self.ledger_changed.connect(document.refresh)
        document.question_selected.connect(self.select_question)
        document.new_forecast_requested.connect(self.new_forecast_from_excerpt)
        self._scorecard_page.setWidget(scorecard)
        if self._document_page is None:
            self._tabs.addTab(document, "&Document")
        else:
            self._document_page.layout().addWidget(document)

    def _create_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("statusCounts")
        self.counts_label.setAccessibleName("Question counts")
        self.brier_label = QLabel()
        self.brier_label.setObjectName("statusBrier")
        self.brier_label.setAccessibleName("Mean Brier score")
        self.integrity_label = QLabel()
        self.integrity_label.setObjectName("statusIntegrity")
        self.integrity_label.setAccessibleName("Ledger integrity")
        for label in (self.brier_label, self.integrity_label):
            label.setContentsMargins(10, 0, 4, 0)  # apart from the counts, which end without a separator
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.brier_label)
        bar.addPermanentWidget(self.integrity_label)
        self.set_mean_brier(None)
        self._show_integrity("Integrity: not checked yet", "The hash chain is checked right after start-up.")

    # ================================================================ settings

    def _read_settings(self) -> None:
        s = self._settings
        geometry = s.value(K_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = s.value(K_STATE)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = s.value(K_SPLITTER)
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([780, 500])
        header = self.table.horizontalHeader()
        saved = s.value(K_HEADER)
        if not (isinstance(saved, QByteArray) and header.restoreState(saved)):
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        # The first key list loads here, on this thread (prefetched at start-up when possible), so
        # the first paint shows rows; enabling sorting afterwards finds the order already applied.
        # With the secondary loading deferred (the app), only the first page is read before the
        # first paint; the rest of the key list follows on the database thread (`_after_first_paint`).
        self.model.prime(header.sortIndicatorSection(), header.sortIndicatorOrder(),
                         first_page=self._defer_secondary and self._background)
        self.table.setSortingEnabled(True)

    def _write_settings(self) -> None:
        s = self._settings
        s.setValue(K_GEOMETRY, self.saveGeometry())
        s.setValue(K_STATE, self.saveState())
        s.setValue(K_SPLITTER, self.splitter.saveState())
        header = self.table.horizontalHeader()
        s.setValue(K_HEADER, header.saveState())
        sort, descending = self.model.sort_key
        s.setValue(K_SORT_KEY, sort)
        s.setValue(K_SORT_DESCENDING, descending)
        s.setValue(K_LAST_DB, str(self._service.path))
        s.sync()

    def _remember_recent(self, path: Path) -> None:
        recent = [p for p in settings_list(self._settings, K_RECENT) if Path(p) != path]
        recent.insert(0, str(path))
        self._settings.setValue(K_RECENT, recent[:MAX_RECENT])
        self._settings.setValue(K_LAST_DB, str(path))

    def recent_files(self) -> list[str]:
        """The recent-databases list, newest first."""
        return settings_list(self._settings, K_RECENT)

    @Slot()
    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.recent_files() if Path(p) != self._service.path]
        for i, path in enumerate(recent):
            action = self.recent_menu.addAction(f"&{i + 1} {Path(path).name}  —  {Path(path).parent}")
            action.setObjectName(f"actionRecent{i + 1}")
            action.setData(path)
            action.triggered.connect(lambda _checked=False, p=path: self._open_recent(Path(p)))
        if not recent:
            empty = self.recent_menu.addAction("(no other databases yet)")
            empty.setEnabled(False)

    def _open_recent(self, path: Path) -> bool:
        """Reopen a database from the recent list; one that has gone is reported and dropped, never made afresh."""
        if not path.is_file():
            # open_database would create (and seed) a new ledger at the old path.
            self._show_error("Cannot open database",
                             f"'{path}' is not there any more (moved or deleted?); use Open database to find it")
            recent = [p for p in self.recent_files() if Path(p) != path]
            self._settings.setValue(K_RECENT, recent)
            return False
        return self.open_database(path)

    # ================================================================ loading and refreshing

    @property
    def service(self) -> LedgerService:
        """The ledger service behind the window (shared with the scorecard and document views)."""
        return self._service

    @Slot()
    def _load_secondary(self) -> None:
        """Fill the filter lists and the status bar (after the first paint when deferred)."""
        self._refresh_overview()
        self._update_result_count()
        self._remember_recent(self._service.path)

    def _refresh_overview(self) -> None:
        """Re-read the status counts and filter lists (on the database thread in the running app)."""
        today = self._service.today()
        if not self._background:
            from forecastapp.ui.operations.rows import Overview

            self._apply_overview(Overview(
                counts=self._service.status_counts(), tags=self._service.tags(),
                analysts=self._service.analysts(), documents=self._service.documents(),
                mean_brier=self._service.mean_brier(),
            ), self._service.path)
            return
        from forecastapp.ui.operations.rows import read_overview
        from forecastapp.ui.operations.tasks import BackgroundTask, read_pool

        path = self._service.path
        task = BackgroundTask(lambda _ctx: read_overview(path, today=today))
        task.finished.connect(lambda overview: isValid(self) and self._apply_overview(overview, path))
        task.done.connect(task.deleteLater)
        self._overview_task = task
        task.start(read_pool())

    def _apply_overview(self, overview, path: Path) -> None:
        if path != self._service.path:
            return  # answered for a database the window has left
        self._overview = overview

        def refill(box: QComboBox, items: list[tuple[str, object]]) -> None:
            current = box.currentData()
            box.blockSignals(True)
            first = box.itemText(0)
            box.clear()
            box.addItem(first, None)
            for text, data in items:
                box.addItem(text, data)
            index = box.findData(current) if current is not None else 0
            box.setCurrentIndex(max(index, 0))
            box.blockSignals(False)

        refill(self.tag_filter, [(t, t) for t in overview.tags])
        refill(self.analyst_filter, [(a, a) for a in overview.analysts])
        refill(self.document_filter, [(title, doc_id) for doc_id, title in overview.documents])
        counts = overview.counts
        self.counts_label.setText(
            f"Open {counts.get('open', 0):,}  ·  Due {counts.get('due', 0):,}  ·  "
            f"Resolved {counts.get('resolved', 0):,}  ·  Annulled {counts.get('annulled', 0):,}"
        )
        due = counts.get("due", 0)
        self.counts_label.setToolTip(
            f"{due:,} open question{'s are' if due != 1 else ' is'} past the resolve-by date" if due
            else "No question is past its resolve-by date"
        )
        self.set_mean_brier(overview.mean_brier)
        self.overview_updated.emit()

    def set_mean_brier(self, value: float | None) -> None:
        """Show the scorecard's overall (unfiltered) mean Brier; None shows a dash."""
        self._mean_brier = value
        self.brier_label.setText(f"Mean Brier {format_score(value)}")
        self.brier_label.setToolTip(
            "Mean Brier score over every scored question-analyst pair, 0-1 scale, lower is better "
            "(the Scorecard tab's overall figure without filters)" if value is not None
            else "No resolved question is scored yet"
        )

    @property
    def mean_brier(self) -> float | None:
        """The mean Brier the status bar shows (None while unknown or when nothing is scored)."""
        return self._mean_brier

    # ================================================================ integrity (the hash chain)

    @property
    def integrity(self):
        """The last integrity check's IntegrityState, or None while it runs or before it ran."""
        return self._integrity

    def _show_integrity(self, text: str, tip: str, *, broken: bool = False) -> None:
        self.integrity_label.setText(text)
        self.integrity_label.setToolTip(tip)
        self.integrity_label.setAccessibleDescription(tip)
        colour = look.tone("error", self.palette()).name() if broken else ""
        self.integrity_label.setStyleSheet(f"color: {colour}; font-weight: bold" if broken else "")

    def check_integrity(self):
        """Re-compute the ledger's hash chain off the GUI thread (a child process); returns the task or None."""
        from forecastapp.ui.operations import integrity

        if self._integrity_task is not None and self._integrity_task.running:
            self._integrity_task.cancel()
        self._integrity = None
        path = self._service.path
        self._show_integrity("Integrity: verifying…", "Re-computing the ledger's hash chain (forecastapp verify).")
        if not self._background:
            self._apply_integrity(path, integrity.verify_file(path))
            return None
        from forecastapp.ui.operations.tasks import BackgroundTask, read_pool

        task = BackgroundTask(lambda ctx: integrity.verify_in_child(path, ctx))
        task.finished.connect(lambda state: isValid(self) and self._apply_integrity(path, state))
        task.failed.connect(lambda message: isValid(self) and path == self._service.path and self._show_integrity(
            "Integrity: not checked", f"The check could not run: {message}"))
        task.done.connect(task.deleteLater)
        self._integrity_task = task
        return task.start(read_pool())

    @Slot()
    def _stop_integrity_check(self) -> None:
        """Cancel a running integrity check (its child process is killed within a 0.1 s poll)."""
        if self._integrity_task is not None and self._integrity_task.running:
            self._integrity_task.cancel()

    def _apply_integrity(self, path: Path, state) -> None:
        if path != self._service.path:
            return  # answered for a database the window has left
        self._integrity = state
        if self._scorecard_view is not None:
            self._scorecard_view.set_integrity(state)
        if state.ok:
            self._show_integrity(
                "Integrity: verified",
                f"Every history record matches the hash chain ({state.checked:,} records).\n{state.summary}")
        else:
            # No record position: the chain holds but a stored score or state does not follow from it.
            headline = (f"Integrity: broken at record {state.broken_at:,}" if state.broken_at is not None
                        else "Integrity: stored scores do not match the history")
            self._show_integrity(
                headline,
                f"{state.summary}\nRun \u201cforecastapp verify\u201d for details; docs/RELIABILITY.md explains the "
                "chain.", broken=True)

    @Slot()
    def _update_result_count(self) -> None:
        if self.model.loading:
            self.result_count.setText("searching…")
            return
        n = self.model.rowCount()
        self.result_count.setText(f"{n:,} question{'s' if n != 1 else ''}")

    def current_filter(self) -> QuestionFilter:
        """The filter the bar describes."""
        return QuestionFilter(
            status=self.status_filter.currentData() or "all",
            tag=self.tag_filter.currentData(),
            analyst=self.analyst_filter.currentData(),
            document_id=self.document_filter.currentData(),
            search=self.search_field.text().strip() or None,
        )

    @Slot()
    def apply_filters(self) -> None:
        """Re-query the table for the filter bar's settings (debounced while typing)."""
        self._search_timer.stop()
        flt = self.current_filter()
        if flt == self.model.filter:
            return
        self.model.set_filter(flt, then=self._after_filter)

    def _after_filter(self) -> None:
        # The selection survives a filter change only if its question is still listed.
        if not self.table.currentIndex().isValid():
            self._show_detail(None)

    @Slot()
    def focus_search(self) -> None:
        """Put the cursor in the search field (Ctrl+F)."""
        self._tabs.setCurrentIndex(0)
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    @Slot()
    def reload(self) -> None:
        """Re-read everything from the ledger and re-check its hash chain (F5: another program may have written)."""
        self._refresh_after_change(self._current_id)
        self.check_integrity()

    def _refresh_after_change(self, question_id: str | None, *, select_new: bool = False) -> None:
        """After a write: re-query the table, then select the new or touched question (or keep showing it)."""
        old_keys = set(self.model.keys()) if select_new else None
        # Remember where the touched question sits before the cache is dropped.
        touched = self.model.find_cached_key(question_id) if question_id else None

        def then() -> None:
            row = -1
            if old_keys is not None:
                new = [k for k in self.model.keys() if k not in old_keys]
                if len(new) == 1:
                    row = self.model.row_of_key(new[0])
            if row < 0 and touched is not None:
                row = self.model.row_of_key(touched)
            if row >= 0:
                self._select_row(row)
            else:
                # The question left the table (filtered out or deleted): keep showing it, so the
                # user sees what the action did.
                self._select_row(-1)
                self._show_detail(question_id)
            self.ledger_changed.emit()

        self.model.reload(then)
        self._refresh_overview()

    def _current_key(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.key_at(index.row()) if index.isValid() else None

    @Slot()
    def _on_model_about_to_be_reset(self) -> None:
        self._key_before_reset = self._current_key()

    @Slot()
    def _on_keys_reloaded(self) -> None:
        # Keep the selected question selected through sorting, filtering and reloads.
        row = self.model.row_of_key(self._key_before_reset)
        self._key_before_reset = None
        if row >= 0:
            self._select_row(row)
        else:
            self._select_row(-1)
        self._update_result_count()

    def _select_row(self, row: int) -> None:
        sm = self.table.selectionModel()
        if row < 0:
            sm.clearSelection()
            sm.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
            self._update_actions()
            return
        index = self.model.index(row, 0)
        self._selecting = True
        try:
            sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                               | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._selecting = False
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        # Re-read even when the row did not change: a write may have changed the question.
        self._show_detail(self.model.id_at(row))

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._selecting:
            self._show_detail(self.model.data(current, IdRole))

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

    def _update_actions(self) -> None:
        detail = self.selected_detail()
        live = detail is not None and not detail.question.deleted
        resolved = live and any(r.effective for r in detail.resolutions)
        self.action_update.setEnabled(live)
        self.action_edit.setEnabled(live)
        self.action_resolve.setEnabled(live and not resolved)
        self.action_correct.setEnabled(resolved)
        self.action_withdraw.setEnabled(resolved)
        self.action_delete.setEnabled(live)
        self.action_show_in_document.setEnabled(
            live and detail.question.document_id is not None and detail.question.excerpt_start is not None)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and self.action_update.isEnabled():
            self.update_forecast()

    def _update_title(self) -> None:
        self.setWindowTitle(f"forecastapp — {self._service.path.name}")
        self.setWindowFilePath(str(self._service.path))

    # ================================================================ ledger actions (undoable)

    def selected_detail(self):
        """The question shown in the detail pane (QuestionDetail) or None (also before the pane is built)."""
        return self._detail_pane.detail if self._detail_pane is not None else None

    def _push(self, command, *, select_new: bool = False) -> bool:
        """Run a command's first execution; push it for undo only if the core accepted it."""
        try:
            command.execute()
        except ForecastError as exc:
            self._show_error("Nothing was changed", str(exc))
            return False
        self.undo_stack.push(command)
        self._refresh_after_change(command.question_id, select_new=select_new)
        self.statusBar().showMessage(command.text(), 4000)
        return True

    def _command_callbacks(self):
        """(on_changed, on_error) for commands: undo/redo refresh the window or explain a refusal."""
        return (lambda question_id: self._refresh_after_change(question_id),
                lambda message: self._show_error("Undo could not be applied", message))

    @Slot()
    def add_forecast(self, prefill: NewQuestion | None = None) -> bool:
        """Ctrl+N: ask for a new question and its first forecast, then record it (undoable)."""
        return self._add_question(prefill) is not None

    def _add_question(self, prefill: NewQuestion | None) -> str | None:
        """The add dialog, then the undoable write; returns the new question's id (None if nothing was added)."""
        from forecastapp.ui.dialogs.question import AddForecastDialog
        from forecastapp.ui.window.undo import AddForecastCommand

        analyst = self._settings.value(K_LAST_ANALYST) or None
        # The lists the filter bar already holds: reading the tags again would scan every question's
        # tags on the GUI thread (about 0.4 s on a 100,000-question ledger) each time the dialog opens.
        known = self._overview
        result = AddForecastDialog.ask(self, self._service, prefill=prefill, analyst=analyst,
                                       analysts=known.analysts if known else None, tags=known.tags if known else None)
        if result is None:
            return None
        changed, failed = self._command_callbacks()
        command = AddForecastCommand(self._service, changed, failed, result.question, result.forecast)
        if not self._push(command, select_new=True):
            return None
        self._settings.setValue(K_LAST_ANALYST, result.forecast.analyst)
        return command.question_id

    @Slot(str, int, int, str)
    def new_forecast_from_excerpt(self, document_id: str, start: int, end: int, text: str) -> bool:
        """The document view's "New forecast from selection": the add dialog, pre-filled with the excerpt.

        The statement starts as the excerpt itself (white space collapsed), for the analyst to turn
        into something resolvable; the excerpt and its offsets are what link the question to the text.
        """
        from forecastapp.core.ledger import NewQuestion

        prefill = NewQuestion(statement=" ".join(text.split()), document_id=document_id, excerpt=text,
                              excerpt_start=start, excerpt_end=end)
        question_id = self._add_question(prefill)
        if question_id is None:
            return False
        # Show the new highlight now (the refresh after the write may still be on its way).
        self.document_view.refresh()
        self.document_view.show_question(question_id)
        return True

    @Slot(str)
    def select_question(self, question_id: str) -> bool:
        """Show a question in the Forecasts tab with its row selected (clearing filters that hide it)."""
        try:
            key = self._service.question_key(question_id)
        except ForecastError:
            return False
        self._tabs.setCurrentIndex(0)
        row = self.model.row_of_key(key)
        if row >= 0:
            self._select_row(row)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if self.current_filter() != QuestionFilter():
            # The search or a quick filter hides the row: clear them, then select it in the full list.
            self._clear_filter_bar()

            def then() -> None:
                found = self.model.row_of_key(key)
                if found >= 0:
                    self._select_row(found)
                    self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                else:
                    self._show_detail(question_id)

            self.model.set_filter(QuestionFilter(), then=then)
            return True
        self._select_row(-1)  # not listed at all (deleted): the detail pane still shows it
        self._show_detail(question_id)
        return True

    @Slot()
    def show_in_document(self) -> bool:
        """Switch to the Document tab and flash the selected question's source excerpt."""
        detail = self.selected_detail()
        if detail is None or detail.question.document_id is None:
            return False
        self._tabs.setCurrentIndex(2)  # showing the tab loads the view if it is stale
        if not self.document_view.show_question(detail.question.id):
            self.statusBar().showMessage("This question's excerpt is not in its document any more", 6000)
            return False
        self.document_view.text_view().setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    @Slot()
    def update_forecast(self) -> bool:
        """Ctrl+U: record a new probability for the selected question (undoable)."""
        from forecastapp.ui.dialogs.question import UpdateForecastDialog
        from forecastapp.ui.window.undo import UpdateForecastCommand

        detail = self._fresh_detail()
        if detail is None:
            return False
        analyst = self._settings.value(K_LAST_ANALYST) or None
        forecast = UpdateForecastDialog.ask(self, self._service, detail, analyst=analyst)
        if forecast is None:
            return False
        changed, failed = self._command_callbacks()
        ok = self._push(UpdateForecastCommand(self._service, changed, failed, detail.question.id, forecast))
        if ok:
            self._settings.setValue(K_LAST_ANALYST, forecast.analyst)
        return ok

    @Slot()
    def edit_question(self) -> bool:
        """Ctrl+Shift+E: change the selected question's wording, criteria, condition, deadline or tags (undoable)."""
        from forecastapp.ui.dialogs.question import EditQuestionDialog
        from forecastapp.ui.window.undo import EditQuestionCommand

        detail = self._fresh_detail()
        if detail is None or detail.question.deleted:
            return False
        known = self._overview
        edit = EditQuestionDialog.ask(self, self._service, detail, tags=known.tags if known else None)
        if edit is None:
            return False
        changed, failed = self._command_callbacks()
        return self._push(EditQuestionCommand(self._service, changed, failed, detail.question, edit))

    @Slot()
    def resolve_question(self) -> bool:
        """Ctrl+R: record how the selected question resolved (undoable)."""
        from forecastapp.ui.dialogs.resolve import ResolveDialog
        from forecastapp.ui.window.undo import ResolveCommand

        detail = self._fresh_detail()
        if detail is None:
            return False
        resolution = ResolveDialog.ask(self, self._service, detail)
        if resolution is None:
            return False
        changed, failed = self._command_callbacks()
        return self._push(ResolveCommand(self._service, changed, failed, detail.question.id, resolution))

    @Slot()
    def correct_resolution(self) -> bool:
        """Replace the resolution in force with a correcting record (undoable)."""
        from forecastapp.ui.dialogs.resolve import CorrectResolutionDialog
        from forecastapp.ui.window.undo import CorrectResolutionCommand

        detail = self._fresh_detail()
        if detail is None:
            return False
        previous = next((r for r in detail.resolutions if r.effective), None)
        if previous is None:
            return False
        resolution = CorrectResolutionDialog.ask(self, self._service, detail)
        if resolution is None:
            return False
        changed, failed = self._command_callbacks()
        return self._push(
            CorrectResolutionCommand(self._service, changed, failed, detail.question.id, resolution, previous)
        )

    @Slot()
    def withdraw_resolution(self) -> bool:
        """Withdraw the resolution in force after asking why (undoable: undo resolves it again as a new record)."""
        from forecastapp.ui.dialogs.resolve import WithdrawResolutionDialog
        from forecastapp.ui.window.undo import WithdrawResolutionCommand

        detail = self._fresh_detail()
        if detail is None:
            return False
        current = next((r for r in detail.resolutions if r.effective), None)
        if current is None:
            return False
        reason = WithdrawResolutionDialog.ask(self, detail)
        if reason is None:
            return False
        changed, failed = self._command_callbacks()
        return self._push(
            WithdrawResolutionCommand(self._service, changed, failed, detail.question.id, reason, current))

    @Slot()
    def delete_question(self) -> bool:
        """Soft-delete the selected question after a confirmation (undoable, and restorable)."""
        from PySide6.QtWidgets import QMessageBox

        from forecastapp.ui.window.undo import DeleteQuestionCommand

        detail = self._fresh_detail()
        if detail is None:
            return False
        answer = QMessageBox.question(
            self, "Delete question",
            f"Delete \u201c{detail.question.statement[:120]}\u201d?\n\nIt disappears from lists and scores; its "
            "history stays in the ledger, and Undo (Ctrl+Z) brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        changed, failed = self._command_callbacks()
        return self._push(
            DeleteQuestionCommand(self._service, changed, failed, detail.question.id, detail.question.statement)
        )

    def _fresh_detail(self):
        """The selected question re-read from the ledger (another program may have changed it)."""
        if self._current_id is None:
            return None
        try:
            return self._service.detail(self._current_id)
        except ForecastError as exc:
            self._show_error("Question not found", str(exc))
            return None

    def _show_error(self, title: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, title, message)

    # ================================================================ databases

    def _dialog_dir(self) -> str:
        return str(self._settings.value(K_LAST_DIR) or self._service.path.parent)

    @Slot()
    def open_database_dialog(self) -> None:
        """Ctrl+O: choose a ledger file and open it."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open database", self._dialog_dir(),
                                              "forecastapp ledgers (*.db *.sqlite *.sqlite3);;All files (*)")
        if path:
            self.open_database(Path(path))

    @Slot()
    def new_database_dialog(self) -> None:
        """Create an empty ledger at a chosen path and open it."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, "New database", self._dialog_dir(),
                                              "forecastapp ledgers (*.db)")
        if not path:
            return
        target = Path(path)
        if target.suffix == "":
            target = target.with_suffix(".db")
        if target.exists() and target.stat().st_size > 0:
            self._show_error("Database exists", f"'{target}' already exists; use Open database to open it")
            return
        self.open_database(target, seed=False, create=True)

    def open_database(self, path: Path, *, seed: bool = True, create: bool = False) -> bool:
        """Switch the window to another ledger (the undo history belongs to the old one and is cleared)."""
        if path == self._service.path:
            return True
        if self._task is not None and self._task.running:
            self._show_error("Busy", "an import or export is running; wait for it or cancel it first")
            return False
        try:
            self._service.switch_to(path, seed=seed, create=create)
        except ForecastError as exc:
            self._show_error("Cannot open database", str(exc))
            return False
        self._settings.setValue(K_LAST_DIR, str(path.parent))
        self.undo_stack.clear()
        self._current_id = None
        self._overview = None  # the old ledger's lists; the new one's are read below
        self._integrity = None  # the old ledger's check; the new one's runs below
        if self._scorecard_view is not None:
            self._scorecard_view.set_integrity(None)
        self._clear_filter_bar()
        self.model.set_filter(QuestionFilter())
        self._select_row(-1)
        self._show_detail(None)
        self._update_title()
        self._load_secondary()
        self.check_integrity()
        self.ledger_changed.emit()
        return True

    def _clear_filter_bar(self) -> None:
        """Reset the search and the quick filters without re-querying (the caller does that once)."""
        for box in (self.tag_filter, self.analyst_filter, self.document_filter, self.status_filter):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.search_field.blockSignals(True)
        self.search_field.clear()
        self.search_field.blockSignals(False)

    # ================================================================ import / export in the background

    @property
    def current_task(self):
        """The running (or last) background task, for tests and the bench."""
        return self._task

    @Slot()
    def import_ledger_dialog(self):
        """Choose a ledger JSON export or another analyst's ledger database; the import dialog previews it."""
        from PySide6.QtWidgets import QFileDialog

        from forecastapp.ui.dialogs.import_wizard import open_import_dialog

        path, _ = QFileDialog.getOpenFileName(self, "Import ledger", self._dialog_dir(),
                                              "forecastapp ledgers (*.json *.db);;All files (*)")
        if not path:
            return None
        return open_import_dialog(self, Path(path), fmt="ledger")

    @Slot()
    def import_other_dialog(self):
        """Ctrl+Shift+I: another tracker's export or a hand-kept spreadsheet, mapped and previewed (ui/dialogs/import_wizard.py)."""
        from forecastapp.ui.dialogs.import_wizard import open_import_dialog

        return open_import_dialog(self)

    @Slot()
    def settle_conflicts_dialog(self):
        """Forecast > Settle merge conflicts…: keep ours or take theirs (ui/dialogs/conflicts.py)."""
        from forecastapp.ui.dialogs.conflicts import open_conflicts_dialog

        return open_conflicts_dialog(self)

    @Slot()
    def export_ledger_dialog(self) -> None:
        """Choose where to save the ledger JSON export and write it in the background."""
        from PySide6.QtWidgets import QFileDialog

        suggested = str(Path(self._dialog_dir()) / f"{self._service.path.stem}-export.json")
        path, _ = QFileDialog.getSaveFileName(self, "Export ledger", suggested, "Ledger export (*.json)")
        if path:
            self.export_ledger(Path(path))

    def import_ledger(self, source: Path):
        """Import the ledger export `source` on a worker thread with a cancellable progress dialog; returns the task.

        No preview: this is for scripts and tests. The menu goes through `import_ledger_dialog`.
        """
        from forecastapp.ui.operations import imports

        db_path, now = self._service.path, self._service.now()
        return self._start_task(
            lambda ctx: imports.import_ledger_file(db_path, source, ctx, now=now), f"Importing {source.name}…",
            done=lambda summary: self._after_import(source, summary),
        )

    def export_ledger(self, target: Path):
        """Export the ledger to `target` on a worker thread with a cancellable progress dialog; returns the task."""
        from forecastapp.ui.operations import exports

        db_path, now = self._service.path, self._service.now()
        return self._start_task(
            lambda ctx: exports.export_ledger_file(db_path, target, ctx, now=now), f"Exporting to {target.name}…",
            done=lambda path: self.statusBar().showMessage(f"Exported the ledger to {path}", 8000),
        )

    @Slot()
    def export_scorecard_dialog(self) -> None:
        """Ctrl+E: choose a file; the filter (or the extension typed) picks the format; export in the background."""
        from PySide6.QtWidgets import QFileDialog

        if not self._confirm_export_unverified():
            return
        last = str(self._settings.value(K_SCORECARD_FORMAT) or "")
        _fmt, offered, extensions = next((e for e in SCORECARD_EXPORTS if e[0] == last), SCORECARD_EXPORTS[0])
        suggested = str(Path(self._dialog_dir()) / f"{self._service.path.stem}-scorecard{extensions[0]}")
        path, chosen = QFileDialog.getSaveFileName(self, "Export scorecard", suggested, SCORECARD_FILTERS, offered)
        if not path:
            return
        target, fmt = scorecard_target(path, chosen)
        self._settings.setValue(K_SCORECARD_FORMAT, fmt)
        self._settings.setValue(K_LAST_DIR, str(target.parent))
        self.export_scorecard(target, fmt)

    def _confirm_export_unverified(self) -> bool:
        """When the integrity check found the ledger changed outside the app, say so before a scorecard leaves it;
        True to go on (the ledger verified, is not checked yet, or the user chose to export anyway)."""
        from PySide6.QtWidgets import QMessageBox

        state = self._integrity
        if state is None or state.ok:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, "Export scorecard",
                          "This ledger does not verify: its scores may have been changed after they were recorded.",
                          parent=self)
        box.setObjectName("exportUnverifiedWarning")
        box.setInformativeText(f"{state.summary}\n\nA JSON, Markdown, HTML or PDF scorecard states that the "
                               "ledger did not verify (a CSV one does not). Run \u201cforecastapp verify\u201d for "
                               "details before you share it.")
        export = box.addButton("Export anyway", QMessageBox.ButtonRole.AcceptRole)
        export.setObjectName("exportAnywayButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is export

    def export_scorecard(self, target: Path, fmt: str):
        """Write the scorecard, with the Scorecard tab's filters, to `target` as `fmt`; returns the task.

        The scorecard is built on a worker thread (its own connection) and the text formats are
        written there too. A PDF is painted on the GUI thread: render/pdf.py lays the report out with
        QTextDocument on a QPdfWriter and draws the chart with QSvgRenderer; Qt allows painting on a
        PDF device in another thread, but it documents no such promise for QTextDocument's layout and
        fonts, and the report lists at most 200 questions, so painting it here is short and safe (0.5 s
        for the 146,500 scored pairs of the 100,000-question bench ledger, whose scoring takes 5 s in the
        worker; the progress dialog stays up meanwhile).
        """
        from forecastapp.ui.operations import exports

        db_path, today, now = self._service.path, self._service.today(), self._service.now()
        filters = self.scorecard_view.filters()

        def work(ctx):
            return exports.scorecard_file(db_path, target, fmt, ctx, filters=filters, today=today, now=now)

        def done(result) -> None:
            written = result
            if fmt == "pdf":
                try:
                    written = exports.write_scorecard_pdf(result, target)
                except ForecastError as exc:
                    self._show_error("The scorecard was not exported", str(exc))
                    return
            also = f" (chart: {written[1].name})" if len(written) > 1 else ""
            self.statusBar().showMessage(f"Exported the scorecard ({FORMAT_NAMES[fmt]}) to {written[0]}{also}", 10000)

        return self._start_task(work, f"Exporting the scorecard to {target.name}…", done=done)

    def _start_task(self, work, label: str, *, done):
        from PySide6.QtWidgets import QProgressDialog

        from forecastapp.ui.operations.tasks import run_in_background

        if self._task is not None and self._task.running:
            self._show_error("Busy", "an import or export is already running")
            return None
        progress = QProgressDialog(label, "Cancel", 0, 0, self)
        progress.setObjectName("progressDialog")
        progress.setAccessibleName(label)
        progress.setWindowTitle("forecastapp")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        # Its outcome signals are queued to this thread, so connecting them below, before control
        # returns to the event loop, cannot miss one.
        task = run_in_background(work)
        progress.canceled.connect(task.cancel)

        def alive() -> bool:
            return isValid(self) and isValid(progress)

        def on_progress(n: int, total: int) -> None:
            if alive():
                progress.setMaximum(total)
                progress.setValue(n)

        def on_done() -> None:
            if alive():
                progress.close()
                progress.deleteLater()
                self._set_busy(False)

        task.progress.connect(on_progress)
        task.finished.connect(lambda result: alive() and done(result))
        task.failed.connect(
            lambda message: alive() and self._show_error("The operation failed; nothing was changed", message))
        task.cancelled.connect(
            lambda: alive() and self.statusBar().showMessage("Cancelled; nothing was changed", 6000))
        task.done.connect(on_done)
        task.done.connect(task.deleteLater)
        self._task = task
        self._progress = progress
        self._set_busy(True)
        return task

    def import_document(self, path: Path | None = None):
        """Ctrl+I or a dropped file: import an assessment and open its review (ui/window/document_import.py)."""
        from forecastapp.ui.window.document_import import DocumentImporter

        importer = DocumentImporter.for_window(self)
        return importer.choose_and_import() if path is None else importer.import_file(Path(path))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Accept one assessment (.txt, .md, .pdf, or a format its import explains it cannot read) or one
        file to import (a tracker's export or a spreadsheet, .csv; a ledger export or a tracker's JSON)."""
        from forecastapp.ui.window.document_import import dropped_document, dropped_file

        mime = event.mimeData()
        if dropped_document(mime) is not None or dropped_file(mime, IMPORT_DROP_SUFFIXES) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Import the dropped document, as File > Import document does; or preview the dropped export or sheet."""
        from forecastapp.ui.window.document_import import dropped_document, dropped_file

        path = dropped_document(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.import_document(path)
            return
        path = dropped_file(event.mimeData(), IMPORT_DROP_SUFFIXES)
        if path is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        from forecastapp.ui.dialogs.import_wizard import open_import_dialog

        # Straight on from the file: a tracker's export or a ledger export to its preview, a sheet to
        # its columns. Nothing is written before the user presses Import.
        open_import_dialog(self, path, fmt="auto")

    def _set_busy(self, busy: bool) -> None:
        for action in (self.action_import, self.action_import_other, self.action_export, self.action_export_scorecard,
                       self.action_open_db, self.action_new_db):
            action.setEnabled(not busy)

    def _after_import(self, source: Path, summary: str) -> None:
        # Undo entries refer to records the import may now sit between; they still hold, since
        # undo only appends, so the stack is kept.
        self.statusBar().showMessage(f"Imported {source.name}: {summary}", 10000)
        self._refresh_after_change(self._current_id)

    # ================================================================ misc

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
                self, "_detail_placeholder"):
            self.model.restyle()
            if self._detail_pane is not None:
                self._show_detail(self._current_id)
            if self._integrity is not None:
                self._apply_integrity(self._service.path, self._integrity)
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
        self.check_integrity()

    @Slot()
    def about(self) -> None:
        """Help > About."""
        from PySide6.QtWidgets import QMessageBox

        from forecastapp import __version__

        QMessageBox.about(
            self, "About forecastapp",
            f"<p><b>forecastapp {__version__}</b></p><p>A forecast ledger for analysts: record probabilistic "
            "judgements, resolve them, and see how well calibrated they were.</p>",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Save the window state, let a running task finish or cancel, and close the ledger."""
        if self._task is not None and self._task.running:
            self._task.cancel()
            from forecastapp.ui.operations.tasks import database_pool

            database_pool().waitForDone(10_000)
        self._stop_integrity_check()
        if "forecastapp.ui.operations.tasks" in sys.modules:
            from forecastapp.ui.operations.tasks import read_pool

            read_pool().waitForDone(10_000)
        self._write_settings()
        super().closeEvent(event)

