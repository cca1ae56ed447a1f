"""The resolve (Ctrl+R) and correct-resolution dialogs: outcome, resolved-on date and evidence; and the
withdraw-resolution dialog, which asks only why.

Like the forecast dialogs they write nothing: `ask()` returns a `ResolutionInput` or None, and
invalid input is explained next to its field with OK disabled.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from forecastapp.core.errors import ForecastError
from forecastapp.core.ledger import clean_text
from forecastapp.core.model import CONDITION_NOT_MET, Outcome, QuestionDetail, ResolutionRecord
from forecastapp.ui.operations.ledger import LedgerService, ResolutionInput, login_name
from forecastapp.ui.text import describe_resolution
from forecastapp.ui.widgets.fields import (
    ErrorLabel,
    HintLabel,
    buddy,
    date_edit,
    field_with_messages,
    form_layout,
    from_qdate,
    ok_cancel_buttons,
    plain_text_edit,
    run_dialog,
    statement_label,
    to_qdate,
)

OUTCOME_LABELS = {
    Outcome.YES: "Yes: it happened",
    Outcome.NO: "No: it did not happen",
    Outcome.ANNULLED: "Annulled: the question cannot be scored",
}


class ResolveDialog(QDialog):
    """Record how the selected question resolved."""

    OBJECT_NAME = "ResolveDialog"
    TITLE = "Resolve question"
    OK_TEXT = "&Resolve"
    EVIDENCE_REQUIRED = False

    def __init__(self, service: LedgerService, detail: QuestionDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle(self.TITLE)
        self.setAccessibleName(self.TITLE)
        self._today = service.today()
        self._detail = detail
        q = detail.question

        statement = statement_label(q.statement)

        self.outcome_combo = QComboBox()
        self.outcome_combo.setObjectName("outcomeCombo")
        self.outcome_combo.setAccessibleName("Outcome")
        # Nothing is chosen at first: a resolution is a claim to make on purpose, not a default to accept
        # with Enter (Down+Enter used to record "no" with no evidence before the evidence field was reached).
        self.outcome_combo.addItem("Choose the outcome\u2026", None)
        for outcome, label in OUTCOME_LABELS.items():
            self.outcome_combo.addItem(label, outcome.value)

        self.condition_check = QCheckBox("The condition did not hold (annuls the question)")
        self.condition_check.setObjectName("conditionNotMetCheck")
        self.condition_check.setAccessibleName("The condition did not hold")
        self.condition_check.setEnabled(bool(q.condition))
        if q.condition:
            self.condition_check.setToolTip(f"Condition: {q.condition}")
        else:
            self.condition_check.setToolTip("This question has no condition")

        self.resolved_on_edit = date_edit("resolvedOnEdit", "Resolved on", self._today, maximum=self._today)
        self.resolved_on_note = HintLabel("resolvedOnNote")
        self.resolved_on_note.hide()
        self.evidence_edit = plain_text_edit(
            "evidenceEdit", "Evidence", "A source, a link, or what happened", 4
        )
        self.evidence_error = ErrorLabel("evidenceError")
        self.recorded_by_edit = QLineEdit(login_name())
        self.recorded_by_edit.setObjectName("recordedByEdit")
        self.recorded_by_edit.setAccessibleName("Recorded by")
        self.form_error = ErrorLabel("formError")

        form = form_layout()
        form.addRow(buddy("&Outcome:", self.outcome_combo), self.outcome_combo)
        if q.condition:
            condition = HintLabel("conditionText")
            condition.setText(f"Condition: {q.condition}")
            form.addRow("", condition)
        form.addRow("", self.condition_check)
        form.addRow(buddy("Resolved &on:", self.resolved_on_edit),
                    field_with_messages(self.resolved_on_edit, self.resolved_on_note))
        form.addRow(buddy("&Evidence:", self.evidence_edit),
                    field_with_messages(self.evidence_edit, self.evidence_error))
        form.addRow(buddy("Recorded &by:", self.recorded_by_edit), self.recorded_by_edit)

        self.buttons, self.ok_button = ok_cancel_buttons(self, self.OK_TEXT)
        layout = QVBoxLayout(self)
        layout.addWidget(statement)
        self._add_header(layout)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self._prefill()
        self.outcome_combo.currentIndexChanged.connect(self._on_outcome_changed)
        self.condition_check.toggled.connect(self._on_condition_toggled)
        self.resolved_on_edit.dateChanged.connect(self._revalidate)
        self.evidence_edit.textChanged.connect(self._on_evidence_changed)
        self._evidence_touched = False
        self.resize(max(self.sizeHint().width(), 600), self.sizeHint().height())
        self._revalidate()

    # ------------------------------------------------------------ hooks for the correction dialog

    def _add_header(self, layout: QVBoxLayout) -> None:
        """Extra lines between the statement and the form (the correction shows the record in force)."""

    def _prefill(self) -> None:
        """Initial field values."""

    def _extra_problem(self, value: ResolutionInput) -> str | None:
        """A rule the subclass adds; None when the input is fine."""
        return None

    # ------------------------------------------------------------ behaviour

    @Slot()
    def _on_evidence_changed(self) -> None:
        self._evidence_touched = True
        self._revalidate()

    @Slot(int)
    def _on_outcome_changed(self, _index: int) -> None:
        if self.outcome() is not Outcome.ANNULLED and self.condition_check.isChecked():
            self.condition_check.setChecked(False)
        self._revalidate()

    @Slot(bool)
    def _on_condition_toggled(self, checked: bool) -> None:
        # A failed condition is recorded as an annulment with that reason.
        if checked:
            self.outcome_combo.setCurrentIndex(self.outcome_combo.findData(Outcome.ANNULLED.value))
        self._revalidate()

    def outcome(self) -> Outcome | None:
        """The outcome picked in the combo (None until one is chosen)."""
        data = self.outcome_combo.currentData()
        return None if data is None else Outcome(data)

    @Slot()
    def _revalidate(self) -> None:
        if self.outcome() is None:
            self.ok_button.setEnabled(False)
            self.form_error.show_error(None)
            self.resolved_on_note.hide()
            return
        ok = True
        value = self.result_values()
        if self.EVIDENCE_REQUIRED and not value.evidence:
            ok = False
            self.evidence_error.show_error(
                "a correction needs evidence: say why the earlier resolution was wrong" if self._evidence_touched
                else None
            )
        else:
            self.evidence_error.show_error(None)
        problem = self._extra_problem(value)
        self.form_error.show_error(problem)
        ok = ok and problem is None
        # A hint, not an error: forecasts made after the resolution date are never scored.
        firsts = [f.made_on for f in self._detail.forecasts if f.retracted_at is None]
        if firsts and value.outcome is not Outcome.ANNULLED and value.resolved_on < min(firsts):
            self.resolved_on_note.setText(
                f"No forecast was made on or before {value.resolved_on.isoformat()}, so this question will not "
                f"be scored (the first forecast is from {min(firsts).isoformat()})."
            )
            self.resolved_on_note.show()
        else:
            self.resolved_on_note.hide()
        self.ok_button.setEnabled(ok)

    def result_values(self) -> ResolutionInput:
        """The resolution as entered."""
        outcome = self.outcome()
        assert outcome is not None, "the OK button stays disabled until an outcome is chosen"
        return ResolutionInput(
            outcome=outcome,
            resolved_on=from_qdate(self.resolved_on_edit.date()),
            evidence=self.evidence_edit.toPlainText().strip(),
            condition_not_met=self.condition_check.isChecked(),
            recorded_by=" ".join(self.recorded_by_edit.text().split()),
        )

    @classmethod
    def ask(cls, parent: QWidget | None, service: LedgerService, detail: QuestionDetail) -> ResolutionInput | None:
        """Show the dialog modally; the resolution entered, or None if cancelled."""
        dialog = cls(service, detail, parent)
        return run_dialog(dialog, dialog.result_values)


class CorrectResolutionDialog(ResolveDialog):
    """Replace the resolution in force with a correcting record (both stay visible); evidence required."""

    OBJECT_NAME = "CorrectResolutionDialog"
    TITLE = "Correct resolution"
    OK_TEXT = "&Record correction"
    EVIDENCE_REQUIRED = True

    def _current(self) -> ResolutionRecord | None:
        return next((r for r in self._detail.resolutions if r.effective), None)

    def _add_header(self, layout: QVBoxLayout) -> None:
        current = self._current()
        label = HintLabel("currentResolution")
        if current is not None:
            by = f" by {current.recorded_by}" if current.recorded_by else ""
            label.setText(f"In force: {describe_resolution(current)} (recorded {current.recorded_at[:10]}{by}). "
                          "The correction supersedes it; both stay in the history.")
        layout.addWidget(label)

    def _prefill(self) -> None:
        current = self._current()
        if current is None or current.outcome is None:
            return
        self.outcome_combo.setCurrentIndex(self.outcome_combo.findData(current.outcome.value))
        if current.annul_reason == CONDITION_NOT_MET and self.condition_check.isEnabled():
            self.condition_check.setChecked(True)
        if current.resolved_on is not None:
            self.resolved_on_edit.setDate(to_qdate(min(current.resolved_on, self._today)))

    def _extra_problem(self, value: ResolutionInput) -> str | None:
        current = self._current()
        if current is None:
            return "the question is not resolved; resolve it instead"
        if (current.outcome, current.resolved_on, current.annul_reason) == (
            value.outcome, value.resolved_on, value.annul_reason
        ):
            return "change the outcome or the date: this is the resolution already in force"
        return None


class WithdrawResolutionDialog(QDialog):
    """Forecast > Withdraw resolution: the resolution in force is withdrawn and the question reopens; asks why.

    Writes nothing: `ask()` returns the reason, or None if cancelled.
    """

    def __init__(self, detail: QuestionDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WithdrawResolutionDialog")
        self.setWindowTitle("Withdraw resolution")
        self.setAccessibleName("Withdraw resolution")
        current = next((r for r in detail.resolutions if r.effective), None)

        statement = statement_label(detail.question.statement)
        in_force = HintLabel("currentResolution")
        if current is not None:
            by = f" by {current.recorded_by}" if current.recorded_by else ""
            in_force.setText(f"In force: {describe_resolution(current)} (recorded {current.recorded_at[:10]}{by}).")
        # The one thing a withdrawal does that is easy to miss (core/pairs.py, docs/RELIABILITY.md).
        self.consequence = HintLabel("withdrawConsequence")
        self.consequence.setText("The question reopens and both records stay in its history; forecasts recorded "
                                 "after the withdrawal are kept but never scored.")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setAccessibleName("Reason")
        self.reason_edit.setPlaceholderText("Required: why the resolution is withdrawn (kept in the history)")
        self.reason_error = ErrorLabel("reasonError")

        form = form_layout()
        form.addRow(buddy("R&eason:", self.reason_edit), field_with_messages(self.reason_edit, self.reason_error))

        self.buttons, self.ok_button = ok_cancel_buttons(self, "&Withdraw resolution")
        layout = QVBoxLayout(self)
        layout.addWidget(statement)
        layout.addWidget(in_force)
        layout.addWidget(self.consequence)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self._touched = False
        self.reason_edit.textEdited.connect(self._on_edited)
        self.reason_edit.textChanged.connect(self._revalidate)
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())
        self._revalidate()

    @Slot()
    def _on_edited(self) -> None:
        self._touched = True

    @Slot()
    def _revalidate(self) -> None:
        reason = self.reason()
        if not reason:
            missing = "give a reason: say why the resolution is withdrawn"
            self.reason_error.show_error(missing if self._touched else None)
            self.ok_button.setEnabled(False)
            return
        try:
            clean_text(reason, "reason")
        except ForecastError as exc:
            self.reason_error.show_error(str(exc))
            self.ok_button.setEnabled(False)
            return
        self.reason_error.show_error(None)
        self.ok_button.setEnabled(True)

    def reason(self) -> str:
        """The reason as entered, its white space collapsed."""
        return " ".join(self.reason_edit.text().split())

    @classmethod
    def ask(cls, parent: QWidget | None, detail: QuestionDetail) -> str | None:
        """Show the dialog modally; the reason, or None if cancelled."""
        dialog = cls(detail, parent)
        return run_dialog(dialog, dialog.reason)
