"""Forecast > Settle merge conflicts…: questions a merge or an import found resolved differently elsewhere.

`ConflictsDialog` lists the unsettled conflicts (`conflictsTable`): the statement, the resolution in
force here ("ours"), the other side's ("theirs"), where it came from and their evidence. "Keep ours"
leaves the ledger as it is and records the decision; "Take theirs" records their resolution as a
correction (the ledger's own rules, so both records stay in the history). Both go through
`core.merge.settle_conflict` via `ui/operations/imports.py`, recorded as by the login name, with the
optional note. "Show settled" lists the settled ones too, with what was kept. After each settlement
the list is re-read and `settled(question_id)` lets the main window refresh its table and detail.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

COL_STATEMENT, COL_OURS, COL_THEIRS, COL_SOURCE, COL_EVIDENCE, COL_SETTLED = range(6)
HEADERS = ("Question", "Ours (in force)", "Theirs", "From", "Their evidence", "Settled")
ConflictIdRole = Qt.ItemDataRole.UserRole


class ConflictsDialog(QDialog):
    """List resolution conflicts and settle each by keeping ours or taking theirs."""

    #: Emitted after a settlement: the question's id (its resolution may have changed).
    settled = Signal(str)

    def __init__(self, service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from forecastapp.ui.operations import imports
        from forecastapp.ui.widgets.fields import ErrorLabel, HintLabel

        self._data = imports
        self._service = service
        self._conflicts = []
        self.setObjectName("ConflictsDialog")
        self.setWindowTitle("Settle merge conflicts")
        self.setAccessibleName("Settle merge conflicts")
        intro = QLabel(
            "These questions were resolved differently in a ledger you merged or a file you imported. Your "
            "resolution stays in force until you decide: Keep ours records the decision and changes nothing "
            "else; Take theirs records their resolution as a correction (both stay in the history)."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS), objectName="conflictsTable")
        self.table.setAccessibleName("Resolution conflicts")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(COL_STATEMENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_EVIDENCE, QHeaderView.ResizeMode.Stretch)
        for column in (COL_OURS, COL_THEIRS, COL_SOURCE, COL_SETTLED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.show_settled = QCheckBox("Show &settled", objectName="showSettledCheck")
        self.show_settled.setAccessibleName("Show settled conflicts too")
        self.show_settled.toggled.connect(self.refresh)
        self.note_edit = QLineEdit(objectName="settleNote")
        self.note_edit.setAccessibleName("Note on the decision")
        self.note_edit.setPlaceholderText("why (optional), e.g. the ministry's notice of 2 March settles it")
        note_label = QLabel("&Note:")
        note_label.setBuddy(self.note_edit)
        self.keep_button = QPushButton("Keep &ours", objectName="keepOursButton")
        self.keep_button.setAccessibleName("Keep our resolution")
        self.keep_button.setToolTip("Our resolution stays in force; the decision is recorded")
        self.keep_button.clicked.connect(lambda: self.settle_selected("ours"))
        self.take_button = QPushButton("Take &theirs", objectName="takeTheirsButton")
        self.take_button.setAccessibleName("Take their resolution")
        self.take_button.setToolTip("Their resolution is recorded as a correction and put in force")
        self.take_button.clicked.connect(lambda: self.settle_selected("theirs"))
        self.error_label = ErrorLabel("conflictsError")
        self.status_label = HintLabel("conflictsStatus")
        self.status_label.setAccessibleName("Last decision")
        close = QPushButton("Close", objectName="closeButton")
        close.setAccessibleName("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)

        actions = QHBoxLayout()
        actions.addWidget(note_label)
        actions.addWidget(self.note_edit, 1)
        actions.addWidget(self.keep_button)
        actions.addWidget(self.take_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.show_settled)
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)
        self.resize(980, 460)
        self.refresh()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Re-fit the wrapped rows to the new column widths."""
        super().resizeEvent(event)
        self.table.resizeRowsToContents()

    # ------------------------------------------------------------ public (tests, the window)

    def conflicts(self) -> list:
        """The conflicts listed, in table order."""
        return list(self._conflicts)

    def select_row(self, row: int) -> None:
        """Select a conflict, as a click on its row does."""
        self.table.selectRow(row)

    @Slot()
    def refresh(self) -> None:
        """Re-read the conflicts (open ones, or all with Show settled) and keep the selected one selected."""
        selected = self._selected()
        keep_id = selected.id if selected is not None else None
        self._conflicts = self._data.conflicts(self._service, include_settled=self.show_settled.isChecked())
        text = self._data.resolution_text
        self.table.setRowCount(len(self._conflicts))
        for row, c in enumerate(self._conflicts):
            settled = ""
            if c.settled_kept is not None:
                settled = f"{c.settled_kept} kept, {(c.settled_at or '')[:10]}"
            values = (c.statement, text(c.ours_outcome, c.ours_resolved_on),
                      text(c.theirs_outcome, c.theirs_resolved_on, kind=c.theirs_kind),
                      c.source + (f"\nby {c.theirs_recorded_by}" if c.theirs_recorded_by else ""),
                      c.theirs_evidence or "", settled)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(ConflictIdRole, c.id)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        self.table.setColumnHidden(COL_SETTLED, not self.show_settled.isChecked())
        self.table.resizeRowsToContents()
        row = next((i for i, c in enumerate(self._conflicts) if c.id == keep_id), -1)
        if row < 0 and self._conflicts:
            row = next((i for i, c in enumerate(self._conflicts) if c.settled_kept is None), -1)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.table.clearSelection()
        if not self._conflicts:
            self.status_label.setText(self.status_label.text() or "No conflicts to settle.")
        self._update_buttons()

    def _selected(self):
        rows = {index.row() for index in self.table.selectionModel().selectedRows()} if self.table.selectionModel() \
            else set()
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    @Slot()
    def _update_buttons(self) -> None:
        selected = self._selected()
        open_one = selected is not None and selected.settled_kept is None
        self.keep_button.setEnabled(open_one)
        self.take_button.setEnabled(open_one)

    def settle_selected(self, keep: str) -> bool:
        """Settle the selected conflict keeping "ours" or "theirs"; False (and the reason shown) if refused."""
        from forecastapp.core.errors import ForecastError

        c = self._selected()
        if c is None or c.settled_kept is not None:
            return False
        try:
            self._data.settle(self._service, c.id, keep=keep, note=self.note_edit.text())
        except ForecastError as exc:
            self.error_label.show_error(str(exc))
            self.refresh()
            return False
        self.error_label.show_error(None)
        self.note_edit.clear()
        theirs = self._data.resolution_text(c.theirs_outcome, c.theirs_resolved_on, kind=c.theirs_kind)
        kept = "our resolution" if keep == "ours" else f"their resolution ({theirs})"
        self.status_label.setText(f"Kept {kept} for “{_short(c.statement)}”.")
        self.refresh()
        self.settled.emit(c.question_id)
        return True


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# ---------------------------------------------------------------- the main window's side


def open_conflicts_dialog(window) -> ConflictsDialog:
    """Show the conflicts dialog for a main window (the one already open, if any); returns it."""
    existing = window.findChild(ConflictsDialog, "ConflictsDialog")
    if existing is not None and existing.isVisible():
        existing.refresh()
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = ConflictsDialog(window.service, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def after_settling(question_id: str) -> None:
        window.reload()
        window.select_question(question_id)  # show what the decision did

    dialog.settled.connect(after_settling)
    dialog.show()
    return dialog
