"""Each ledger flow as a user does it: open the dialog from the window, fill it, press OK, look."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
)

from forecastapp.core.store import open_ledger
from forecastapp.ui.models.ledger_table import COL_BRIER, COL_PROBABILITY, COL_STATEMENT, COL_STATUS, IdRole
from tests.ui.conftest import child, run_modal


def _row_of(window, statement: str) -> int:
    model = window.model
    for r in range(model.rowCount()):
        if model.data(model.index(r, COL_STATEMENT)) == statement:
            return r
    return -1


def _ok(dialog):
    return child(dialog, type(dialog.ok_button), "okButton")


def _set_date(dialog, name: str, day: date) -> None:
    edit = child(dialog, QDateEdit, name)
    edit.setDate(day)


def _fill_add(qtbot, dialog, *, statement: str, percent: str, resolve_by: str, tags: str = "") -> None:
    qtbot.keyClicks(child(dialog, QPlainTextEdit, "statementEdit"), statement)
    spin = child(dialog, QDoubleSpinBox, "probabilityEdit")
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), percent)
    analyst = child(dialog, QComboBox, "analystCombo")
    analyst.setCurrentText("")
    qtbot.keyClicks(analyst.lineEdit(), "Ada Analyst")
    qtbot.keyClicks(child(dialog, QLineEdit, "resolveByEdit"), resolve_by)
    if tags:
        qtbot.keyClicks(child(dialog, QLineEdit, "tagsEdit"), tags)


# ------------------------------------------------------------------------------------------ add


def test_add_forecast_through_the_dialog_shows_the_new_row_selected(window, qtbot, seeded_path):
    statement = "Pyongyang hosts a summit with Seoul before 2028"
    before = window.model.rowCount()

    def fill(dialog):
        _fill_add(qtbot, dialog, statement=statement, percent="35", resolve_by="in 18 months",
                  tags="inter-korean, summit")
        # 18 months after the fixed today (2026-11-28), counted by hand: 2028-05-28.
        assert "2028-05-28" in child(dialog, type(dialog.resolve_by.hint), "resolveByHint").text()
        assert _ok(dialog).isEnabled()
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)

    assert run_modal(qtbot, window.action_add.trigger, fill, name="AddForecastDialog") is None
    assert window.model.rowCount() == before + 1
    row = _row_of(window, statement)
    assert row >= 0
    assert window.table.currentIndex().row() == row
    assert window.model.data(window.model.index(row, COL_PROBABILITY)) == "35%"
    assert window.model.data(window.model.index(row, COL_STATUS)) == "open"
    assert window.detail_pane.statement_label.text() == statement
    db = open_ledger(seeded_path, seed=False)
    try:
        got = db.execute(
            "SELECT q.resolve_by, f.probability, a.name FROM questions q JOIN forecasts f ON f.question_id = q.id"
            " JOIN analysts a ON a.id = f.analyst_id WHERE q.statement = ?", [statement]
        ).fetchall()
        tags = [r[0] for r in db.execute(
            "SELECT tag FROM question_tags t JOIN questions q ON q.id = t.question_id WHERE q.statement = ?"
            " ORDER BY tag", [statement])]
    finally:
        db.close()
    assert got == [("2028-05-28", 0.35, "Ada Analyst")]
    assert tags == ["inter-korean", "summit"]


def test_invalid_probability_keeps_ok_disabled_with_a_message(window, qtbot, seeded_path):
    before = window.model.rowCount()

    def fill(dialog):
        _fill_add(qtbot, dialog, statement="Something checkable", percent="35", resolve_by="2027-06-30")
        assert _ok(dialog).isEnabled()
        spin = child(dialog, QDoubleSpinBox, "probabilityEdit")
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin.lineEdit(), "0")
        error = dialog.findChild(type(dialog.statement_error), "probabilityError")
        assert not _ok(dialog).isEnabled()
        assert error.isVisible()
        assert "0.1%" in error.text()  # the core's advice: use 0.1% instead of certainty
        qtbot.keyClicks(spin.lineEdit(), ".5")
        assert _ok(dialog).isEnabled() and not error.isVisible()
        assert spin.value() == 0.5
        dialog.reject()

    run_modal(qtbot, window.action_add.trigger, fill, name="AddForecastDialog")
    assert window.model.rowCount() == before  # nothing written on Cancel


def test_unreadable_deadline_and_empty_statement_keep_ok_disabled(window, qtbot):
    def fill(dialog):
        ok = _ok(dialog)
        assert not ok.isEnabled()  # an empty form cannot be submitted...
        assert not dialog.statement_error.isVisible()  # ...but it is not scolded before typing
        _fill_add(qtbot, dialog, statement="x", percent="60", resolve_by="soon")
        error = dialog.findChild(type(dialog.statement_error), "resolveByError")
        assert error.isVisible() and "too vague" in error.text()
        assert not ok.isEnabled()
        field = child(dialog, QLineEdit, "resolveByEdit")
        field.clear()
        qtbot.keyClicks(field, "Q3 2027")
        assert not error.isVisible() and ok.isEnabled()
        statement = child(dialog, QPlainTextEdit, "statementEdit")
        statement.clear()
        assert not ok.isEnabled() and dialog.statement_error.isVisible()
        dialog.reject()

    run_modal(qtbot, window.action_add.trigger, fill, name="AddForecastDialog")


def test_an_over_long_analyst_name_or_statement_is_explained_beside_the_field(window, qtbot):
    before = window.model.rowCount()

    def fill(dialog):
        ok = _ok(dialog)
        _fill_add(qtbot, dialog, statement="Something checkable", percent="35", resolve_by="2027-06-30")
        assert ok.isEnabled()
        analyst = dialog.analyst_combo
        analyst.setCurrentText("A" * 201)
        assert not ok.isEnabled()
        assert dialog.analyst_error.isVisible()
        assert dialog.analyst_error.text() == "the analyst name is longer than 200 characters"
        analyst.setCurrentText("Ann Lee")
        assert ok.isEnabled() and not dialog.analyst_error.isVisible()
        statement = child(dialog, QPlainTextEdit, "statementEdit")
        statement.setPlainText("x" * 100_001)
        assert not ok.isEnabled()
        assert dialog.statement_error.text() == "the statement is 100,001 characters long; the limit is 100,000"
        dialog.reject()

    run_modal(qtbot, window.action_add.trigger, fill, name="AddForecastDialog")
    assert window.model.rowCount() == before


def test_probability_term_and_slider_stay_in_sync(window, qtbot):
    def fill(dialog):
        spin = child(dialog, QDoubleSpinBox, "probabilityEdit")
        combo = child(dialog, QComboBox, "termCombo")
        slider = dialog.probability.slider
        combo.setCurrentIndex(combo.findData("likely"))
        combo.activated.emit(combo.currentIndex())
        assert spin.value() == 67.5 and slider.value() == 675
        assert dialog.probability.term() == "likely"
        slider.setValue(875)
        assert spin.value() == 87.5 and combo.currentData() == "very likely"
        slider.setValue(700)
        # 70% lies in likely's 55-80% range but is not its value: shown as the range, recorded as a number.
        assert combo.currentData() == "likely" and dialog.probability.term() is None
        assert dialog.probability.value() == 0.7
        dialog.reject()

    run_modal(qtbot, window.action_add.trigger, fill, name="AddForecastDialog")


def test_tags_complete_from_known_tags(window, qtbot):
    def fill(dialog):
        tags = child(dialog, QLineEdit, "tagsEdit")
        qtbot.keyClicks(tags, "economy, nuc")
        completer = tags.completer_for_tags()
        assert completer.completionPrefix() == "nuc"
        assert completer.currentCompletion() == "nuclear"
        tags.insert_completion(completer.currentCompletion())
        assert tags.text() == "economy, nuclear, "
        assert tags.tags() == ("economy", "nuclear")
        dialog.reject()

    run_modal(qtbot, window.action_add.trigger, fill, name="AddForecastDialog")


def test_the_add_dialog_takes_the_tags_the_window_holds_instead_of_reading_them_again(window, qtbot, monkeypatch):
    # Reading the tags scans every question's tags, which stalls the GUI thread on a large ledger.
    reads = []
    monkeypatch.setattr(window.service, "tags", lambda: reads.append("tags") or [])

    def fill(dialog):
        tags = child(dialog, QLineEdit, "tagsEdit")
        qtbot.keyClicks(tags, "nuc")
        assert tags.completer_for_tags().currentCompletion() == "nuclear"
        dialog.reject()

    run_modal(qtbot, window.action_add.trigger, fill, name="AddForecastDialog")
    assert reads == []


# ------------------------------------------------------------------------------------------ update


def test_update_records_a_new_probability_and_keeps_the_old(window, qtbot):
    window.table.selectRow(0)
    qid = window.model.data(window.model.index(0, 0), IdRole)

    def fill(dialog):
        spin = child(dialog, QDoubleSpinBox, "probabilityEdit")
        assert spin.value() == 67.5  # starts from the latest forecast
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin.lineEdit(), "80")
        qtbot.keyClicks(child(dialog, QPlainTextEdit, "rationaleEdit"), "new sanctions package")
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)

    run_modal(qtbot, window.action_update.trigger, fill, name="UpdateForecastDialog")
    assert window.model.data(window.model.index(0, COL_PROBABILITY)) == "80%"
    detail = window.detail_pane.detail
    assert detail.question.id == qid
    assert [f.probability for f in detail.forecasts] == [0.675, 0.8]
    assert "new sanctions package" in window.detail_pane.text.toPlainText()


# ------------------------------------------------------------------------------------------ resolve / correct


def _resolve_first(window, qtbot, *, outcome: str, day: date, evidence: str) -> None:
    window.table.selectRow(0)

    def fill(dialog):
        combo = child(dialog, QComboBox, "outcomeCombo")
        combo.setCurrentIndex(combo.findData(outcome))
        _set_date(dialog, "resolvedOnEdit", day)
        qtbot.keyClicks(child(dialog, QPlainTextEdit, "evidenceEdit"), evidence)
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)

    run_modal(qtbot, window.action_resolve.trigger, fill, name="ResolveDialog")


def test_resolve_changes_the_status_and_shows_the_brier(window, qtbot):
    _resolve_first(window, qtbot, outcome="yes", day=date(2025, 12, 31), evidence="Treasury release, 2026-01-02")
    assert window.model.data(window.model.index(0, COL_STATUS)) == "resolved yes"
    # The seed's first forecast is 67.5% (likely); resolved yes: (1 - 0.675)^2 = 0.105625.
    assert window.model.data(window.model.index(0, COL_BRIER)) == "0.106"
    assert "Resolved 1" in window.counts_label.text()
    assert not window.action_resolve.isEnabled() and window.action_correct.isEnabled()
    assert "Treasury release" in window.detail_pane.text.toPlainText()


def test_resolve_dialog_offers_condition_failure_only_for_conditional_questions(window, qtbot):
    conditional_row = next(r for r in range(window.model.rowCount())
                           if window.model.row_at(r).condition)
    plain_row = next(r for r in range(window.model.rowCount()) if not window.model.row_at(r).condition)
    seen = {}
    for row in (conditional_row, plain_row):
        window.table.selectRow(row)

        def look(dialog, row=row):
            check = child(dialog, QCheckBox, "conditionNotMetCheck")
            seen[row] = check.isEnabled()
            if check.isEnabled():
                check.setChecked(True)
                assert child(dialog, QComboBox, "outcomeCombo").currentData() == "annulled"
            dialog.reject()

        run_modal(qtbot, window.action_resolve.trigger, look, name="ResolveDialog")
    assert seen == {conditional_row: True, plain_row: False}


def test_correct_a_resolution_shows_both_records(window, qtbot):
    _resolve_first(window, qtbot, outcome="yes", day=date(2025, 12, 31), evidence="first reading")

    def fill(dialog):
        ok = _ok(dialog)
        assert not ok.isEnabled()  # same outcome and date as the one in force, and no evidence yet
        combo = child(dialog, QComboBox, "outcomeCombo")
        combo.setCurrentIndex(combo.findData("no"))
        assert not ok.isEnabled()  # evidence is required for a correction
        qtbot.keyClicks(child(dialog, QPlainTextEdit, "evidenceEdit"), "the waiver was humanitarian only")
        assert ok.isEnabled()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    button = window.detail_pane.buttons["actionCorrectResolution"]
    run_modal(qtbot, button.click, fill, name="CorrectResolutionDialog")
    assert window.model.data(window.model.index(0, COL_STATUS)) == "resolved no"
    records = window.detail_pane.detail.resolutions
    assert [(r.kind, r.outcome.value, r.effective) for r in records] == [("resolve", "yes", False),
                                                                         ("correct", "no", True)]
    html = window.detail_pane.text.toHtml()
    assert "first reading" in html and "the waiver was humanitarian only" in html
    # The superseded record is struck through, the one in force is not.
    assert html.count("line-through") >= 1
    plain = window.detail_pane.text.toPlainText()
    assert "superseded" in plain and "in force" in plain


def test_delete_asks_first_and_hides_the_question(window, qtbot, monkeypatch):
    window.table.selectRow(1)
    qid = window.model.data(window.model.index(1, 0), IdRole)
    before = window.model.rowCount()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.detail_pane.buttons["actionDeleteQuestion"].click()
    assert window.model.rowCount() == before
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.detail_pane.buttons["actionDeleteQuestion"].click()
    assert window.model.rowCount() == before - 1
    assert qid not in {window.model.data(window.model.index(r, 0), IdRole) for r in range(window.model.rowCount())}
    assert window.detail_pane.detail.question.deleted  # still shown, marked, until the user moves on
    assert not window.action_update.isEnabled()


def test_a_core_refusal_is_explained_and_nothing_is_pushed(window, qtbot, monkeypatch):
    _resolve_first(window, qtbot, outcome="yes", day=date(2025, 12, 31), evidence="x")
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: messages.append(a[2]))
    # An update dated after the resolution would be hindsight: the dialog says so and blocks OK.
    window.table.selectRow(0)

    def fill(dialog):
        assert not _ok(dialog).isEnabled()
        assert "hindsight" in dialog.made_on_error.text()
        # Dated before the resolution, it is still recorded after it: refused all the same (issue 11).
        _set_date(dialog, "madeOnEdit", date(2025, 6, 1))
        assert not _ok(dialog).isEnabled()
        assert "recorded after its resolution would be hindsight" in dialog.made_on_error.text()
        dialog.reject()

    count = window.undo_stack.count()
    run_modal(qtbot, window.action_update.trigger, fill, name="UpdateForecastDialog")
    assert window.undo_stack.count() == count and messages == []


def test_an_update_on_a_reopened_question_says_it_will_never_be_scored(window, qtbot, monkeypatch):
    _resolve_first(window, qtbot, outcome="yes", day=date(2025, 12, 31), evidence="x")
    qid = window.model.data(window.model.index(0, 0), IdRole)
    window.service.retract_resolution(qid, reason="too early")
    window.table.selectRow(1)
    window.table.selectRow(0)

    def fill(dialog):
        note = child(dialog, QLabel, "hindsightNote")
        assert note.isVisible() and "never scored" in note.text()
        assert _ok(dialog).isEnabled()  # kept in the history, so it may be recorded
        dialog.reject()

    run_modal(qtbot, window.action_update.trigger, fill, name="UpdateForecastDialog")
