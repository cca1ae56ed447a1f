"""The scorecard tab: headline figures, reliability diagram, Brier over time and per-group tables.

The figures come from `forecastapp.core.scorecard.build_scorecard`, run off the GUI thread through
`ui/operations/tasks.py` by `operations/scorecard.compute_scorecard` on a connection the worker opens itself.
Each refresh bumps a generation number; a result from an older generation is dropped, so a newer
refresh always wins. Qt Charts is imported only when the first chart is drawn, so building this
widget before the main window's first paint costs nothing extra.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
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
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forecastapp.core.numbers import DASH, format_percent, format_score, format_signed
from forecastapp.core.scorecard_types import Scorecard
from forecastapp.ui.operations.scorecard import ScorecardRequest, ScorecardResult, compute_scorecard
from forecastapp.ui.panels.scorecard_charts import ScorecardCharts
from forecastapp.ui.panels.scorecard_parts import FIGURES, Figure, fill_table, score_table
from forecastapp.ui.widgets.look import tone

#: Delay between the last filter change and the refresh it causes (typing a date changes it per key).
FILTER_DELAY_MS = 250


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
        self._scorecard: Scorecard | None = None
        self._over_time: list[tuple[date, float, float, int]] = []
        self._charts: ScorecardCharts | None = None

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
        self._figures: dict[str, Figure] = {}
        columns = 5
        for i, (name, caption, tip) in enumerate(FIGURES):
            figure = Figure(name, self.tr(caption), self.tr(tip))
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
        self._analyst_table = score_table(self, "scorecardAnalystTable", self.tr("Per analyst"),
                                          ["Analyst", "Pairs", "Brier", "Relative Brier", "Log score", "Skill vs 50%"])
        self._tag_table = score_table(self, "scorecardTagTable", self.tr("Per tag"),
                                      ["Tag", "Pairs", "Brier", "Base rate", "Skill vs 50%"])
        self._term_table = score_table(self, "scorecardTermTable", self.tr("Per estimative term"),
                                       ["Term", "What happened", "Happened", "Range", "Brier"])
        self._horizon_table = score_table(self, "scorecardHorizonTable", self.tr("Per horizon"),
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

    def scorecard(self) -> Scorecard | None:
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
        excluded = flt["exclude_backdated"] or flt["exclude_imported"] or flt["exclude_reworded"]
        return excluded or any(flt[k] is not None for k in ("analyst", "tag", "since", "until"))

    def _show_empty(self, text: str) -> None:
        self._empty.setText(text)
        self._stack.setCurrentWidget(self._empty)

    def _render(self, card: Scorecard) -> None:
        overall = card.overall
        excluded = card.excluded
        notes = (self._backdated_note(card), self._imported_note(card), self._reworded_note(card),
                 self._hindsight_note(card))
        self._set_message(html.escape(" ".join(note for note in notes if note)))
        if overall.n == 0:
            if self._filtered():
                text = self.tr("No resolved forecasts match these filters.")
            else:
                text = self.tr("No resolved forecasts yet \u2014 resolve a question to see your scorecard.")
            due = excluded.due
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
        f["figureN"].set(str(overall.n))
        f["figureBrier"].set(format_score(overall.brier))
        f["figureBrierTimeAveraged"].set(format_score(overall.brier_time_averaged))
        f["figureLogScore"].set(format_score(overall.log_score))
        f["figureBaseRate"].set(format_percent(overall.base_rate))
        f["figureSkill50"].set(format_signed(overall.brier_skill_vs_50, 2))
        f["figureSkillBaseRate"].set(format_signed(overall.brier_skill_vs_base_rate, 2))
        ci = overall.brier_ci90
        f["figureBrierCi90"].set(DASH if not ci else f"{format_score(ci[0])} \u2013 {format_score(ci[1])}")
        n_excluded = excluded.annulled + excluded.condition_not_met + excluded.no_forecast_before_resolution
        f["figureExcluded"].set(str(n_excluded), self.tr("Excluded\n%1 annulled, %2 condition not met, %3 no forecast "
                                                         "in time")
                                .replace("%1", str(excluded.annulled))
                                .replace("%2", str(excluded.condition_not_met))
                                .replace("%3", str(excluded.no_forecast_before_resolution)))
        f["figureDue"].set(str(excluded.due))
        scale = card.scale.brier
        self._scale_note.setText(self.tr("Brier scale: %1.").replace("%1", scale) if scale else "")
        self._fill_tables(card)
        if self._charts is None:
            self._charts = ScorecardCharts(self._charts_row)
        self._charts.show(overall.calibration, self._over_time, self.palette())

    def _backdated_note(self, card: Scorecard) -> str:
        """One line on back-dated forecasts: how many scored pairs rest on one, or were left out ("" if none)."""
        left_out = card.excluded.left_out_for("backdated")
        if card.filters.excludes("backdated"):
            if not left_out:
                return ""
            return self.tr("%1 scored pair(s) whose final forecast was back-dated are left out.").replace(
                "%1", str(left_out))
        n = card.overall.marked_pairs("backdated")
        if not n:
            return ""
        return self.tr("%1 of %2 scored pairs rest on a back-dated final forecast (made on more than a day before "
                       "it was recorded), which could be hindsight.").replace("%1", str(n)).replace(
                           "%2", str(card.overall.n))

    def _imported_note(self, card: Scorecard) -> str:
        """One line on imported history: how many scored pairs rest on it, or were left out ("" if none)."""
        left_out = card.excluded.left_out_for("imported")
        if card.filters.excludes("imported"):
            if not left_out:
                return ""
            return self.tr("%1 scored pair(s) whose final forecast was imported are left out.").replace(
                "%1", str(left_out))
        n = card.overall.marked_pairs("imported")
        if not n:
            return ""
        return self.tr("%1 of %2 scored pairs rest on a final forecast imported from a file, whose dates are the "
                       "file's word.").replace("%1", str(n)).replace("%2", str(card.overall.n))

    def _reworded_note(self, card: Scorecard) -> str:
        """One line on forecasts made on earlier wording: how many pairs rest on one, or were left out ("" if none)."""
        left_out = card.excluded.left_out_for("reworded")
        if card.filters.excludes("reworded"):
            if not left_out:
                return ""
            return self.tr("%1 scored pair(s) whose final forecast was made on earlier wording are left out.").replace(
                "%1", str(left_out))
        n = card.overall.marked_pairs("reworded")
        if not n:
            return ""
        return self.tr("%1 of %2 scored pairs rest on a final forecast made before an edit changed what the question "
                       "asks.").replace("%1", str(n)).replace("%2", str(card.overall.n))

    def _hindsight_note(self, card: Scorecard) -> str:
        """One line on forecasts left out as hindsight ("" if none)."""
        n = card.excluded.hindsight
        if not n:
            return ""
        return self.tr("%1 forecast(s) made or recorded after the outcome was on the record are never "
                       "scored.").replace("%1", str(n))

    def _fill_tables(self, card: Scorecard) -> None:
        def cell(value: float | None, digits: int = 3, signed: bool = False) -> tuple[str, Any, bool]:
            return ((format_signed if signed else format_score)(value, digits), value, True)

        fill_table(self._analyst_table, [[
            (a.name, a.name.casefold(), False), (str(a.n), a.n, True), cell(a.brier),
            cell(a.relative_brier, signed=True), cell(a.log_score),
            cell(a.brier_skill_vs_50, 2, signed=True),
        ] for a in card.analysts if a.n])
        fill_table(self._tag_table, [[
            (t.tag, t.tag, False), (str(t.n), t.n, True), cell(t.brier),
            (format_percent(t.base_rate), t.base_rate, True), cell(t.brier_skill_vs_50, 2, signed=True),
        ] for t in card.tags if t.n])
        term_rows = []
        for t in card.terms:
            if not t.n:
                continue
            said = self.tr("said %1: %2 of %3 happened").replace("%1", t.term).replace(
                "%2", str(t.happened)).replace("%3", str(t.of))
            if t.range:
                said += self.tr(", range %1").replace("%1", t.range)
            term_rows.append([
                (t.term, t.term, False), (said, t.of, False),
                (format_percent(t.base_rate), t.base_rate, True),
                (t.range or DASH, t.low, True), cell(t.brier),
            ])
        fill_table(self._term_table, term_rows)
        fill_table(self._horizon_table, [[
            (h.horizon, i, False), (str(h.n), h.n, True), cell(h.brier),
            cell(h.brier_time_averaged), cell(h.log_score),
        ] for i, h in enumerate(card.horizons)])
        for table in (self._analyst_table, self._tag_table, self._term_table, self._horizon_table):
            height = table.horizontalHeader().height() + table.rowHeight(0) * max(table.rowCount(), 1)
            table.setMinimumHeight(min(height + 4, self.fontMetrics().height() * 10))

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Redraw the charts in the new palette's colours when it switches between light and dark."""
        from PySide6.QtCore import QEvent

        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            if self._integrity_summary is not None:
                self._style_integrity_warning()
            if self._charts is not None and self._scorecard is not None and self._scorecard.overall.n:
                self._charts.show(self._scorecard.overall.calibration, self._over_time, self.palette())
        super().changeEvent(event)
