"""The scorecard tab: the right figures for a hand-built ledger, filters, updates after a
resolution, the empty state, and scoring off the GUI thread with newer refreshes winning."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
import time
from datetime import date

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QTableWidget

from forecastapp.core import ledger as ops
from forecastapp.core.resources import read_text
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.panels import scorecard as scorecard_panel
from forecastapp.ui.panels.scorecard import ScorecardPanel
from tests.conftest import NOW, TODAY

WAIT_MS = 15_000
MADE_ON = date(2026, 1, 5)

# (statement, tags, forecasts [(analyst, p, term)], outcome, resolved on)
HAND_LEDGER = [
    ("Q1 the budget passes", ("econ",), [("Ann", 0.875, "very likely")], "yes", date(2026, 3, 1)),
    ("Q2 rates rise", ("econ",), [("Ann", 0.3, None)], "no", date(2026, 4, 1)),
    ("Q3 the minister resigns", ("politics",), [("Ann", 0.6, None), ("Bo", 0.2, None)], "no", date(2026, 6, 1)),
    ("Q4 the coalition holds", ("politics",), [("Ann", 0.875, "very likely")], "no", date(2026, 9, 1)),
]


def brier(p: float, o: int) -> float:
    """SCORING.md's per-pair Brier, written out here so the test does not lean on the code under test."""
    return (p - o) ** 2


def shown_text(value: float, digits: int = 3, signed: bool = False) -> str:
    """How the panel prints a figure: fixed decimals, a true minus sign."""
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    return text.replace("-", "\u2212")


def build_hand_ledger(db) -> dict[str, str]:
    ids = {}
    for statement, tags, forecasts, outcome, resolved_on in HAND_LEDGER:
        analyst, p, term = forecasts[0]
        qid, _ = ops.create_forecast(db, ops.NewQuestion(statement=statement, tags=tags), analyst=analyst,
                                     probability=p, term=term, made_on=MADE_ON, today=TODAY, now=NOW)
        for analyst, p, term in forecasts[1:]:
            ops.add_forecast(db, question_id=qid, analyst=analyst, probability=p, term=term, made_on=MADE_ON,
                             today=TODAY, now=NOW)
        ops.resolve(db, question_id=qid, outcome=outcome, resolved_on=resolved_on, today=TODAY, now=NOW)
        ids[statement[:2]] = qid
    return ids


def expected_pairs(keep=lambda statement, analyst, resolved_on: True) -> list[tuple[float, int]]:
    out = []
    for statement, _tags, forecasts, outcome, resolved_on in HAND_LEDGER:
        for analyst, p, _term in forecasts:
            if keep(statement, analyst, resolved_on):
                out.append((p, 1 if outcome == "yes" else 0))
    return out


def mean_brier(pairs: list[tuple[float, int]]) -> float:
    return sum(brier(p, o) for p, o in pairs) / len(pairs)


@pytest.fixture
def make_panel(qtbot):
    def make(db, path) -> ScorecardPanel:
        panel = ScorecardPanel(LedgerService(db, path, now=lambda: NOW, today=lambda: TODAY))
        qtbot.addWidget(panel)
        panel.resize(1100, 850)
        with qtbot.waitSignal(panel.scorecard_updated, timeout=WAIT_MS):
            panel.show()
        return panel

    return make


@pytest.fixture
def hand_panel(ledger, db_path, make_panel):
    build_hand_ledger(ledger)
    return make_panel(ledger, db_path)


def figure(panel: ScorecardPanel, name: str) -> str:
    return panel.findChild(QLabel, name).text()


