"""Before Qt loads its window-system plugin, a missing screen or X11 library is one line, not an abort."""

from __future__ import annotations

import os
import subprocess
import sys

from forecastapp.ui.platform_check import XCB_LIBRARIES, display_problem


def test_no_display_is_said_with_the_headless_way_out():
    problem = display_problem({}, platform="linux")
    assert problem is not None and "no display" in problem and "QT_QPA_PLATFORM=offscreen" in problem


def test_a_missing_x11_library_is_named_with_its_package():
    problem = display_problem({"DISPLAY": ":0"}, platform="linux", loads=lambda s: s != "libxcb-icccm.so.4")
    assert problem is not None
    assert "libxcb-icccm.so.4" in problem and "sudo apt install libxcb-icccm4;" in problem
    assert "libxcb-cursor" not in problem  # Qt's own message blames this one whatever is missing


def test_nothing_is_said_when_all_is_there_or_no_screen_is_wanted():
    everything = lambda s: True  # noqa: E731
    assert display_problem({"DISPLAY": ":0"}, platform="linux", loads=everything) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, platform="linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, platform="linux") is None
    assert display_problem({}, platform="darwin") is None
    assert set(XCB_LIBRARIES.values()) >= {"libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0"}


def test_the_app_started_without_a_screen_exits_with_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "forecastapp", "--db", str(tmp_path / "l.db"), "gui", "--exit-after-paint"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("forecastapp cannot open its window: no display")
    assert result.stderr.count("\n") == 1
