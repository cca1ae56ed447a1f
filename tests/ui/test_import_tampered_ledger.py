"""The desktop app refuses another ledger whose hash chain does not verify: in the dialog, and in the scripted import."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox
from team import LATER, ann_and_bo

from forecastapp.core.store import open_ledger
from forecastapp.core.transfer import write_export
from forecastapp.ui.dialogs.import_wizard import ImportDialog
from tests.core.tampering import tamper


def _counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("questions", "forecasts", "analysts", "origins", "chain")}
    finally:
        conn.close()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """An empty ledger (ours), Bo's ledger database with an edited forecast, and Bo's export with one."""
    ann, bo = ann_and_bo(tmp_path)
    try:
        write_export(bo, tmp_path / "bo.json", now=LATER)
    finally:
        ann.close()
        bo.close()
    data = json.loads((tmp_path / "bo.json").read_text(encoding="utf-8"))
    data["forecasts"][0]["probability"] = 0.01
    (tmp_path / "bo.json").write_text(json.dumps(data), encoding="utf-8")
    tamper(tmp_path / "bo.db", "UPDATE forecasts SET probability = 0.01")
    open_ledger(tmp_path / "ours.db", seed=False).close()
    return {"ours": tmp_path / "ours.db", "db": tmp_path / "bo.db", "json": tmp_path / "bo.json"}


@pytest.mark.parametrize("kind, what", [("json", "export 'bo.json'"), ("db", "database 'bo.db'")])
def test_the_import_ledger_dialog_shows_the_refusal_and_imports_nothing(qtbot, make_window, monkeypatch, files, kind,
                                                                        what):
    window = make_window(files["ours"])
    before = _counts(files["ours"])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(files[kind]), ""))
    window.findChild(QAction, "actionImportLedger").trigger()
    dialog = window.findChild(ImportDialog, "ImportDialog")
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.result_error.isVisible() and not dialog.busy_bar.isVisible(), timeout=10_000)
    message = dialog.result_error.text()
    # The first forecast's link comes after its analyst's and its question's version's.
    assert re.match(rf"refused: the ledger {what} does not verify: broken at record \d+ \(forecasts ", message)
    assert message.endswith("; nothing was imported") and "\n" not in message
    assert dialog.preview is None
    assert not (dialog.import_button.isVisible() and dialog.import_button.isEnabled())
    assert _counts(files["ours"]) == before
    dialog.close()


def test_the_scripted_import_refuses_an_edited_export(qtbot, make_window, monkeypatch, files):
    window = make_window(files["ours"])
    before = _counts(files["ours"])
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: messages.append(a[2]))
    with qtbot.waitSignal(window.import_ledger(files["json"]).failed, timeout=10_000) as blocker:
        pass
    assert re.match(r"refused: the ledger export 'bo.json' does not verify: broken at record \d+ \(forecasts ",
                    blocker.args[0])
    assert messages == [blocker.args[0]]
    assert _counts(files["ours"]) == before