def table_rows(panel: ScorecardPanel, name: str) -> list[list[str]]:
    table = panel.findChild(QTableWidget, name)
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_headline_figures_for_a_hand_built_ledger(hand_panel):
    pairs = expected_pairs()
    n = len(pairs)  # 5: Q1, Q2, Q4 by Ann, Q3 by Ann and by Bo
    overall = mean_brier(pairs)
    log_score = sum(math.log(p if o else 1 - p) for p, o in pairs) / n
    assert hand_panel.findChild(QLabel, "figureN").isVisible()
    assert not hand_panel.findChild(QLabel, "scorecardEmpty").isVisible()
    assert figure(hand_panel, "figureN") == "5" == str(n)
    assert figure(hand_panel, "figureBrier") == shown_text(overall)
    assert figure(hand_panel, "figureLogScore") == shown_text(log_score)
    assert figure(hand_panel, "figureSkill50") == shown_text(1 - overall / 0.25, 2, signed=True)
    base_rate = sum(o for _p, o in pairs) / n  # 1 of 5 resolved yes
    assert figure(hand_panel, "figureBaseRate") == f"{100 * base_rate:.0f}%"
    assert figure(hand_panel, "figureSkillBaseRate") == shown_text(
        1 - overall / (base_rate * (1 - base_rate)), 2, signed=True)
    # The scale is stated next to the numbers.
    assert "0\u20131 scale" in hand_panel.findChild(QLabel, "figureBrier").parent().caption.text()


def test_per_analyst_and_per_term_tables(hand_panel):
    ann = mean_brier(expected_pairs(lambda s, a, r: a == "Ann"))
    bo = mean_brier(expected_pairs(lambda s, a, r: a == "Bo"))
    # Only Q3 is shared: Ann's Brier there minus Bo's (the median of one other), and the reverse.
    relative_ann = brier(0.6, 0) - brier(0.2, 0)
    rows = table_rows(hand_panel, "scorecardAnalystTable")
    assert rows[0][:4] == ["Ann", "4", shown_text(ann), shown_text(relative_ann, signed=True)]
    assert rows[1][:4] == ["Bo", "1", shown_text(bo), shown_text(-relative_ann, signed=True)]
    terms = table_rows(hand_panel, "scorecardTermTable")
    assert terms == [["very likely", "said very likely: 1 of 2 happened, range 80-95%", "50%", "80-95%",
                      shown_text((brier(0.875, 1) + brier(0.875, 0)) / 2)]]
    tags = {row[0]: row[1:3] for row in table_rows(hand_panel, "scorecardTagTable")}
    assert tags == {
        "econ": ["2", shown_text(mean_brier(expected_pairs(lambda s, a, r: s.startswith(("Q1", "Q2")))))],
        "politics": ["3", shown_text(mean_brier(expected_pairs(lambda s, a, r: s.startswith(("Q3", "Q4")))))],
    }
    horizons = table_rows(hand_panel, "scorecardHorizonTable")
    # Every pair was forecast on 5 January and resolved within 240 days: all under 6 months or 6-24 months.
    short = expected_pairs(lambda s, a, r: (r - MADE_ON).days < 183)
    assert horizons[0][:3] == ["under 6 months", str(len(short)), shown_text(mean_brier(short))]


