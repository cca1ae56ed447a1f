"""What someone holding a ledger file can do outside the app, for the tamper-evidence tests."""

from __future__ import annotations

import sqlite3
from os import PathLike


def tamper(path: str | PathLike[str], sql: str, params=()) -> None:
    """Drop the append-only triggers, then run one statement on the file directly (no chain function)."""
    conn = sqlite3.connect(path)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        if name.endswith(("_no_update", "_no_delete")):
            conn.execute(f"DROP TRIGGER {name}")
    conn.execute(sql, params)
    conn.commit()
    conn.close()
