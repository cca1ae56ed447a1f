"""File > Import ledger… and the import dialog on forecastapp ledgers: a JSON export, another analyst's database."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog
from team import AGREED, DISPUTED, LATER, NOW, TODAY, ann_and_bo, question_id, resolve_differently

from forecastapp.core import ledger as L
from forecastapp.core.store import open_ledger
from forecastapp.core.transfer import write_export
from forecastapp.ui.dialogs.conflicts import ConflictsDialog
from forecastapp.ui.dialogs.import_wizard import PAGE_PREVIEW, PAGE_SOURCE, ImportDialog
from forecastapp.ui.models.ledger_table import COL_STATEMENT, COL_STATUS
from forecastapp.ui.operations import imports

FRESH = "Will the tram line open by autumn?"


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, Path]:
    """(Ann's ledger, Bo's ledger). Bo started from Ann's export, forecast AGREED, asked FRESH, resolved DISPUTED no;
    Ann resolved DISPUTED yes."""
    ann, bo = ann_and_bo(tmp_path)
    try:
        L.add_forecast(bo, question_id=question_id(bo, AGREED), analyst="Bo", probability=0.7, made_on=date(2026, 1, 9),
                       today=TODAY, now=LATER)
        L.create_forecast(bo, L.NewQuestion(FRESH), analyst="Bo", probability=0.4, made_on=date(2026, 1, 9),
                          today=TODAY, now=LATER)
        resolve_differently(ann, bo)
    finally:
        ann.close()
        bo.close()
    return tmp_path / "ann.db", tmp_path / "bo.db"


@pytest.fixture
def ann_window(make_window, team):
    """The main window on Ann's ledger."""
    return make_window(team[0])


@pytest.fixture
def empty_window(make_window, tmp_path):
    """A main window on an empty ledger."""
    path = tmp_path / "empty.db"
    open_ledger(path, seed=False).close()
    return make_window(path)


