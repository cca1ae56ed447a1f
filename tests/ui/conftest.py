"""Fixtures for the desktop app's tests: isolated QSettings, a main-window factory, modal-dialog driving."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable  # noqa: E402
from datetime import date, datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

# The same fixed moment as tests/conftest.py: the seeded questions' deadlines sit on either side of it.
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def ui_settings(tmp_path: Path, qapp) -> QSettings:
    """QSettings for this test only: every QSettings() in the process writes under tmp_path."""
    qapp.setOrganizationName("forecastapp-tests")
    qapp.setApplicationName("forecastapp-tests")
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.SystemScope, str(folder / "system"))
    settings = QSettings()
    settings.clear()
    yield settings
    settings.sync()


@pytest.fixture
def make_window(qtbot, ui_settings):
    """Build a main window on a ledger file with the fixed clock; the fixture closes it afterwards."""
    from forecastapp.app import create_main_window

    windows = []

    def make(path: Path, *, show: bool = True, settings: QSettings | None = None):
        # Inline reads: every assertion sees the result of the action before it, without waiting.
        window = create_main_window(path, settings=settings or ui_settings, now=lambda: NOW, today=lambda: TODAY,
                                    background=False)
        qtbot.addWidget(window)
        windows.append(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.service.close()


@pytest.fixture
def window(make_window, seeded_path):
    """The main window on a fresh copy of the seeded ledger."""
    return make_window(seeded_path)


def run_modal(qtbot, trigger: Callable[[], object], interact: Callable[[QDialog], None], *, name: str,
              timeout_ms: int = 5000):
    """Call `trigger` (which opens a modal dialog and blocks), let `interact` drive the dialog, return the result.

    `interact` fills the dialog and presses its buttons like a user; if it raises, the dialog is
    rejected and the error re-raised here, so a failed assertion never leaves the test hanging.
    """
    state: dict[str, object] = {"waited": 0}

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or widget.objectName() != name:
            state["waited"] = int(state["waited"]) + 10
            if int(state["waited"]) > timeout_ms:
                state["error"] = AssertionError(f"dialog {name} did not open (active: {widget and widget.objectName()})")
                if widget is not None and isinstance(widget, QDialog):
                    widget.reject()
                return
            QTimer.singleShot(10, poll)
            return
        state["dialog"] = widget
        try:
            interact(widget)  # type: ignore[arg-type]
        except BaseException as exc:  # noqa: BLE001 - re-raised below, on the test's stack
            state["error"] = exc
        if widget.isVisible():
            widget.reject()

    QTimer.singleShot(0, poll)
    result = trigger()
    if "error" in state:
        raise state["error"]  # type: ignore[misc]
    assert "dialog" in state, f"dialog {name} never opened"
    return result


def child(parent: QWidget, cls, name: str):
    """The named child widget, asserting it exists."""
    found = parent.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name!r}"
    return found
