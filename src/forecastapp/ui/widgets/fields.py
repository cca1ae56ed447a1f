"""Small input widgets the dialogs share: the probability trio, a deadline field, a tags field.

Each widget validates its own text with the core parsers and shows the core's one-line message in
a red label under the field (Vorta's profile dialog pattern), and says through `changed` when its
validity may have changed so the dialog can enable or disable OK.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate, QSignalBlocker, QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QPalette, QValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from forecastapp.core.dates import DateWindow, parse_deadline
from forecastapp.core.errors import ForecastError
from forecastapp.core.estimative import TERMS, EstimativeTerm
from forecastapp.core.probability import format_probability, parse_probability
from forecastapp.ui.widgets import look

NO_TERM = "(a number, no estimative term)"

T = TypeVar("T")


def to_qdate(d: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(d.year, d.month, d.day)


def from_qdate(d: QDate) -> date:
    """A QDate as a Python date."""
    return date(d.year(), d.month(), d.day())


class ErrorLabel(QLabel):
    """A red, word-wrapped, initially hidden label that explains what is wrong with a field."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Error")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setStyleSheet(f"color: {look.tone('error', self.palette()).name()};")
        self.hide()

    def show_error(self, message: str | None) -> None:
        """Show `message`, or hide the label when there is none."""
        self.setText(message or "")
        self.setVisible(bool(message))
        self.setAccessibleDescription(message or "")


class HintLabel(QLabel):
    """A quiet label under a field that says how the input was read ("by 2028-05-31")."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # PlaceholderText is the palette's own "quiet but readable" tone, in light and dark themes.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText))
        self.setPalette(palette)


def field_with_messages(field: QWidget, *messages: QLabel) -> QWidget:
    """Stack a field and its hint/error labels into one form-row widget."""
    box = QWidget()
    # Never taller than its contents: spare dialog height goes below the form, not between a field
    # and its message.
    box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    for label in messages:
        layout.addWidget(label)
    return box


def statement_label(text: str) -> QLabel:
    """The question's statement in bold above a dialog's form, wrapped and never read as markup."""
    label = QLabel(text)
    label.setObjectName("questionStatement")
    label.setAccessibleName("Question")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def run_dialog(dialog: QDialog, values: Callable[[], T]) -> T | None:
    """Show `dialog` modally and return `values()` if it was accepted, else None; the dialog is then deleted."""
    try:
        return values() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def plain_text_edit(object_name: str, accessible_name: str, placeholder: str, lines: int) -> QPlainTextEdit:
    """A QPlainTextEdit sized for `lines` lines, where Tab moves focus (it is a form field)."""
    edit = QPlainTextEdit()
    edit.setObjectName(object_name)
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    line = edit.fontMetrics().lineSpacing()
    edit.setFixedHeight(int(line * lines + 2 * edit.frameWidth() + 10))
    return edit


def term_for(p: float) -> EstimativeTerm | None:
    """The ICD 203 term whose range holds `p` (upper bounds belong to the higher term), if any."""
    for term in TERMS:
        if term.low <= p < term.high:
            return term
    last = TERMS[-1]
    return last if p == last.high else None


def read_percent(text: str) -> float:
    """What a percent field's text means, as a fraction, read by the core's parser; raises ForecastError.

    In a percent field a bare number is a percent ("70" and "0.7" are 70% and 0.7%), and a word of
    estimative probability is its ICD 203 value ("likely" is 67.5%).
    """
    typed = text.strip().removesuffix("%").strip()
    if re.fullmatch(r"[0-9]*[.,]?[0-9]+", typed):
        return parse_probability(f"{typed.replace(',', '.')}%").value
    return parse_probability(typed).value


class _PercentSpin(QDoubleSpinBox):
    """The percent box, reading what is typed with the core's parser instead of Qt's digit filter.

    Qt's own validation dropped keystrokes it could not place: "120" stayed "12", "100" became "10" and
    letters never arrived. Here any text may stand while it is typed (it is only "intermediate"), the
    value is what the core reads from it, and what it cannot read is said beside the field.
    """

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 (Qt override)
        try:
            read_percent(text)
        except ForecastError:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt override)
        try:
            return round(read_percent(text) * 100.0, 1)
        except ForecastError:
            return self.value()

    def fixup(self, text: str) -> str:  # noqa: D102 (Qt override): leave what was typed for the message
        return text

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Leaving the box does not swap unreadable text for the last value it read ("120%" would show as the
        12% typed on the way): what was typed stays, with its message beside it and OK disabled."""
        typed = self.lineEdit().text()
        unreadable = self.validate(typed, 0)[0] != QValidator.State.Acceptable
        super().focusOutEvent(event)
        if unreadable:
            self.lineEdit().setText(typed)


