"""The ledger table in the Forecasts tab: its view, its model, the filter bar's query, and the selected
question, kept selected through sorting, filtering and reloads.

The model (`models/ledger_table.py`) reads the rows; this part decides which question is current and
asks the window to show it (`show_detail`), so the detail pane and the actions follow the table.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QHeaderView, QTableView, QWidget

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
from forecastapp.ui.window.filter_bar import FilterBar


def _table_view(model: LedgerTableModel) -> QTableView:
    """The forecast table's view: whole-row single selection, fixed row heights, sized columns."""
    table = QTableView()
    table.setObjectName("forecastTable")
    table.setAccessibleName("Forecasts")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setShowGrid(False)
    table.setTabKeyNavigation(False)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
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
    return table


class LedgerTable(QObject):
    """The table, its model and filter bar, and the current question (shown through `show_detail`)."""

    #: The current row was cleared (nothing selected).
    selection_cleared = Signal()
    #: A row was double-clicked.
    row_activated = Signal()

    def __init__(self, service: LedgerService, filter_bar: FilterBar, window: QWidget, *, background: bool,
                 show_detail: Callable[[str | None], None]) -> None:
        super().__init__(window)
        self._service = service
        self._filter_bar = filter_bar
        self._show_detail = show_detail
        self._selecting = False
        self._key_before_reset: int | None = None
        self.model = LedgerTableModel(service, window, load=False, background=background)
        self.view = _table_view(self.model)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.keys_reloaded.connect(self._on_keys_reloaded)
        self.model.loading_changed.connect(self.update_result_count)
        filter_bar.changed.connect(self.apply_filters)

    def add_row_actions(self, actions: list[QAction], delete: QAction) -> None:
        """The table's context menu; Delete deletes the question only while the table has focus."""
        for action in actions:
            self.view.addAction(action)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        # Never inside a text field: there Delete deletes a character.
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

    # ------------------------------------------------------------ filtering

    @Slot()
    def update_result_count(self) -> None:
        """Show how many questions the table lists."""
        self._filter_bar.show_count(None if self.model.loading else self.model.rowCount())

    @Slot()
    def apply_filters(self) -> None:
        """Re-query the table for the filter bar's settings."""
        self._filter_bar.stop_waiting()
        flt = self._filter_bar.current_filter()
        if flt == self.model.filter:
            return
        self.model.set_filter(flt, then=self._after_filter)

    def _after_filter(self) -> None:
        # The selection survives a filter change only if its question is still listed.
        if not self.view.currentIndex().isValid():
            self._show_detail(None)

    def show_all(self) -> None:
        """Clear the filter bar and list every question (after another database was opened)."""
        self._filter_bar.clear()
        self.model.set_filter(QuestionFilter())

    # ------------------------------------------------------------ the current question

    def reload(self, question_id: str | None, *, select_new: bool = False, then: Callable[[], None]) -> None:
        """After a write: re-query, then select the new or touched question (or keep showing it); then `then`."""
        old_keys = set(self.model.keys()) if select_new else None
        # Remember where the touched question sits before the cache is dropped.
        touched = self.model.find_cached_key(question_id) if question_id else None

        def done() -> None:
            row = -1
            if old_keys is not None:
                new = [k for k in self.model.keys() if k not in old_keys]
                if len(new) == 1:
                    row = self.model.row_of_key(new[0])
            if row < 0 and touched is not None:
                row = self.model.row_of_key(touched)
            if row >= 0:
                self.select_row(row)
            else:
                # The question left the table (filtered out or deleted): keep showing it, so the
                # user sees what the action did.
                self.select_row(-1)
                self._show_detail(question_id)
            then()

        self.model.reload(done)

    def select_key(self, key: int, question_id: str) -> None:
        """Select the question with row key `key`, clearing filters that hide it; a question not listed at all
        (deleted) is still shown in the detail pane."""
        row = self.model.row_of_key(key)
        if row >= 0:
            self.select_row(row)
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self._filter_bar.current_filter() != QuestionFilter():
            # The search or a quick filter hides the row: clear them, then select it in the full list.
            self._filter_bar.clear()

            def then() -> None:
                found = self.model.row_of_key(key)
                if found >= 0:
                    self.select_row(found)
                    self.view.setFocus(Qt.FocusReason.OtherFocusReason)
                else:
                    self._show_detail(question_id)

            self.model.set_filter(QuestionFilter(), then=then)
            return
        self.select_row(-1)
        self._show_detail(question_id)

    def select_row(self, row: int) -> None:
        """Make `row` current and show its question (-1: clear the selection)."""
        sm = self.view.selectionModel()
        if row < 0:
            sm.clearSelection()
            sm.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.selection_cleared.emit()
            return
        index = self.model.index(row, 0)
        self._selecting = True
        try:
            sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                               | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._selecting = False
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        # Re-read even when the row did not change: a write may have changed the question.
        self._show_detail(self.model.id_at(row))

    def _current_key(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.key_at(index.row()) if index.isValid() else None

    @Slot()
    def _on_model_about_to_be_reset(self) -> None:
        self._key_before_reset = self._current_key()

    @Slot()
    def _on_keys_reloaded(self) -> None:
        # Keep the selected question selected through sorting, filtering and reloads.
        row = self.model.row_of_key(self._key_before_reset)
        self._key_before_reset = None
        self.select_row(row if row >= 0 else -1)
        self.update_result_count()

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._selecting:
            self._show_detail(self.model.data(current, IdRole))

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.row_activated.emit()
