"""The window with its real Scorecard and Document tabs: clicks and selections that cross between tabs,
the scorecard export in every format, and the status bar's mean Brier and integrity state."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QLabel, QScrollArea, QTabWidget

from forecastapp.core import ledger as ops
from forecastapp.core.model import Outcome
from forecastapp.core.resources import read_text
from forecastapp.core.store import open_ledger
from forecastapp.ui.dialogs.question import AddForecastDialog
from forecastapp.ui.dialogs.resolve import ResolveDialog
from forecastapp.ui.operations import integrity
from forecastapp.ui.operations.ledger import ResolutionInput
from forecastapp.ui.panels import scorecard as scorecard_panel
from forecastapp.ui.panels.document import DocumentPanel
from forecastapp.ui.panels.scorecard import ScorecardPanel
from forecastapp.ui.window.file_actions import scorecard_target
from tests.ui.conftest import NOW, TODAY, child

SEED = json.loads(read_text("seed/north-korea-2023-outlook.json"))
DOC_TEXT = read_text(SEED["document"]["source"])


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _tabs(window) -> QTabWidget:
    return child(window, QTabWidget, "mainTabs")


def _select_by_id(window, question_id: str) -> None:
    assert window.select_question(question_id)
    assert window.selected_detail().question.id == question_id


def _resolve_selected(window, monkeypatch, outcome: str, day: date) -> None:
    """Resolve the selected question through the window, with the dialog answering `outcome`."""
    answer = ResolutionInput(outcome=Outcome(outcome), resolved_on=day, evidence="Checked the sources.")
    monkeypatch.setattr(ResolveDialog, "ask", classmethod(lambda cls, *args, **kwargs: answer))
    assert window.resolve_question()


def _add_and_resolve(db_path: Path, statement: str, p: float, outcome: str, *, analyst: str = "Ann") -> None:
    db = open_ledger(db_path, seed=False)
    try:
        qid, _ = ops.create_forecast(db, ops.NewQuestion(statement=statement, tags=("example",)), analyst=analyst,
                                     probability=p, made_on=date(2026, 3, 1), today=TODAY, now=NOW)
        ops.resolve(db, question_id=qid, outcome=outcome, resolved_on=date(2026, 6, 1), today=TODAY, now=NOW)
    finally:
        db.close()


# ------------------------------------------------------------------------------------- the tabs


def test_the_tabs_are_the_real_panels(window):
    tabs = _tabs(window)
    page = tabs.widget(1)
    assert isinstance(page, QScrollArea) and isinstance(page.widget(), ScorecardPanel)
    assert page.widget().objectName() == "scorecardView"
    assert isinstance(tabs.widget(2), DocumentPanel) and tabs.widget(2).objectName() == "documentView"
    for placeholder in ("forecastapp.ui.scorecard_view", "forecastapp.ui.document_view"):
        assert importlib.util.find_spec(placeholder) is None


def test_panels_stay_idle_until_their_tab_is_shown(window, qtbot, monkeypatch):
    runs = []
    original = scorecard_panel.compute_scorecard
    monkeypatch.setattr(scorecard_panel, "compute_scorecard", lambda *a, **k: runs.append(1) or original(*a, **k))
    window.reload()  # a ledger change while the tabs are hidden
    qtbot.wait(100)
    assert runs == [] and window.scorecard_view.scorecard() is None
    assert window.document_view.document_id() is None  # nothing read yet
    _tabs(window).setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.scorecard_view.scorecard() is not None, timeout=5000)
    assert runs == [1]
    _tabs(window).setCurrentIndex(2)
    assert window.document_view.document_id() is not None


# ------------------------------------------------------------------------------ document view


def test_clicking_a_highlight_selects_the_question_in_the_table(window, qtbot):
    first = min(SEED["questions"], key=lambda q: q["excerpt_start"])
    _tabs(window).setCurrentIndex(2)
    view = window.document_view.text_view()
    cursor = QTextCursor(view.document())
    cursor.setPosition(_utf16(DOC_TEXT[: first["excerpt_start"] + 5]))
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() + 3, rect.center().y()))
    assert _tabs(window).currentIndex() == 0
    row = window.table.currentIndex().row()
    assert row >= 0 and window.model.id_at(row) == first["id"]
    assert window.detail_pane.statement_label.text() == " ".join(first["statement"].split())


def test_a_highlight_hidden_by_the_search_still_gets_selected(window, qtbot):
    target = SEED["questions"][3]
    window.search_field.setText("zzzz-no-such-words")
    window.apply_filters()
    assert window.model.rowCount() == 0
    assert window.select_question(target["id"])
    assert window.search_field.text() == ""
    assert window.model.id_at(window.table.currentIndex().row()) == target["id"]


def test_new_forecast_from_a_selection_is_prefilled_and_linked_to_the_excerpt(window, qtbot, monkeypatch, seeded_path):
    wanted = "In 2023, Russia has re-emerged as a major player in North Korea"
    start = DOC_TEXT.index(wanted)
    seen = {}

    def accept(cls, parent, service, *, prefill=None, analyst=None, **lists):
        dialog = cls(service, parent, prefill=prefill, analyst=analyst, **lists)
        seen["statement"] = dialog.statement_edit.toPlainText()
        seen["source"] = child(dialog, QLabel, "sourceExcerpt").text()
        dialog.analyst_combo.setCurrentText("Ada Analyst")
        dialog.probability.set_value(0.7)
        dialog.resolve_by.edit.setText("2027-12-31")
        seen["ok"] = dialog.ok_button.isEnabled()
        result = dialog.result_values()
        dialog.deleteLater()
        return result

    monkeypatch.setattr(AddForecastDialog, "ask", classmethod(accept))
    _tabs(window).setCurrentIndex(2)
    panel = window.document_view
    view = panel.text_view()
    cursor = QTextCursor(view.document())
    cursor.setPosition(_utf16(DOC_TEXT[:start]))
    cursor.setPosition(_utf16(DOC_TEXT[: start + len(wanted)]), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    before = len(panel.excerpts())
    panel.request_new_forecast()

    assert seen == {"statement": wanted, "source": f"\u201c{wanted}\u201d", "ok": True}
    assert _tabs(window).currentIndex() == 2  # the analyst stays with the document
    qtbot.waitUntil(lambda: len(panel.excerpts()) == before + 1, timeout=3000)
    new = next(e for e in panel.excerpts() if e.start == start)
    assert (new.end, new.statement) == (start + len(wanted), wanted)
    db = open_ledger(seeded_path, seed=False)
    try:
        row = db.execute("SELECT document_id, excerpt, excerpt_start, excerpt_end FROM questions WHERE id = ?",
                         [new.question_id]).fetchone()
    finally:
        db.close()
    assert row == (SEED["document"]["id"], wanted, start, start + len(wanted))


def test_show_in_document_is_offered_for_a_question_with_an_excerpt(window, qtbot):
    target = max(SEED["questions"], key=lambda q: q["excerpt_start"])
    _select_by_id(window, target["id"])
    action = window.action_show_in_document
    assert action.isEnabled()
    assert "Show in document" in window.detail_pane.text.toPlainText()
    action.trigger()
    assert _tabs(window).currentIndex() == 2
    view = window.document_view.text_view()
    assert view.textCursor().position() == _utf16(DOC_TEXT[: target["excerpt_start"]])
    assert view.viewport().rect().intersects(view.cursorRect())


def test_show_in_document_is_not_offered_without_an_excerpt(window, seeded_path):
    db = open_ledger(seeded_path, seed=False)
    try:
        qid, _ = ops.create_forecast(db, ops.NewQuestion(statement="No source for this one."), analyst="Ann",
                                     probability=0.5, made_on=TODAY, today=TODAY, now=NOW)
    finally:
        db.close()
    window.reload()
    _select_by_id(window, qid)
    assert not window.action_show_in_document.isEnabled()
    assert "Show in document" not in window.detail_pane.text.toPlainText()


# --------------------------------------------------------------------------------- scorecard


def test_resolving_a_question_updates_the_scorecard_and_the_mean_brier(window, qtbot, monkeypatch):
    _tabs(window).setCurrentIndex(1)
    panel = window.scorecard_view
    qtbot.waitUntil(lambda: panel.scorecard() is not None, timeout=5000)
    assert panel.scorecard().overall.n == 0
    assert window.findChild(QLabel, "statusBrier").text() == "Mean Brier \u2014"

    target = SEED["questions"][0]
    _select_by_id(window, target["id"])
    _tabs(window).setCurrentIndex(1)  # watch the scorecard while resolving (select_question showed the table)
    _resolve_selected(window, monkeypatch, "no", date(2026, 1, 15))
    qtbot.waitUntil(lambda: panel.scorecard() is not None and panel.scorecard().overall.n == 1, timeout=5000)
    # One forecast by one analyst, made before the resolution day: one pair, Brier (p - 0)^2.
    p = target["forecast"]["probability"]
    assert panel.scorecard().overall.brier == pytest.approx(p * p)
    assert window.findChild(QLabel, "statusBrier").text() == f"Mean Brier {p * p:.3f}"


# ------------------------------------------------------------------------------------ export


@pytest.fixture
def scored_window(make_window, seeded_path):
    """The seeded ledger plus three resolved questions, one with markup in its statement."""
    _add_and_resolve(seeded_path, "Example: <b>Kim & \"Co\"</b> sign the deal", 0.8, "yes")
    _add_and_resolve(seeded_path, "Example: the port reopens", 0.3, "no")
    _add_and_resolve(seeded_path, "Example: the summit happens", 0.6, "yes", analyst="Bo")
    return make_window(seeded_path)


def _export(qtbot, window, monkeypatch, answer: str, chosen: str) -> str:
    asked = {}

    def fake_dialog(parent, caption, directory, filters, selected):
        asked.update(caption=caption, filters=filters, selected=selected)
        return answer, chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    window.action_export_scorecard.trigger()
    # The reports people send come first, the files for tools after (issue 14, item 7).
    assert asked["filters"] == "PDF (*.pdf);;HTML (*.html);;Markdown (*.md);;CSV (*.csv);;JSON (*.json)"
    qtbot.waitUntil(lambda: "Exported the scorecard" in window.statusBar().currentMessage(), timeout=10000)
    return window.statusBar().currentMessage()


@pytest.mark.parametrize(("typed", "chosen", "written"), [
    ("card", "JSON (*.json)", "card.json"),
    ("card.csv", "JSON (*.json)", "card.csv"),  # a typed extension wins over the filter
    ("card", "Markdown (*.md)", "card.md"),
    ("card.HTML", "PDF (*.pdf)", "card.HTML"),
    ("card", "PDF (*.pdf)", "card.pdf"),
])
def test_export_writes_the_format_the_dialog_chose(scored_window, qtbot, monkeypatch, tmp_path, typed, chosen,
                                                   written):
    out = tmp_path / "out"
    out.mkdir()
    message = _export(qtbot, scored_window, monkeypatch, str(out / typed), chosen)
    target = out / written
    assert str(target) in message
    data = target.read_bytes()
    kind = written.rsplit(".", 1)[1].lower()
    if kind == "json":
        card = json.loads(data)
        assert {"overall", "analysts", "tags", "pairs", "filters", "excluded"} <= card.keys()
        assert card["overall"]["n"] == 3
        assert len(card["pairs"]) == 3
        assert card["ledger"]["verified"] is True  # a shared scorecard states the chain was checked
    elif kind == "csv":
        first = next(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert first[:4] == ["group", "name", "n", "brier"]
    elif kind == "md":
        lines = data.decode("utf-8").splitlines()
        assert any(line.startswith("|") and set(line.replace("|", "").strip()) <= set("-: ") for line in lines)
        assert (out / "card-calibration.svg").is_file()  # the chart the report points at
    elif kind == "html":
        text = data.decode("utf-8")
        assert "Example: &lt;b&gt;Kim &amp; &quot;Co&quot;&lt;/b&gt; sign the deal" in text
        assert "<b>Kim" not in text
    else:
        assert data.startswith(b"%PDF")
        from PySide6.QtPdf import QPdfDocument

        doc = QPdfDocument()
        assert doc.load(str(target)) == QPdfDocument.Error.None_
        assert doc.pageCount() >= 1
        doc.close()


def test_export_uses_the_scorecard_tabs_filters(scored_window, qtbot, monkeypatch, tmp_path):
    scored_window.scorecard_view.set_filters(analyst="Bo")
    _export(qtbot, scored_window, monkeypatch, str(tmp_path / "bo.json"), "JSON (*.json)")
    card = json.loads((tmp_path / "bo.json").read_text(encoding="utf-8"))
    assert card["filters"]["analyst"] == "Bo"
    assert [(p["analyst"], p["outcome"]) for p in card["pairs"]] == [("Bo", "yes")]


def test_cancelling_the_save_dialog_writes_nothing(scored_window, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    scored_window.action_export_scorecard.trigger()
    assert scored_window.current_task is None


def test_scorecard_target_reads_extension_then_filter():
    assert scorecard_target("/x/a.markdown", "JSON (*.json)") == (Path("/x/a.markdown"), "md")
    assert scorecard_target("/x/a.htm", "CSV (*.csv)") == (Path("/x/a.htm"), "html")
    assert scorecard_target("/x/a.txt", "CSV (*.csv)") == (Path("/x/a.txt.csv"), "csv")
    assert scorecard_target("/x/a", "something else") == (Path("/x/a.json"), "json")


# --------------------------------------------------------------------------------- status bar


def test_status_bar_shows_the_mean_brier_and_verified(scored_window, qtbot):
    # Pairs by hand: (0.8 - 1)^2 = 0.04, (0.3 - 0)^2 = 0.09, (0.6 - 1)^2 = 0.16.
    expected = (0.04 + 0.09 + 0.16) / 3
    assert scored_window.findChild(QLabel, "statusBrier").text() == f"Mean Brier {expected:.3f}"
    label = scored_window.findChild(QLabel, "statusIntegrity")
    qtbot.waitUntil(lambda: label.text() == "Integrity: verified", timeout=5000)
    # The starting ledger's author and 19 questions with a forecast each, then 3 more with a forecast and a
    # resolution each, by 2 new analysts.
    assert f"{1 + 19 * 2 + 3 * 3 + 2:,} records" in label.toolTip()


def _tamper_forecast(path: Path, index: int) -> int:
    """Change the index-th forecast behind the app's back; returns its position in the chain."""
    conn = sqlite3.connect(path)
    try:
        ids = [r[0] for r in conn.execute("SELECT id FROM forecasts ORDER BY seq")]
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            if name.endswith(("_no_update", "_no_delete")):
                conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE forecasts SET probability = 0.99 WHERE id = ?", [ids[index]])
        conn.commit()
    finally:
        conn.close()
    # The seed writes its author, then each question's version and forecast: forecast i is link 2i + 3.
    return 2 * index + 3