def _choose_in_import_ledger(qtbot, window, monkeypatch, path: Path) -> ImportDialog:
    """File > Import ledger…, choosing `path` in the file dialog."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.findChild(QAction, "actionImportLedger").trigger()
    dialog = window.findChild(ImportDialog, "ImportDialog")
    assert dialog is not None and dialog.isVisible()
    return dialog


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _wait_preview(qtbot, dialog: ImportDialog) -> list[str]:
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.busy_bar.isVisible(), timeout=10000)
    return dialog.preview_label.text().splitlines()


def _wait_imported(qtbot, dialog: ImportDialog) -> list[str]:
    qtbot.waitUntil(lambda: not dialog.is_busy() and dialog.result_label.text().startswith(("Imported", "Nothing")),
                    timeout=10000)
    return dialog.result_label.text().splitlines()


def _table(window) -> dict[str, str]:
    model = window.model
    return {model.data(model.index(r, COL_STATEMENT)): model.data(model.index(r, COL_STATUS))
            for r in range(model.rowCount())}


def _counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("questions", "forecasts", "resolutions", "analysts", "origins", "conflicts")}
    finally:
        conn.close()


def test_import_ledger_previews_a_json_export_imports_it_and_then_finds_nothing_new(qtbot, empty_window, tmp_path,
                                                                                  monkeypatch):
    source = open_ledger(tmp_path / "cy.db", seed=False)
    try:
        first = L.create_forecast(source, L.NewQuestion("Will the pier be rebuilt?"), analyst="Cy", probability=0.3,
                                  made_on=date(2026, 2, 1), today=TODAY, now=NOW)
        L.add_forecast(source, question_id=first[0], analyst="Cy", probability=0.4, made_on=date(2026, 2, 8),
                       today=TODAY, now=NOW)
        second = L.create_forecast(source, L.NewQuestion("Will the dam hold through spring?"), analyst="Cy",
                                   probability=0.8, made_on=date(2026, 2, 1), today=TODAY, now=NOW)
        L.resolve(source, question_id=second[0], outcome="yes", resolved_on=date(2026, 5, 1), today=TODAY, now=NOW)
        write_export(source, tmp_path / "cy.json", now=NOW)
    finally:
        source.close()
    window = empty_window

    dialog = _choose_in_import_ledger(qtbot, window, monkeypatch, tmp_path / "cy.json")
    # Straight to the preview: the file was chosen in the menu's file dialog.
    assert dialog.page() == PAGE_PREVIEW
    assert _wait_preview(qtbot, dialog) == [
        "cy.json (forecastapp ledger export): 2 questions, 3 forecasts, 1 resolution read.",
        "New: 2 questions, 3 forecasts, 1 resolution.",
        "Conflicts that would be flagged: 0.",
    ]
    assert not dialog.skipped_list.isVisible()  # a ledger has no rows to skip
    assert _table(window) == {}  # the preview wrote nothing

    _click(qtbot, dialog.import_button)
    assert _wait_imported(qtbot, dialog)[:2] == ["Imported cy.json.",
                                                 "Added: 2 questions, 3 forecasts, 1 resolution, 1 analyst."]
    # The bar counted every record of the file: 1 analyst + 2 questions and their 2 versions + 3 forecasts
    # + 1 resolution.
    bar = dialog.progress_bar
    assert (bar.minimum(), bar.maximum(), bar.value()) == (0, 9, 9)
    qtbot.waitUntil(lambda: len(_table(window)) == 2, timeout=5000)
    assert _table(window) == {"Will the pier be rebuilt?": "open", "Will the dam hold through spring?": "resolved yes"}
    dialog.close()
    qtbot.waitUntil(lambda: window.findChild(ImportDialog, "ImportDialog") is None, timeout=5000)

    again = _choose_in_import_ledger(qtbot, window, monkeypatch, tmp_path / "cy.json")
    assert _wait_preview(qtbot, again)[:2] == [
        "cy.json (forecastapp ledger export): 2 questions, 3 forecasts, 1 resolution read.",
        "Nothing new: everything in this file is already in the ledger.",
    ]
    assert not again.import_button.isEnabled()
    assert _counts(window.service.path)["forecasts"] == 3
    again.close()


def test_merging_another_analysts_database_flags_the_conflict_for_the_conflicts_dialog(qtbot, ann_window, team,
                                                                                        monkeypatch):
    window = ann_window
    _ann_path, bo_path = team
    # Through Ctrl+Shift+I's dialog, with the format left to "Recognise it": an SQLite file is a ledger to merge.
    window.findChild(QAction, "actionImportOther").trigger()
    dialog = window.findChild(ImportDialog, "ImportDialog")
    qtbot.keyClicks(dialog.path_edit, str(bo_path))
    _click(qtbot, dialog.next_button)
    assert _wait_preview(qtbot, dialog) == [
        "bo.db (forecastapp ledger database): 3 questions, 4 forecasts, 1 resolution read.",
        "New: 1 question, 2 forecasts, 0 resolutions.",
        # Ann's two questions, her two forecasts and Ann herself.
        "Already in the ledger: 5 records.",
        "Conflicts that would be flagged: 1 (a question resolved differently here; yours stays in force until you "
        "settle it).",
    ]
    _click(qtbot, dialog.import_button)
    assert _wait_imported(qtbot, dialog) == [
        "Imported bo.db.",
        "Added: 1 question, 2 forecasts, 1 analyst.",
        "Already present: 5 records (2 questions, 2 forecasts, 1 analyst).",
        "1 question was resolved differently in the file; your resolution stays in force until you settle it.",
    ]
    bar = dialog.progress_bar
    # 2 analysts + 3 questions and their 3 versions + 4 forecasts + 1 resolution in Bo's ledger; the bar ends full.
    assert (bar.maximum(), bar.value()) == (13, 13)
    qtbot.waitUntil(lambda: FRESH in _table(window), timeout=5000)
    assert _table(window)[DISPUTED] == "resolved yes"  # Ann's resolution stays in force
    _click(qtbot, dialog.settle_button)
    conflicts = window.findChild(ConflictsDialog, "ConflictsDialog")
    assert conflicts is not None and conflicts.isVisible()
    assert [(c.statement, c.ours_outcome, c.theirs_outcome, c.source) for c in conflicts.conflicts()] == [
        (DISPUTED, "yes", "no", "bo.db")]
    conflicts.close()
    dialog.close()
    qtbot.waitUntil(lambda: window.findChild(ImportDialog, "ImportDialog") is None, timeout=5000)

    # Merging Bo's ledger again adds nothing and flags the same conflict no second time.
    again = _choose_in_import_ledger(qtbot, window, monkeypatch, bo_path)
    assert _wait_preview(qtbot, again) == [
        "bo.db (forecastapp ledger database): 3 questions, 4 forecasts, 1 resolution read.",
        "Nothing new: everything in this file is already in the ledger.",
        "Conflicts that would be flagged: 0.",
    ]
    assert not again.import_button.isEnabled()
    again.close()


def test_cancelling_a_merge_leaves_the_ledger_as_it_was(qtbot, ann_window, team, monkeypatch):
    window = ann_window
    gate = threading.Event()
    real = imports.run_ledger_import

    def held(db_path, data, *, source, fmt, now, progress):
        def report(done: int, total: int) -> None:
            if total and done >= total:
                gate.wait(10)  # every record is written, the transaction still open: now Cancel arrives
            progress(done, total)

        return real(db_path, data, source=source, fmt=fmt, now=now, progress=report)

    monkeypatch.setattr(imports, "run_ledger_import", held)
    dialog = _choose_in_import_ledger(qtbot, window, monkeypatch, team[1])
    _wait_preview(qtbot, dialog)
    _click(qtbot, dialog.import_button)
    assert dialog.progress_bar.isVisible() and dialog.close_button.text() == "Cancel"
    _click(qtbot, dialog.close_button)
    gate.set()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10000)
    assert dialog.result_label.text() == "Import cancelled; nothing was written."
    # Ann's ledger as the fixture left it: her two questions and forecasts, her one resolution, no merge.
    assert _counts(window.service.path) == {"questions": 2, "forecasts": 2, "resolutions": 1, "analysts": 1,
                                            "origins": 0, "conflicts": 0}
    assert FRESH not in _table(window)
    dialog.close()


def test_merging_the_open_ledger_into_itself_is_refused_beside_the_file_field(qtbot, ann_window, team, monkeypatch):
    window = ann_window
    before = _counts(team[0])
    dialog = _choose_in_import_ledger(qtbot, window, monkeypatch, team[0])
    assert dialog.page() == PAGE_SOURCE
    assert dialog.source_error.isVisible()
    assert dialog.source_error.text() == "'ann.db' is this ledger itself; merge another analyst's ledger"
    assert dialog.preview is None and not dialog.is_busy()
    assert _counts(team[0]) == before
    dialog.close()


def test_a_scripted_ledger_import_flags_a_different_resolution_and_keeps_ours(qtbot, make_window, tmp_path):
    ann, bo = ann_and_bo(tmp_path)
    try:
        resolve_differently(ann, bo)
        write_export(bo, tmp_path / "bo.json", now=LATER)
    finally:
        ann.close()
        bo.close()
    window = make_window(tmp_path / "ann.db")
    with qtbot.waitSignal(window.import_ledger(tmp_path / "bo.json").finished, timeout=10_000) as blocker:
        pass
    assert blocker.args[0].endswith("1 conflicting resolution flagged")
    window.reload()
    assert _table(window)[DISPUTED] == "resolved yes"  # ours stays in force
    assert [c.question_id for c in imports.conflicts(window.service)] == [question_id(window.service.db, DISPUTED)]


def test_the_origin_says_import_for_an_export_and_merge_for_a_database(tmp_path):
    ann, bo = ann_and_bo(tmp_path)
    try:
        write_export(bo, tmp_path / "bo.json", now=LATER)
        L.create_forecast(bo, L.NewQuestion(FRESH), analyst="Bo", probability=0.4, made_on=date(2026, 1, 9),
                          today=TODAY, now=LATER)
    finally:
        ann.close()
        bo.close()
    empty = tmp_path / "empty.db"
    open_ledger(empty, seed=False).close()
    for name, fmt in (("bo.json", "ledger"), ("bo.db", "ledger-db")):
        data = imports.read_ledger_source(tmp_path / name, now=LATER)[0]
        imports.run_ledger_import(empty, data, source=tmp_path / name, fmt=fmt, now=LATER,
                                      progress=lambda done, total: None)
    conn = sqlite3.connect(empty)
    try:
        assert conn.execute("SELECT action, format, source FROM origins ORDER BY recorded_at, rowid").fetchall() == [
            ("import", "ledger", "bo.json"), ("merge", "ledger-db", "bo.db")]
    finally:
        conn.close()
