"""Import and export of the ledger run in the background, report back, and can be cancelled."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from forecastapp.core.store import open_ledger
from forecastapp.ui.operations.tasks import BackgroundTask, Cancelled


def _question_count(path) -> int:
    db = open_ledger(path, seed=False)
    try:
        return db.execute("SELECT count(*) FROM questions").fetchone()[0]
    finally:
        db.close()


def test_export_runs_in_the_background_and_writes_the_whole_ledger(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "out" / "ledger.json"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_ledger_dialog()
    task = window.current_task
    with qtbot.waitSignal(task.finished, timeout=10_000) as blocker:
        pass
    assert blocker.args == [target]
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "forecastapp-ledger/1"
    assert len(data["questions"]) == window.model.rowCount()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ledger.json"]  # nothing left beside it
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=2000)


def test_import_adds_the_records_and_refreshes_the_table(make_window, seeded_path, tmp_path, qtbot):
    # Export the seeded ledger, then import it into an empty one through the window.
    seeded = make_window(seeded_path)
    export = tmp_path / "seed.json"
    with qtbot.waitSignal(seeded.export_ledger(export).finished, timeout=10_000):
        pass
    expected = len(json.loads(export.read_text(encoding="utf-8"))["questions"])
    empty_path = tmp_path / "empty.db"
    open_ledger(empty_path, seed=False).close()
    window = make_window(empty_path)
    assert window.model.rowCount() == 0
    task = window.import_ledger(export)
    progress = []
    task.progress.connect(lambda n, total: progress.append((n, total)))
    with qtbot.waitSignal(task.finished, timeout=10_000) as blocker:
        pass
    assert f"{expected} questions" in blocker.args[0]
    qtbot.waitUntil(lambda: window.model.rowCount() == expected, timeout=2000)
    assert _question_count(empty_path) == expected
    assert "Resolved 0" in window.counts_label.text()
    assert window.tag_filter.count() > 1  # the filter lists were refreshed too
    assert progress and progress[-1][0] == progress[-1][1]  # the last report says "all done"
    # Importing the same file again adds nothing (the core's import is idempotent).
    with qtbot.waitSignal(window.import_ledger(export).finished, timeout=10_000) as again:
        pass
    assert again.args[0].startswith("added nothing")


def _export_with_many_records(tmp_path, n_questions: int) -> tuple[object, int]:
    """A ledger export with more than 1,000 records (the core reports import progress per 1,000)."""
    from datetime import datetime, timezone

    from forecastapp.core import ledger, transfer

    now = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
    path = tmp_path / "many.db"
    db = open_ledger(path, seed=False)
    try:
        from forecastapp.core.store import writing

        with writing(db):
            for i in range(n_questions):
                ledger.create_forecast(db, ledger.NewQuestion(statement=f"Question {i}"), analyst="Ada",
                                       probability=0.5, made_on=date(2026, 1, 1), today=date(2026, 11, 28), now=now)
        export = tmp_path / "many.json"
        transfer.write_export(db, export, now=now)
    finally:
        db.close()
    return export, n_questions


def test_cancelling_an_import_midway_rolls_it_back(make_window, tmp_path, qtbot, monkeypatch):
    export, n = _export_with_many_records(tmp_path, 600)  # 600 questions + 600 forecasts + 1 analyst
    empty_path = tmp_path / "empty.db"
    open_ledger(empty_path, seed=False).close()
    window = make_window(empty_path)

    # Hold the worker inside the core's import transaction (at its 1,000th record) until the test
    # has pressed Cancel, so the cancel lands midway through the writes.
    from forecastapp.ui.operations import imports

    reached, gate = threading.Event(), threading.Event()
    real = imports.import_ledger_file

    def held_import(db_path, source, progress, *, now):
        class Held:
            def report(self, done, total):
                if done >= 1000 and not gate.is_set():
                    reached.set()
                    gate.wait(10)
                progress.report(done, total)

            def check(self):
                progress.check()

        return real(db_path, source, Held(), now=now)

    monkeypatch.setattr(imports, "import_ledger_file", held_import)
    task = window.import_ledger(export)
    assert reached.wait(10), "the import never reached its 1,000th record"
    from PySide6.QtWidgets import QPushButton

    progress_dialog = window.findChild(type(window.files.progress), "progressDialog")
    cancel = progress_dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    cancel.click()
    gate.set()
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        pass
    assert _question_count(empty_path) == 0 < n
    assert window.model.rowCount() == 0
    qtbot.waitUntil(lambda: "Cancelled" in window.statusBar().currentMessage(), timeout=2000)


def test_a_bad_import_file_is_explained_and_changes_nothing(window, qtbot, tmp_path, monkeypatch, seeded_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: messages.append(a[2]))
    before = _question_count(seeded_path)
    with qtbot.waitSignal(window.import_ledger(bad).failed, timeout=10_000) as blocker:
        pass
    assert "not a forecastapp ledger export" in blocker.args[0]
    assert messages == [blocker.args[0]]
    assert _question_count(seeded_path) == before


def test_background_task_reports_on_the_gui_thread(qtbot, qapp):
    seen = {}

    def work(context):
        seen["worker"] = threading.current_thread()
        context.report(1, 2)
        return date(2026, 1, 1)

    task = BackgroundTask(work)
    on_gui = []
    task.progress.connect(lambda *_: on_gui.append(threading.current_thread()))
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        task.start()
    assert blocker.args == [date(2026, 1, 1)]
    assert seen["worker"] is not threading.main_thread()
    assert on_gui == [threading.main_thread()]
    assert not task.running


def test_background_task_can_be_cancelled_before_it_starts(qtbot):
    def work(context):
        raise AssertionError("must not run")

    task = BackgroundTask(work)
    task.cancel()
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.start()
    assert Cancelled.__name__ == "Cancelled"


@pytest.mark.parametrize("kind", ["ledger", "scorecard"])
def test_an_export_over_the_ledger_itself_is_refused_and_the_ledger_kept(window, qtbot, seeded_path, monkeypatch,
                                                                         kind):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, message, *a: shown.append(message))
    before = seeded_path.read_bytes()
    task = window.export_ledger(seeded_path) if kind == "ledger" else window.export_scorecard(seeded_path, "json")
    with qtbot.waitSignal(task.failed, timeout=10_000) as blocker:
        pass
    assert blocker.args[0] == f"'{seeded_path.name}' is the ledger's own database file; save the export as another file"
    assert shown == [blocker.args[0]]
    assert seeded_path.read_bytes() == before
    assert not seeded_path.with_name(seeded_path.name + ".exporting").exists()
