"""The core and the CLI never import Qt, so `forecastapp list` starts fast and runs without a display."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import forecastapp.core


def test_core_and_cli_import_no_qt():
    modules = [f"forecastapp.core.{m.name}" for m in pkgutil.iter_modules(forecastapp.core.__path__)]
    code = (
        "import importlib, sys\n"
        f"for name in {modules + ['forecastapp.cli']!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(qt))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Qt imported by the core: {out.stdout.strip()}"
    assert len(modules) >= 8
