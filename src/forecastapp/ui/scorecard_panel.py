"""The scorecard tab: headline figures, reliability diagram, Brier over time and per-group tables.

The figures come from `forecastapp.core.scorecard.build_scorecard`, run off the GUI thread through
`ui/operations/tasks.py` by `operations/scorecard.compute_scorecard` on a connection the worker opens itself.
Each refresh bumps a generation number; a result from an older generation is dropped, so a newer
refresh always wins. Qt Charts is imported only when the first chart is drawn, so building this
widget before the main window's first paint costs nothing extra.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QMargins, QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forecastapp.core.numbers import DASH, format_percent, format_score, format_signed
from forecastapp.ui.look import is_dark, tone
from forecastapp.ui.operations.scorecard import ScorecardRequest, ScorecardResult, compute_scorecard

#: Delay between the last filter change and the refresh it causes (typing a date changes it per key).
FILTER_DELAY_MS = 250


# ---------------------------------------------------------------- formatting


class _SortItem(QTableWidgetItem):
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


class _Figure(QFrame):
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
_FIGURES = (
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


class ScorecardPanel(QWidget):
    """The scorecard tab: filters, headline figures, two charts and per-group tables."""

    #: A new scorecard is on screen (also emitted for the empty state and for a filter error).
    scorecard_updated = Signal()

    def __init__(self, ledger_service, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scorecardView")
        self.setAccessibleName(self.tr("Scorecard"))
        self._service = ledger_service
        self._generation = 0
        self._task: Any = None
        self._stale = True  # nothing loaded yet: the first show loads
        self._scorecard: dict[str, Any] | None = None
        self._over_time: list[tuple[date, float, float, int]] = []
        self._charts: _Charts | None = None

        self._debounce = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)

        self._build_filters()
        self._busy = QProgressBar(objectName="scorecardBusy")
        self._busy.setRange(0, 0)  # indeterminate: scoring reports no progress
        self._busy.setTextVisible(False)
        self._busy.setMaximumWidth(self.fontMetrics().averageCharWidth() * 14)
        self._busy.setAccessibleName(self.tr("Scoring in progress"))
        self._busy.setToolTip(self.tr("Scoring\u2026"))
        policy = self._busy.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the filters must not shift each time scoring starts
        self._busy.setSizePolicy(policy)
        self._busy.hide()
        # The main window's integrity check, when it found the ledger changed outside the app: the figures
        # are read from stored scores, so they may be forged (set_integrity).
        self._integrity_warning = QLabel(objectName="scorecardIntegrityWarning")
        self._integrity_warning.setWordWrap(True)
        self._integrity_warning.setTextFormat(Qt.TextFormat.PlainText)
        self._integrity_warning.setAccessibleName(self.tr("Integrity warning"))
        self._integrity_warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._integrity_warning.hide()
        self._integrity_summary: str | None = None
        self._message = QLabel(objectName="scorecardMessage")
        self._message.setWordWrap(True)
        self._message.setTextFormat(Qt.TextFormat.RichText)
        self._message.setAccessibleName(self.tr("Scorecard status"))

        self._empty = QLabel(objectName="scorecardEmpty")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setAccessibleName(self.tr("No scorecard yet"))
        font = QFont(self._empty.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self._empty.setFont(font)
        self._empty.setMargin(24)

        self._stack = QStackedWidget(objectName="scorecardStack")
        self._stack.addWidget(self._empty)
        self._stack.addWidget(self._build_content())

        self._filter_row.addWidget(self._busy)
        self._message.hide()  # shown only while it has something to say
        layout = QVBoxLayout(self)
        layout.addWidget(self._integrity_warning)
        layout.addLayout(self._filter_row)
        layout.addLayout(self._exclude_row)
        layout.addWidget(self._message)
        layout.addWidget(self._stack, 1)
        self._show_empty(self.tr("Loading the scorecard\u2026"))

    # ------------------------------------------------------------ building

    def _build_filters(self) -> None:
        self._analyst = QComboBox(objectName="scorecardAnalystFilter")
        self._analyst.setAccessibleName(self.tr("Analyst filter"))
        self._analyst.addItem(self.tr("All analysts"), None)
        self._tag = QComboBox(objectName="scorecardTagFilter")
        self._tag.setAccessibleName(self.tr("Tag filter"))
        self._tag.addItem(self.tr("All tags"), None)
        for combo in (self._analyst, self._tag):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.currentIndexChanged.connect(self._on_filter_changed)

        today = self._service.today()
        self._since_check = QCheckBox(self.tr("Resolved &since"), objectName="scorecardSinceCheck")
        self._since_check.setAccessibleName(self.tr("Filter by resolved since"))
        self._since = QDateEdit(QDate(today.year - 1, today.month, min(today.day, 28)), objectName="scorecardSince")
        self._until_check = QCheckBox(self.tr("&until"), objectName="scorecardUntilCheck")
        self._until_check.setAccessibleName(self.tr("Filter by resolved until"))
        self._until = QDateEdit(QDate(today.year, today.month, today.day), objectName="scorecardUntil")
        self._since.setAccessibleName(self.tr("Resolved since"))
        self._until.setAccessibleName(self.tr("Resolved until"))
        for check, edit in ((self._since_check, self._since), (self._until_check, self._until)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")  # ISO, as the ledger and the CLI write dates
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._on_filter_changed)
            edit.dateChanged.connect(self._on_filter_changed)
        self._exclude_backdated = QCheckBox(self.tr("Exclude &back-dated forecasts"),
                                            objectName="scorecardExcludeBackdated")
        self._exclude_backdated.setAccessibleName(self.tr("Exclude back-dated forecasts"))
        self._exclude_backdated.setToolTip(self.tr(
            "Leave out scored pairs whose final forecast was made on more than a day before it was recorded: "
            "such a forecast could have been made with hindsight."))
        self._exclude_backdated.toggled.connect(self._on_filter_changed)
        self._exclude_imported = QCheckBox(self.tr("Exclude &imported forecasts"),
                                           objectName="scorecardExcludeImported")
        self._exclude_imported.setAccessibleName(self.tr("Exclude imported forecasts"))
        self._exclude_imported.setToolTip(self.tr(
            "Leave out scored pairs whose final forecast came from an imported or merged file: its dates are the "
            "file's word, not this ledger's record."))
        self._exclude_imported.toggled.connect(self._on_filter_changed)
        self._exclude_reworded = QCheckBox(self.tr("Exclude forecasts on earlier &wording"),
                                           objectName="scorecardExcludeReworded")
        self._exclude_reworded.setAccessibleName(self.tr("Exclude forecasts on earlier wording"))
        self._exclude_reworded.setToolTip(self.tr(
            "Leave out scored pairs whose final forecast was made before an edit changed what the question asks "
            "(its statement, criteria, condition or deadline)."))
        self._exclude_reworded.toggled.connect(self._on_filter_changed)

        analyst_label = QLabel(self.tr("&Analyst:"))
        analyst_label.setBuddy(self._analyst)
        tag_label = QLabel(self.tr("&Tag:"))
        tag_label.setBuddy(self._tag)
        row = QHBoxLayout()
        row.addWidget(analyst_label)
        row.addWidget(self._analyst, 1)
        row.addSpacing(8)
        row.addWidget(tag_label)
        row.addWidget(self._tag, 1)
        row.addSpacing(8)
        row.addWidget(self._since_check)
        row.addWidget(self._since)
        row.addWidget(self._until_check)
        row.addWidget(self._until)
        self._filter_row = row
        # What a reader may want to leave out of a track record: a row of its own, so the filters above
        # keep their width at the default window size.
        marks = QHBoxLayout()
        marks.addWidget(self._exclude_backdated)
        marks.addSpacing(8)
        marks.addWidget(self._exclude_imported)
        marks.addSpacing(8)
        marks.addWidget(self._exclude_reworded)
        marks.addStretch(1)
        self._exclude_row = marks

    def _build_content(self) -> QWidget:
        content = QWidget(objectName="scorecardContent")
        grid = QGridLayout()
        grid.setSpacing(8)
        self._figures: dict[str, _Figure] = {}
        columns = 5
        for i, (name, caption, tip) in enumerate(_FIGURES):
            figure = _Figure(name, self.tr(caption), self.tr(tip))
            self._figures[name] = figure
            grid.addWidget(figure, i // columns, i % columns)
        for c in range(columns):
            grid.setColumnStretch(c, 1)
        self._scale_note = QLabel(objectName="scorecardScaleNote")
        self._scale_note.setWordWrap(True)
        self._scale_note.setAccessibleName(self.tr("Scale note"))

        self._charts_row = QHBoxLayout()
        self._charts_host = QWidget(objectName="scorecardCharts")
        self._charts_host.setLayout(self._charts_row)
        self._charts_row.setContentsMargins(0, 0, 0, 0)
        self._charts_host.setMinimumHeight(self.fontMetrics().height() * 18)

        self._tables = QTabWidget(objectName="scorecardTables")
        self._tables.setAccessibleName(self.tr("Scorecard tables"))
        self._analyst_table = self._table("scorecardAnalystTable", self.tr("Per analyst"),
                                          ["Analyst", "Pairs", "Brier", "Relative Brier", "Log score", "Skill vs 50%"])
        self._tag_table = self._table("scorecardTagTable", self.tr("Per tag"),
                                      ["Tag", "Pairs", "Brier", "Base rate", "Skill vs 50%"])
        self._term_table = self._table("scorecardTermTable", self.tr("Per estimative term"),
                                       ["Term", "What happened", "Happened", "Range", "Brier"])
        self._horizon_table = self._table("scorecardHorizonTable", self.tr("Per horizon"),
                                          ["Horizon", "Pairs", "Brier", "Time-averaged Brier", "Log score"])
        terms_header = self._term_table.horizontalHeader()
        terms_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        terms_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for table, title in ((self._analyst_table, "Analysts"), (self._tag_table, "Tags"),
                             (self._term_table, "Estimative terms"), (self._horizon_table, "Horizons")):
            self._tables.addTab(table, self.tr(title))
        self._tables.setMinimumHeight(self.fontMetrics().height() * 12)

        inner = QVBoxLayout(content)
        inner.addLayout(grid)
        inner.addWidget(self._scale_note)
        inner.addWidget(self._charts_host, 3)
        inner.addWidget(self._tables, 2)

        scroll = QScrollArea(objectName="scorecardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        scroll.setAccessibleName(self.tr("Scorecard"))
        return scroll

    def _table(self, name: str, accessible: str, headers: Sequence[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), objectName=name)
        table.setHorizontalHeaderLabels([self.tr(h) for h in headers])
        table.setAccessibleName(accessible)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(self.fontMetrics().averageCharWidth() * 8)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # unsorted until the user clicks a header
        header.setSortIndicatorClearable(True)
        # The parts Qt adds to a table get names too, so a screen reader never meets an unnamed control.
        header.setAccessibleName(self.tr("Columns: click to sort"))
        table.verticalHeader().setAccessibleName(self.tr("Row numbers"))
        table.setCornerButtonEnabled(False)
        corner = table.findChild(QAbstractButton, "qt_tableview_cornerbutton")
        if corner is not None:
            corner.setAccessibleName(self.tr("Select all"))
        return table

    # ------------------------------------------------------------ public API

    @Slot()
    def refresh(self) -> None:
        """Recompute the scorecard in the background (deferred until shown; a newer call supersedes)."""
        self._debounce.stop()
        self._stale = True
        if self.isVisible():
            self._start()

    def set_integrity(self, state: Any) -> None:
        """The main window's last integrity check (its IntegrityState; None while unknown): a ledger that does not
        verify gets a warning line above everything else, since the figures may have been changed."""
        self._integrity_summary = None if state is None or state.ok else state.summary.rstrip(". ")
        if self._integrity_summary is None:
            self._integrity_warning.hide()
            self._integrity_warning.clear()
            return
        self._integrity_warning.setText(self.tr(
            "This ledger does not verify: %1. The figures below may have been changed after they were recorded."
        ).replace("%1", self._integrity_summary))
        self._style_integrity_warning()
        self._integrity_warning.show()

    def integrity_warning(self) -> str:
        """The warning line on top of the tab ("" when there is none)."""
        return self._integrity_warning.text() if self._integrity_summary is not None else ""

    def _style_integrity_warning(self) -> None:
        error = tone("error", self.palette()).name()
        self._integrity_warning.setStyleSheet(
            f"QLabel {{ color: {error}; font-weight: bold; border: 2px solid {error}; border-radius: 4px;"
            " padding: 6px; }")

    def scorecard(self) -> dict[str, Any] | None:
        """The scorecard on screen (None before the first one arrives or after a filter error)."""
        return self._scorecard

    def is_busy(self) -> bool:
        """Whether a scoring run for the current filters is still going."""
        return self._task is not None

    def filters(self) -> dict[str, Any]:
        """The filters as the controls set them (what the next refresh will ask for)."""
        return {
            "analyst": self._analyst.currentData(),
            "tag": self._tag.currentData(),
            "since": self._since.date().toPython() if self._since_check.isChecked() else None,
            "until": self._until.date().toPython() if self._until_check.isChecked() else None,
            "exclude_backdated": self._exclude_backdated.isChecked(),
            "exclude_imported": self._exclude_imported.isChecked(),
            "exclude_reworded": self._exclude_reworded.isChecked(),
        }

    def set_filters(self, *, analyst: str | None = None, tag: str | None = None, since: date | None = None,
                    until: date | None = None, exclude_backdated: bool = False,
                    exclude_imported: bool = False, exclude_reworded: bool = False) -> None:
        """Set every filter at once (None or False clears one) and refresh once."""
        widgets = (self._analyst, self._tag, self._since_check, self._since, self._until_check, self._until,
                   self._exclude_backdated, self._exclude_imported, self._exclude_reworded)
        for w in widgets:
            w.blockSignals(True)
        try:
            self._select(self._analyst, analyst)
            self._select(self._tag, tag)
            pairs = ((self._since_check, self._since, since), (self._until_check, self._until, until))
            for check, edit, value in pairs:
                check.setChecked(value is not None)
                edit.setEnabled(value is not None)
                if value is not None:
                    edit.setDate(QDate(value.year, value.month, value.day))
            self._exclude_backdated.setChecked(exclude_backdated)
            self._exclude_imported.setChecked(exclude_imported)
            self._exclude_reworded.setChecked(exclude_reworded)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.refresh()

    # ------------------------------------------------------------ background run

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Catch up on refreshes asked for while the tab was hidden."""
        super().showEvent(event)
        if self._stale:
            self._start()

    @Slot()
    def _on_filter_changed(self, *_args: Any) -> None:
        self._debounce.start()

    def _start(self) -> None:
        from forecastapp.ui.operations.tasks import run_in_background

        self._stale = False
        if self._task is not None:
            self._task.cancel()  # it may still finish; its generation no longer matches, so it is dropped
        self._generation += 1
        flt = self.filters()
        request = ScorecardRequest(
            path=Path(self._service.path), analyst=flt["analyst"], tag=flt["tag"], since=flt["since"],
            until=flt["until"], today=self._service.today(), now=self._service.now(),
            exclude_backdated=flt["exclude_backdated"], exclude_imported=flt["exclude_imported"],
            exclude_reworded=flt["exclude_reworded"],
        )
        generation = self._generation

        def work(context) -> ScorecardResult:
            return compute_scorecard(request, generation, context.check)

        # ui/operations/tasks.py keeps the task alive until it reports back, whatever happens to this panel.
        self._task = run_in_background(work, on_done=self._on_result, on_error=self._on_error)
        self._busy.show()  # no text line: the layout should not jump on every refresh

    @Slot(object)
    def _on_result(self, result: ScorecardResult) -> None:
        if result.generation != self._generation:
            return  # superseded by a newer refresh
        self._task = None
        self._busy.hide()
        self._fill_choices(result.analysts, result.tags)
        if result.error is not None:
            self._scorecard = None
            self._set_message(f"<span style='color:{tone('error', self.palette()).name()}'>"
                              f"{html.escape(result.error)}</span>")
            self.scorecard_updated.emit()
            return
        self._scorecard = result.scorecard
        self._over_time = list(result.over_time)
        self._render(result.scorecard)
        self.scorecard_updated.emit()

    @Slot(str)
    def _on_error(self, message: str) -> None:
        if self.sender() is not self._task:
            return
        self._task = None
        self._busy.hide()
        self._scorecard = None
        self._set_message(html.escape(self.tr("The scorecard could not be built: %1").replace("%1", message)))
        self.scorecard_updated.emit()

    # ------------------------------------------------------------ showing a scorecard

    @staticmethod
    def _select(combo: QComboBox, value: str | None) -> None:
        index = combo.findData(value)
        if index < 0 and value is not None:
            combo.addItem(value, value)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))

    def _fill_choices(self, analysts: Sequence[str], tags: Sequence[str]) -> None:
        for combo, values, everyone in ((self._analyst, analysts, self.tr("All analysts")),
                                        (self._tag, tags, self.tr("All tags"))):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for value in values:
                combo.addItem(value, value)
            # A filter whose value vanished stays chosen, so the figures keep matching the controls.
            self._select(combo, current)
            combo.blockSignals(False)

    def _set_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.setVisible(bool(text))

    def _filtered(self) -> bool:
        flt = self.filters()
        return flt["exclude_backdated"] or flt["exclude_imported"] or flt["exclude_reworded"] or any(flt[k] is not None for k in ("analyst", "tag", "since", "until"))

    def _show_empty(self, text: str) -> None:
        self._empty.setText(text)
        self._stack.setCurrentWidget(self._empty)

    def _render(self, card: dict[str, Any]) -> None:
        overall = card["overall"]
        excluded = card["excluded"]
        notes = (self._backdated_note(card), self._imported_note(card), self._reworded_note(card),
                 self._hindsight_note(card))
        self._set_message(html.escape(" ".join(note for note in notes if note)))
        if overall["n"] == 0:
            if self._filtered():
                text = self.tr("No resolved forecasts match these filters.")
            else:
                text = self.tr("No resolved forecasts yet \u2014 resolve a question to see your scorecard.")
            due = excluded.get("due", 0)
            if due:
                if due == 1:
                    text += "\n\n" + self.tr("1 question is past its resolve-by day and waits for its outcome.")
                else:
                    text += "\n\n" + self.tr("%1 questions are past their resolve-by day and wait for their "
                                               "outcome.").replace("%1", str(due))
            self._show_empty(text)
            return
        self._stack.setCurrentIndex(1)
        f = self._figures
        f["figureN"].set(str(overall["n"]))
        f["figureBrier"].set(format_score(overall["brier"]))
        f["figureBrierTimeAveraged"].set(format_score(overall["brier_time_averaged"]))
        f["figureLogScore"].set(format_score(overall["log_score"]))
        f["figureBaseRate"].set(format_percent(overall["base_rate"]))
        f["figureSkill50"].set(format_signed(overall["brier_skill_vs_50"], 2))
        f["figureSkillBaseRate"].set(format_signed(overall["brier_skill_vs_base_rate"], 2))
        ci = overall["brier_ci90"]
        f["figureBrierCi90"].set(DASH if not ci else f"{format_score(ci[0])} \u2013 {format_score(ci[1])}")
        n_excluded = excluded["annulled"] + excluded["condition_not_met"] + excluded["no_forecast_before_resolution"]
        f["figureExcluded"].set(str(n_excluded), self.tr("Excluded\n%1 annulled, %2 condition not met, %3 no forecast "
                                                         "in time")
                                .replace("%1", str(excluded["annulled"]))
                                .replace("%2", str(excluded["condition_not_met"]))
                                .replace("%3", str(excluded["no_forecast_before_resolution"])))
        f["figureDue"].set(str(excluded["due"]))
        scale = card.get("scale", {}).get("brier")
        self._scale_note.setText(self.tr("Brier scale: %1.").replace("%1", scale) if scale else "")
        self._fill_tables(card)
        if self._charts is None:
            self._charts = _Charts(self._charts_row)
        self._charts.show(overall["calibration"], self._over_time, self.palette())

    def _backdated_note(self, card: dict[str, Any]) -> str:
        """One line on back-dated forecasts: how many scored pairs rest on one, or were left out ("" if none)."""
        left_out = card["excluded"].get("backdated", 0)
        if card["filters"].get("exclude_backdated"):
            if not left_out:
                return ""
            return self.tr("%1 scored pair(s) whose final forecast was back-dated are left out.").replace(
                "%1", str(left_out))
        n = card["overall"].get("backdated_pairs", 0)
        if not n:
            return ""
        return self.tr("%1 of %2 scored pairs rest on a back-dated final forecast (made on more than a day before "
                       "it was recorded), which could be hindsight.").replace("%1", str(n)).replace(
                           "%2", str(card["overall"]["n"]))

    def _imported_note(self, card: dict[str, Any]) -> str:
        """One line on imported history: how many scored pairs rest on it, or were left out ("" if none)."""
        left_out = card["excluded"].get("imported", 0)
        if card["filters"].get("exclude_imported"):
            if not left_out:
                return ""
            return self.tr("%1 scored pair(s) whose final forecast was imported are left out.").replace(
                "%1", str(left_out))
        n = card["overall"].get("imported_pairs", 0)
        if not n:
            return ""
        return self.tr("%1 of %2 scored pairs rest on a final forecast imported from a file, whose dates are the "
                       "file's word.").replace("%1", str(n)).replace("%2", str(card["overall"]["n"]))

    def _reworded_note(self, card: dict[str, Any]) -> str:
        """One line on forecasts made on earlier wording: how many pairs rest on one, or were left out ("" if none)."""
        left_out = card["excluded"].get("reworded", 0)
        if card["filters"].get("exclude_reworded"):
            if not left_out:
                return ""
            return self.tr("%1 scored pair(s) whose final forecast was made on earlier wording are left out.").replace(
                "%1", str(left_out))
        n = card["overall"].get("reworded_pairs", 0)
        if not n:
            return ""
        return self.tr("%1 of %2 scored pairs rest on a final forecast made before an edit changed what the question "
                       "asks.").replace("%1", str(n)).replace("%2", str(card["overall"]["n"]))

    def _hindsight_note(self, card: dict[str, Any]) -> str:
        """One line on forecasts left out as hindsight ("" if none)."""
        n = card["excluded"].get("hindsight", 0)
        if not n:
            return ""
        return self.tr("%1 forecast(s) made or recorded after the outcome was on the record are never "
                       "scored.").replace("%1", str(n))

    def _fill_tables(self, card: dict[str, Any]) -> None:
        def rows(table: QTableWidget, data: list[list[tuple[str, Any, bool]]]) -> None:
            header = table.horizontalHeader()
            column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
            table.setSortingEnabled(False)
            table.setRowCount(len(data))
            for r, cells in enumerate(data):
                for c, (text, key, numeric) in enumerate(cells):
                    table.setItem(r, c, _SortItem(text, key, numeric=numeric))
            # Keep the user's sort across refreshes; until they pick one, the scorecard's own order.
            table.setSortingEnabled(True)
            if 0 <= column < table.columnCount():
                table.sortItems(column, order)

        def cell(value: float | None, digits: int = 3, signed: bool = False) -> tuple[str, Any, bool]:
            return ((format_signed if signed else format_score)(value, digits), value, True)

        rows(self._analyst_table, [[
            (a["name"], a["name"].casefold(), False), (str(a["n"]), a["n"], True), cell(a["brier"]),
            cell(a.get("relative_brier"), signed=True), cell(a["log_score"]),
            cell(a["brier_skill_vs_50"], 2, signed=True),
        ] for a in card["analysts"] if a["n"]])
        rows(self._tag_table, [[
            (t["tag"], t["tag"], False), (str(t["n"]), t["n"], True), cell(t["brier"]),
            (format_percent(t["base_rate"]), t["base_rate"], True), cell(t["brier_skill_vs_50"], 2, signed=True),
        ] for t in card["tags"] if t["n"]])
        term_rows = []
        for t in card["terms"]:
            if not t["n"]:
                continue
            said = self.tr("said %1: %2 of %3 happened").replace("%1", t["term"]).replace(
                "%2", str(t["happened"])).replace("%3", str(t["of"]))
            if t.get("range"):
                said += self.tr(", range %1").replace("%1", t["range"])
            term_rows.append([
                (t["term"], t["term"], False), (said, t["of"], False),
                (format_percent(t["base_rate"]), t["base_rate"], True),
                (t.get("range") or DASH, t.get("low"), True), cell(t["brier"]),
            ])
        rows(self._term_table, term_rows)
        rows(self._horizon_table, [[
            (h["horizon"], i, False), (str(h["n"]), h["n"], True), cell(h["brier"]),
            cell(h["brier_time_averaged"]), cell(h["log_score"]),
        ] for i, h in enumerate(card["horizons"])])
        for table in (self._analyst_table, self._tag_table, self._term_table, self._horizon_table):
            height = table.horizontalHeader().height() + table.rowHeight(0) * max(table.rowCount(), 1)
            table.setMinimumHeight(min(height + 4, self.fontMetrics().height() * 10))

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Redraw the charts in the new palette's colours when it switches between light and dark."""
        from PySide6.QtCore import QEvent

        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            if self._integrity_summary is not None:
                self._style_integrity_warning()
            if self._charts is not None and self._scorecard is not None and self._scorecard["overall"]["n"]:
                self._charts.show(self._scorecard["overall"]["calibration"], self._over_time, self.palette())
        super().changeEvent(event)