def test_status_bar_names_the_first_broken_record(make_window, seeded_path, qtbot):
    position = _tamper_forecast(seeded_path, 6)
    window = make_window(seeded_path)
    label = window.findChild(QLabel, "statusIntegrity")
    qtbot.waitUntil(lambda: label.text().startswith("Integrity: broken"), timeout=5000)
    assert label.text() == f"Integrity: broken at record {position}"
    assert "changed after it was recorded" in label.toolTip()


class _Flag:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.calls = 0
        self.cancel_after = cancel_after

    def check(self) -> None:
        self.calls += 1
        if self.cancel_after is not None and self.calls > self.cancel_after:
            raise KeyboardInterrupt  # stands in for tasks.Cancelled: any exception must kill the child


def test_the_child_process_check_agrees_with_the_core(seeded_path):
    assert integrity.verify_in_child(seeded_path, _Flag()).ok
    position = _tamper_forecast(seeded_path, 2)
    state = integrity.verify_in_child(seeded_path, _Flag())
    assert (state.ok, state.broken_at, state.checked) == (False, position, position - 1)


def test_cancelling_the_check_kills_the_child(seeded_path, monkeypatch):
    import subprocess

    started = []
    real_popen = subprocess.Popen

    def spy(*args, **kwargs):
        proc = real_popen(*args, **kwargs)
        started.append(proc)
        return proc

    monkeypatch.setattr(subprocess, "Popen", spy)
    with pytest.raises(KeyboardInterrupt):
        integrity.verify_in_child(seeded_path, _Flag(cancel_after=0), poll_s=0.001)
    assert started and started[0].poll() is not None  # ended, not left running


