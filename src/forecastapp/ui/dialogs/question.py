"""The add-forecast, update-forecast and edit-question dialogs.

Both are built in code and validate on every keystroke with the core's parsers: a problem is
explained in a red label under its field and OK stays disabled. Nothing is written by a dialog;
`ask()` returns plain values (or None on Cancel) and the caller records them through an undoable
command (pytest-qt's note_dialogs pattern, so tests can monkeypatch `ask`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from forecastapp.core.errors import ForecastError
from forecastapp.core.ledger import NewQuestion, clean_analyst_name, clean_text, normalize_tags
from forecastapp.core.model import QuestionDetail, QuestionRow
from forecastapp.core.probability import format_probability
from forecastapp.ui.operations.ledger import ForecastInput, LedgerService, QuestionEdit
from forecastapp.ui.widgets import look
from forecastapp.ui.widgets.fields import (
    AnalystCombo,
    DeadlineEdit,
    ErrorLabel,
    HintLabel,
    ProbabilityInput,
    TagsEdit,
    buddy,
    date_edit,
    field_with_messages,
    form_layout,
    from_qdate,
    ok_cancel_buttons,
    plain_text_edit,
    run_dialog,
    statement_label,
)


def _shown_check(error, check, *args) -> bool:
    """Run one of the core's input checks; its refusal is shown in `error` (beside the field). Whether it passed."""
    try:
        check(*args)
    except ForecastError as exc:
        error.show_error(str(exc))
        return False
    error.show_error(None)
    return True


@dataclass(frozen=True)
class AddForecastResult:
    """A new question and its first forecast, as the user entered them."""

    question: NewQuestion
    forecast: ForecastInput