class ProbabilityInput(QWidget):
    """A percent spin box, a slider and an estimative-term combo that always show the same value.

    Picking "likely" sets 67.5%; setting 67.5% (by spin box or slider) shows "likely". The term
    is recorded with the forecast only when the value is the term's own value (the analyst used the
    word); any other value is a plain number, and the combo then only names the range it falls in.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spin = _PercentSpin()
        self.spin.setObjectName("probabilityEdit")
        self.spin.setAccessibleName("Probability in percent")
        self.spin.setToolTip("Probability that the statement comes true, 0.1% to 99.9%")
        self.spin.setDecimals(1)
        self.spin.setRange(0.1, 99.9)
        self.spin.setSingleStep(1.0)
        self.spin.setSuffix("%")
        self.spin.setValue(50.0)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        # Room for a typed word ("unlikely") as well as a number.
        self.spin.setMinimumWidth(self.spin.fontMetrics().horizontalAdvance("unlikely%") + 48)

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("probabilitySlider")
        self.slider.setAccessibleName("Probability slider")
        self.slider.setRange(1, 999)  # tenths of a percent
        self.slider.setSingleStep(5)
        self.slider.setPageStep(50)
        self.slider.setValue(500)
        self.slider.setMinimumWidth(160)

        self.term_combo = QComboBox()
        self.term_combo.setObjectName("termCombo")
        self.term_combo.setAccessibleName("Estimative term")
        self.term_combo.setToolTip("Words of estimative probability (ICD 203); picking one sets its value")
        self.term_combo.addItem(NO_TERM, None)
        for term in TERMS:
            self.term_combo.addItem(f"{term.name} ({term.range_label})", term.name)

        self.error = ErrorLabel("probabilityError")

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.spin)
        row.addWidget(self.slider, 1)
        row.addWidget(self.term_combo)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(row)
        outer.addWidget(self.error)

        self.spin.valueChanged.connect(self._on_spin_value_changed)
        self.spin.lineEdit().textEdited.connect(self._on_spin_text_edited)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.term_combo.activated.connect(self._on_term_activated)
        self._show_term_for(self.value())

    # ------------------------------------------------------------ values

    def value(self) -> float:
        """The probability as a fraction (0.675 for 67.5%)."""
        return round(self.spin.value() / 100.0, 4)

    def term(self) -> str | None:
        """The estimative term to record: only when the value is exactly that term's value."""
        p = self.value()
        for term in TERMS:
            if abs(term.value - p) < 1e-9:
                return term.name
        return None

    def set_value(self, p: float) -> None:
        """Show probability `p` (a fraction) in all three controls."""
        self.spin.setValue(round(p * 100.0, 1))

    def is_valid(self) -> bool:
        """Whether the spin box holds an acceptable probability (not half-typed, unreadable or out of range)."""
        return self.spin.hasAcceptableInput() and not self.error.isVisibleTo(self)

    # ------------------------------------------------------------ keeping the three in step

    @Slot(float)
    def _on_spin_value_changed(self, percent: float) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(round(percent * 10))
        self._show_term_for(percent / 100.0)
        self.error.show_error(None)
        self.changed.emit()

    @Slot(int)
    def _on_slider_value_changed(self, tenths: int) -> None:
        self.spin.setValue(tenths / 10.0)

    @Slot(int)
    def _on_term_activated(self, index: int) -> None:
        name = self.term_combo.itemData(index)
        if name is None:
            self._show_term_for(self.value())
            return
        term = next(t for t in TERMS if t.name == name)
        self.spin.setValue(term.value * 100.0)
        self._show_term_for(term.value)

    def _show_term_for(self, p: float) -> None:
        term = term_for(p)
        with QSignalBlocker(self.term_combo):
            self.term_combo.setCurrentIndex(self.term_combo.findData(term.name) if term else 0)

    @Slot(str)
    def _on_spin_text_edited(self, _text: str) -> None:
        if self.spin.hasAcceptableInput():
            self.error.show_error(None)
        else:
            self.error.show_error(self._explain(self.spin.cleanText()))
        self.changed.emit()

    @staticmethod
    def _explain(text: str) -> str:
        """The core parser's message for a half-typed, unreadable or out-of-range percent."""
        try:
            read_percent(text)
        except ForecastError as exc:
            return str(exc)
        typed = text.strip()
        return f"'{typed}' is not a probability from {format_probability(0.001)} to {format_probability(0.999)}"


