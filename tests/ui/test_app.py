"""Starting the desktop app: the factory, --exit-after-paint, and a database that cannot be used."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from forecastapp.app import create_main_window
from forecastapp.ui.operations.ledger import ResolutionInput


def _env(tmp_path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # Keep the child's QSettings (native format on Linux: XDG_CONFIG_HOME) inside the test folder.
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["HOME"] = str(tmp_path / "home")
    env.pop("FORECASTAPP_DB", None)
    return env


def _child_output(code: str, tmp_path) -> str:
    """Run `code` in a fresh Python (a cold start, as a user's launch is) and return what it printed."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env=_env(tmp_path))
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_factory_returns_a_window_that_is_not_shown_yet(qtbot, seeded_path, ui_settings):
    window = create_main_window(seeded_path, settings=ui_settings)
    qtbot.addWidget(window)
    assert window.objectName() == "MainWindow"
    assert not window.isVisible()
    assert window.model.rowCount() > 0
    assert not window.windowIcon().isNull()
    window.service.close()


def test_gui_exit_after_paint_prints_the_first_paint_time(seeded_path, tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "forecastapp", "--db", str(seeded_path), "gui", "--exit-after-paint"],
        capture_output=True, text=True, timeout=120, env=_env(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    found = re.fullmatch(r"first-paint-ms: (\d+)\n", out.stdout)
    assert found, out.stdout
    assert 0 < int(found.group(1)) < 60_000


def test_gui_script_entry_point_takes_db(seeded_path, tmp_path):
    code = "from forecastapp.ui.app import main; main()"
    out = subprocess.run(
        [sys.executable, "-c", code, "--db", str(seeded_path), "--exit-after-paint"],
        capture_output=True, text=True, timeout=120, env=_env(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("first-paint-ms: ")


def test_a_file_that_is_not_a_ledger_exits_2_and_is_left_alone(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("shopping list")
    out = subprocess.run(
        [sys.executable, "-m", "forecastapp", "--db", str(bad), "gui", "--exit-after-paint"],
        capture_output=True, text=True, timeout=120, env=_env(tmp_path),
    )
    assert out.returncode == 2
    assert "not a forecastapp database" in out.stderr
    assert bad.read_text() == "shopping list"


def test_the_app_start_does_not_import_dialogs_charts_or_numpy(seeded_path, tmp_path):
    code = (
        "import sys\n"
        "from forecastapp.ui import app\n"
        f"w = app.create_main_window({str(seeded_path)!r}, defer_secondary=True)\n"
        "lazy = ('forecastapp.ui.dialogs.question', 'forecastapp.ui.dialogs.resolve',\n"
        "        'forecastapp.ui.operations.tasks', 'forecastapp.core.ledger', 'forecastapp.core.transfer',\n"
        "        'PySide6.QtCharts', 'numpy',\n"
        "        'sqlite_utils', 'forecastapp.core.migrations', 'forecastapp.ui.panels.detail',\n"
        "        'forecastapp.ui.dialogs.import_wizard', 'forecastapp.ui.dialogs.conflicts', 'platformdirs')\n"
        "print(','.join(m for m in lazy if m in sys.modules))\n"
        "w.service.close()\n"
    )
    assert _child_output(code, tmp_path).strip() == ""


def test_a_current_ledger_paints_from_the_reader_and_opens_in_full_on_the_first_write(make_window, seeded_path,
                                                                                         qtbot):
    window = make_window(seeded_path)
    service = window.service
    assert not service.fully_open  # the first screen came through the plain reader
    assert window.model.rowCount() == 19
    question_id = window.model.row_at(0).id
    service.resolve(question_id, ResolutionInput(outcome="yes", resolved_on=date(2026, 11, 1), evidence="seen"))
    assert service.fully_open
    assert service.detail(question_id).resolutions[-1].outcome == "yes"


def test_after_the_first_paint_sqlite_utils_loads_in_the_background_and_the_icon_is_set(seeded_path, tmp_path):
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from forecastapp.ui import app\n"
        "qapp = app.ensure_application()\n"
        f"w = app.create_main_window({str(seeded_path)!r}, defer_secondary=True)\n"
        "before = 'sqlite_utils' in sys.modules\n"
        "def painted():\n"
        "    QTimer.singleShot(0, qapp.quit)\n"
        "w.first_painted.connect(painted)\n"
        "w.show()\n"
        "qapp.exec()\n"
        "import threading\n"
        "for t in threading.enumerate():\n"
        "    if t.name == 'forecastapp-warm-up':\n"
        "        t.join(60)\n"
        "print(before, 'sqlite_utils' in sys.modules, 'numpy' in sys.modules, w.windowIcon().isNull())\n"
        "w.service.close()\n"
    )
    # sqlite-utils was not loaded before the paint, is loaded after it, numpy never; the icon is set.
    assert _child_output(code, tmp_path).split() == ["False", "True", "False", "False"]


def test_an_old_ledger_is_migrated_before_the_window_shows_it(make_window, tmp_path):
    path = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "data" / "ledger-0001.db", path)
    window = make_window(path)
    assert window.service.fully_open  # migrated in full before the first paint
    assert window.model.rowCount() == 3  # the fixture's questions
    assert (tmp_path / "old.db.0001_initial.bak").is_file()


def test_in_the_app_the_detail_pane_replaces_its_placeholder_after_the_first_paint(qtbot, seeded_path, ui_settings):
    from PySide6.QtWidgets import QLabel, QWidget

    window = create_main_window(seeded_path, settings=ui_settings, defer_secondary=True, background=False)
    qtbot.addWidget(window)
    try:
        # Before the first paint: the pane's place says what the empty pane says; no pane yet.
        assert window.findChild(QWidget, "detailPane") is None
        placeholder = window.splitter.widget(1)
        assert isinstance(placeholder, QLabel)
        assert placeholder.text() == "Select a question to see its statement, source and history."
        with qtbot.waitSignal(window.first_painted, timeout=10_000):
            window.show()
        qtbot.waitUntil(lambda: window.findChild(QWidget, "detailPane") is not None, timeout=10_000)
        pane = window.findChild(QWidget, "detailPane")
        assert window.splitter.widget(1) is pane
        assert window.splitter.sizes()[1] > 0
        # Selecting a row shows the question in the real pane.
        window.table.selectRow(0)
        assert window.selected_detail() is not None
        assert window.selected_detail().question.id == window.model.row_at(0).id
    finally:
        window.close()
        window.service.close()


def test_selecting_before_the_first_paint_builds_the_detail_pane_at_once(qtbot, seeded_path, ui_settings):
    window = create_main_window(seeded_path, settings=ui_settings, defer_secondary=True, background=False)
    qtbot.addWidget(window)
    try:
        window.table.selectRow(1)
        assert window.splitter.widget(1) is window.detail_pane
        assert window.selected_detail().question.id == window.model.row_at(1).id
    finally:
        window.service.close()
