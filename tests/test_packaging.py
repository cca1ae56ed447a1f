"""A non-editable install carries the seed ledger, the document and the migrations inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_resources_and_migrations(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    (wheel,) = tmp_path.glob("forecastapp-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "forecastapp/core/migrations.py",
        "forecastapp/resources/seed/north-korea-2023-outlook.json",
        "forecastapp/resources/documents/north-korea-2023-outlook.txt",
        "forecastapp/cli/__init__.py",
    ):
        assert required in names, f"{required} missing from the wheel"
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