class DeadlineEdit(QWidget):
    """The resolve-by field: typed text ("in 18 months", "Q3 2026", "2025-12-31") or a calendar pick."""

    changed = Signal()

    def __init__(self, *, made_on: date, required: bool = False, first_forecast: date | None = None,
                 parent: QWidget | None = None) -> None:
        """Spans count from `made_on`; the deadline may not be before it, or, when editing a question whose
        first forecast was made on `first_forecast`, before that day."""
        super().__init__(parent)
        self._made_on = made_on
        self._first_forecast = first_forecast
        self._required = required
        self._window: DateWindow | None = None
        self._error: str | None = None

        self.edit = QLineEdit()
        self.edit.setObjectName("resolveByEdit")
        self.edit.setAccessibleName("Resolve by")
        self.edit.setPlaceholderText("e.g. 2025-12-31, Dec 2025, Q3 2026, in 18 months, 10 to 15 years")
        self.edit.setClearButtonEnabled(True)

        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("resolveByCalendar")
        self.calendar.setAccessibleName("Pick the resolve-by date")
        self.calendar.setGridVisible(True)
        self.calendar.setMinimumDate(to_qdate(first_forecast or made_on))
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self._menu = menu
        self.picker = QToolButton()
        self.picker.setObjectName("resolveByPicker")
        self.picker.setText("Pick date…")
        self.picker.setAccessibleName("Pick the resolve-by date from a calendar")
        self.picker.setToolTip("Pick the resolve-by date from a calendar")
        self.picker.setMenu(menu)
        self.picker.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # The button's text already says it opens a picker; the menu arrow only crowded the label.
        self.picker.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")

        self.hint = HintLabel("resolveByHint")
        self.error = ErrorLabel("resolveByError")

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.picker)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addLayout(row)
        outer.addWidget(self.hint)
        outer.addWidget(self.error)

        self.edit.textChanged.connect(self._revalidate)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar.activated.connect(self._on_calendar_clicked)
        self._revalidate()

    def window(self) -> DateWindow | None:
        """The parsed deadline (None when the field is empty or invalid)."""
        return self._window

    def is_valid(self) -> bool:
        """Whether the text is empty-and-optional or a deadline after the forecast date."""
        return self._error is None

    def set_made_on(self, made_on: date) -> None:
        """Spans ("in 18 months") count from the forecast date, so re-read when it changes."""
        self._made_on = made_on
        self.calendar.setMinimumDate(to_qdate(made_on))
        self._revalidate()

    @Slot(QDate)
    def _on_calendar_clicked(self, qdate: QDate) -> None:
        self.edit.setText(from_qdate(qdate).isoformat())
        self._menu.hide()

    @Slot()
    def _revalidate(self) -> None:
        text = self.edit.text().strip()
        self._window, self._error = None, None
        if not text:
            if self._required:
                self._error = "give a resolve-by date, e.g. 2025-12-31 or in 18 months"
            self.hint.setText("" if self._required else "No deadline: the question never becomes due")
        else:
            try:
                window = parse_deadline(text, made_on=self._made_on)
            except ForecastError as exc:
                self._error = str(exc)
            else:
                if self._first_forecast is not None and window.end < self._first_forecast:
                    self._error = (f"resolve-by {window.end.isoformat()} is before the question's first forecast, "
                                   f"made on {self._first_forecast.isoformat()}")
                elif self._first_forecast is None and window.end < self._made_on:
                    self._error = (
                        f"resolve-by {window.end.isoformat()} is before the forecast date {self._made_on.isoformat()}"
                    )
                else:
                    self._window = window
        if self._window is not None:
            w = self._window
            self.hint.setText(
                f"Resolves between {w.start.isoformat()} and {w.end.isoformat()}" if w.start
                else f"Resolves by {w.end.isoformat()} ({w.end:%A %d %B %Y})"
            )
            self.calendar.setSelectedDate(to_qdate(w.end))
        elif self._error:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))
        self.error.show_error(self._error)
        self.changed.emit()


