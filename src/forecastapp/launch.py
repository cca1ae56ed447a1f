"""The `forecastapp` entry point: straight to the desktop app when that is all the command line asks.

`forecastapp`, `forecastapp gui` and `forecastapp --db PATH gui [--exit-after-paint]` open the
window without importing click and the command-line module (about 70 ms of the app's start-up);
anything else, including --help and every other command, goes through `forecastapp.cli`.
"""

from __future__ import annotations

import sys


def gui_request(args: list[str]) -> tuple[str | None, bool] | None:
    """(--db value or None, --exit-after-paint) when `args` only open the desktop app, else None."""
    db: str | None = None
    rest = list(args)
    if rest and rest[0] == "--db" and len(rest) >= 2:
        db, rest = rest[1], rest[2:]
    elif rest and rest[0].startswith("--db="):
        db, rest = rest[0][len("--db="):], rest[1:]
    if db is not None and (not db or db.startswith("-")):
        return None  # let click explain the missing value
    if rest in ([], ["gui"]):
        return db, False
    if rest == ["gui", "--exit-after-paint"]:
        return db, True
    return None


def main() -> None:
    """Console entry point: the desktop app directly, or the command line for everything else."""
    request = gui_request(sys.argv[1:])
    if request is not None:
        db, exit_after_paint = request
        from pathlib import Path

        # A folder given as --db gets click's usage error, as before.
        if db is None or not Path(db).expanduser().is_dir():
            try:
                from forecastapp.ui.app import run
            except ImportError:
                pass  # no Qt here: the command line says so in one line
            else:
                from forecastapp.core.store import resolve_db_path

                sys.exit(run(resolve_db_path(db), exit_after_paint=exit_after_paint))
    from forecastapp.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
