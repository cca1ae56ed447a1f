"""The desktop app's public factory: `create_main_window(db_path)` for tests, scripts and the bench."""

from __future__ import annotations

from forecastapp.ui.app import create_main_window

__all__ = ["create_main_window"]