class AddForecastDialog(QDialog):
    """Ctrl+N: a new question (statement, criteria, condition, deadline, tags) with its first forecast."""

    def __init__(
        self,
        service: LedgerService,
        parent: QWidget | None = None,
        *,
        prefill: NewQuestion | None = None,
        analyst: str | None = None,
        analysts: list[str] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        """`analysts` and `tags` offer the ledger's names and tags; when None they are read from `service`."""
        super().__init__(parent)
        self.setObjectName("AddForecastDialog")
        self.setWindowTitle("Add forecast")
        self.setAccessibleName("Add forecast")
        self._today = service.today()
        self._prefill = prefill

        self.statement_edit = plain_text_edit(
            "statementEdit", "Statement",
            "What will happen, stated so it can be checked, e.g. North Korea conducts a nuclear test by 2026",
            3,
        )
        self.statement_error = ErrorLabel("statementError")
        self.criteria_edit = plain_text_edit(
            "criteriaEdit", "Resolution criteria", "What counts as yes, and which sources will settle it", 3
        )
        self.condition_edit = QLineEdit()
        self.condition_edit.setObjectName("conditionEdit")
        self.condition_edit.setAccessibleName("Condition")
        self.condition_edit.setPlaceholderText("Optional: only if … (leave empty for an unconditional forecast)")

        self.probability = ProbabilityInput()
        self.analyst_combo = AnalystCombo(service.analysts() if analysts is None else analysts, analyst)
        self.analyst_error = ErrorLabel("analystError")
        self.made_on_edit = date_edit("madeOnEdit", "Made on", self._today, maximum=self._today)
        self.resolve_by = DeadlineEdit(made_on=self._today)
        self.tags_edit = TagsEdit(service.tags() if tags is None else tags)
        self.tags_error = ErrorLabel("tagsError")
        self.rationale_edit = plain_text_edit("rationaleEdit", "Rationale", "Optional: why this probability", 2)

        form = self._form(prefill)

        self.buttons, self.ok_button = ok_cancel_buttons(self, "&Add forecast")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        if prefill is not None:
            self.statement_edit.setPlainText(prefill.statement)
            self.criteria_edit.setPlainText(prefill.criteria)
            self.condition_edit.setText(prefill.condition or "")
            self.tags_edit.setText(", ".join(prefill.tags))
            if prefill.resolve_by:
                self.resolve_by.edit.setText(prefill.resolve_by.isoformat())

        for signal in (self.statement_edit.textChanged, self.analyst_combo.currentTextChanged,
                       self.tags_edit.textChanged, self.probability.changed, self.resolve_by.changed):
            signal.connect(self._revalidate)
        self.made_on_edit.dateChanged.connect(self._on_made_on_changed)
        self._touched_statement = False
        self.statement_edit.textChanged.connect(self._on_statement_touched)
        self.resize(self.sizeHint().width() + 120, self.sizeHint().height())
        self._revalidate()

    def _form(self, prefill: NewQuestion | None) -> QFormLayout:
        """The fields in reading order, with the source excerpt when the question comes from a document."""
        form = form_layout()
        form.addRow(buddy("&Statement:", self.statement_edit),
                    field_with_messages(self.statement_edit, self.statement_error))
        form.addRow(buddy("&Criteria:", self.criteria_edit), self.criteria_edit)
        form.addRow(buddy("Con&dition:", self.condition_edit), self.condition_edit)
        if prefill is not None and prefill.excerpt:
            source = HintLabel("sourceExcerpt")
            source.setText(f"\u201c{prefill.excerpt}\u201d")
            source.setAccessibleName("Source excerpt")
            form.addRow("Source:", source)
        form.addRow(buddy("&Probability:", self.probability.spin), self.probability)
        form.addRow(buddy("&Analyst:", self.analyst_combo), field_with_messages(self.analyst_combo, self.analyst_error))
        form.addRow(buddy("&Made on:", self.made_on_edit), self.made_on_edit)
        form.addRow(buddy("&Resolve by:", self.resolve_by.edit), self.resolve_by)
        form.addRow(buddy("&Tags:", self.tags_edit), field_with_messages(self.tags_edit, self.tags_error))
        form.addRow(buddy("R&ationale:", self.rationale_edit), self.rationale_edit)
        return form

    # ------------------------------------------------------------ validation

    @Slot()
    def _on_statement_touched(self) -> None:
        self._touched_statement = True

    @Slot()
    def _on_made_on_changed(self) -> None:
        self.resolve_by.set_made_on(from_qdate(self.made_on_edit.date()))
        self._revalidate()

    @Slot()
    def _revalidate(self) -> None:
        ok = True
        statement = self.statement_edit.toPlainText().strip()
        if not statement:
            ok = False
            # Say nothing before the user has typed: an empty new form is not an error yet.
            self.statement_error.show_error(
                "the statement is empty; write what will be resolved" if self._touched_statement else None
            )
        else:
            ok = _shown_check(self.statement_error, clean_text, statement, "statement") and ok
        ok = _shown_check(self.analyst_error, clean_analyst_name, self.analyst_combo.name()) and ok
        try:
            normalize_tags(self.tags_edit.tags())
        except ForecastError as exc:
            ok = False
            self.tags_error.show_error(str(exc))
        else:
            self.tags_error.show_error(None)
        ok = ok and self.probability.is_valid() and self.resolve_by.is_valid()
        self.ok_button.setEnabled(ok)

    # ------------------------------------------------------------ result

    def result_values(self) -> AddForecastResult:
        """What the user entered, typed for the core."""
        window = self.resolve_by.window()
        prefill = self._prefill
        question = NewQuestion(
            statement=self.statement_edit.toPlainText().strip(),
            criteria=self.criteria_edit.toPlainText().strip(),
            condition=self.condition_edit.text().strip() or None,
            resolve_by=window.end if window else None,
            resolve_from=window.start if window else None,
            tags=self.tags_edit.tags(),
            document_id=prefill.document_id if prefill else None,
            excerpt=prefill.excerpt if prefill else None,
            excerpt_start=prefill.excerpt_start if prefill else None,
            excerpt_end=prefill.excerpt_end if prefill else None,
        )
        forecast = ForecastInput(
            probability=self.probability.value(),
            term=self.probability.term(),
            analyst=self.analyst_combo.name(),
            made_on=from_qdate(self.made_on_edit.date()),
            rationale=self.rationale_edit.toPlainText().strip(),
        )
        return AddForecastResult(question=question, forecast=forecast)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        service: LedgerService,
        *,
        prefill: NewQuestion | None = None,
        analyst: str | None = None,
        analysts: list[str] | None = None,
        tags: list[str] | None = None,
    ) -> AddForecastResult | None:
        """Show the dialog modally; the entered values, or None if cancelled."""
        dialog = cls(service, parent, prefill=prefill, analyst=analyst, analysts=analysts, tags=tags)
        return run_dialog(dialog, dialog.result_values)


