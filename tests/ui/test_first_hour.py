"""Issue 14: what a new user hit in the first hour, in the desktop app."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox

from forecastapp.core import ledger as ops
from forecastapp.core.queries import question_detail
from forecastapp.ui.dialogs.resolve import ResolveDialog
from forecastapp.ui.models.ledger_table import brier_tone
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.widgets import look
from tests.conftest import NOW, TODAY


@pytest.fixture
def dialog(qtbot, ledger, db_path):
    qid, _ = ops.create_forecast(ledger, ops.NewQuestion(statement="Rain?"), analyst="Ann", probability=0.6,
                                 made_on=date(2026, 11, 1), today=TODAY, now=NOW)
    service = LedgerService(ledger, db_path, now=lambda: NOW, today=lambda: TODAY)
    widget = ResolveDialog(service, question_detail(ledger, qid, today=TODAY))
    qtbot.addWidget(widget)
    return widget


def test_the_resolve_dialog_starts_with_no_outcome_and_enter_records_nothing(qtbot, dialog):
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    combo = dialog.findChild(QComboBox, "outcomeCombo")
    assert dialog.outcome() is None and combo.currentText().startswith("Choose")
    assert not ok.isEnabled()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the keys that used to resolve "no" at once
    assert dialog.outcome() is not None and ok.isEnabled()
    combo.setCurrentIndex(0)
    assert not ok.isEnabled()


def test_the_brier_column_is_coloured_by_quality_not_by_outcome(qapp):
    assert brier_tone(0.003) == look.tone("yes")  # a 5% on a "no": good, not red
    assert brier_tone(0.16) is None
    assert brier_tone(0.49) == look.tone("no")
    assert brier_tone(None) is None


@pytest.mark.parametrize(("typed", "shown", "term"), [("70", "70.0%", None), ("likely", "67.5%", "likely"),
                                                      ("0.7", "0.7%", None), ("42.5%", "42.5%", None)])
def test_the_probability_field_reads_typing_with_the_core_parser(qtbot, typed, shown, term):
    from forecastapp.ui.widgets.fields import ProbabilityInput

    field = ProbabilityInput()
    qtbot.addWidget(field)
    field.show()
    field.spin.lineEdit().selectAll()
    qtbot.keyClicks(field.spin.lineEdit(), typed)
    field.spin.interpretText()
    assert field.is_valid()
    assert field.spin.text() == shown and field.term() == term


@pytest.mark.parametrize("typed", ["120%", "100", "likelyy"])
def test_what_the_probability_field_cannot_read_is_said_beside_it_not_truncated(qtbot, typed):
    from forecastapp.ui.widgets.fields import ProbabilityInput

    field = ProbabilityInput()
    qtbot.addWidget(field)
    field.show()
    field.spin.lineEdit().selectAll()
    qtbot.keyClicks(field.spin.lineEdit(), typed)
    assert typed.rstrip("%") in field.spin.lineEdit().text()  # every keystroke arrived
    assert not field.is_valid()
    assert field.error.isVisible() and field.error.text()


def test_leaving_the_probability_box_keeps_an_unreadable_entry_and_its_message(qtbot):
    """'120%' passes through '12' on the way: leaving the box must not show (and keep ready to save) 12%."""
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from forecastapp.ui.widgets.fields import ProbabilityInput

    holder = QWidget()
    field = ProbabilityInput()
    other = QLineEdit()
    layout = QVBoxLayout(holder)
    layout.addWidget(field)
    layout.addWidget(other)
    qtbot.addWidget(holder)
    holder.show()
    field.spin.setFocus()
    field.spin.lineEdit().selectAll()
    qtbot.keyClicks(field.spin.lineEdit(), "120")
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication

    # What Tab does (sent directly: an offscreen test has no window manager to move the focus).
    QApplication.sendEvent(field.spin, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))
    assert "120" in field.spin.lineEdit().text() and "12.0" not in field.spin.lineEdit().text()
    assert not field.is_valid() and field.error.isVisible()


def test_file_dialogs_open_in_the_documents_folder_not_the_ledgers_hidden_one(make_window, seeded_path):
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    window = make_window(seeded_path)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    expected = documents if documents and Path(documents).is_dir() else str(Path.home())
    assert window.files.dialog_dir() == expected != str(seeded_path.parent)