def test_a_missing_ledger_is_a_one_line_failure(tmp_path):
    from forecastapp.core.errors import StoreError

    with pytest.raises(StoreError, match="no ledger at"):
        integrity.verify_in_child(tmp_path / "gone.db", _Flag())
    assert not (tmp_path / "gone.db").exists()


def test_switching_to_a_dark_palette_recolours_the_table(window, qtbot, qapp):
    from PySide6.QtGui import QColor, QPalette

    from forecastapp.ui.models.ledger_table import COL_STATUS

    model = window.model
    due = next(r for r in range(model.rowCount()) if model.data(model.index(r, COL_STATUS)) == "due")
    light = qapp.palette()
    assert model.data(model.index(due, COL_STATUS), Qt.ItemDataRole.ForegroundRole).name() == "#b45309"
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.Base, "#1e1e1e"),
                         (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.WindowText, "#e6e6e6")):
        dark.setColor(role, QColor(colour))
    try:
        qapp.setPalette(dark)
        # The amber that reads on a dark background (the light one is too dark there).
        qtbot.waitUntil(lambda: model.data(model.index(due, COL_STATUS),
                                           Qt.ItemDataRole.ForegroundRole).name() == "#f59e0b", timeout=2000)
    finally:
        qapp.setPalette(light)


def test_cancelling_an_export_while_it_scores_writes_nothing(scored_window, qtbot, monkeypatch, tmp_path):
    import threading

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from forecastapp.ui.operations import scorecard

    release = threading.Event()
    original = scorecard.read_scorecard

    def slow(*args, **kwargs):
        release.wait(5)  # scoring a big ledger: the user has time to press Cancel
        return original(*args, **kwargs)

    monkeypatch.setattr(scorecard, "read_scorecard", slow)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(tmp_path / "card.pdf"), "PDF (*.pdf)")))
    scored_window.action_export_scorecard.trigger()
    progress = scored_window.findChild(QProgressDialog, "progressDialog")
    assert progress is not None and not scored_window.action_export_scorecard.isEnabled()
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Cancel
    release.set()
    qtbot.waitUntil(lambda: scored_window.statusBar().currentMessage() == "Cancelled; nothing was changed",
                    timeout=5000)
    assert not (tmp_path / "card.pdf").exists()
    assert scored_window.action_export_scorecard.isEnabled()