def test_reliability_diagram_plots_each_bin_with_its_wilson_interval(hand_panel):
    from PySide6.QtCharts import QChartView, QLineSeries, QScatterSeries

    chart = hand_panel.findChild(QChartView, "reliabilityChart").chart()
    points = sorted((round(s.at(0).x(), 6), round(s.at(0).y(), 6))
                    for s in chart.series() if isinstance(s, QScatterSeries))
    # Bins by final probability: 0.2 (Bo, no), 0.3 (no), 0.6 (no), 0.875 twice (one yes, one no).
    assert points == [(0.2, 0.0), (0.3, 0.0), (0.6, 0.0), (0.875, 0.5)]
    # The bar at 0.875 spans the Wilson 95% interval of 1 yes in 2.
    z, n, phat = 1.959964, 2, 0.5
    centre = (phat + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    bars = [s for s in chart.series() if isinstance(s, QLineSeries) and not isinstance(s, QScatterSeries)
            and s.name() == "Wilson 95% interval"]
    spans = {round(s.at(2).x(), 6): (s.at(2).y(), s.at(3).y()) for s in bars}
    low, high = spans[0.875]
    assert low == pytest.approx(centre - half) and high == pytest.approx(centre + half)


def test_brier_over_time_ends_at_the_overall_mean(hand_panel):
    from PySide6.QtCharts import QChartView

    chart = hand_panel.findChild(QChartView, "brierOverTimeChart").chart()
    (cumulative,) = [s for s in chart.series() if s.name() == "Cumulative mean Brier"]
    days = sorted({r for *_x, r in HAND_LEDGER})
    assert cumulative.count() == len(days)
    first_day = mean_brier(expected_pairs(lambda s, a, r: r == days[0]))
    assert cumulative.at(0).y() == pytest.approx(first_day)
    assert cumulative.at(cumulative.count() - 1).y() == pytest.approx(mean_brier(expected_pairs()))


def test_a_new_resolution_shows_after_refresh(qtbot, hand_panel, ledger):
    qid, _ = ops.create_forecast(ledger, ops.NewQuestion(statement="Q5 turnout tops 60%"), analyst="Bo",
                                 probability=0.7, made_on=MADE_ON, today=TODAY, now=NOW)
    ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=date(2026, 10, 1), today=TODAY, now=NOW)
    assert figure(hand_panel, "figureN") == "5"  # nothing changes until the main window says so
    with qtbot.waitSignal(hand_panel.scorecard_updated, timeout=WAIT_MS):
        hand_panel.refresh()
    pairs = expected_pairs() + [(0.7, 1)]
    assert figure(hand_panel, "figureN") == "6"
    assert figure(hand_panel, "figureBrier") == shown_text(mean_brier(pairs))


def test_analyst_filter_changes_the_figures(qtbot, hand_panel):
    combo = hand_panel.findChild(QComboBox, "scorecardAnalystFilter")
    assert [combo.itemText(i) for i in range(combo.count())] == ["All analysts", "Ann", "Bo"]
    with qtbot.waitSignal(hand_panel.scorecard_updated, timeout=WAIT_MS):
        combo.setCurrentIndex(combo.findText("Bo"))
    assert figure(hand_panel, "figureN") == "1"
    assert figure(hand_panel, "figureBrier") == shown_text(brier(0.2, 0))


def test_tag_filter_changes_the_figures(qtbot, hand_panel):
    combo = hand_panel.findChild(QComboBox, "scorecardTagFilter")
    with qtbot.waitSignal(hand_panel.scorecard_updated, timeout=WAIT_MS):
        combo.setCurrentIndex(combo.findText("econ"))
    econ = expected_pairs(lambda s, a, r: s.startswith(("Q1", "Q2")))
    assert figure(hand_panel, "figureN") == str(len(econ))
    assert figure(hand_panel, "figureBrier") == shown_text(mean_brier(econ))


def test_since_filter_keeps_later_resolutions(qtbot, hand_panel):
    since = date(2026, 5, 1)
    edit = hand_panel.findChild(QDateEdit, "scorecardSince")
    check = hand_panel.findChild(QCheckBox, "scorecardSinceCheck")
    assert not edit.isEnabled()
    with qtbot.waitSignal(hand_panel.scorecard_updated, timeout=WAIT_MS):
        edit.blockSignals(True)
        check.setChecked(True)
        edit.blockSignals(False)
        edit.setDate(since)
    later = expected_pairs(lambda s, a, r: r >= since)
    assert figure(hand_panel, "figureN") == str(len(later))
    assert figure(hand_panel, "figureBrier") == shown_text(mean_brier(later))


def test_since_after_until_is_explained_not_raised(qtbot, hand_panel):
    with qtbot.waitSignal(hand_panel.scorecard_updated, timeout=WAIT_MS):
        hand_panel.set_filters(since=date(2026, 6, 1), until=date(2026, 1, 1))
    message = hand_panel.findChild(QLabel, "scorecardMessage")
    assert message.isVisible() and "2026-06-01" in message.text() and "swap" in message.text()


def test_filter_matching_nothing_says_so(qtbot, hand_panel):
    with qtbot.waitSignal(hand_panel.scorecard_updated, timeout=WAIT_MS):
        hand_panel.set_filters(analyst="Bo", tag="econ")
    empty = hand_panel.findChild(QLabel, "scorecardEmpty")
    assert empty.isVisible()
    assert "No resolved forecasts match these filters" in empty.text()


