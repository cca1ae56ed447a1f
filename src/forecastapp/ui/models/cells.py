"""The ledger table's columns and what each cell of a question's row shows, sorts by and explains (Qt-free).

`models/ledger_table.py` asks these for the rows it paints; they read only the `QuestionRow`.
"""

from __future__ import annotations

from forecastapp.core.model import QuestionRow
from forecastapp.core.numbers import format_score
from forecastapp.core.probability import format_probability
from forecastapp.ui.text import status_text

COL_STATEMENT = 0
COL_TAGS = 1
COL_PROBABILITY = 2
COL_ANALYST = 3
COL_MADE_ON = 4
COL_RESOLVE_BY = 5
COL_STATUS = 6
COL_BRIER = 7
COLUMN_COUNT = 8


def display_text(row: QuestionRow, col: int) -> str:
    """What a cell shows."""
    if col == COL_STATEMENT:
        # One line in the table; the tooltip and the detail pane show the rest.
        return " ".join(row.statement.split())
    if col == COL_TAGS:
        return ", ".join(row.tags)
    if col == COL_PROBABILITY:
        return format_probability(row.latest_probability) if row.latest_probability is not None else ""
    if col == COL_ANALYST:
        return row.latest_analyst or ""
    if col == COL_MADE_ON:
        return row.latest_made_on.isoformat() if row.latest_made_on else ""
    if col == COL_RESOLVE_BY:
        return row.resolve_by.isoformat() if row.resolve_by else ""
    if col == COL_STATUS:
        return status_text(row)
    if col == COL_BRIER:
        return format_score(row.brier, none="")
    return ""


def sort_value(row: QuestionRow, col: int):
    """What a cell sorts by (SortRole): numbers and dates as such, text case-folded."""
    if col == COL_STATEMENT:
        return row.statement.casefold()
    if col == COL_TAGS:
        return ",".join(row.tags)
    if col == COL_PROBABILITY:
        return row.latest_probability
    if col == COL_ANALYST:
        return (row.latest_analyst or "").casefold()
    if col == COL_MADE_ON:
        return row.latest_made_on.isoformat() if row.latest_made_on else None
    if col == COL_RESOLVE_BY:
        return row.resolve_by.isoformat() if row.resolve_by else None
    if col == COL_STATUS:
        return {"due": 0, "open": 1, "resolved": 2, "annulled": 3}[row.status.value]
    if col == COL_BRIER:
        return row.brier
    return None


def tooltip(row: QuestionRow, col: int) -> str | None:
    """A cell's tool tip, where it says more than the cell."""
    if col == COL_STATEMENT:
        # Rich text, so Qt wraps a long statement instead of drawing one screen-wide line.
        import html  # here: tooltips come after the first paint, and so can this import

        return f"<p style='white-space:pre-wrap'>{html.escape(row.statement)}</p>"
    if col == COL_PROBABILITY and row.latest_probability is not None:
        term = f" ({row.estimative_term})" if row.estimative_term else ""
        return f"{format_probability(row.latest_probability)}{term} by {row.latest_analyst or 'unknown'}"
    if col == COL_RESOLVE_BY and row.resolve_by:
        if row.resolve_from:
            return f"Resolves between {row.resolve_from.isoformat()} and {row.resolve_by.isoformat()}"
        return f"Resolves by {row.resolve_by.isoformat()}"
    if col == COL_STATUS:
        if row.outcome is not None and row.resolved_on:
            return f"Resolved {row.outcome.value} on {row.resolved_on.isoformat()}"
        if row.status.value == "due":
            return "Past its resolve-by date: resolve it (Ctrl+R)"
    if col == COL_TAGS and row.tags:
        return ", ".join(row.tags)
    return None
