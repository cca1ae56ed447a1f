"""The filter bar above the ledger table: search (debounced while typing), status, tag, analyst and
document filters, and how many questions are shown."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from forecastapp.core.queries import QuestionFilter

SEARCH_DEBOUNCE_MS = 200
STATUS_FILTERS = (("All statuses", "all"), ("Open", "open"), ("Due", "due"), ("Resolved", "resolved"),
                  ("Annulled", "annulled"))


def _combo(name: str, accessible: str, minimum_length: int) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    box.setAccessibleName(accessible)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(minimum_length)
    return box


class FilterBar(QWidget):
    """The search field, the quick filters and the result count; says when the filter it describes changed."""

    #: The user changed the search (after a pause in typing, or Enter) or a quick filter.
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        layout = QHBoxLayout(self)
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
        self._search_timer.timeout.connect(self._on_changed)
        self.search_field.textChanged.connect(self._search_timer.start)
        self.search_field.returnPressed.connect(self._on_changed)

        self.status_filter = _combo("statusFilterCombo", "Status filter", 8)
        for text, value in STATUS_FILTERS:
            self.status_filter.addItem(text, value)
        self.tag_filter = _combo("tagFilterCombo", "Tag filter", 8)
        self.analyst_filter = _combo("analystFilterCombo", "Analyst filter", 9)
        self.document_filter = _combo("documentFilterCombo", "Document filter", 10)
        for box, text in ((self.tag_filter, "All tags"), (self.analyst_filter, "All analysts"),
                          (self.document_filter, "All documents")):
            box.addItem(text, None)
        for box in self._combos():
            box.currentIndexChanged.connect(self._on_changed)

        self.result_count = QLabel()
        self.result_count.setObjectName("resultCount")
        self.result_count.setAccessibleName("Number of questions shown")

        layout.addWidget(self.search_field, 3)
        layout.addWidget(self.status_filter)
        layout.addWidget(self.tag_filter)
        layout.addWidget(self.analyst_filter)
        layout.addWidget(self.document_filter, 1)
        layout.addWidget(self.result_count)

    def _combos(self) -> tuple[QComboBox, ...]:
        return self.status_filter, self.tag_filter, self.analyst_filter, self.document_filter

    @Slot()
    def _on_changed(self) -> None:
        self.changed.emit()

    def stop_waiting(self) -> None:
        """Drop the pause after typing: the search is about to be taken as it stands."""
        self._search_timer.stop()

    def current_filter(self) -> QuestionFilter:
        """The filter the bar describes."""
        return QuestionFilter(
            status=self.status_filter.currentData() or "all",
            tag=self.tag_filter.currentData(),
            analyst=self.analyst_filter.currentData(),
            document_id=self.document_filter.currentData(),
            search=self.search_field.text().strip() or None,
        )

    def clear(self) -> None:
        """Reset the search and the quick filters without saying so (the caller re-queries once)."""
        for box in (self.tag_filter, self.analyst_filter, self.document_filter, self.status_filter):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.search_field.blockSignals(True)
        self.search_field.clear()
        self.search_field.blockSignals(False)

    def refill(self, tags: list[str], analysts: list[str], documents: list[tuple[str, str]]) -> None:
        """Replace the tag, analyst and document choices, keeping each one's current choice where it remains."""

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

        refill(self.tag_filter, [(t, t) for t in tags])
        refill(self.analyst_filter, [(a, a) for a in analysts])
        refill(self.document_filter, [(title, doc_id) for doc_id, title in documents])

    def show_count(self, count: int | None) -> None:
        """Show how many questions the table lists (None while the search runs)."""
        if count is None:
            self.result_count.setText("searching…")
            return
        self.result_count.setText(f"{count:,} question{'s' if count != 1 else ''}")
