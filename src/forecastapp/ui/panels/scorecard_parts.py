"""The Scorecard tab's building blocks: headline figures and the per-group tables' cells and set-up."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forecastapp.core.numbers import DASH


class SortItem(QTableWidgetItem):
    """A table cell that sorts by a number (or text) of its own, not by its display string."""

    def __init__(self, text: str, key: Any, *, numeric: bool) -> None:
        super().__init__(text)
        self._key = key
        self.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        if numeric:
            self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self._key, getattr(other, "_key", None)
        # Undefined figures sort after every number, whichever way the column is sorted first.
        if mine is None or theirs is None:
            return mine is not None and theirs is None
        return mine < theirs


class Figure(QFrame):
    """One headline figure: a large value over a short caption."""

    def __init__(self, name: str, caption: str, tooltip: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.value = QLabel(DASH, objectName=name)
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value.setAccessibleName(caption)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName(caption)
        self.setToolTip(tooltip)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        layout.addStretch(1)

    def set(self, text: str, caption: str | None = None) -> None:
        """Show a new value (and optionally a new caption)."""
        self.value.setText(text)
        if caption is not None:
            self.caption.setText(caption)
        self.value.setAccessibleDescription(text)


# (objectName, caption, tool tip) of the headline figures, in reading order.
FIGURES = (
    ("figureN", "Scored pairs",
     "Question-analyst pairs resolved yes or no with a forecast made by the resolution day."),
    ("figureBrier", "Brier score\n0\u20131 scale, lower is better",
     "Mean of (final probability \u2212 outcome)\u00b2. Good Judgment Open and Fatebook use a 0\u20132 scale: "
     "twice these numbers."),
    ("figureBrierTimeAveraged", "Time-averaged Brier\n0\u20131 scale, lower is better",
     "Brier of the forecast in force on each day the question was open to the analyst, averaged."),
    ("figureLogScore", "Log score\nhigher is better, 0 is perfect",
     "Mean natural log of the probability given to what happened."),
    ("figureBaseRate", "Base rate\nshare that resolved yes", "How often the scored questions resolved yes."),
    ("figureSkill50", "Skill vs always 50%\nabove 0 beats a coin flip", "1 \u2212 Brier / 0.25."),
    ("figureSkillBaseRate", "Skill vs base rate\nabove 0 beats guessing the base rate",
     "1 \u2212 Brier / (base rate \u00d7 (1 \u2212 base rate)); undefined when every question went the same way."),
    ("figureBrierCi90", "90% interval of the Brier\nbootstrap, 1,000 resamples",
     "Percentile interval of the mean Brier over resamples of the scored pairs (fixed seed: reproducible)."),
    ("figureExcluded", "Excluded", "Questions not scored: annulled, conditions that did not hold, and questions "
     "resolved with no forecast made by the resolution day."),
    ("figureDue", "Due\nopen past their resolve-by day", "Open questions whose resolve-by day has passed."),
)


def score_table(panel: QWidget, name: str, accessible: str, headers: Sequence[str]) -> QTableWidget:
    """One of the per-group tables: read-only rows, sortable by clicking a header, every part named."""
    table = QTableWidget(0, len(headers), objectName=name)
    table.setHorizontalHeaderLabels([panel.tr(h) for h in headers])
    table.setAccessibleName(accessible)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(panel.fontMetrics().averageCharWidth() * 8)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # unsorted until the user clicks a header
    header.setSortIndicatorClearable(True)
    # The parts Qt adds to a table get names too, so a screen reader never meets an unnamed control.
    header.setAccessibleName(panel.tr("Columns: click to sort"))
    table.verticalHeader().setAccessibleName(panel.tr("Row numbers"))
    table.setCornerButtonEnabled(False)
    corner = table.findChild(QAbstractButton, "qt_tableview_cornerbutton")
    if corner is not None:
        corner.setAccessibleName(panel.tr("Select all"))
    return table


def fill_table(table: QTableWidget, data: list[list[tuple[str, Any, bool]]]) -> None:
    """Fill `table` with (text, sort key, numeric) cells, keeping the user's sort column and order."""
    header = table.horizontalHeader()
    column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
    table.setSortingEnabled(False)
    table.setRowCount(len(data))
    for r, cells in enumerate(data):
        for c, (text, key, numeric) in enumerate(cells):
            table.setItem(r, c, SortItem(text, key, numeric=numeric))
    # Keep the user's sort across refreshes; until they pick one, the scorecard's own order.
    table.setSortingEnabled(True)
    if 0 <= column < table.columnCount():
        table.sortItems(column, order)
