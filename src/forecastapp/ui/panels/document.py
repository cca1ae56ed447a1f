"""The document view: a source document's text with every linked excerpt highlighted.

Clicking a highlight (or pressing Enter with the caret inside one) emits `question_selected`;
selecting text and choosing "New forecast from selection" emits `new_forecast_requested` with
offsets into the stored text, ready for the add dialog. Data comes through `ui/operations/documents.py`.

Offsets: the ledger stores Python str indices (code points), while QTextDocument positions count
UTF-16 code units, so a character outside the Basic Multilingual Plane (an emoji) is one index in
Python and two positions in Qt. `Utf16Offsets` converts between them; nothing else in this module
does offset arithmetic.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from forecastapp.core.errors import ForecastError
from forecastapp.ui.operations.documents import (
    Excerpt,
    document_excerpts,
    document_text,
    list_documents,
    question_document,
)
from forecastapp.ui.widgets.look import is_dark, tone
from forecastapp.ui.widgets.spans import Utf16Offsets, qt_text, scroll_to_span, span_selection

# How many on/off phases `show_question` flashes the excerpt, and how long each lasts.
_FLASH_PHASES = 6
_FLASH_MS = 220


class DocumentPanel(QWidget):
    """A document picker and the document's text, with every linked excerpt highlighted."""

    #: A highlight was clicked (or Enter pressed inside one): the question's id.
    question_selected = Signal(str)
    #: "New forecast from selection": document id, start, end (Python str offsets), selected text.
    new_forecast_requested = Signal(str, int, int, str)

    def __init__(self, ledger_service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentView")
        self.setAccessibleName(self.tr("Document view"))
        self._service = ledger_service
        self._loaded = False
        self._document_id: str | None = None
        self._text = ""
        self._offsets = Utf16Offsets("")
        self._excerpts: list[Excerpt] = []
        self._flash: Excerpt | None = None
        self._flash_phase = 0
        self._press_pos: QPoint | None = None

        self._combo = QComboBox(objectName="documentCombo")
        self._combo.setAccessibleName(self.tr("Document"))
        self._combo.setToolTip(self.tr("Which source document to show"))
        self._combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._combo.setMinimumContentsLength(24)
        self._combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._combo.currentIndexChanged.connect(self._on_combo_changed)
        label = QLabel(self.tr("&Document:"))
        label.setBuddy(self._combo)

        self._new_action = QAction(self.tr("New forecast from selection"), self)
        self._new_action.setObjectName("actionNewForecastFromSelection")
        self._new_action.setShortcut(QKeySequence(self.tr("Ctrl+Shift+N")))
        self._new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._new_action.setStatusTip(self.tr("Start a forecast whose source excerpt is the selected text"))
        self._new_action.setEnabled(False)
        self._new_action.triggered.connect(self.request_new_forecast)
        self.addAction(self._new_action)
        self._new_button = QToolButton(objectName="newForecastFromSelectionButton")
        self._new_button.setDefaultAction(self._new_action)
        self._new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._new_button.setAccessibleName(self.tr("New forecast from selection"))

        self._view = QTextEdit(objectName="documentText")
        self._view.setReadOnly(True)
        self._view.setUndoRedoEnabled(False)
        self._view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self._view.setAccessibleName(self.tr("Document text"))
        self._view.setAccessibleDescription(
            self.tr("Highlighted passages are excerpts linked to questions; press Enter inside one to open it.")
        )
        self._view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._view.customContextMenuRequested.connect(self._show_context_menu)
        self._view.selectionChanged.connect(self._on_selection_changed)
        self._view.viewport().setMouseTracking(True)
        self._view.viewport().installEventFilter(self)
        self._view.installEventFilter(self)
        self._view.document().setDocumentMargin(14)

        self._hint = QLabel(objectName="documentHint")
        self._hint.setWordWrap(True)
        self._hint.setAccessibleName(self.tr("Document summary"))

        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self._combo, 1)
        top.addWidget(self._new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._view, 1)
        layout.addWidget(self._hint)

        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(_FLASH_MS)
        self._flash_timer.timeout.connect(self._flash_step)

    # ------------------------------------------------------------ public API

    @Slot()
    def refresh(self) -> None:
        """Reload the document list and the current document's excerpts (the text itself never changes).

        While the view is hidden (another tab is showing) this only marks it stale and the reload
        happens on the next show: counting every document's questions takes about 90 ms on a
        100,000-question ledger, too long to pay on the GUI thread after every edit for a hidden tab.
        """
        if not self.isVisible():
            self._loaded = False
            return
        self._reload()

    def _reload(self) -> None:
        self._loaded = True
        try:
            documents = list_documents(self._service)
        except ForecastError as exc:
            self._show_message(str(exc))
            return
        keep = self._document_id
        self._combo.blockSignals(True)
        self._combo.clear()
        for doc in documents:
            self._combo.addItem(self._entry_label(doc.title, doc.questions), doc.id)
            self._combo.setItemData(self._combo.count() - 1, doc.title, Qt.ItemDataRole.ToolTipRole)
        self._combo.setEnabled(bool(documents))
        index = self._combo.findData(keep) if keep is not None else -1
        self._combo.setCurrentIndex(index if index >= 0 else (0 if documents else -1))
        self._combo.blockSignals(False)
        if not documents:
            self._document_id = None
            self._set_text("")
            self._view.setPlaceholderText(self.tr("No documents in this ledger yet."))
            self._set_excerpts([])
            return
        self._load(self._combo.currentData())

    def document_id(self) -> str | None:
        """The id of the document shown, or None."""
        return self._document_id

    def excerpts(self) -> list[Excerpt]:
        """The excerpts highlighted in the document shown (Python offsets)."""
        return list(self._excerpts)

    def text_view(self) -> QTextEdit:
        """The text widget (for tests and for the main window's find-in-page)."""
        return self._view

    @Slot(str)
    def show_document(self, document_id: str) -> bool:
        """Show the document with this id; False if the ledger has no such document."""
        if not self._loaded:
            self._reload()
        index = self._combo.findData(document_id)
        if index < 0:
            return False
        if index != self._combo.currentIndex():
            self._combo.setCurrentIndex(index)  # loads through _on_combo_changed
        return True

    @Slot(str)
    def show_question(self, question_id: str) -> bool:
        """Scroll to the question's excerpt and flash it; False if the question has no excerpt."""
        excerpt = self._find_excerpt(question_id)
        if excerpt is None:
            try:
                document_id = question_document(self._service, question_id)
            except ForecastError:
                return False
            if document_id is None or not self.show_document(document_id):
                return False
            excerpt = self._find_excerpt(question_id)
            if excerpt is None:
                return False
        scroll_to_span(self._view, self._offsets, excerpt.start, excerpt.end)
        self._flash = excerpt
        self._flash_phase = 0
        self._apply_selections()
        self._flash_timer.start()
        return True

    @Slot()
    def request_new_forecast(self) -> None:
        """Emit `new_forecast_requested` for the selected text (trimmed of surrounding white space)."""
        span = self.selected_span()
        if span is None or self._document_id is None:
            return
        start, end = span
        self.new_forecast_requested.emit(self._document_id, start, end, self._text[start:end])

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as Python offsets into the stored text, white space trimmed; None if empty."""
        cursor = self._view.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._offsets.to_python(cursor.selectionStart())
        end = self._offsets.to_python(cursor.selectionEnd(), round_up=True)
        # An excerpt that starts or ends in white space is a dragging accident, not a quotation.
        while start < end and self._text[start].isspace():
            start += 1
        while end > start and self._text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def question_at(self, position: int) -> str | None:
        """The id of the question whose excerpt covers Qt position `position` (the shortest, if nested)."""
        hits = self._excerpts_at(self._offsets.to_python(position))
        return hits[0].question_id if hits else None

    def _excerpts_at(self, index: int) -> list[Excerpt]:
        """The excerpts covering Python index `index`, innermost (shortest) first."""
        covering = [e for e in self._excerpts if e.start <= index < e.end]
        return sorted(covering, key=lambda e: (e.end - e.start, e.start))

    # ------------------------------------------------------------ loading

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Load on first show, so a window that never opens this tab never reads the documents."""
        if not self._loaded:
            self._reload()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Recolour the highlights when the palette switches between light and dark."""
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_selections()
        super().changeEvent(event)

    @Slot(int)
    def _on_combo_changed(self, _index: int) -> None:
        document_id = self._combo.currentData()
        if document_id is not None:
            self._load(document_id)

    def _load(self, document_id: str) -> None:
        new_text = document_id != self._document_id or not self._text
        try:
            if new_text:
                text = document_text(self._service, document_id)
                self._document_id = document_id
                self._set_text(text)
            excerpts = document_excerpts(self._service, document_id)
        except ForecastError as exc:
            self._show_message(str(exc))
            return
        # The main window refreshes after every edit; most edits leave this document's excerpts as they
        # were, and re-laying thousands of highlights would cost a visible pause for nothing.
        self._set_excerpts(excerpts, unchanged_ok=not new_text)

    def _set_text(self, text: str) -> None:
        self._flash_timer.stop()
        self._flash = None
        self._text = text
        self._offsets = Utf16Offsets(text)
        self._view.setPlainText(qt_text(text))
        # Breathing room between paragraphs and lines; formats never change positions.
        cursor = QTextCursor(self._view.document())
        cursor.select(QTextCursor.SelectionType.Document)
        block = QTextBlockFormat()
        block.setBottomMargin(self.fontMetrics().height() * 0.6)
        block.setLineHeight(125, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.mergeBlockFormat(block)
        self._view.moveCursor(QTextCursor.MoveOperation.Start)

    def _set_excerpts(self, excerpts: list[Excerpt], *, unchanged_ok: bool = False) -> None:
        # Offsets beyond the text would make Qt clamp silently; drop them instead of highlighting the wrong words.
        valid = [e for e in excerpts if 0 <= e.start < e.end <= len(self._text)]
        if unchanged_ok and valid == self._excerpts:
            return
        self._excerpts = valid
        if self._flash is not None and self._flash not in self._excerpts:
            self._flash = None
        self._apply_selections()
        n = len(self._excerpts)
        if self._document_id is None:
            self._hint.setText("")
        elif n == 0:
            self._hint.setText(self.tr("No question links to this document yet. Select a passage and choose "
                                       "New forecast from selection to add one."))
        else:
            excerpts = self.tr("1 highlighted excerpt.") if n == 1 else self.tr("%1 highlighted excerpts.").replace(
                "%1", str(n))
            self._hint.setText(excerpts + " " + self.tr("Click one to open its question; select a passage and choose "
                                                        "New forecast from selection to add a question."))

    def _show_message(self, message: str) -> None:
        self._hint.setText(message)

    def _entry_label(self, title: str, questions: int) -> str:
        # No translator is installed, so Qt's %n plural forms would print "question(s)"; choose here.
        count = self.tr("1 question") if questions == 1 else self.tr("%1 questions").replace("%1", str(questions))
        return f"{title} ({count})"

    # ------------------------------------------------------------ highlights

    def _highlight_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        colour = QColor(tone("highlight", self.palette()))
        # Translucent, so where excerpts overlap the overlap reads darker (each layer adds up).
        colour.setAlpha(150 if is_dark(self.palette()) else 170)
        fmt.setBackground(colour)
        # An underline too, so the excerpts' edges show without relying on colour alone.
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(tone("accent", self.palette()))
        return fmt

    def _apply_selections(self) -> None:
        fmt = self._highlight_format()
        selections = [span_selection(self._view, self._offsets, e.start, e.end, fmt) for e in self._excerpts]
        if self._flash is not None and self._flash_phase % 2 == 0:
            flash = QTextCharFormat()
            flash.setBackground(self.palette().color(QPalette.ColorRole.Highlight))
            flash.setForeground(self.palette().color(QPalette.ColorRole.HighlightedText))
            selections.append(span_selection(self._view, self._offsets, self._flash.start, self._flash.end, flash))
        self._view.setExtraSelections(selections)

    @Slot()
    def _flash_step(self) -> None:
        self._flash_phase += 1
        if self._flash_phase >= _FLASH_PHASES:
            self._flash_timer.stop()
            self._flash = None
        self._apply_selections()

    def _find_excerpt(self, question_id: str) -> Excerpt | None:
        return next((e for e in self._excerpts if e.question_id == question_id), None)

    # ------------------------------------------------------------ mouse, keys, menu

    def _position_under(self, pos: QPoint) -> int | None:
        """The Qt position of the character under viewport point `pos` (not the caret gap nearest to it)."""
        cursor = self._view.cursorForPosition(pos)
        rect = self._view.cursorRect(cursor)
        if not rect.adjusted(0, -2, 0, 2).contains(QPoint(rect.x(), pos.y())):
            return None  # below the last line or in a margin between lines' rectangles
        position = cursor.position()
        # cursorForPosition snaps to the nearest gap; a point left of that gap is on the previous character.
        if pos.x() < rect.x():
            position -= 1
        return position if position >= 0 else None

    def _excerpts_under(self, pos: QPoint) -> list[Excerpt]:
        position = self._position_under(pos)
        return [] if position is None else self._excerpts_at(self._offsets.to_python(position))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Clicks and tool tips on highlights; Enter inside a highlight opens its question."""
        if watched is self._view.viewport():
            kind = event.type()
            if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
                self._press_pos = event.position().toPoint()
            elif kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
                pos = event.position().toPoint()
                pressed, self._press_pos = self._press_pos, None
                is_click = pressed is not None and (pos - pressed).manhattanLength() < QApplication.startDragDistance()
                if is_click and not self._view.textCursor().hasSelection():
                    hits = self._excerpts_under(pos)
                    if hits:
                        self.question_selected.emit(hits[0].question_id)
            elif kind == QEvent.Type.MouseMove:
                over = bool(self._excerpts_under(event.position().toPoint()))
                shape = Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.IBeamCursor
                self._view.viewport().setCursor(shape)
            elif kind == QEvent.Type.ToolTip:
                hits = self._excerpts_under(event.pos())
                if hits:
                    QToolTip.showText(event.globalPos(), self._tooltip(hits), self._view.viewport())
                else:
                    QToolTip.hideText()
                return True
        elif watched is self._view and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self._view.textCursor().hasSelection():
                question_id = self.question_at(self._view.textCursor().position())
                if question_id is not None:
                    self.question_selected.emit(question_id)
                    return True
        return super().eventFilter(watched, event)

    def _tooltip(self, hits: list[Excerpt]) -> str:
        # Rich text so Qt wraps long statements; user text is escaped.
        parts = [f"<p>{html.escape(e.statement)}</p>" for e in hits]
        note = self.tr("Click to open the question.") if len(hits) == 1 else self.tr(
            "Overlapping excerpts; a click opens the innermost question.")
        return "".join(parts) + f"<p><i>{html.escape(note)}</i></p>"

    @Slot(QPoint)
    def _show_context_menu(self, pos: QPoint) -> None:
        menu = self._view.createStandardContextMenu(pos)
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, self._new_action)
        hits = self._excerpts_under(pos)
        if hits:
            statement = hits[0].statement
            short = statement if len(statement) <= 60 else statement[:57].rstrip() + "..."
            open_action = QAction(self.tr("Open question: %1").replace("%1", short), menu)
            question_id = hits[0].question_id
            open_action.triggered.connect(lambda: self.question_selected.emit(question_id))
            menu.insertAction(first, open_action)
        menu.insertSeparator(first)
        menu.exec(self._view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    @Slot()
    def _on_selection_changed(self) -> None:
        self._new_action.setEnabled(self._document_id is not None and self.selected_span() is not None)
