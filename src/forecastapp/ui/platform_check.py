"""Before Qt loads its window-system plugin: is there a screen, and are the system libraries it needs there?

On Linux, a missing X11 library makes Qt abort (status 134) with a message that names another library
("xcb-cursor0 is needed") whatever is actually missing, and with no display at all it aborts the same
way. This module looks first, with the standard library only, and says in one line what is missing and
how to install it, or that `QT_QPA_PLATFORM=offscreen` runs the app without a screen.
"""

from __future__ import annotations

import ctypes
import os
import sys

#: The shared libraries Qt's X11 plugin (xcb) loads, beyond what every desktop has, and the Debian/Ubuntu
#: package of each (read off `ldd` of PySide6's libqxcb.so and libQt6XcbQpa.so).
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
}
#: Platforms that need no screen.
HEADLESS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs")
#: The same libraries' packages on Fedora, for the message.
FEDORA = "xcb-util-cursor xcb-util-wm xcb-util-image xcb-util-keysyms xcb-util-renderutil libxkbcommon-x11"


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def display_problem(environ: dict[str, str] | None = None, *, platform: str | None = None,
                    loads=_loads) -> str | None:
    """One line saying why Qt could not open a window here, or None when nothing is known to be wrong."""
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if not platform.startswith("linux"):
        return None
    wanted = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if wanted.startswith(HEADLESS):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return ("no display: neither DISPLAY nor WAYLAND_DISPLAY is set; start forecastapp from a desktop session, "
                "or set QT_QPA_PLATFORM=offscreen to run it without a screen (for --exit-after-paint or tests)")
    if wanted not in ("", "xcb") or not env.get("DISPLAY"):
        return None  # Wayland or another platform chosen: its own checks apply
    missing = [soname for soname in XCB_LIBRARIES if not loads(soname)]
    if not missing:
        return None
    packages = " ".join(XCB_LIBRARIES[s] for s in missing)
    return (f"the X11 libraries Qt needs are missing ({', '.join(missing)}); on Debian or Ubuntu: sudo apt install "
            f"{packages}; on Fedora: sudo dnf install {FEDORA}; or set QT_QPA_PLATFORM=offscreen to run without a "
            "screen")


def check_display() -> None:
    """Exit with status 2 and one line on stderr when Qt could not open a window here."""
    problem = display_problem()
    if problem is not None:
        print(f"forecastapp cannot open its window: {problem}", file=sys.stderr)
        raise SystemExit(2)
