"""Numbers for people: the one way a score, a probability, a count or an interval is written.

The table, the detail pane, the Scorecard tab, the command line and every report call these, so the
same value reads the same everywhere: 0.675 is "67.5%" (never "68%" in one place and "67.5%" in
another), a score has three decimals, a minus is a true minus sign, and a value that rounds to zero
never shows as "−0.000". A missing value is a dash unless the caller asks for something else.
"""

from __future__ import annotations

from collections.abc import Sequence

from forecastapp.core.probability import format_probability

DASH = "\u2014"
MINUS = "\u2212"


def format_score(x: float | None, digits: int = 3, *, none: str = DASH) -> str:
    """A score rounded for reading ("0.125", "−0.400"); a value that rounds to zero has no sign."""
    if x is None:
        return none
    text = f"{x:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace("-", MINUS)


def format_signed(x: float | None, digits: int = 3, *, none: str = DASH) -> str:
    """A difference with its sign always shown ("+0.012", "−0.005"; zero as "0.000")."""
    if x is None:
        return none
    return ("+" if round(x, digits) > 0 else "") + format_score(x, digits)


def format_percent(p: float | None, *, none: str = DASH) -> str:
    """A probability or a share as a percent with at most one decimal ("67.5%", "3%")."""
    return none if p is None else format_probability(p)


def format_count(n: int) -> str:
    """A count with thousands separators ("12,345")."""
    return f"{n:,}"


def format_interval(ci: Sequence[float] | None, *, none: str = DASH) -> str:
    """An interval of scores as "0.031 to 0.232"."""
    return none if not ci else f"{format_score(ci[0])} to {format_score(ci[1])}"


def format_forecast(p: float, term: str | None) -> str:
    """A forecast as the analyst gave it: "likely (67.5%)" or "70%"."""
    return f"{term} ({format_percent(p)})" if term else format_percent(p)
