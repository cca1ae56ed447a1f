"""The Forecast menu's undoable ledger actions: add, update, edit, resolve, correct, withdraw, delete.

Each asks its dialog, then runs an undoable command (`window/undo.py`) that calls the core through
`LedgerService`; only a command the core accepted goes on the window's undo stack. The window then
re-queries the table and re-reads the touched question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Slot

from forecastapp.core.errors import ForecastError
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.settings import K_LAST_ANALYST

if TYPE_CHECKING:
    from forecastapp.core.ledger import NewQuestion
    from forecastapp.core.model import QuestionDetail


class LedgerActions(QObject):
    """The window's undoable writes, each behind its dialog."""

    def __init__(self, window, service: LedgerService, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._settings = settings

    def _push(self, command, *, select_new: bool = False) -> bool:
        """Run a command's first execution; push it for undo only if the core accepted it."""
        window = self._window
        try:
            command.execute()
        except ForecastError as exc:
            window.show_error("Nothing was changed", str(exc))
            return False
        window.undo_stack.push(command)
        window.refresh_after_change(command.question_id, select_new=select_new)
        window.statusBar().showMessage(command.text(), 4000)
        return True

    def _callbacks(self):
        """(service, on_changed, on_error) for commands: undo/redo refresh the window or explain a refusal."""
        window = self._window
        return (self._service, lambda question_id: window.refresh_after_change(question_id),
                lambda message: window.show_error("Undo could not be applied", message))

    def _fresh_detail(self) -> QuestionDetail | None:
        """The selected question re-read from the ledger (another program may have changed it)."""
        question_id = self._window.current_question_id
        if question_id is None:
            return None
        try:
            return self._service.detail(question_id)
        except ForecastError as exc:
            self._window.show_error("Question not found", str(exc))
            return None

    @Slot()
    def add_forecast(self, prefill: NewQuestion | None = None) -> bool:
        """Ctrl+N: ask for a new question and its first forecast, then record it (undoable)."""
        return self.add_question(prefill) is not None

    def add_question(self, prefill: NewQuestion | None) -> str | None:
        """The add dialog, then the undoable write; returns the new question's id (None if nothing was added)."""
        from forecastapp.ui.dialogs.question import AddForecastDialog
        from forecastapp.ui.window.undo import AddForecastCommand

        analyst = self._settings.value(K_LAST_ANALYST) or None
        # The lists the filter bar already holds: reading the tags again would scan every question's
        # tags on the GUI thread (about 0.4 s on a 100,000-question ledger) each time the dialog opens.
        known = self._window.overview
        result = AddForecastDialog.ask(self._window, self._service, prefill=prefill, analyst=analyst,
                                       analysts=known.analysts if known else None, tags=known.tags if known else None)
        if result is None:
            return None
        command = AddForecastCommand(*self._callbacks(), result.question, result.forecast)
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
        question_id = self.add_question(prefill)
        if question_id is None:
            return False
        # Show the new highlight now (the refresh after the write may still be on its way).
        self._window.document_view.refresh()
        self._window.document_view.show_question(question_id)
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
        forecast = UpdateForecastDialog.ask(self._window, self._service, detail, analyst=analyst)
        if forecast is None:
            return False
        ok = self._push(UpdateForecastCommand(*self._callbacks(), detail.question.id, forecast))
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
        known = self._window.overview
        edit = EditQuestionDialog.ask(self._window, self._service, detail, tags=known.tags if known else None)
        if edit is None:
            return False
        return self._push(EditQuestionCommand(*self._callbacks(), detail.question, edit))

    @Slot()
    def resolve_question(self) -> bool:
        """Ctrl+R: record how the selected question resolved (undoable)."""
        from forecastapp.ui.dialogs.resolve import ResolveDialog
        from forecastapp.ui.window.undo import ResolveCommand

        detail = self._fresh_detail()
        if detail is None:
            return False
        resolution = ResolveDialog.ask(self._window, self._service, detail)
        if resolution is None:
            return False
        return self._push(ResolveCommand(*self._callbacks(), detail.question.id, resolution))

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
        resolution = CorrectResolutionDialog.ask(self._window, self._service, detail)
        if resolution is None:
            return False
        return self._push(CorrectResolutionCommand(*self._callbacks(), detail.question.id, resolution, previous))

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
        reason = WithdrawResolutionDialog.ask(self._window, detail)
        if reason is None:
            return False
        return self._push(WithdrawResolutionCommand(*self._callbacks(), detail.question.id, reason, current))

    @Slot()
    def delete_question(self) -> bool:
        """Soft-delete the selected question after a confirmation (undoable, and restorable)."""
        from PySide6.QtWidgets import QMessageBox

        from forecastapp.ui.window.undo import DeleteQuestionCommand

        detail = self._fresh_detail()
        if detail is None:
            return False
        answer = QMessageBox.question(
            self._window, "Delete question",
            f"Delete \u201c{detail.question.statement[:120]}\u201d?\n\nIt disappears from lists and scores; its "
            "history stays in the ledger, and Undo (Ctrl+Z) brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._push(
            DeleteQuestionCommand(*self._callbacks(), detail.question.id, detail.question.statement)
        )
