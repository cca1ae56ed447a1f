"""Forecast > Edit question: the dialog, the recorded edit in the detail pane, and undo as an edit back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QMenu, QMessageBox, QPlainTextEdit

from forecastapp.core.store import open_ledger
from forecastapp.ui.dialogs.question import EditQuestionDialog
from forecastapp.ui.models.ledger_table import COL_STATEMENT
from forecastapp.ui.operations.ledger import QuestionEdit
from tests.ui.conftest import child, run_modal


def _first(window):
    window.table.selectRow(0)
    return window.detail_pane.detail


def _versions(path, qid):
    db = open_ledger(path, seed=False)
    try:
        return db.execute("SELECT action, statement, meaning_changed, reason FROM question_versions"
                          " WHERE question_id = ? ORDER BY seq", [qid]).fetchall()
    finally:
        db.close()


def test_the_action_is_in_the_forecast_menu_with_its_own_shortcut(window):
    action = window.findChild(type(window.action_edit), "actionEditQuestion")
    assert action is window.action_edit and action in window.menuBar().findChild(QMenu, "forecastMenu").actions()
    assert action.text() == "&Edit question…"
    assert action.shortcut() == QKeySequence("Ctrl+Shift+E")
    shortcuts = [a.shortcut() for a in window.actions() if a is not action and not a.shortcut().isEmpty()]
    assert action.shortcut() not in shortcuts
    assert "editQuestionButton" in [b.objectName() for b in window.detail_pane.buttons.values()]


def test_the_dialog_is_prefilled_and_needs_a_change_and_a_reason(window, qtbot):
    detail = _first(window)
    q = detail.question
    dialog = EditQuestionDialog(window.service, detail, window)
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "EditQuestionDialog"
    assert child(dialog, QPlainTextEdit, "statementEdit").toPlainText() == q.statement
    assert child(dialog, QPlainTextEdit, "criteriaEdit").toPlainText() == q.criteria
    assert child(dialog, QLineEdit, "resolveByEdit").text() == q.resolve_by.isoformat()
    assert child(dialog, QLineEdit, "tagsEdit").text() == ", ".join(q.tags)
    assert not dialog.ok_button.isEnabled()  # nothing changed, no reason
    warning = child(dialog, QLabel, "meaningWarning")
    dialog.tags_edit.setText(dialog.tags_edit.text() + ", watch")
    assert warning.isHidden()  # a tag is not what the question asks
    assert not dialog.ok_button.isEnabled()  # still no reason
    reason = child(dialog, QLineEdit, "reasonEdit")
    qtbot.keyClicks(reason, "x")
    reason.clear()
    qtbot.keyClick(reason, Qt.Key.Key_Backspace)
    assert child(dialog, QLabel, "reasonError").text().startswith("give a reason")
    qtbot.keyClicks(reason, "tag it for the watch list")
    assert dialog.ok_button.isEnabled()
    dialog.statement_edit.setPlainText("  ")
    assert child(dialog, QLabel, "statementError").text().startswith("the statement is empty")
    assert not dialog.ok_button.isEnabled()
    dialog.statement_edit.setPlainText(q.statement + " (revised)")
    assert not warning.isHidden()
    assert warning.text() == ("This changes what the question asks: the 1 forecast made before this edit will be "
                              "marked as made on earlier wording in the scorecard.")
    assert child(dialog, QLabel, "resolvedWarning").isHidden()  # an open question
    dialog.resolve_by.edit.setText("2001-01-01")
    assert "before the question's first forecast" in child(dialog, QLabel, "resolveByError").text()
    assert not dialog.ok_button.isEnabled()
    dialog.resolve_by.edit.setText(q.resolve_by.isoformat())
    assert dialog.result_values() == QuestionEdit(reason="tag it for the watch list",
                                                  statement=q.statement + " (revised)", tags_add=("watch",))


def test_an_edit_through_the_dialog_shows_in_the_detail_pane_and_undo_edits_it_back(window, qtbot, seeded_path):
    detail = _first(window)
    qid, old = detail.question.id, detail.question.statement
    new = "North Korea stages no nuclear test before 2027"

    def fill(dialog):
        statement = child(dialog, QPlainTextEdit, "statementEdit")
        statement.selectAll()
        qtbot.keyClicks(statement, new)
        qtbot.keyClicks(child(dialog, QLineEdit, "reasonEdit"), "the test was the wrong way round")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    run_modal(qtbot, window.action_edit.trigger, fill, name="EditQuestionDialog")
    assert window.model.data(window.model.index(0, COL_STATEMENT)) == new
    pane = window.detail_pane
    assert pane.statement_label.text() == new
    text = pane.text.toPlainText()
    assert "Edits" in text and "changed what it asks" in text and "why: the test was the wrong way round" in text
    assert f"statement: {old} → {new}" in text
    assert _versions(seeded_path, qid) == [("create", old, 0, ""), ("edit", new, 1, "the test was the wrong way round")]

    window.action_undo.trigger()  # an edit back, recorded: nothing is removed
    assert window.model.data(window.model.index(0, COL_STATEMENT)) == old
    versions = _versions(seeded_path, qid)
    assert len(versions) == 3 and versions[2][:3] == ("edit", old, 1)
    assert versions[2][3].startswith("undone in the desktop app")
    window.action_redo.trigger()
    assert window.model.data(window.model.index(0, COL_STATEMENT)) == new
    assert len(_versions(seeded_path, qid)) == 4


def test_undo_refuses_to_overwrite_a_later_edit(window, qtbot, monkeypatch, seeded_path):
    detail = _first(window)
    qid = detail.question.id
    monkeypatch.setattr(EditQuestionDialog, "ask", classmethod(
        lambda cls, *a, **k: QuestionEdit(reason="clearer", criteria="Reported by two wire services")))
    assert window.edit_question()
    window.service.edit_question(qid, QuestionEdit(reason="elsewhere", criteria="Reported by one wire service"))
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    window.action_undo.trigger()
    assert warned and "changed since this edit" in warned[0]
    assert window.service.detail(qid).question.criteria == "Reported by one wire service"
    assert len(_versions(seeded_path, qid)) == 3


def test_a_deleted_question_cannot_be_edited(window, monkeypatch):
    qid = _first(window).question.id
    assert window.action_edit.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert window.delete_question()
    assert window.select_question(qid)  # a deleted question still shows in the detail pane
    assert window.detail_pane.detail.question.deleted
    assert not window.action_edit.isEnabled() and not window.edit_question()


def test_editing_what_a_resolved_question_asks_warns_that_every_forecast_is_marked(window, qtbot):
    from datetime import date

    from forecastapp.core.model import Outcome
    from forecastapp.ui.operations.ledger import ResolutionInput

    detail = _first(window)
    window.service.resolve(detail.question.id, ResolutionInput(outcome=Outcome.NO, resolved_on=date(2026, 6, 1),
                                                               evidence="seen"))
    detail = window.service.detail(detail.question.id)
    dialog = EditQuestionDialog(window.service, detail, window)
    qtbot.addWidget(dialog)
    dialog.show()
    resolved = child(dialog, QLabel, "resolvedWarning")
    dialog.tags_edit.setText(dialog.tags_edit.text() + ", watch")
    assert resolved.isHidden()  # a tag changes nothing it asks
    dialog.criteria_edit.setPlainText(detail.question.criteria + " Official sources only.")
    assert resolved.isVisible() and child(dialog, QLabel, "meaningWarning").isVisible()
    assert resolved.text() == ("This question is already resolved (no): every forecast on it will be marked as made "
                               "on earlier wording.")
    assert resolved.styleSheet() == child(dialog, QLabel, "meaningWarning").styleSheet()