# ---------------------------------------------------------------- charts (Qt Charts loaded here only)


@lru_cache(maxsize=1)
def _qtcharts():
    """The Qt Charts module, imported on first use (it costs start-up time the first paint need not pay)."""
    from PySide6 import QtCharts

    return QtCharts


class _Charts:
    """The reliability diagram and the Brier-over-time chart, side by side in `row`."""

    def __init__(self, row: QHBoxLayout) -> None:
        qc = _qtcharts()
        self.reliability = qc.QChartView(objectName="reliabilityChart")
        self.reliability.setAccessibleName("Reliability diagram")
        self.over_time = qc.QChartView(objectName="brierOverTimeChart")
        self.over_time.setAccessibleName("Brier over time")
        for view in (self.reliability, self.over_time):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumWidth(view.fontMetrics().averageCharWidth() * 40)
            row.addWidget(view, 1)

    def show(self, calibration: list[dict[str, Any]], over_time: list[tuple[date, float, float, int]],
             palette: QPalette) -> None:
        """Redraw both charts from a scorecard's calibration bins and Brier-over-time points."""
        self.reliability.setChart(_reliability_chart(calibration, palette))
        self.reliability.setAccessibleDescription(_describe_bins(calibration))
        self.over_time.setChart(_over_time_chart(over_time, palette))
        if over_time:
            last = over_time[-1]
            self.over_time.setAccessibleDescription(
                f"Cumulative mean Brier {format_score(last[2])} after {last[3]} pairs, last resolved "
                f"{last[0].isoformat()}")


