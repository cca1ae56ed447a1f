"""The scorecard, computed on a worker thread (Qt-free; no SQL here).

The Scorecard tab (`ui/panels/scorecard.py`) only shows what `compute_scorecard` returns; the
scorecard export (`operations/exports.py`) writes what `read_scorecard` returns. Each opens its own
connection, because an sqlite connection belongs to the thread that uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forecastapp.core.scorecard_types import Scorecard


@dataclass(frozen=True)
class ScorecardRequest:
    """What one background scoring run needs: where the ledger is, the filters and the clock."""

    path: Path
    analyst: str | None
    tag: str | None
    since: date | None
    until: date | None
    today: date
    now: datetime
    exclude_backdated: bool = False
    exclude_imported: bool = False
    exclude_reworded: bool = False


@dataclass(frozen=True)
class ScorecardResult:
    """What a background run hands back to the GUI thread."""

    generation: int
    scorecard: Scorecard | None
    analysts: tuple[str, ...]
    tags: tuple[str, ...]
    error: str | None = None
    over_time: tuple[tuple[date, float, float, int], ...] = ()  # see brier_over_time


def compute_scorecard(
    request: ScorecardRequest, generation: int, check: Callable[[], None] = lambda: None
) -> ScorecardResult:
    """Build the scorecard and the filter choices on a connection of this thread's own (Qt-free)."""
    from forecastapp.core import queries, store
    from forecastapp.core.errors import ForecastError
    from forecastapp.core.scorecard import build_scorecard
    from forecastapp.ui.operations.ledger import load_sqlite_utils

    load_sqlite_utils()
    db = store.open_ledger(request.path, seed=False)
    try:
        analysts = tuple(queries.list_analysts(db))
        tags = tuple(tag for tag, _n in queries.list_tags(db))
        check()
        try:
            # No verify here: the tab refreshes after every change, and recomputing the whole chain each
            # time would cost seconds on a big ledger; the status bar and `forecastapp verify` state it.
            card = build_scorecard(
                db, analyst=request.analyst, tag=request.tag, since=request.since, until=request.until,
                exclude_backdated=request.exclude_backdated, exclude_imported=request.exclude_imported,
                exclude_reworded=request.exclude_reworded,
                today=request.today, now=request.now,
            )
        except ForecastError as exc:  # a bad filter (since after until): said beside the filters
            return ScorecardResult(generation, None, analysts, tags, error=str(exc))
        check()
        # Sorting a big ledger's pairs by day takes a while: do it here, not on the GUI thread.
        return ScorecardResult(generation, card, analysts, tags, over_time=tuple(brier_over_time(card.pairs)))
    finally:
        db.close()


def brier_over_time(pairs: Iterable[dict[str, Any]]) -> list[tuple[date, float, float, int]]:
    """Per resolution day: (day, mean Brier of that day's pairs, cumulative mean Brier so far, pairs so far)."""
    ordered = sorted(pairs, key=lambda p: p["resolved_on"])
    out: list[tuple[date, float, float, int]] = []
    total = 0.0
    n = 0
    for day, group in groupby(ordered, key=lambda p: p["resolved_on"]):
        briers = [p["brier"] for p in group]
        total += sum(briers)
        n += len(briers)
        out.append((date.fromisoformat(day), sum(briers) / len(briers), total / n, n))
    return out


def read_scorecard(db_path: Path, *, filters: dict[str, Any], today: date, now: datetime) -> dict[str, Any]:
    """The scorecard to export for `filters` (the Scorecard tab's `filters()`), on this thread's own connection.

    The filters are `build_scorecard`'s keyword arguments, passed as they are, so a filter the tab
    gains reaches the export without a change here.
    """
    from forecastapp.core import store
    from forecastapp.core.scorecard import build_scorecard
    from forecastapp.ui.operations.ledger import load_sqlite_utils

    load_sqlite_utils()
    db = store.connect(db_path)
    try:
        # An exported scorecard is shared with readers: it states whether the ledger's chain verified.
        return build_scorecard(db, **filters, today=today, now=now, verify=True)
    finally:
        db.close()
