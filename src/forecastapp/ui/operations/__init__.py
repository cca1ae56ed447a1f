"""The operations layer: the only place GUI work leaves the GUI thread (Qt-free but for `tasks`).

One module per domain, each a thin call into `forecastapp.core`: `ledger` (the GUI thread's
`LedgerService` and its writes), `rows` (the table's reads), `scorecard`, `imports`, `exports`,
`documents`, `review` and `integrity`; `tasks` runs their worker functions on a thread pool and
hands the outcome back to the GUI thread. Nothing here touches a widget. This file stays light:
the app imports the package before its first paint.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """The duck type worker functions receive (`tasks.TaskContext` is the real one)."""

    def report(self, done: int, total: int) -> None:
        """Say how far the work is."""

    def check(self) -> None:
        """Stop here (by raising) if the user cancelled."""