def test_empty_ledger_shows_a_friendly_state(ledger, db_path, make_panel):
    panel = make_panel(ledger, db_path)
    empty = panel.findChild(QLabel, "scorecardEmpty")
    assert empty.isVisible()
    assert empty.text().startswith("No resolved forecasts yet \u2014 resolve a question to see your scorecard")
    assert panel.scorecard().overall.n == 0


def test_seeded_ledger_has_no_scores_yet_but_counts_due_questions(seeded_ledger, seeded_path, make_panel):
    panel = make_panel(seeded_ledger, seeded_path)
    questions = json.loads(read_text("seed/north-korea-2023-outlook.json"))["questions"]
    due = sum(1 for q in questions if date.fromisoformat(q["resolve_by"]) < TODAY)
    text = panel.findChild(QLabel, "scorecardEmpty").text()
    assert "No resolved forecasts yet" in text
    assert f"{due} questions are past their resolve-by day" in text


def test_scoring_runs_off_the_gui_thread(qtbot, hand_panel, monkeypatch):
    threads = []
    original = scorecard_panel.compute_scorecard

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(scorecard_panel, "compute_scorecard", spy)
    with qtbot.waitSignal(hand_panel.scorecard_updated, timeout=WAIT_MS):
        hand_panel.refresh()
        assert hand_panel.is_busy()
    assert not hand_panel.is_busy()
    assert threads and threads[0] is not threading.main_thread()


def test_a_newer_refresh_supersedes_an_older_one(qtbot, hand_panel, monkeypatch):
    original = scorecard_panel.compute_scorecard

    def slow_and_deaf(request, generation, check):
        # Ignore the cancel flag and take a moment, so the older run really finishes after the newer
        # refresh was asked for; only the generation check can keep its result off the screen.
        time.sleep(0.2)
        return original(request, generation)

    monkeypatch.setattr(scorecard_panel, "compute_scorecard", slow_and_deaf)
    updates = []
    hand_panel.scorecard_updated.connect(lambda: updates.append(hand_panel.filters()["analyst"]))
    hand_panel.set_filters(analyst="Bo")  # starts a run ...
    with qtbot.waitSignal(hand_panel.scorecard_updated, timeout=WAIT_MS):
        hand_panel.set_filters(analyst=None)  # ... that this one replaces before it reports
    qtbot.wait(600)  # the older run's result would arrive by now; it must be dropped
    assert updates == [None]
    assert figure(hand_panel, "figureN") == str(len(expected_pairs()))


def test_refresh_while_hidden_waits_for_the_tab_to_show(qtbot, hand_panel, ledger):
    hand_panel.hide()
    qid, _ = ops.create_forecast(ledger, ops.NewQuestion(statement="Q6"), analyst="Ann", probability=0.5,
                                 made_on=MADE_ON, today=TODAY, now=NOW)
    ops.resolve(ledger, question_id=qid, outcome="no", resolved_on=date(2026, 10, 1), today=TODAY, now=NOW)
    hand_panel.refresh()
    assert not hand_panel.is_busy()
    with qtbot.waitSignal(hand_panel.scorecard_updated, timeout=WAIT_MS):
        hand_panel.show()
    assert figure(hand_panel, "figureN") == "6"


def test_every_control_has_an_accessible_name(hand_panel):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QTabWidget

    for kind in (QComboBox, QAbstractSpinBox, QAbstractButton, QTableWidget, QTabWidget):
        for widget in hand_panel.findChildren(kind):
            if widget.isVisibleTo(hand_panel) and widget.parent() is not None:
                name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
                assert name, f"{type(widget).__name__} {widget.objectName()!r} has no accessible name"


def test_qt_charts_is_not_imported_until_a_chart_is_drawn():
    code = ("import sys; import forecastapp.ui.panels.scorecard; "
            "print('PySide6.QtCharts' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
