"""Forecast > Withdraw resolution: the desktop's `forecastapp unresolve`, asked for a reason, undoable."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QLineEdit, QMenu, QPushButton

from forecastapp.core import ledger as ops
from forecastapp.core.model import Outcome
from forecastapp.core.store import open_ledger
from forecastapp.ui.models.ledger_table import COL_STATUS
from tests.ui.conftest import NOW, TODAY, child, run_modal


def _resolved(path) -> str:
    db = open_ledger(path, seed=False)
    try:
        qid, _ = ops.create_forecast(db, ops.NewQuestion(statement="Will the port reopen?",
                                                          resolve_by=date(2027, 6, 30)),
                                     analyst="Ann", probability=0.3, made_on=date(2026, 3, 1), today=TODAY, now=NOW)
        ops.resolve(db, question_id=qid, outcome="yes", resolved_on=date(2026, 6, 1), evidence="Port authority notice",
                    recorded_by="ann", today=TODAY, now=NOW)
    finally:
        db.close()
    return qid


def _withdraw(window, qtbot, reason: str, *, trigger=None) -> dict:
    seen: dict = {}

    def fill(dialog):
        ok = child(dialog, QPushButton, "okButton")
        seen["ok_before"] = ok.isEnabled()
        seen["consequence"] = child(dialog, QLabel, "withdrawConsequence").text()
        seen["in_force"] = child(dialog, QLabel, "currentResolution").text()
        qtbot.keyClicks(child(dialog, QLineEdit, "reasonEdit"), reason)
        seen["ok_after"] = ok.isEnabled()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    seen["result"] = run_modal(qtbot, trigger or window.action_withdraw.trigger, fill, name="WithdrawResolutionDialog")
    return seen


def test_the_action_is_in_the_menu_the_table_menu_and_the_pane(make_window, db_path):
    _resolved(db_path)
    window = make_window(db_path)
    action = window.findChild(QAction, "actionWithdrawResolution")
    assert action is window.action_withdraw and action.text() == "&Withdraw resolution…"
    assert action in window.menuBar().findChild(QMenu, "forecastMenu").actions()
    assert action in window.table.actions() and window.action_edit in window.table.actions()
    assert "withdrawResolutionButton" in [b.objectName() for b in window.detail_pane.buttons.values()]
    assert not action.isEnabled()  # nothing selected
    window.table.selectRow(0)
    assert action.isEnabled() and window.detail_pane.buttons["actionWithdrawResolution"].isEnabled()


def test_it_is_disabled_on_an_open_question(window):
    window.table.selectRow(0)
    assert window.action_update.isEnabled() and not window.action_withdraw.isEnabled()


def test_withdrawing_asks_why_says_what_it_means_and_reopens_the_question(make_window, db_path, qtbot):
    qid = _resolved(db_path)
    window = make_window(db_path)
    window.table.selectRow(0)
    seen = _withdraw(window, qtbot, "resolved on a rumour",
                     trigger=window.detail_pane.buttons["actionWithdrawResolution"].click)
    assert seen["ok_before"] is False and seen["ok_after"] is True
    assert seen["consequence"].endswith("forecasts recorded after the withdrawal are kept but never scored.")
    assert seen["in_force"].startswith("In force: yes on 2026-06-01")
    assert window.model.data(window.model.index(0, COL_STATUS)) == "open"
    detail = window.detail_pane.detail
    assert detail.question.id == qid and detail.question.outcome is None
    assert [(r.kind, r.effective) for r in detail.resolutions] == [("resolve", False), ("retract", False)]
    assert detail.resolutions[1].evidence == "resolved on a rumour"
    assert "withdrawn on 2026-11-28" in window.detail_pane.text.toPlainText()
    assert window.action_resolve.isEnabled() and not window.action_withdraw.isEnabled()
    assert window.undo_stack.undoText() == "Withdraw resolution"


def test_undo_resolves_again_as_a_new_record_and_redo_withdraws_it(make_window, db_path, qtbot):
    _resolved(db_path)
    window = make_window(db_path)
    window.table.selectRow(0)
    _withdraw(window, qtbot, "resolved on a rumour")
    window.undo_stack.undo()
    detail = window.detail_pane.detail
    assert [r.kind for r in detail.resolutions] == ["resolve", "retract", "resolve"]
    again = detail.resolutions[-1]
    assert again.effective and again.outcome is Outcome.YES and again.resolved_on == date(2026, 6, 1)
    assert again.evidence == "Port authority notice"
    assert window.model.data(window.model.index(0, COL_STATUS)) == "resolved yes"
    window.undo_stack.redo()
    detail = window.detail_pane.detail
    assert detail.question.outcome is None and detail.resolutions[-1].kind == "retract"


def test_cancel_writes_nothing(make_window, db_path, qtbot):
    _resolved(db_path)
    window = make_window(db_path)
    window.table.selectRow(0)
    result = run_modal(qtbot, window.withdraw_resolution, lambda dialog: dialog.reject(),
                       name="WithdrawResolutionDialog")
    assert result is False
    assert window.detail_pane.detail.question.outcome is Outcome.YES and window.undo_stack.count() == 0
