"""The sentences the reports say about a scorecard: its filters, its ledger's integrity, its marked pairs."""

from __future__ import annotations

from dataclasses import dataclass

from forecastapp.core.numbers import (
    DASH,
    format_count,
)
from forecastapp.core.scorecard_types import (
    MARKS,
    LedgerStatement,
    Scorecard,
    ScorecardFilters,
    TermFigures,
)


def filters_text(filters: ScorecardFilters) -> str:
    parts = []
    if filters.analyst:
        parts.append(f"analyst {filters.analyst}")
    if filters.tag:
        parts.append(f"tag {filters.tag}")
    if filters.since and filters.until:
        parts.append(f"resolved {filters.since} to {filters.until}")
    elif filters.since:
        parts.append(f"resolved on or after {filters.since}")
    elif filters.until:
        parts.append(f"resolved on or before {filters.until}")
    parts += [MARK_WORDS[mark].left_out for mark in MARKS if filters.excludes(mark)]
    return "; ".join(parts) if parts else "none (every scored pair)"


def integrity_text(ledger: LedgerStatement) -> str:
    """One sentence on the ledger's hash chain as the scorecard states it (verified, broken, or not checked)."""
    head = ledger.chain_head
    if not head:
        return "The ledger's hash chain is not stated in this scorecard (made by an older forecastapp)."
    if ledger.verified is True:
        return f"Ledger verified: {format_count(ledger.chain_records or 0)} records, chain head {head}."
    if ledger.verified is False:
        summary = str(ledger.verify or "")
        if summary.startswith("derived"):
            # The chain holds, but a stored figure or state does not follow from it (integrity.derived_problem).
            return (f"Ledger check failed: {summary}. These figures may have been edited after they were "
                    f"computed; chain head {head}.")
        # The summary reads "broken at record N (table id): reason".
        return (f"Ledger chain {summary}. These figures may rest on records changed after they were written; "
                f"chain head {head}.")
    return (f"Ledger chain head {head} (the chain was not verified for this scorecard; "
            "forecastapp verify checks it).")


@dataclass(frozen=True)
class MarkWords:
    """How the reports speak of one mark of scorecard MARKS."""

    did: str  # what the final forecast of a marked pair did
    rests_on: str  # what such a pair rests on
    left_out: str  # how the filters line says the mark's pairs were left out
    left_out_row: str  # the "Not scored" table's row for the pairs the filter left out
    headline_row: str  # the headline table's row for how many scored pairs carry the mark


MARK_WORDS: dict[str, MarkWords] = {
    "backdated": MarkWords(
        "was back-dated (made on more than a day before it was recorded)",
        "a back-dated final forecast (made on more than a day before it was recorded), which could be hindsight",
        "back-dated forecasts left out", "Scored pairs left out: final forecast back-dated",
        "Of which the final forecast was back-dated"),
    "imported": MarkWords(
        "was imported from a file",
        "a final forecast imported from a file, whose dates are the file's word, not this ledger's record",
        "imported forecasts left out", "Scored pairs left out: final forecast imported",
        "Of which the final forecast was imported"),
    "reworded": MarkWords(
        "was made on earlier wording", "a final forecast made before an edit changed what its question asks",
        "forecasts on earlier wording left out", "Scored pairs left out: final forecast made on earlier wording",
        "Of which the final forecast was made on earlier wording"),
}
"""How the reports speak of each mark of scorecard.MARKS (same keys, same order)."""

def mark_text(card: Scorecard, mark: str) -> str | None:
    """How many scored pairs carry a mark (MARK_WORDS), or were left out for it; None if neither."""
    words = MARK_WORDS[mark]
    if card.filters.excludes(mark):
        left_out = card.excluded.left_out_for(mark)
        return (f"{format_count(left_out)} scored pair{'s' if left_out != 1 else ''} whose final forecast "
                f"{words.did} {'were' if left_out != 1 else 'was'} left out.")
    n = card.overall.marked_pairs(mark)
    if not n:
        return None
    return (f"{format_count(n)} of {format_count(card.overall.n)} scored pairs rest on {words.rests_on}; "
            f"forecastapp scorecard --exclude-{mark} scores without them.")


def hindsight_text(card: Scorecard) -> str | None:
    """How many forecasts were left out as hindsight; None if none."""
    n = card.excluded.hindsight
    if not n:
        return None
    return (f"{format_count(n)} forecast{'s' if n != 1 else ''} made or recorded after {'their' if n != 1 else 'its'} "
            f"question's outcome was on the record {'are' if n != 1 else 'is'} kept in the history and never scored.")


def term_verdict(t: TermFigures) -> str:
    """Whether the share that happened sits inside the term's ICD 203 range."""
    if t.of == 0 or t.low is None or t.high is None:
        return DASH
    observed = t.happened / t.of
    if observed < t.low:
        return "below the range"
    if observed > t.high:
        return "above the range"
    return "within the range"
