"""The installed Qt binding must not leak references: PySide6 6.12.0 drops a reference to None on
every call that returns nothing, and Python 3.11 aborts ("deallocating None") after a few thousand
calls, i.e. minutes into a real session. pyproject.toml excludes that build; this catches the next."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_calls_returning_nothing_keep_none_alive():
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(1000):
        obj.setObjectName("probe")
    assert sys.getrefcount(None) - before > -50
