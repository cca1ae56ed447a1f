"""Start the desktop app: QApplication set-up, open the ledger, show the main window.

`forecastapp gui` and bare `forecastapp` call `run()`; the `forecastapp-gui` script calls `main()`.
Only the standard library is imported at module level, so `--help` and import errors stay cheap;
Qt and the window load inside `run()`. sqlite-utils is not needed for the first paint of a ledger
whose schema is current (see `LedgerService`): it loads on a background thread after it.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from forecastapp.ui.operations.rows import KeyPrefetch
    from forecastapp.ui.window.main_window import MainWindow

ORGANIZATION = "forecastapp"
APPLICATION = "forecastapp"

# Fallback clock origin when the OS cannot tell when the process started.
_IMPORTED_AT = time.perf_counter()


def process_elapsed_ms() -> float:
    """Milliseconds since this process started (Linux: from /proc; elsewhere: since this module loaded)."""
    try:
        with open("/proc/self/stat", "rb") as fh:
            stat = fh.read().decode()
        # Field 22 (starttime, in clock ticks since boot) comes after the parenthesised command name.
        fields = stat[stat.rindex(")") + 2 :].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000.0
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - _IMPORTED_AT) * 1000.0


def ensure_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created if needed, with the names QSettings uses."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        from forecastapp.ui.platform_check import check_display

        check_display()  # Qt loads its window-system plugin next, and aborts if it cannot
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("forecastapp")
    app.setDesktopFileName("forecastapp")
    return app  # type: ignore[return-value]


def create_main_window(
    db_path: str | os.PathLike[str],
    *,
    settings: QSettings | None = None,
    now: Callable[[], datetime] | None = None,
    today: Callable[[], date] | None = None,
    defer_secondary: bool = False,
    background: bool = True,
    prefetch: KeyPrefetch | None = None,
) -> MainWindow:
    """Open the ledger at `db_path` and build the main window, ready to show; no event loop is started.

    The window behaves as in the app: after its first key list (read here), key lists, counts and
    filter lists are read on the database thread. Pass `background=False` to read them inline
    (deterministic tests). Raises the core's StoreError when the file cannot be used as a ledger.
    """
    ensure_application()
    from forecastapp.core.model import utc_now
    from forecastapp.ui.operations.ledger import LedgerService
    from forecastapp.ui.widgets import look
    from forecastapp.ui.window.main_window import MainWindow

    service = LedgerService.open(Path(db_path), now=now or utc_now, today=today or date.today, prefetch=prefetch)
    window = MainWindow(service, settings=settings, defer_secondary=defer_secondary, background=background)
    if defer_secondary:
        # Reading the SVG icon loads Qt's SVG plugin (about 10 ms); the window manager takes the
        # icon just as well a moment after the first paint.
        window.first_painted.connect(lambda: window.setWindowIcon(look.app_icon()))
    else:
        window.setWindowIcon(look.app_icon())
    return window


def _start_prefetch(db_path: Path) -> KeyPrefetch | None:
    """Start reading the table's first key list on a plain thread, before Qt's widgets load.

    The query releases the GIL inside SQLite, so on a large ledger it runs alongside the imports and
    the window's construction instead of after them. A new, empty or unreadable file gets no prefetch.
    """
    from PySide6.QtCore import QSettings

    from forecastapp.core.queries import QuestionFilter
    from forecastapp.ui.operations.rows import BLOCK_SIZE, DEFAULT_SORT, KeyPrefetch, KeyQuery
    from forecastapp.ui.settings import K_SORT_DESCENDING, K_SORT_KEY, settings_bool

    try:
        if not db_path.is_file() or db_path.stat().st_size == 0:
            return None
    except OSError:
        return None
    settings = QSettings(ORGANIZATION, APPLICATION)
    sort = str(settings.value(K_SORT_KEY, DEFAULT_SORT) or DEFAULT_SORT)
    descending = settings_bool(settings, K_SORT_DESCENDING)
    # The first page only, as `MainWindow` primes its table: the rest is read after the first paint.
    return KeyPrefetch(KeyQuery(path=db_path, flt=QuestionFilter(), sort=sort, descending=descending,
                                today=date.today(), limit=BLOCK_SIZE))


def run(db_path: Path, *, exit_after_paint: bool = False) -> int:
    """Run the desktop app on `db_path`; returns the exit status (2 when the database cannot be used)."""
    # The Qt-free modules the window needs load before PySide6 does: once PySide6 is imported it
    # inspects the source of every module imported after it (for its `__feature__` switches),
    # about 0.3 ms a module.
    from PySide6.QtCore import QCoreApplication

    import forecastapp.core.probability  # noqa: F401
    import forecastapp.ui.operations.ledger  # noqa: F401
    import forecastapp.ui.settings  # noqa: F401

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    db_path = _last_database_if_default(Path(db_path))
    prefetch = _start_prefetch(db_path)
    app = ensure_application(sys.argv[:1])
    from forecastapp.core.errors import ForecastError

    try:
        window = create_main_window(db_path, defer_secondary=True, prefetch=prefetch)
    except ForecastError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        if not exit_after_paint:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "forecastapp cannot open the database", str(exc))
        return 2

    if exit_after_paint:
        from PySide6.QtCore import QTimer

        def report() -> None:
            print(f"first-paint-ms: {round(process_elapsed_ms())}", flush=True)
            QTimer.singleShot(0, app.quit)

        window.first_painted.connect(report)
    window.show()
    try:
        return int(app.exec())
    finally:
        window.service.close()


def _last_database_if_default(db_path: Path) -> Path:
    """Reopen the database used last time when the caller just fell back to the default one.

    The CLI resolves --db / $FORECASTAPP_DB / the per-user default before calling `run`; only the
    plain default (no --db, no environment variable) gives way to the remembered database.
    """
    from PySide6.QtCore import QSettings

    from forecastapp.core.store import DEFAULT_DB_NAME, ENV_VAR, default_db_path
    from forecastapp.ui.settings import K_LAST_DB

    # The name first: a database given with --db is rarely called forecasts.db, and then the
    # default path (which loads platformdirs) need not be worked out at all.
    if os.environ.get(ENV_VAR) or db_path.name != DEFAULT_DB_NAME or db_path != default_db_path():
        return db_path
    last = QSettings().value(K_LAST_DB)
    if last and Path(str(last)).is_file():
        return Path(str(last))
    return db_path


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `forecastapp-gui` script: `forecastapp-gui [--db PATH] [--exit-after-paint]`."""
    import argparse

    parser = argparse.ArgumentParser(prog="forecastapp-gui", description="The forecastapp desktop app.")
    parser.add_argument("--db", help="Ledger database file (default: $FORECASTAPP_DB, else the per-user one)")
    parser.add_argument("--exit-after-paint", action="store_true", help="Print first-paint-ms and exit")
    args = parser.parse_args(argv)
    from forecastapp.core.store import resolve_db_path

    sys.exit(run(resolve_db_path(args.db), exit_after_paint=args.exit_after_paint))


if __name__ == "__main__":
    main()