def _describe_bins(calibration: list[dict[str, Any]]) -> str:
    parts = [
        f"forecasts {format_percent(b['lower']).rstrip('%')}-{format_percent(b['upper'])}: {b['n']} pairs, "
        f"{format_percent(b['observed'])} happened"
        for b in calibration if b["n"]
    ]
    return "; ".join(parts)


def _style_chart(chart, palette: QPalette, title: str) -> None:
    qc = _qtcharts()
    chart.setTheme(qc.QChart.ChartTheme.ChartThemeDark if is_dark(palette) else qc.QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setTitle(title)
    title_font = QFont(chart.titleFont())
    title_font.setPointSizeF(QFont().pointSizeF() * 1.1)
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.setTitleBrush(palette.color(QPalette.ColorRole.Text))
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    legend.setLabelColor(palette.color(QPalette.ColorRole.Text))
    legend.setFont(QFont())


def _axis(chart, axis, title: str, palette: QPalette, alignment: Qt.AlignmentFlag) -> None:
    text = palette.color(QPalette.ColorRole.Text)
    grid = QColor(palette.color(QPalette.ColorRole.Mid))
    grid.setAlpha(110)
    axis.setTitleText(title)
    axis.setTitleBrush(text)
    axis.setLabelsColor(text)
    axis.setLabelsFont(QFont())
    axis.setTitleFont(QFont())
    axis.setGridLineColor(grid)
    axis.setLinePenColor(palette.color(QPalette.ColorRole.Mid))
    chart.addAxis(axis, alignment)


def _attach(chart, series, x_axis, y_axis, *, in_legend: bool = True) -> None:
    chart.addSeries(series)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)
    if not in_legend:
        for marker in chart.legend().markers(series):
            marker.setVisible(False)


