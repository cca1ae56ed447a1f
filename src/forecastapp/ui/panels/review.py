"""Review an imported document: its text with each candidate forecast highlighted, and a list to accept them.

Highlights take one of three tones by the candidate's strength (`look.tone("strong" | "moderate" |
"weak")`); the candidate being edited is drawn in the palette's selection colours. Clicking a list
entry scrolls the text to its sentence, and clicking inside a highlighted sentence selects its
entry. Under the list, the current candidate's statement, probability (percent), resolve-by (what
`dates.parse_deadline` reads) and tags can be edited; a problem shows in red under its field and
marks the entry, and "Accept selected" refuses while any ticked entry has one. Accepting goes
through `ui/accept_reviewed` (one transaction), then the entries are marked accepted
and `questions_added` tells the main window to refresh. Unticked candidates are simply not
accepted; nothing about them is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QPalette, QTextCharFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from forecastapp.core.dates import parse_deadline
from forecastapp.core.detect import Candidate
from forecastapp.core.documents import AcceptedCandidate
from forecastapp.core.errors import ForecastError
from forecastapp.core.ledger import normalize_tags
from forecastapp.core.probability import MAX_P, MIN_P
from forecastapp.ui.operations.review import accept_reviewed, load_review
from forecastapp.ui.widgets.fields import ErrorLabel, HintLabel, buddy, field_with_messages
from forecastapp.ui.widgets.look import is_dark, tone
from forecastapp.ui.widgets.spans import Utf16Offsets, qt_text, scroll_to_span, span_selection

CandidateRole = Qt.ItemDataRole.UserRole


@dataclass
class CandidateEdit:
    """One candidate's reviewed values, as typed (kept while another entry is being edited)."""

    candidate: Candidate
    statement: str
    percent: float
    resolve_text: str
    tags_text: str = ""
    checked: bool = False
    accepted_as: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def proposed(cls, c: Candidate, accepted_as: str | None) -> CandidateEdit:
        """The detector's proposal, unedited."""
        return cls(c, c.statement, round(c.probability * 100, 1), c.resolve_by or "", accepted_as=accepted_as)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class DocumentReview(QDialog):
    """Review an imported document's candidate forecasts and accept the chosen ones as questions."""

    #: Emitted after accepting: the document id and the new question ids.
    questions_added = Signal(str, list)

    def __init__(self, service, document_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentReview")
        self._service = service
        self._document_id = document_id
        data = load_review(service, document_id)
        self._made_on: date = data.made_on
        self._text = data.document.text
        self._offsets = Utf16Offsets(self._text)
        self._edits = [CandidateEdit.proposed(c, data.accepted.get(c.id)) for c in data.candidates]
        self._loading = False
        self._follow_text = False
        title = data.document.title
        self.setWindowTitle(f"Review candidate forecasts — {title}")
        self.setAccessibleName("Review candidate forecasts")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self._view = self._text_view()

        self._summary = QLabel(objectName="reviewSummary")
        self._summary.setWordWrap(True)
        self._legend = QLabel(objectName="reviewLegend")
        self._legend.setTextFormat(Qt.TextFormat.RichText)

        self._list = QListWidget(objectName="candidateList")
        self._list.setAccessibleName("Candidate forecasts")
        self._list.setWordWrap(True)
        self._list.setUniformItemSizes(False)
        self._list.currentRowChanged.connect(self._on_row_changed)
        self._list.itemChanged.connect(self._on_item_changed)

        self._editor = self._candidate_editor()

        self._status = QLabel(objectName="reviewStatus")
        self._status.setWordWrap(True)
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self.accept_button = QPushButton("&Accept selected", objectName="acceptSelectedButton")
        self.accept_button.setToolTip("Turn the ticked candidates into questions forecast by the document's author")
        self.accept_button.clicked.connect(self.accept_selected)
        self.accept_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.accept_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        side = QWidget(objectName="reviewSide")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self._summary)
        side_layout.addWidget(self._legend)
        side_layout.addWidget(self._list, 1)
        side_layout.addWidget(self._editor)

        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="reviewSplitter")
        splitter.addWidget(self._view)
        splitter.addWidget(side)
        # Even halves: assessments are often hard-wrapped at ~70 characters, so the text needs no more.
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self._status, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(1100, 700)

        self._fill_list()
        self._update_summary()
        self._apply_highlights()
        if self._edits:
            self._list.setCurrentRow(0)
        else:
            self._editor.setEnabled(False)
            self.accept_button.setEnabled(False)
        self._update_accept_button()

    def _text_view(self) -> QTextEdit:
        """The document's text, read-only, with the candidates highlighted."""
        view = QTextEdit(objectName="reviewText")
        view.setReadOnly(True)
        view.setUndoRedoEnabled(False)
        view.setAccessibleName("Document text")
        view.setAccessibleDescription("Candidate forecasts are highlighted; click one to edit it.")
        view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        view.document().setDocumentMargin(12)
        view.setPlainText(qt_text(self._text))
        view.cursorPositionChanged.connect(self._on_text_cursor_moved)
        return view

    def _candidate_editor(self) -> QWidget:
        """Why the current candidate was proposed, and its statement, probability, deadline and tags."""
        self._reason = QLabel(objectName="candidateReason")
        self._reason.setWordWrap(True)
        self._reason.setTextFormat(Qt.TextFormat.PlainText)
        self.statement_edit = QPlainTextEdit(objectName="statementEdit")
        self.statement_edit.setAccessibleName("Statement")
        self.statement_edit.setTabChangesFocus(True)
        self.statement_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.statement_error = ErrorLabel("statementError")
        self.probability_spin = QDoubleSpinBox(objectName="probabilitySpin")
        self.probability_spin.setAccessibleName("Probability in percent")
        self.probability_spin.setDecimals(1)
        self.probability_spin.setRange(MIN_P * 100, MAX_P * 100)
        self.probability_spin.setSingleStep(5)
        self.probability_spin.setSuffix(" %")
        self.resolve_edit = QLineEdit(objectName="resolveByEdit")
        self.resolve_edit.setAccessibleName("Resolve by")
        self.resolve_edit.setPlaceholderText("e.g. 2027-12-31, end of 2026, in 18 months (empty: no deadline)")
        self.resolve_hint = HintLabel("resolveByHint")
        self.resolve_error = ErrorLabel("resolveByError")
        self.tags_edit = QLineEdit(objectName="tagsEdit")
        self.tags_edit.setAccessibleName("Tags")
        self.tags_edit.setPlaceholderText("comma-separated, e.g. trade, asia")
        self.tags_error = ErrorLabel("tagsError")
        self.statement_edit.textChanged.connect(self._on_field_edited)
        self.probability_spin.valueChanged.connect(self._on_field_edited)
        self.resolve_edit.textChanged.connect(self._on_field_edited)
        self.tags_edit.textChanged.connect(self._on_field_edited)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addRow(buddy("&Statement:", self.statement_edit),
                    field_with_messages(self.statement_edit, self.statement_error))
        form.addRow(buddy("&Probability:", self.probability_spin), self.probability_spin)
        form.addRow(buddy("Resolve &by:", self.resolve_edit),
                    field_with_messages(self.resolve_edit, self.resolve_hint, self.resolve_error))
        form.addRow(buddy("&Tags:", self.tags_edit), field_with_messages(self.tags_edit, self.tags_error))
        editor = QWidget(objectName="candidateEditor")
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self._reason)
        editor_layout.addLayout(form)
        return editor

    # ------------------------------------------------------------ public (tests, the main window)

    @property
    def document_id(self) -> str:
        """The document under review."""
        return self._document_id

    def candidates(self) -> list[Candidate]:
        """The candidates in list order (by their place in the text)."""
        return [e.candidate for e in self._edits]

    def edits(self) -> list[CandidateEdit]:
        """Every candidate's reviewed state."""
        return list(self._edits)

    def text_view(self) -> QTextEdit:
        """The document text widget."""
        return self._view

    def list_widget(self) -> QListWidget:
        """The side list of candidates."""
        return self._list

    def set_checked(self, row: int, checked: bool = True) -> None:
        """Tick (or untick) a candidate, as a click on its box does."""
        item = self._list.item(row)
        if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def current_span(self) -> tuple[int, int] | None:
        """The text cursor's position as Python offsets into the stored text (selection start, end)."""
        cursor = self._view.textCursor()
        return (self._offsets.to_python(cursor.selectionStart()),
                self._offsets.to_python(cursor.selectionEnd(), round_up=True))

    def status_text(self) -> str:
        """The message line under the list (what the last accept did, or why it refused)."""
        return self._status.text()

    # ------------------------------------------------------------ list

    def _fill_list(self) -> None:
        self._list.blockSignals(True)
        self._list.clear()
        for edit in self._edits:
            item = QListWidgetItem()
            item.setData(CandidateRole, edit.candidate.id)
            self._list.addItem(item)
            self._style_item(item, edit)
        self._list.blockSignals(False)

    def _style_item(self, item: QListWidgetItem, edit: CandidateEdit) -> None:
        c = edit.candidate
        blocked = self._list.blockSignals(True)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if edit.accepted_as is None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setCheckState(Qt.CheckState.Checked if edit.checked else Qt.CheckState.Unchecked)
            mark = "⚠ " if edit.errors else ""
            head = f"{mark}{edit.percent:g}% · {c.strength_label}"
        else:
            item.setData(Qt.ItemDataRole.CheckStateRole, None)
            head = f"✓ accepted as question {edit.accepted_as[:8]}"
        item.setFlags(flags)
        item.setText(f"{head}\n{_shorten(edit.statement, 110)}")
        item.setToolTip(f"{' '.join(c.sentence.split())}\n\nProposed because: {c.reason}")
        item.setForeground(QBrush(tone("error", self.palette())) if edit.errors and edit.accepted_as is None
                           else QBrush())
        # The swatch beside the text repeats the highlight's tone (the word says the strength too).
        item.setIcon(self._swatch(c.strength_label))
        self._list.blockSignals(blocked)

    def _swatch(self, strength: str):
        from PySide6.QtGui import QIcon, QPixmap

        pm = QPixmap(12, 12)
        pm.fill(tone(strength, self.palette()))
        return QIcon(pm)

    def _update_summary(self) -> None:
        counts = {"strong": 0, "moderate": 0, "weak": 0}
        for e in self._edits:
            counts[e.candidate.strength_label] += 1
        n = len(self._edits)
        done = sum(1 for e in self._edits if e.accepted_as)
        noun = "candidate forecast" if n == 1 else "candidate forecasts"
        text = f"{n} {noun}" if n else "No candidate forecasts were found in this document."
        if done:
            text += f", {done} accepted"
        if n:
            text += ". Tick the ones to keep, edit them below, then Accept selected."
        self._summary.setText(text)
        swatches = " ".join(
            f'<span style="background-color:{tone(k, self.palette()).name()};">&nbsp;{k}&nbsp;</span>'
            for k in ("strong", "moderate", "weak")
        )
        self._legend.setText(f"Highlights by strength: {swatches}")

    @Slot(QListWidgetItem)
    def _on_item_changed(self, item: QListWidgetItem) -> None:
        row = self._list.row(item)
        if 0 <= row < len(self._edits):
            self._edits[row].checked = item.checkState() == Qt.CheckState.Checked
            self._update_accept_button()

    @Slot(int)
    def _on_row_changed(self, row: int) -> None:
        if not 0 <= row < len(self._edits):
            return
        edit = self._edits[row]
        self._loading = True
        try:
            self.statement_edit.setPlainText(edit.statement)
            self.probability_spin.setValue(edit.percent)
            self.resolve_edit.setText(edit.resolve_text)
            self.tags_edit.setText(edit.tags_text)
        finally:
            self._loading = False
        c = edit.candidate
        terms = ", ".join(f'"{t}"' for t in c.terms)
        condition = f" Condition: {c.condition}." if c.condition else ""
        self._reason.setText(f"{c.strength_label.capitalize()} cue {terms}, read as {c.term}.{condition}")
        self._editor.setEnabled(edit.accepted_as is None)
        self._show_errors(edit)
        if not self._follow_text:
            self._scroll_to(c)
        self._apply_highlights()

    # ------------------------------------------------------------ editing and checking

    @Slot()
    def _on_field_edited(self, *_args) -> None:
        if self._loading:
            return
        row = self._list.currentRow()
        if not 0 <= row < len(self._edits):
            return
        edit = self._edits[row]
        edit.statement = self.statement_edit.toPlainText()
        edit.percent = round(self.probability_spin.value(), 1)
        edit.resolve_text = self.resolve_edit.text()
        edit.tags_text = self.tags_edit.text()
        self._check(edit)
        self._show_errors(edit)
        self._style_item(self._list.item(row), edit)
        self._update_accept_button()

    def _deadline(self, edit: CandidateEdit) -> tuple[date | None, date | None]:
        """(resolve_from, resolve_by) for the typed text; the proposal itself is taken as the detector dated it."""
        c = edit.candidate
        text = edit.resolve_text.strip()
        if text == (c.resolve_by or ""):
            return (date.fromisoformat(c.resolve_from) if c.resolve_from else None,
                    date.fromisoformat(c.resolve_by) if c.resolve_by else None)
        if not text:
            return None, None
        window = parse_deadline(text, made_on=self._made_on)
        return window.start, window.end

    def _check(self, edit: CandidateEdit) -> None:
        errors: dict[str, str] = {}
        if not edit.statement.strip():
            errors["statement"] = "the statement is empty; write what will be resolved"
        try:
            start, end = self._deadline(edit)
            if end is not None and end < self._made_on:
                errors["resolve_by"] = (f"{end.isoformat()} is before the forecast date {self._made_on.isoformat()}; "
                                        "give a later deadline")
        except ForecastError as exc:
            errors["resolve_by"] = str(exc)
        try:
            normalize_tags([edit.tags_text])
        except ForecastError as exc:
            errors["tags"] = str(exc)
        edit.errors = errors

    def _show_errors(self, edit: CandidateEdit) -> None:
        self.statement_error.show_error(edit.errors.get("statement"))
        self.resolve_error.show_error(edit.errors.get("resolve_by"))
        self.tags_error.show_error(edit.errors.get("tags"))
        hint = ""
        if "resolve_by" not in edit.errors:
            try:
                start, end = self._deadline(edit)
            except ForecastError:
                start, end = None, None
            if end is not None:
                hint = f"from {start.isoformat()} to {end.isoformat()}" if start else f"by {end.isoformat()}"
            else:
                hint = "no deadline"
            hint += f" (forecast dated {self._made_on.isoformat()})"
        self.resolve_hint.setText(hint)
        self.resolve_hint.setVisible(bool(hint))

    def _update_accept_button(self) -> None:
        ticked = [e for e in self._edits if e.checked and e.accepted_as is None]
        self.accept_button.setEnabled(bool(ticked))
        self.accept_button.setText(f"&Accept selected ({len(ticked)})" if ticked else "&Accept selected")

    @Slot()
    def accept_selected(self) -> list[str]:
        """Record the ticked candidates with their reviewed values; returns the new question ids ([] if refused)."""
        ticked = [(row, e) for row, e in enumerate(self._edits) if e.checked and e.accepted_as is None]
        if not ticked:
            self._status.setText("Tick at least one candidate to accept.")
            return []
        for row, edit in ticked:
            self._check(edit)
            self._style_item(self._list.item(row), edit)
        invalid = [row for row, e in ticked if e.errors]
        if invalid:
            self._list.setCurrentRow(invalid[0])
            n = len(invalid)
            self._status.setText(f"{n} ticked candidate{'' if n == 1 else 's'} need{'s' if n == 1 else ''} fixing "
                                 "(marked ⚠); nothing was added.")
            return []
        items = []
        for _row, edit in ticked:
            start, end = self._deadline(edit)
            items.append(AcceptedCandidate(
                candidate_id=edit.candidate.id, statement=edit.statement.strip(), probability=edit.percent / 100,
                resolve_by=end, resolve_from=start, tags=normalize_tags([edit.tags_text]),
            ))
        try:
            ids = accept_reviewed(self._service, self._document_id, items)
        except ForecastError as exc:
            self._status.setText(f"Nothing was added: {exc}")
            return []
        for (row, edit), qid in zip(ticked, ids):
            edit.accepted_as = qid
            edit.checked = False
            self._style_item(self._list.item(row), edit)
        self._follow_text = True  # refresh the editor and highlights where the user is
        try:
            self._on_row_changed(self._list.currentRow())
        finally:
            self._follow_text = False
        n = len(ids)
        self._status.setText(f"Added {n} question{'' if n == 1 else 's'}; the Document tab shows "
                             f"{'its' if n == 1 else 'their'} excerpt{'' if n == 1 else 's'}.")
        self._update_summary()
        self._update_accept_button()
        self.questions_added.emit(self._document_id, ids)
        return ids

    # ------------------------------------------------------------ text and highlights

    def _scroll_to(self, c: Candidate) -> None:
        self._loading = True  # moving the caret here must not select an entry (_on_text_cursor_moved)
        try:
            scroll_to_span(self._view, self._offsets, c.start, c.end)
        finally:
            self._loading = False

    @Slot()
    def _on_text_cursor_moved(self) -> None:
        if self._loading:
            return
        index = self._offsets.to_python(self._view.textCursor().position())
        row = next((r for r, e in enumerate(self._edits) if e.candidate.start <= index < e.candidate.end), -1)
        if row >= 0 and row != self._list.currentRow():
            # The text is already where the user clicked: select the entry without scrolling the text.
            self._follow_text = True
            try:
                self._list.setCurrentRow(row)
            finally:
                self._follow_text = False

    def _apply_highlights(self) -> None:
        dark = is_dark(self.palette())
        current = self._list.currentRow()
        selections: list[QTextEdit.ExtraSelection] = []
        for row, edit in enumerate(self._edits):
            c = edit.candidate
            fmt = QTextCharFormat()
            if row == current:
                fmt.setBackground(self.palette().color(QPalette.ColorRole.Highlight))
                fmt.setForeground(self.palette().color(QPalette.ColorRole.HighlightedText))
            else:
                fmt.setBackground(QColor(tone(c.strength_label, self.palette())))
                if dark:
                    fmt.setForeground(QColor("#f5f5f5"))
            if edit.accepted_as:
                # Accepted: an underline too, so the state shows without relying on colour alone.
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setFontWeight(QFont.Weight.DemiBold)
            selections.append(span_selection(self._view, self._offsets, c.start, c.end, fmt))
        self._view.setExtraSelections(selections)
