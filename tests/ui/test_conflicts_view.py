"""Forecast > Settle merge conflicts…: a merge flags a question resolved differently; take theirs or keep ours."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QLineEdit, QMenu, QPushButton, QTableWidget
from team import AGREED, DISPUTED, LATER, NOW, TODAY, ann_and_bo, resolve_differently

from forecastapp.core.merge import merge_ledger
from forecastapp.ui.dialogs.conflicts import ConflictsDialog
from forecastapp.ui.models.ledger_table import COL_STATEMENT, COL_STATUS


@pytest.fixture
def merged(tmp_path: Path) -> Path:
    """Ann's ledger after merging Bo's: Bo resolved DISPUTED "no" where Ann had "yes" (one conflict)."""
    ann, bo = ann_and_bo(tmp_path)
    try:
        resolve_differently(ann, bo)
        bo.close()
        report = merge_ledger(ann, tmp_path / "bo.db", now=LATER)
        assert len(report.conflicts) == 1
    finally:
        ann.close()
    return tmp_path / "ann.db"


@pytest.fixture
def window(make_window, merged):
    return make_window(merged)


def _status(window, statement: str) -> str:
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, COL_STATEMENT)) == statement)
    return model.data(model.index(row, COL_STATUS))


def _open(window) -> ConflictsDialog:
    window.findChild(QAction, "actionSettleConflicts").trigger()
    dialog = window.findChild(ConflictsDialog, "ConflictsDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def _cells(dialog) -> list[list[str]]:
    table = dialog.findChild(QTableWidget, "conflictsTable")
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_action_sits_in_the_forecast_menu(window):
    action = window.findChild(QAction, "actionSettleConflicts")
    assert action.text() == "Settle merge conflicts…"
    names = [a.objectName() for a in window.findChild(QMenu, "forecastMenu").actions()]
    assert names[names.index("actionCorrectResolution") + 1] == "actionSettleConflicts"


def test_taking_theirs_changes_the_outcome_in_the_table_and_the_detail(qtbot, window):
    assert _status(window, DISPUTED) == "resolved yes"
    dialog = _open(window)
    assert _cells(dialog) == [[DISPUTED, "yes on 2026-03-01", "no on 2026-03-01", "bo.db\nby bo", "port notice 14/2026",
                               ""]]
    take = dialog.findChild(QPushButton, "takeTheirsButton")
    assert take.isEnabled()  # the only open conflict is selected
    qtbot.keyClicks(dialog.findChild(QLineEdit, "settleNote"), "Bo read the port notice")
    qtbot.mouseClick(take, Qt.MouseButton.LeftButton)
    assert _cells(dialog) == []
    assert not take.isEnabled() and not dialog.findChild(QPushButton, "keepOursButton").isEnabled()
    assert dialog.status_label.text() == f"Kept their resolution (no on 2026-03-01) for “{DISPUTED}”."
    assert _status(window, DISPUTED) == "resolved no"
    detail = window.selected_detail()
    assert detail.question.statement == DISPUTED and detail.question.outcome.value == "no"
    # Their resolution went in as a correction: both records stay in the history.
    assert [r.outcome.value for r in detail.resolutions] == ["yes", "no"]
    assert "settled conflict" in detail.resolutions[-1].evidence
    # Show settled lists it again, with what was kept.
    dialog.findChild(QCheckBox, "showSettledCheck").setChecked(True)
    [row] = _cells(dialog)
    assert row[0] == DISPUTED and row[5] == "theirs kept, 2026-11-28"
    assert not take.isEnabled()  # a settled conflict cannot be settled again
    dialog.close()


def test_keeping_ours_leaves_the_outcome(qtbot, window):
    dialog = _open(window)
    qtbot.mouseClick(dialog.findChild(QPushButton, "keepOursButton"), Qt.MouseButton.LeftButton)
    assert _cells(dialog) == []
    assert dialog.status_label.text() == f"Kept our resolution for “{DISPUTED}”."
    assert _status(window, DISPUTED) == "resolved yes"
    detail = window.selected_detail()
    assert detail.question.statement == DISPUTED
    assert [r.outcome.value for r in detail.resolutions] == ["yes"]
    assert _status(window, AGREED) == "open"
    dialog.close()


def test_a_conflict_settled_elsewhere_meanwhile_is_explained(qtbot, window):
    from forecastapp.core.merge import list_conflicts, settle_conflict

    dialog = _open(window)
    [c] = list_conflicts(window.service.db)
    settle_conflict(window.service.db, c.id, keep="ours", today=TODAY, now=NOW)  # e.g. from the command line
    qtbot.mouseClick(dialog.findChild(QPushButton, "takeTheirsButton"), Qt.MouseButton.LeftButton)
    assert dialog.error_label.isVisible() and "was already settled (ours kept)" in dialog.error_label.text()
    assert _cells(dialog) == []
    assert _status(window, DISPUTED) == "resolved yes"
    dialog.close()


def test_every_control_has_an_accessible_name(window):
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QWidget

    dialog = _open(window)
    kinds = (QLineEdit, QPushButton, QAbstractItemView, QCheckBox)
    unnamed = [w.objectName() or type(w).__name__ for w in dialog.findChildren(QWidget)
               if isinstance(w, kinds) and not isinstance(w, QHeaderView) and not w.accessibleName()]
    assert unnamed == []
    dialog.close()