class UpdateForecastDialog(QDialog):
    """Ctrl+U: a new probability for the selected question (the old forecast stays in the history)."""

    def __init__(
        self, service: LedgerService, detail: QuestionDetail, parent: QWidget | None = None, *,
        analyst: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("UpdateForecastDialog")
        self.setWindowTitle("Update forecast")
        self.setAccessibleName("Update forecast")
        self._today = service.today()
        self._detail = detail
        q = detail.question

        statement = statement_label(q.statement)
        latest = HintLabel("latestForecast")
        if q.latest_probability is not None:
            term = f" ({q.estimative_term})" if q.estimative_term else ""
            made = q.latest_made_on.isoformat() if q.latest_made_on else "?"
            latest.setText(f"Latest: {format_probability(q.latest_probability)}{term} by "
                           f"{q.latest_analyst or 'unknown'} on {made}")
        else:
            latest.setText("No forecast yet")

        self.probability = ProbabilityInput()
        if q.latest_probability is not None:
            self.probability.set_value(q.latest_probability)
        self.analyst_combo = AnalystCombo(service.analysts(), analyst or q.latest_analyst)
        self.analyst_error = ErrorLabel("analystError")
        self.made_on_edit = date_edit("madeOnEdit", "Made on", self._today, maximum=self._today)
        self.made_on_error = ErrorLabel("madeOnError")
        # A reopened question (its resolution withdrawn) takes forecasts, but its outcome was once on the
        # record: say before the user writes one that it will never be scored (core/pairs.py).
        self.hindsight_note = HintLabel("hindsightNote")
        once = q.outcome is None and any(r.outcome is not None for r in detail.resolutions)
        self.hindsight_note.setText(
            "This question was resolved once and reopened: a forecast recorded now is kept in the history but "
            "never scored." if once else "")
        self.hindsight_note.setVisible(once)
        self.rationale_edit = plain_text_edit(
            "rationaleEdit", "Rationale", "Optional: what changed your mind", 3
        )

        form = form_layout()
        form.addRow(buddy("&Probability:", self.probability.spin), self.probability)
        form.addRow(buddy("&Analyst:", self.analyst_combo), field_with_messages(self.analyst_combo, self.analyst_error))
        form.addRow(buddy("&Made on:", self.made_on_edit), field_with_messages(self.made_on_edit, self.made_on_error))
        form.addRow(buddy("R&ationale:", self.rationale_edit), self.rationale_edit)

        self.buttons, self.ok_button = ok_cancel_buttons(self, "&Record update")
        layout = QVBoxLayout(self)
        layout.addWidget(statement)
        layout.addWidget(latest)
        layout.addWidget(self.hindsight_note)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.analyst_combo.currentTextChanged.connect(self._revalidate)
        self.probability.changed.connect(self._revalidate)
        self.made_on_edit.dateChanged.connect(self._revalidate)
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())
        self._revalidate()

    @Slot()
    def _revalidate(self) -> None:
        ok = self.probability.is_valid()
        ok = _shown_check(self.analyst_error, clean_analyst_name, self.analyst_combo.name()) and ok
        q = self._detail.question
        made_on = from_qdate(self.made_on_edit.date())
        if q.outcome is not None and q.resolved_on is not None and made_on > q.resolved_on:
            ok = False
            self.made_on_error.show_error(
                f"the question resolved {q.outcome.value} on {q.resolved_on.isoformat()}; a forecast made on "
                f"{made_on.isoformat()} would be hindsight"
            )
        elif q.outcome is not None and q.resolved_on is not None:
            # Whatever day it is dated, a forecast recorded now is recorded knowing the outcome (the core refuses it).
            ok = False
            self.made_on_error.show_error(
                f"the question resolved {q.outcome.value} on {q.resolved_on.isoformat()}; a forecast recorded after "
                "its resolution would be hindsight, whatever day it is dated"
            )
        else:
            self.made_on_error.show_error(None)
        self.ok_button.setEnabled(ok)

    def result_values(self) -> ForecastInput:
        """The new forecast as entered."""
        return ForecastInput(
            probability=self.probability.value(),
            term=self.probability.term(),
            analyst=self.analyst_combo.name(),
            made_on=from_qdate(self.made_on_edit.date()),
            rationale=self.rationale_edit.toPlainText().strip(),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, service: LedgerService, detail: QuestionDetail, *, analyst: str | None = None
    ) -> ForecastInput | None:
        """Show the dialog modally; the new forecast, or None if cancelled."""
        dialog = cls(service, detail, parent, analyst=analyst)
        return run_dialog(dialog, dialog.result_values)



#: Shown in the edit dialog when the change alters what a question with forecasts asks.
MEANING_WARNING = ("This changes what the question asks: the {n} forecast{s} made before this edit will be marked as "
                   "made on earlier wording in the scorecard.")

