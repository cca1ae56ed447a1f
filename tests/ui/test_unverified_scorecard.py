"""A ledger whose stored scores were forged outside the app: the Scorecard tab says so above its figures, and
File > Export scorecard asks before a scorecard leaves the machine."""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton

from forecastapp.core import ledger as ops
from forecastapp.core.store import open_ledger
from tests.core.tampering import tamper
from tests.ui.conftest import NOW, TODAY, child, run_modal


def _scored(path) -> None:
    db = open_ledger(path, seed=False)
    try:
        qid, _ = ops.create_forecast(db, ops.NewQuestion(statement="Will the port reopen?"), analyst="Ann",
                                     probability=0.3, made_on=date(2026, 3, 1), today=TODAY, now=NOW)
        ops.resolve(db, question_id=qid, outcome="yes", resolved_on=date(2026, 6, 1), today=TODAY, now=NOW)
    finally:
        db.close()


def _forged_window(make_window, db_path, qtbot):
    _scored(db_path)
    tamper(db_path, "UPDATE pair_scores SET brier = 0.0001")
    window = make_window(db_path)
    status = window.findChild(QLabel, "statusIntegrity")
    qtbot.waitUntil(lambda: status.text() == "Integrity: stored scores do not match the history", timeout=5000)
    return window


def test_the_scorecard_tab_warns_that_the_ledger_does_not_verify(make_window, db_path, qtbot):
    window = _forged_window(make_window, db_path, qtbot)
    window.action_show_scorecard.trigger()
    panel = window.scorecard_view
    qtbot.waitUntil(lambda: panel.scorecard() is not None, timeout=10000)
    warning = child(panel, QLabel, "scorecardIntegrityWarning")
    assert warning.isVisible()
    text = warning.text()
    assert text.startswith("This ledger does not verify: ") and "pair_scores" in text
    assert text.endswith("The figures below may have been changed after they were recorded.")
    # Above the filters and the figures: the first thing in the tab.
    assert panel.layout().itemAt(0).widget() is warning
    assert panel.scorecard().overall.brier == 0.0001  # what it warns about


def test_a_ledger_that_verifies_shows_no_warning(make_window, db_path, qtbot):
    _scored(db_path)
    window = make_window(db_path)
    status = window.findChild(QLabel, "statusIntegrity")
    qtbot.waitUntil(lambda: status.text() == "Integrity: verified", timeout=5000)
    window.action_show_scorecard.trigger()
    panel = window.scorecard_view
    assert panel.integrity_warning() == ""
    assert not child(panel, QLabel, "scorecardIntegrityWarning").isVisible()


def test_export_asks_first_and_cancel_writes_nothing(make_window, db_path, qtbot, monkeypatch, tmp_path):
    window = _forged_window(make_window, db_path, qtbot)
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: asked.append(a) or (str(tmp_path / "card.json"), "JSON (*.json)")))
    seen = {}

    def cancel(box: QMessageBox) -> None:
        seen["text"] = box.text()
        seen["more"] = box.informativeText()
        box.button(QMessageBox.StandardButton.Cancel).click()

    run_modal(qtbot, window.action_export_scorecard.trigger, cancel, name="exportUnverifiedWarning")
    assert seen["text"].startswith("This ledger does not verify")
    assert "pair_scores" in seen["more"]
    assert asked == [] and window.current_task is None
    assert not (tmp_path / "card.json").exists()


def test_export_anyway_writes_a_scorecard_that_says_it_did_not_verify(make_window, db_path, qtbot, monkeypatch,
                                                                       tmp_path):
    window = _forged_window(make_window, db_path, qtbot)
    target = tmp_path / "card.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "JSON (*.json)")))
    run_modal(qtbot, window.action_export_scorecard.trigger,
              lambda box: child(box, QPushButton, "exportAnywayButton").click(), name="exportUnverifiedWarning")
    task = window.current_task
    assert task is not None
    qtbot.waitUntil(lambda: target.exists() and not task.running, timeout=20000)
    card = json.loads(target.read_text(encoding="utf-8"))
    assert card["ledger"]["verified"] is False