def _reliability_chart(calibration: list[dict[str, Any]], palette: QPalette):
    qc = _qtcharts()
    chart = qc.QChart()
    _style_chart(chart, palette, "Reliability: forecast vs what happened")
    x = qc.QValueAxis()
    y = qc.QValueAxis()
    for axis in (x, y):
        # Ticks every 0.2 from 0; a little room beyond 0 and 1 so the points and their "n=" labels
        # at the edges are not cut in half by the plot area.
        axis.setTickType(qc.QValueAxis.TickType.TicksDynamic)
        axis.setTickAnchor(0.0)
        axis.setTickInterval(0.2)
        axis.setLabelFormat("%.1f")
    x.setRange(-0.03, 1.03)
    y.setRange(-0.05, 1.12)
    _axis(chart, x, "Mean forecast in bin", palette, Qt.AlignmentFlag.AlignBottom)
    _axis(chart, y, "Observed frequency (yes)", palette, Qt.AlignmentFlag.AlignLeft)

    diagonal = qc.QLineSeries(name="Perfect calibration")
    diagonal.append(-0.03, -0.03)
    diagonal.append(1.03, 1.03)
    pen = QPen(palette.color(QPalette.ColorRole.PlaceholderText), 1.5, Qt.PenStyle.DashLine)
    diagonal.setPen(pen)
    _attach(chart, diagonal, x, y)

    accent = tone("accent", palette)
    bars = QColor(accent)
    bars.setAlpha(170)
    filled = [b for b in calibration if b["n"]]
    biggest = max((b["n"] for b in filled), default=1)
    first_bar = True
    for b in filled:
        fx, oy = b["mean_forecast"], b["observed"]
        if b["ci_low"] is not None and b["ci_high"] is not None:
            # An "I" drawn as one line series: cap, stem, cap (line series connect points in order).
            cap = 0.012
            bar = qc.QLineSeries(name="Wilson 95% interval")
            for px, py in ((fx - cap, b["ci_low"]), (fx + cap, b["ci_low"]), (fx, b["ci_low"]),
                           (fx, b["ci_high"]), (fx - cap, b["ci_high"]), (fx + cap, b["ci_high"])):
                bar.append(px, py)
            bar.setPen(QPen(bars, 1.5))
            _attach(chart, bar, x, y, in_legend=first_bar)
            first_bar = False
    first_point = True
    for b in filled:
        point = qc.QScatterSeries(name="Bin (size and label: number of pairs)")
        point.append(b["mean_forecast"], b["observed"])
        # Marker area grows with n, so a bin of 40 pairs outweighs a bin of 1 at a glance.
        point.setMarkerSize(8 + 14 * math.sqrt(b["n"] / biggest))
        point.setColor(accent)
        point.setBorderColor(palette.color(QPalette.ColorRole.Base))
        point.setPointLabelsVisible(True)
        point.setPointLabelsFormat(f"n={b['n']}")
        point.setPointLabelsColor(palette.color(QPalette.ColorRole.Text))
        point.setPointLabelsClipping(False)
        _attach(chart, point, x, y, in_legend=first_point)
        first_point = False
    return chart


