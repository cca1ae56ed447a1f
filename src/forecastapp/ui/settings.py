"""The QSettings keys the desktop app uses (UI state only; anything that changes results lives in the ledger).

Qt-free, so the start-up code can name a key before Qt has loaded.
"""

from __future__ import annotations

K_GEOMETRY = "mainWindow/geometry"
K_STATE = "mainWindow/state"
K_SPLITTER = "mainWindow/splitter"
K_HEADER = "mainWindow/header"
#: The table's order as plain values (the header state is an opaque blob), so the first key list
#: can be prefetched in the order the user left the table before Qt widgets exist.
K_SORT_KEY = "mainWindow/sortKey"
K_SORT_DESCENDING = "mainWindow/sortDescending"
K_RECENT = "recentFiles"
K_LAST_DB = "lastDatabase"
K_LAST_ANALYST = "lastAnalyst"
K_LAST_DIR = "lastDirectory"
#: The format of the last scorecard export (json, csv, md, html or pdf), offered first next time.
K_SCORECARD_FORMAT = "export/scorecardFormat"
MAX_RECENT = 8


def settings_list(settings, key: str) -> list[str]:
    """A string list from QSettings (INI and native backends return a bare string for one item)."""
    value = settings.value(key, [])
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]


def settings_bool(settings, key: str, default: bool = False) -> bool:
    """A boolean from QSettings (INI files store "true"/"false" text)."""
    value = settings.value(key, default)
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)
