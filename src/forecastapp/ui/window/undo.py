"""Undoable ledger actions for the Edit menu's QUndoStack.

The ledger is append-only, so an undo never removes a record: it writes a compensating one that
stays visible in the history (a retracted forecast, a withdrawn or correcting resolution, a
restore after a delete, an edit back to the earlier wording). `redo()` and `undo()` call
`LedgerService` methods only, never SQL.

The first execution happens in `execute()`, before the command is pushed, so a core error
(ForecastError) reaches the user and nothing is pushed; QUndoStack.push() then calls redo(),
which skips that first time.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from forecastapp.core.errors import ForecastError, ValidationError
from forecastapp.core.ledger import NewQuestion
from forecastapp.core.model import CONDITION_NOT_MET, Outcome, QuestionRow, ResolutionRecord
from forecastapp.ui.operations.ledger import ForecastInput, LedgerService, QuestionEdit, ResolutionInput

#: Called after every redo/undo with the question id it touched (the window refreshes) ...
ChangedCallback = Callable[[str], None]
#: ... and with the message when a later redo/undo is refused by the core.
ErrorCallback = Callable[[str], None]

UNDO_REASON = "undone in the desktop app"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LedgerCommand(QUndoCommand):
    """Base: runs `_do`/`_undo`, reports the change, and turns core errors into a message."""

    def __init__(self, service: LedgerService, on_changed: ChangedCallback, on_error: ErrorCallback,
                 text: str) -> None:
        super().__init__(text)
        self._service = service
        self._on_changed = on_changed
        self._on_error = on_error
        self._first = True
        self.question_id: str | None = None

    def execute(self) -> None:
        """Perform the action the first time; raises ForecastError and then must not be pushed."""
        self._do(first=True)

    def redo(self) -> None:
        """Redo (skipped on push, since `execute` already did the work)."""
        if self._first:
            self._first = False  # the caller refreshes the window after the first execution
            return
        self._guarded(lambda: self._do(first=False))

    def undo(self) -> None:
        """Write the compensating record."""
        self._guarded(self._undo)

    def _guarded(self, step: Callable[[], None]) -> None:
        try:
            step()
        except ForecastError as exc:
            # The ledger moved on (another program, or a later action): say so and drop the command,
            # since its undo/redo pair no longer describes the ledger.
            self.setObsolete(True)
            self._on_error(str(exc))
        if self.question_id:
            self._on_changed(self.question_id)

    def _do(self, *, first: bool) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _undo(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class AddForecastCommand(LedgerCommand):
    """Add a question with its first forecast. Undo retracts the forecast and soft-deletes the question."""

    def __init__(self, service, on_changed, on_error, question: NewQuestion, forecast: ForecastInput) -> None:
        super().__init__(service, on_changed, on_error, f"Add \u201c{_short(question.statement)}\u201d")
        self._question = question
        self._forecast = forecast
        self.forecast_id: str | None = None

    def _do(self, *, first: bool) -> None:
        if first:
            self.question_id, self.forecast_id = self._service.create_forecast(self._question, self._forecast)
            return
        assert self.question_id is not None
        self.forecast_id = self._service.restore_with_forecast(
            self.question_id, self._forecast, reason="redone in the desktop app"
        )

    def _undo(self) -> None:
        assert self.question_id is not None and self.forecast_id is not None
        self._service.retract_and_delete(self.question_id, self.forecast_id, reason=UNDO_REASON)


class UpdateForecastCommand(LedgerCommand):
    """Record a new probability. Undo retracts it; redo records it again."""

    def __init__(self, service, on_changed, on_error, question_id: str, forecast: ForecastInput) -> None:
        from forecastapp.core.probability import format_probability

        super().__init__(service, on_changed, on_error, f"Update to {format_probability(forecast.probability)}")
        self.question_id = question_id
        self._forecast = forecast
        self.forecast_id: str | None = None

    def _do(self, *, first: bool) -> None:
        assert self.question_id is not None
        self.forecast_id = self._service.add_forecast(self.question_id, self._forecast)

    def _undo(self) -> None:
        assert self.forecast_id is not None
        self._service.retract_forecast(self.forecast_id, reason=UNDO_REASON)


class ResolveCommand(LedgerCommand):
    """Resolve a question. Undo withdraws the resolution (retract_resolution); redo resolves again."""

    def __init__(self, service, on_changed, on_error, question_id: str, resolution: ResolutionInput) -> None:
        super().__init__(service, on_changed, on_error, f"Resolve {resolution.outcome.value}")
        self.question_id = question_id
        self._resolution = resolution

    def _do(self, *, first: bool) -> None:
        assert self.question_id is not None
        self._service.resolve(self.question_id, self._resolution)

    def _undo(self) -> None:
        assert self.question_id is not None
        self._service.retract_resolution(self.question_id, reason=UNDO_REASON)


class CorrectResolutionCommand(LedgerCommand):
    """Correct a resolution. Undo records a second correction back to the previous outcome and date."""

    def __init__(self, service, on_changed, on_error, question_id: str, resolution: ResolutionInput,
                 previous: ResolutionRecord) -> None:
        super().__init__(service, on_changed, on_error, f"Correct resolution to {resolution.outcome.value}")
        self.question_id = question_id
        self._resolution = resolution
        self._previous = previous

    def _do(self, *, first: bool) -> None:
        assert self.question_id is not None
        self._service.correct_resolution(self.question_id, self._resolution)

    def _undo(self) -> None:
        assert self.question_id is not None and self._previous.outcome is not None
        prev = self._previous
        assert prev.resolved_on is not None
        self._service.correct_resolution(
            self.question_id,
            ResolutionInput(
                outcome=Outcome(prev.outcome), resolved_on=prev.resolved_on,
                evidence=f"Undo of the correction to {self._resolution.outcome.value}: back to the earlier "
                         f"resolution. {prev.evidence}".strip(),
                condition_not_met=prev.annul_reason == CONDITION_NOT_MET,
                recorded_by=self._resolution.recorded_by,
            ),
        )


class WithdrawResolutionCommand(LedgerCommand):
    """Withdraw the resolution in force (the question reopens). Undo resolves it again as a new record, with the
    withdrawn resolution's outcome, day and evidence; redo withdraws that one."""

    def __init__(self, service, on_changed, on_error, question_id: str, reason: str,
                 withdrawn: ResolutionRecord) -> None:
        super().__init__(service, on_changed, on_error, "Withdraw resolution")
        self.question_id = question_id
        self._reason = reason
        self._withdrawn = withdrawn

    def _do(self, *, first: bool) -> None:
        assert self.question_id is not None
        self._service.retract_resolution(self.question_id, reason=self._reason)

    def _undo(self) -> None:
        assert self.question_id is not None
        prev = self._withdrawn
        assert prev.outcome is not None and prev.resolved_on is not None
        self._service.resolve(self.question_id, ResolutionInput(
            outcome=Outcome(prev.outcome), resolved_on=prev.resolved_on, evidence=prev.evidence,
            condition_not_met=prev.annul_reason == CONDITION_NOT_MET,
        ))


