"""Undo and redo of every ledger action: each undo leaves a visible compensating record (append-only)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from forecastapp.core.ledger import NewQuestion
from forecastapp.core.model import Outcome
from forecastapp.core.store import open_ledger
from forecastapp.ui.dialogs.question import AddForecastDialog, AddForecastResult, UpdateForecastDialog
from forecastapp.ui.dialogs.resolve import CorrectResolutionDialog, ResolveDialog
from forecastapp.ui.models.ledger_table import COL_PROBABILITY, COL_STATEMENT, COL_STATUS, IdRole
from forecastapp.ui.operations.ledger import ForecastInput, ResolutionInput

TODAY = date(2026, 11, 28)


def _ids(window) -> list[str]:
    return [window.model.data(window.model.index(r, 0), IdRole) for r in range(window.model.rowCount())]


def _count(path, sql: str, *args) -> int:
    db = open_ledger(path, seed=False)
    try:
        return db.execute(sql, list(args)).fetchone()[0]
    finally:
        db.close()


def _undo(window) -> None:
    assert window.action_undo.isEnabled()
    window.action_undo.trigger()


def _redo(window) -> None:
    assert window.action_redo.isEnabled()
    window.action_redo.trigger()


@pytest.fixture
def first(window):
    """The first seeded question, selected."""
    window.table.selectRow(0)
    return window.model.data(window.model.index(0, 0), IdRole)


def test_undo_add_retracts_and_hides_redo_brings_it_back(window, seeded_path, monkeypatch):
    statement = "The border reopens to tourists before 2028"
    result = AddForecastResult(
        NewQuestion(statement=statement, resolve_by=date(2027, 12, 31), tags=("tourism",)),
        ForecastInput(probability=0.3, term=None, analyst="Ada", made_on=TODAY),
    )
    monkeypatch.setattr(AddForecastDialog, "ask", classmethod(lambda cls, *a, **k: result))
    before = window.model.rowCount()
    assert window.add_forecast()
    qid = window.detail_pane.detail.question.id
    assert window.action_undo.text().replace("&", "").startswith("Undo Add \u201cThe border reopens")

    _undo(window)
    assert qid not in _ids(window) and window.model.rowCount() == before
    forecasts = "SELECT count(*) FROM forecasts WHERE question_id = ?"
    retracted = ("SELECT count(*) FROM retractions r JOIN forecasts f ON f.id = r.forecast_id"
                 " WHERE f.question_id = ?")
    assert _count(seeded_path, forecasts, qid) == 1
    assert _count(seeded_path, retracted, qid) == 1
    assert _count(seeded_path, "SELECT deleted FROM questions WHERE id = ?", qid) == 1

    _redo(window)
    assert qid in _ids(window)
    # Redo records the forecast again; the retracted one stays in the history.
    assert _count(seeded_path, forecasts, qid) == 2
    assert _count(seeded_path, retracted, qid) == 1
    assert _count(seeded_path, "SELECT count(*) FROM question_log WHERE question_id = ?", qid) == 2
    row = _ids(window).index(qid)
    assert window.model.data(window.model.index(row, COL_PROBABILITY)) == "30%"


def test_undo_update_retracts_it_redo_records_it_again(window, first, monkeypatch):
    forecast = ForecastInput(probability=0.9, term=None, analyst="Ada", made_on=TODAY, rationale="talks collapsed")
    monkeypatch.setattr(UpdateForecastDialog, "ask", classmethod(lambda cls, *a, **k: forecast))
    assert window.update_forecast()
    assert window.model.data(window.model.index(0, COL_PROBABILITY)) == "90%"

    _undo(window)
    assert window.model.data(window.model.index(0, COL_PROBABILITY)) == "67.5%"
    history = window.detail_pane.detail.forecasts
    assert [(f.probability, f.retracted_at is not None) for f in history] == [(0.675, False), (0.9, True)]
    assert "retracted" in window.detail_pane.text.toPlainText()

    _redo(window)
    assert window.model.data(window.model.index(0, COL_PROBABILITY)) == "90%"
    history = window.detail_pane.detail.forecasts
    assert [(f.probability, f.retracted_at is not None) for f in history] == [
        (0.675, False), (0.9, True), (0.9, False)]


def test_undo_resolve_withdraws_it_redo_resolves_again(window, first, monkeypatch):
    resolution = ResolutionInput(outcome=Outcome.NO, resolved_on=date(2025, 12, 31), evidence="no relief")
    monkeypatch.setattr(ResolveDialog, "ask", classmethod(lambda cls, *a, **k: resolution))
    status_before = window.model.data(window.model.index(0, COL_STATUS))
    assert window.resolve_question()
    assert window.model.data(window.model.index(0, COL_STATUS)) == "resolved no"

    _undo(window)
    assert window.model.data(window.model.index(0, COL_STATUS)) == status_before
    kinds = [(r.kind, r.effective) for r in window.detail_pane.detail.resolutions]
    assert kinds == [("resolve", False), ("retract", False)]
    assert window.action_resolve.isEnabled()

    _redo(window)
    assert window.model.data(window.model.index(0, COL_STATUS)) == "resolved no"
    kinds = [(r.kind, r.effective) for r in window.detail_pane.detail.resolutions]
    assert kinds == [("resolve", False), ("retract", False), ("resolve", True)]


def test_undo_correction_records_a_correction_back(window, first, monkeypatch):
    monkeypatch.setattr(ResolveDialog, "ask", classmethod(
        lambda cls, *a, **k: ResolutionInput(outcome=Outcome.YES, resolved_on=date(2025, 12, 31), evidence="a")))
    monkeypatch.setattr(CorrectResolutionDialog, "ask", classmethod(
        lambda cls, *a, **k: ResolutionInput(outcome=Outcome.NO, resolved_on=date(2026, 1, 15), evidence="b")))
    assert window.resolve_question()
    assert window.correct_resolution()
    assert window.model.data(window.model.index(0, COL_STATUS)) == "resolved no"

    _undo(window)
    assert window.model.data(window.model.index(0, COL_STATUS)) == "resolved yes"
    records = window.detail_pane.detail.resolutions
    assert [(r.kind, r.outcome, r.resolved_on, r.effective) for r in records] == [
        ("resolve", Outcome.YES, date(2025, 12, 31), False),
        ("correct", Outcome.NO, date(2026, 1, 15), False),
        ("correct", Outcome.YES, date(2025, 12, 31), True),
    ]
    assert "Undo of the correction" in records[-1].evidence

    _redo(window)
    assert window.model.data(window.model.index(0, COL_STATUS)) == "resolved no"
    assert len(window.detail_pane.detail.resolutions) == 4


def test_undo_delete_restores(window, first, seeded_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    statement = window.model.data(window.model.index(0, COL_STATEMENT))
    assert window.delete_question()
    assert first not in _ids(window)
    _undo(window)
    assert first in _ids(window)
    assert window.detail_pane.detail.question.id == first
    assert [a for a, _at, _why in window.detail_pane.detail.log] == ["delete", "restore"]
    _redo(window)
    assert first not in _ids(window)
    assert _count(seeded_path, "SELECT count(*) FROM question_log WHERE question_id = ?", first) == 3
    assert statement  # the row was a real one


def test_an_undo_refused_by_the_core_is_explained_and_dropped(window, first, monkeypatch):
    resolution = ResolutionInput(outcome=Outcome.YES, resolved_on=date(2025, 12, 31), evidence="")
    monkeypatch.setattr(ResolveDialog, "ask", classmethod(lambda cls, *a, **k: resolution))
    assert window.resolve_question()
    # Another program withdraws the resolution meanwhile, so this window's undo has nothing to undo.
    window.service.retract_resolution(first, reason="done elsewhere")
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: messages.append(a[2]))
    _undo(window)
    assert messages and "not resolved" in messages[0]
    assert window.undo_stack.count() == 0  # the stale command is gone, not left to fail again