def _over_time_chart(points: list[tuple[date, float, float, int]], palette: QPalette):
    qc = _qtcharts()
    chart = qc.QChart()
    _style_chart(chart, palette, "Brier over time (lower is better)")
    x = qc.QDateTimeAxis()
    x.setFormat("yyyy-MM")
    x.setTickCount(5)
    y = qc.QValueAxis()
    y.setLabelFormat("%.2f")
    _axis(chart, x, "Resolution day", palette, Qt.AlignmentFlag.AlignBottom)
    _axis(chart, y, "Brier (0\u20131)", palette, Qt.AlignmentFlag.AlignLeft)

    epoch = date(1970, 1, 1)

    def ms(day: date) -> float:
        # Noon UTC, so the day reads the same in any time zone within 12 hours of UTC. Plain
        # arithmetic: building a QDateTime per point cost a quarter of a second on 3,000 days.
        return float((day - epoch).days * 86_400_000 + 43_200_000)

    first = points[0][0] if points else date.today()
    last = points[-1][0] if points else first
    # Month labels repeat on a short span ("2025-12, 2025-12"); days then.
    x.setFormat("yyyy-MM-dd" if (last - first).days < 240 else "yyyy-MM")
    # Pad a short span so one resolution day still gets a readable axis.
    pad = max(timedelta(days=15), (last - first) * 0.04)
    x.setRange(QDateTime.fromMSecsSinceEpoch(int(ms(first - pad))), QDateTime.fromMSecsSinceEpoch(int(ms(last + pad))))
    top = min(1.0, math.ceil(max([0.3] + [p[1] for p in points]) * 10) / 10)
    y.setRange(0.0, top)
    y.setTickCount(round(top * 10) + 1 if top <= 0.5 else 6)  # a tick per 0.1 while that stays legible

    coin = qc.QLineSeries(name="Always 50% (0.25)")
    coin.append(ms(first - pad), 0.25)
    coin.append(ms(last + pad), 0.25)
    coin.setPen(QPen(palette.color(QPalette.ColorRole.PlaceholderText), 1.5, Qt.PenStyle.DashLine))
    _attach(chart, coin, x, y)

    daily = qc.QScatterSeries(name="Mean Brier per day")
    dot = QColor(tone("annulled", palette))
    daily.setColor(dot)
    daily.setBorderColor(dot)
    daily.setMarkerSize(7)
    cumulative = qc.QLineSeries(name="Cumulative mean Brier")
    cumulative.setPen(QPen(tone("accent", palette), 2.5))
    cumulative.setPointsVisible(len(points) < 30)  # a lone day is otherwise a line of length zero
    # One bulk replace per series instead of an append (and a repaint request) per point.
    daily.replace([QPointF(ms(day), day_mean) for day, day_mean, _running, _n in points])
    cumulative.replace([QPointF(ms(day), running) for day, _day_mean, running, _n in points])
    _attach(chart, daily, x, y)
    _attach(chart, cumulative, x, y)
    return chart
