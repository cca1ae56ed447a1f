"""The Scorecard tab and imported history (issue 11, item 4): it says how many scored pairs rest on a forecast
imported from a file, "Exclude imported forecasts" scores without them, and forecasts left out as hindsight
are counted."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel

from forecastapp.core import ledger as ops
from forecastapp.core.merge import Origin, bring_in
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.panels.scorecard import ScorecardPanel
from tests.conftest import NOW, TODAY

WAIT_MS = 15_000


def _claimed_export() -> dict:
    """A ledger export someone wrote by hand: a 99% forecast 'made' in 2025 on a question that resolved yes."""
    at = "2025-01-01T09:00:00.000000Z"
    return {
        "format": "forecastapp-ledger/1",
        "analysts": [{"id": "a-claims", "name": "Ann", "recorded_at": at}],
        "questions": [{"id": "q-claims", "statement": "Treaty signed?", "recorded_at": at, "tags": []}],
        "forecasts": [{"id": "f-claims", "question_id": "q-claims", "analyst_id": "a-claims", "probability": 0.99,
                       "made_on": "2025-01-01", "recorded_at": at}],
        "resolutions": [{"id": "r-claims", "question_id": "q-claims", "kind": "resolve", "outcome": "yes",
                         "resolved_on": "2026-06-30", "recorded_at": "2026-06-30T09:00:00.000000Z"}],
    }


@pytest.fixture
def panel(qtbot, ledger, db_path):
    """One pair made here (Ann 30%, resolved no), one imported from claims.json, one hindsight forecast."""
    qid, _ = ops.create_forecast(ledger, ops.NewQuestion(statement="Made here?"), analyst="Ann", probability=0.3,
                                 made_on=date(2026, 11, 1), today=TODAY, now=NOW)
    ops.resolve(ledger, question_id=qid, outcome="no", resolved_on=TODAY, today=TODAY, now=NOW)
    ops.retract_resolution(ledger, question_id=qid, now=NOW)
    ops.add_forecast(ledger, question_id=qid, analyst="Ann", probability=0.01, made_on=date(2026, 11, 1),
                     today=TODAY, now=NOW)
    ops.resolve(ledger, question_id=qid, outcome="no", resolved_on=TODAY, today=TODAY, now=NOW)
    bring_in(ledger, _claimed_export(), origin=Origin(action="import", format="ledger", source="claims.json"),
             now=NOW)
    widget = ScorecardPanel(LedgerService(ledger, db_path, now=lambda: NOW, today=lambda: TODAY))
    qtbot.addWidget(widget)
    widget.resize(1100, 850)
    with qtbot.waitSignal(widget.scorecard_updated, timeout=WAIT_MS):
        widget.show()
    return widget


def _text(panel: ScorecardPanel, name: str) -> str:
    return panel.findChild(QLabel, name).text()


def test_the_panel_says_what_rests_on_imports_and_what_was_hindsight(panel):
    box = panel.findChild(QCheckBox, "scorecardExcludeImported")
    assert box.isVisible() and not box.isChecked() and box.accessibleName()
    assert _text(panel, "figureN") == "2"
    message = _text(panel, "scorecardMessage")
    assert "1 of 2 scored pairs rest on a final forecast imported from a file" in message
    assert "1 forecast(s) made or recorded after the outcome was on the record are never scored." in message
    imported = [p for p in panel.scorecard().pairs if p["imported_from"]]
    assert [(p["statement"], p["imported_from"]) for p in imported] == [("Treaty signed?", "claims.json")]


def test_checking_the_box_scores_without_them(qtbot, panel):
    box = panel.findChild(QCheckBox, "scorecardExcludeImported")
    with qtbot.waitSignal(panel.scorecard_updated, timeout=WAIT_MS):
        box.setChecked(True)
    card = panel.scorecard()
    assert card.filters.excludes("imported") is True and card.excluded.left_out_for("imported") == 1
    assert _text(panel, "figureN") == "1"
    assert _text(panel, "figureBrier") == f"{0.3 ** 2:.3f}"  # the 1% recorded after the outcome is not scored
    assert "1 scored pair(s) whose final forecast was imported are left out." in _text(panel, "scorecardMessage")
    with qtbot.waitSignal(panel.scorecard_updated, timeout=WAIT_MS):
        panel.set_filters()
    assert not box.isChecked() and _text(panel, "figureN") == "2"
