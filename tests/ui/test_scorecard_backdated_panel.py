"""The Scorecard tab's "Exclude back-dated forecasts" checkbox: it says how many pairs rest on back-dated
forecasts, and checking it scores without them."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel

from forecastapp.core import ledger as ops
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.panels.scorecard import ScorecardPanel
from tests.conftest import NOW, TODAY

WAIT_MS = 15_000


@pytest.fixture
def panel(qtbot, ledger, db_path):
    """Two resolved questions recorded on TODAY: one forecast made that day, one made on 5 January."""
    for statement, p, made_on, outcome in (("On time?", 0.8, TODAY, "yes"),
                                           ("Entered late?", 0.3, date(2026, 1, 5), "no")):
        qid, _ = ops.create_forecast(ledger, ops.NewQuestion(statement=statement), analyst="Ann", probability=p,
                                     made_on=made_on, today=TODAY, now=NOW)
        ops.resolve(ledger, question_id=qid, outcome=outcome, resolved_on=TODAY, today=TODAY, now=NOW)
    widget = ScorecardPanel(LedgerService(ledger, db_path, now=lambda: NOW, today=lambda: TODAY))
    qtbot.addWidget(widget)
    widget.resize(1100, 850)
    with qtbot.waitSignal(widget.scorecard_updated, timeout=WAIT_MS):
        widget.show()
    return widget


def _text(panel: ScorecardPanel, name: str) -> str:
    return panel.findChild(QLabel, name).text()


def test_the_panel_says_how_many_pairs_rest_on_back_dated_forecasts(panel):
    box = panel.findChild(QCheckBox, "scorecardExcludeBackdated")
    assert box.isVisible() and not box.isChecked()
    assert box.text() == "Exclude &back-dated forecasts" and box.accessibleName()
    assert _text(panel, "figureN") == "2"
    message = panel.findChild(QLabel, "scorecardMessage")
    assert message.isVisible()
    assert "1 of 2 scored pairs rest on a back-dated final forecast" in message.text()


def test_checking_the_box_scores_without_them(qtbot, panel):
    box = panel.findChild(QCheckBox, "scorecardExcludeBackdated")
    with qtbot.waitSignal(panel.scorecard_updated, timeout=WAIT_MS):
        box.setChecked(True)
    assert panel.filters()["exclude_backdated"] is True
    card = panel.scorecard()
    assert card.filters.excludes("backdated") is True and card.excluded.left_out_for("backdated") == 1
    assert _text(panel, "figureN") == "1"
    assert _text(panel, "figureBrier") == f"{(0.8 - 1) ** 2:.3f}"  # only the on-time pair is left
    assert "1 scored pair(s) whose final forecast was back-dated are left out." in _text(panel, "scorecardMessage")
    with qtbot.waitSignal(panel.scorecard_updated, timeout=WAIT_MS):
        box.setChecked(False)
    assert _text(panel, "figureN") == "2"


def test_set_filters_sets_and_clears_the_box(qtbot, panel):
    box = panel.findChild(QCheckBox, "scorecardExcludeBackdated")
    with qtbot.waitSignal(panel.scorecard_updated, timeout=WAIT_MS):
        panel.set_filters(exclude_backdated=True)
    assert box.isChecked() and _text(panel, "figureN") == "1"
    with qtbot.waitSignal(panel.scorecard_updated, timeout=WAIT_MS):
        panel.set_filters()
    assert not box.isChecked() and _text(panel, "figureN") == "2"


def test_a_ledger_whose_only_pairs_are_left_out_says_no_match_to_the_filters(qtbot, ledger, db_path):
    qid, _ = ops.create_forecast(ledger, ops.NewQuestion(statement="Late?"), analyst="Ann", probability=0.6,
                                 made_on=date(2026, 1, 5), today=TODAY, now=NOW)
    ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=TODAY, today=TODAY, now=NOW)
    widget = ScorecardPanel(LedgerService(ledger, db_path, now=lambda: NOW, today=lambda: TODAY))
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.scorecard_updated, timeout=WAIT_MS):
        widget.show()
    with qtbot.waitSignal(widget.scorecard_updated, timeout=WAIT_MS):
        widget.findChild(QCheckBox, "scorecardExcludeBackdated").setChecked(True)
    assert _text(widget, "scorecardEmpty") == "No resolved forecasts match these filters."
