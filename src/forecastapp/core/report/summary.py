"""The scorecard as a short text for a terminal: the headline figures, the analysts, what was left out.

`forecastapp scorecard` prints this when its output is a terminal and no format is asked for; the
JSON (for tools) and the reports (for people) remain a `--format` away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from forecastapp.core.numbers import format_count, format_interval, format_percent, format_score, format_signed
from forecastapp.core.report.sentences import MARK_WORDS, hindsight_text, integrity_text, mark_text

if TYPE_CHECKING:
    from forecastapp.core.scorecard_types import Scorecard


def summary_text(card: Scorecard) -> str:
    """A screenful: what is scored and whether the ledger verified, the scores, each analyst, the exclusions."""
    o, x = card.overall, card.excluded
    lines = [f"Scorecard: {format_count(o.n)} scored pair{'s' if o.n != 1 else ''} (question, analyst). "
             + integrity_text(card.ledger)]
    if o.n:
        lines += [
            f"Brier {format_score(o.brier)} (0-1, lower is better; always saying 50% scores 0.250), 90% interval "
            f"{format_interval(o.brier_ci90)}; time-averaged {format_score(o.brier_time_averaged)}; log score "
            f"{format_score(o.log_score)}.",
            f"Skill vs always 50%: {format_signed(o.brier_skill_vs_50, 2)}; vs the base rate: "
            f"{format_signed(o.brier_skill_vs_base_rate, 2)}; base rate {format_percent(o.base_rate)}.",
        ]
    lines += [text for text in (*(mark_text(card, m) for m in MARK_WORDS), hindsight_text(card)) if text]
    analysts = [a for a in card.analysts if a.n]
    if analysts:
        rows = [("Analyst", "Pairs", "Brier", "Relative Brier", "Log score")]
        rows += [(a.name, format_count(a.n), format_score(a.brier), format_signed(a.relative_brier),
                  format_score(a.log_score)) for a in analysts]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines.append("")
        lines += ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
                  for r in rows]
        lines.append("")
    lines.append(f"Not scored: {format_count(x.annulled)} annulled, {format_count(x.condition_not_met)} whose condition "
                 f"did not hold, {format_count(x.no_forecast_before_resolution)} with no forecast in time, "
                 f"{format_count(x.due)} due (open past their resolve-by day).")
    lines.append("Every figure: forecastapp scorecard --format md (a report) or --format json (for tools); "
                 "docs/SCORING.md explains them.")
    return "\n".join(lines) + "\n"