class TagsEdit(QLineEdit):
    """Comma-separated tags; the word being typed completes from the tags already in the ledger."""

    def __init__(self, known_tags: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagsEdit")
        self.setAccessibleName("Tags")
        self.setPlaceholderText("comma-separated, e.g. nuclear, sanctions")
        self._model = QStringListModel(known_tags, self)
        self._completer = QCompleter(self._model, self)
        self._completer.setObjectName("tagsCompleter")
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        # The completer works on the current word only, so it is attached by hand instead of setCompleter().
        self._completer.setWidget(self)
        self._completer.activated[str].connect(self.insert_completion)
        self.textEdited.connect(self._on_text_edited)

    def completer_for_tags(self) -> QCompleter:
        """The completer offering known tags (for tests and accessibility tools)."""
        return self._completer

    def current_word(self) -> str:
        """The tag being typed: the text after the last comma, trimmed."""
        return self.text()[: self.cursorPosition()].split(",")[-1].strip()

    def tags(self) -> tuple[str, ...]:
        """The tags typed, as the user wrote them (the core normalises case and spaces)."""
        return tuple(t.strip() for t in self.text().split(",") if t.strip())

    @Slot(str)
    def _on_text_edited(self, _text: str) -> None:
        word = self.current_word()
        if not word:
            self._completer.popup().hide()
            return
        self._completer.setCompletionPrefix(word)
        if self._completer.completionCount() > 0:
            self._completer.complete()
        else:
            self._completer.popup().hide()

    @Slot(str)
    def insert_completion(self, tag: str) -> None:
        """Replace the word being typed with the chosen tag and start the next one."""
        before = self.text()[: self.cursorPosition()]
        after = self.text()[self.cursorPosition():]
        head = before.rsplit(",", 1)[0] + ", " if "," in before else ""
        new_before = f"{head}{tag}, "
        self.setText(new_before + after.lstrip(", "))
        self.setCursorPosition(len(new_before))


class AnalystCombo(QComboBox):
    """An editable combo of the ledger's analysts: pick one or type a new name."""

    def __init__(self, analysts: list[str], current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analystCombo")
        self.setAccessibleName("Analyst")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(analysts)
        self.lineEdit().setPlaceholderText("Who makes this forecast")
        self.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self.setCurrentText(current or (analysts[0] if analysts else ""))

    def name(self) -> str:
        """The analyst name as typed, spaces collapsed."""
        return " ".join(self.currentText().split())


def date_edit(object_name: str, accessible_name: str, value: date, *, maximum: date) -> QDateEdit:
    """An ISO-formatted QDateEdit with a calendar popup, capped at `maximum` (no future dates)."""
    edit = QDateEdit(to_qdate(value))
    edit.setObjectName(object_name)
    edit.setAccessibleName(accessible_name)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setMaximumDate(to_qdate(maximum))
    edit.setMinimumDate(QDate(1900, 1, 1))
    return edit


def form_layout() -> QFormLayout:
    """A dialog's form: fields grow, labels right-aligned at the top of their row."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    return form


def ok_cancel_buttons(dialog: QDialog, ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    """OK (named `ok_text`) and Cancel wired to `dialog`; returns the box and the OK button."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.setObjectName("buttonBox")
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setObjectName("okButton")
    ok.setAccessibleName(ok_text.replace("&", ""))
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setObjectName("cancelButton")
    cancel.setAccessibleName("Cancel")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box, ok


def buddy(text: str, field: QWidget) -> QLabel:
    """A label for `field` (its mnemonic focuses the field)."""
    label = QLabel(text)
    label.setBuddy(field)
    return label