#: Shown beside it when the question is already resolved: its outcome is on the record, and a new meaning
#: would sit over a track record scored against the old one.
RESOLVED_WARNING = ("This question is already resolved ({outcome}): every forecast on it will be marked as made on "
                    "earlier wording.")


class EditQuestionDialog(QDialog):
    """Forecast > Edit question (Ctrl+Shift+E): new wording, criteria, condition, deadline or tags, and why.

    The earlier version stays in the question's history; nothing is written here (see `ask`).
    """

    def __init__(
        self, service: LedgerService, detail: QuestionDetail, parent: QWidget | None = None, *,
        tags: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("EditQuestionDialog")
        self.setWindowTitle("Edit question")
        self.setAccessibleName("Edit question")
        self._detail = detail
        q = detail.question
        made = [f.made_on for f in detail.forecasts]
        #: Forecasts that count: those not retracted (a retracted one is not scored anyway).
        self._forecasts = sum(1 for f in detail.forecasts if f.retracted_at is None)

        self.statement_edit = plain_text_edit("statementEdit", "Statement", "What will happen, stated so it can be "
                                              "checked", 3)
        self.statement_error = ErrorLabel("statementError")
        self.criteria_edit = plain_text_edit(
            "criteriaEdit", "Resolution criteria", "What counts as yes, and which sources will settle it", 3
        )
        self.criteria_error = ErrorLabel("criteriaError")
        self.condition_edit = QLineEdit()
        self.condition_edit.setObjectName("conditionEdit")
        self.condition_edit.setAccessibleName("Condition")
        self.condition_edit.setPlaceholderText("Optional: only if … (leave empty for an unconditional forecast)")
        self.condition_error = ErrorLabel("conditionError")
        self.resolve_by = DeadlineEdit(made_on=service.today(), first_forecast=min(made, default=date(1900, 1, 1)))
        self.window_hint = HintLabel("resolveWindowHint")
        self.tags_edit = TagsEdit(service.tags() if tags is None else tags)
        self.tags_error = ErrorLabel("tagsError")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setAccessibleName("Reason")
        self.reason_edit.setPlaceholderText("Required: why the question changes (kept in its history)")
        self.reason_error = ErrorLabel("reasonError")
        self.meaning_warning = ErrorLabel("meaningWarning")
        self.meaning_warning.setAccessibleName("Warning")
        self.meaning_warning.setStyleSheet(f"color: {look.tone('due', self.palette()).name()};")
        self.resolved_warning = ErrorLabel("resolvedWarning")
        self.resolved_warning.setAccessibleName("Warning")
        self.resolved_warning.setStyleSheet(f"color: {look.tone('due', self.palette()).name()};")
        self.unchanged_hint = HintLabel("unchangedHint")

        self.statement_edit.setPlainText(q.statement)
        self.criteria_edit.setPlainText(q.criteria)
        self.condition_edit.setText(q.condition or "")
        self._deadline_text = q.resolve_by.isoformat() if q.resolve_by else ""
        self.resolve_by.edit.setText(self._deadline_text)
        if q.resolve_from:
            self.window_hint.setText(f"The resolution window opens on {q.resolve_from.isoformat()}; a new deadline "
                                     "replaces the window (a span such as \u201c10 to 15 years\u201d sets a new one).")
        self.window_hint.setVisible(bool(q.resolve_from))
        self.tags_edit.setText(", ".join(q.tags))

        form = self._form(q)

        self.buttons, self.ok_button = ok_cancel_buttons(self, "&Record edit")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.meaning_warning)
        layout.addWidget(self.resolved_warning)
        layout.addWidget(self.unchanged_hint)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        for signal in (self.statement_edit.textChanged, self.criteria_edit.textChanged,
                       self.condition_edit.textChanged, self.tags_edit.textChanged, self.resolve_by.changed,
                       self.reason_edit.textChanged):
            signal.connect(self._revalidate)
        self._touched_reason = False
        self.reason_edit.textEdited.connect(self._on_reason_touched)
        self.resize(max(self.sizeHint().width() + 120, 680), self.sizeHint().height())
        self._revalidate()

    def _form(self, q: QuestionRow) -> QFormLayout:
        """The fields in reading order, with the source excerpt (which an edit leaves as it is)."""
        form = form_layout()
        form.addRow(buddy("&Statement:", self.statement_edit),
                    field_with_messages(self.statement_edit, self.statement_error))
        form.addRow(buddy("&Criteria:", self.criteria_edit), field_with_messages(self.criteria_edit,
                                                                                 self.criteria_error))
        form.addRow(buddy("Con&dition:", self.condition_edit), field_with_messages(self.condition_edit,
                                                                                   self.condition_error))
        if q.excerpt:
            source = HintLabel("sourceExcerpt")
            source.setText(f"\u201c{q.excerpt}\u201d (the source stays as it is)")
            source.setAccessibleName("Source excerpt")
            form.addRow("Source:", source)
        form.addRow(buddy("&Resolve by:", self.resolve_by.edit), field_with_messages(self.resolve_by,
                                                                                     self.window_hint))
        form.addRow(buddy("&Tags:", self.tags_edit), field_with_messages(self.tags_edit, self.tags_error))
        form.addRow(buddy("R&eason:", self.reason_edit), field_with_messages(self.reason_edit, self.reason_error))
        return form

    # ------------------------------------------------------------ validation

    @Slot()
    def _on_reason_touched(self) -> None:
        self._touched_reason = True

    def _deadline(self):
        """(resolve_by, resolve_from) as the edit gives them: `...` for both while the deadline is as it was."""
        if self.resolve_by.edit.text().strip() == self._deadline_text:
            return ..., ...
        window = self.resolve_by.window()
        return (window.end, window.start) if window else (None, None)

    def _changes(self) -> QuestionEdit:
        """What differs from the question as shown (the core refuses an edit that changes nothing)."""
        q = self._detail.question
        statement = self.statement_edit.toPlainText().strip()
        criteria = self.criteria_edit.toPlainText().strip()
        condition = self.condition_edit.text().strip()
        resolve_by, resolve_from = self._deadline()
        try:
            wanted = normalize_tags(self.tags_edit.tags())
        except ForecastError:
            wanted = q.tags
        return QuestionEdit(
            reason=" ".join(self.reason_edit.text().split()),
            statement=statement if statement != q.statement else None,
            criteria=criteria if criteria != q.criteria else None,
            condition=condition if condition != (q.condition or "") else None,
            resolve_by=resolve_by if resolve_by is ... or resolve_by != q.resolve_by else ...,
            resolve_from=resolve_from if resolve_by is ... or resolve_from != q.resolve_from else ...,
            tags_add=tuple(t for t in wanted if t not in q.tags),
            tags_remove=tuple(t for t in q.tags if t not in wanted),
        )

    @Slot()
    def _revalidate(self) -> None:
        ok = _shown_check(self.statement_error, lambda text: clean_text(text, "statement", required=True),
                          self.statement_edit.toPlainText())
        ok = _shown_check(self.criteria_error, clean_text, self.criteria_edit.toPlainText(), "criteria") and ok
        ok = _shown_check(self.condition_error, clean_text, self.condition_edit.text(), "condition") and ok
        ok = _shown_check(self.tags_error, normalize_tags, self.tags_edit.tags()) and ok
        ok = self.resolve_by.is_valid() and ok
        reason = self.reason_edit.text()
        if not reason.strip():
            ok = False
            self.reason_error.show_error("give a reason for the edit: say why the question changes"
                                         if self._touched_reason else None)
        else:
            ok = _shown_check(self.reason_error, clean_text, reason, "reason") and ok
        edit = self._changes()
        meaning = any(v is not None for v in (edit.statement, edit.criteria, edit.condition)) or (
            edit.resolve_by is not ... or edit.resolve_from is not ...)
        changed = meaning or bool(edit.tags_add or edit.tags_remove)
        n = self._forecasts
        self.meaning_warning.show_error(MEANING_WARNING.format(n=n, s="" if n == 1 else "s") if meaning and n else None)
        outcome = self._detail.question.outcome
        self.resolved_warning.show_error(
            RESOLVED_WARNING.format(outcome=outcome.value) if meaning and n and outcome is not None else None)
        self.unchanged_hint.setText("" if changed else "Change a field to record an edit.")
        self.unchanged_hint.setVisible(not changed)
        self.ok_button.setEnabled(ok and changed)

    def result_values(self) -> QuestionEdit:
        """The edit as entered: only the fields that change."""
        return self._changes()

    @classmethod
    def ask(cls, parent: QWidget | None, service: LedgerService, detail: QuestionDetail, *,
            tags: list[str] | None = None) -> QuestionEdit | None:
        """Show the dialog modally; the edit, or None if cancelled."""
        dialog = cls(service, detail, parent, tags=tags)
        return run_dialog(dialog, dialog.result_values)
