"""What the screenshot scripts share: their command line and an app whose settings live in a temporary folder."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def parse_args(description: str, argv: list[str] | None = None) -> argparse.Namespace:
    """`--scale` (device pixel ratio, applied here before Qt starts) and `--out` (the folder for the PNGs)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio, e.g. 2 for 200%%")
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for the PNG files")
    args = parser.parse_args(argv)
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    return args


def start_app(folder: Path):
    """The QApplication in the Fusion style, with QSettings written under `folder` (nothing of the user's is touched)."""
    from PySide6.QtCore import QSettings

    from forecastapp.ui.app import ensure_application

    app = ensure_application(sys.argv[:1])
    app.setOrganizationName("forecastapp-screenshots")
    app.setStyle("Fusion")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))
    return app


def settle(app, window=None, *, rounds: int = 8) -> None:
    """Let layouts, deferred loads and repaints finish."""
    for _ in range(rounds):
        app.processEvents()
    if window is not None:
        window.repaint()
        app.processEvents()