class DeleteQuestionCommand(LedgerCommand):
    """Soft-delete a question. Undo restores it."""

    def __init__(self, service, on_changed, on_error, question_id: str, statement: str, reason: str = "") -> None:
        super().__init__(service, on_changed, on_error, f"Delete \u201c{_short(statement)}\u201d")
        self.question_id = question_id
        self._reason = reason

    def _do(self, *, first: bool) -> None:
        assert self.question_id is not None
        self._service.delete_question(self.question_id, reason=self._reason)

    def _undo(self) -> None:
        assert self.question_id is not None
        self._service.restore_question(self.question_id, reason=UNDO_REASON)


def _wording(q: QuestionRow) -> tuple:
    """What an edit can change of a question, to tell whether it is still as an edit left it."""
    return (q.statement, q.criteria, q.condition or None, q.resolve_by, q.resolve_from, frozenset(q.tags))


class EditQuestionCommand(LedgerCommand):
    """Edit a question. Undo records a second edit back to the earlier wording (both edits stay in the
    question's history); redo records the edit again. Neither runs if the question was changed since."""

    def __init__(self, service, on_changed, on_error, before: QuestionRow, edit: QuestionEdit) -> None:
        super().__init__(service, on_changed, on_error, f"Edit \u201c{_short(before.statement)}\u201d")
        self.question_id = before.id
        self._edit = edit
        self._back = QuestionEdit(
            reason=f"{UNDO_REASON} (the edit was: {edit.reason})",
            statement=None if edit.statement is None else before.statement,
            criteria=None if edit.criteria is None else before.criteria,
            condition=None if edit.condition is None else before.condition or "",
            resolve_by=... if edit.resolve_by is ... else before.resolve_by,
            resolve_from=... if edit.resolve_from is ... and edit.resolve_by is ... else before.resolve_from,
            tags_add=edit.tags_remove, tags_remove=edit.tags_add,
        )
        self._before = _wording(before)
        self._after: tuple | None = None
        self.version_id: str | None = None

    def _current(self) -> tuple:
        assert self.question_id is not None
        return _wording(self._service.detail(self.question_id).question)

    def _do(self, *, first: bool) -> None:
        assert self.question_id is not None
        if not first and self._current() != self._before:
            raise ValidationError("the question was changed since the edit was undone; redo would overwrite that")
        edit = self._edit if first else QuestionEdit(**{**self._edit.__dict__,
                                                         "reason": f"{self._edit.reason} (redone in the desktop app)"})
        self.version_id = self._service.edit_question(self.question_id, edit)
        self._after = self._current()

    def _undo(self) -> None:
        assert self.question_id is not None
        if self._current() != self._after:
            raise ValidationError("the question was changed since this edit; undo would overwrite that")
        self.version_id = self._service.edit_question(self.question_id, self._back)
