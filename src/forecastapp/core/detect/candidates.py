"""Detection itself: a sentence's cues, conditions and time expressions made into one explained `Candidate`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from forecastapp.core.detect.conditions import conditions as find_conditions
from forecastapp.core.detect.cues import Cue, find_cues
from forecastapp.core.detect.rules import GROUPS
from forecastapp.core.detect.statements import statement
from forecastapp.core.detect.text import fold, quoted
from forecastapp.core.detect.timing import When, time_expressions
from forecastapp.core.estimative import negate, term_by_name
from forecastapp.core.probability import format_probability
from forecastapp.core.sentences import split_sentences

DEFAULT_HORIZON_MONTHS = 24


@dataclass(frozen=True)
class Candidate:
    """A sentence proposed as a forecast, with the words and rules that proposed it."""

    id: str
    sentence: str
    start: int
    end: int
    terms: tuple[str, ...]
    term: str
    probability: float
    negated: bool
    condition: str | None
    resolve_by: str | None
    resolve_from: str | None
    reason: str
    strength: float
    statement: str

    @property
    def strength_label(self) -> str:
        """The strength in a word (strong, moderate or weak), for a table or a highlight colour."""
        return "strong" if self.strength >= 0.8 else "moderate" if self.strength >= 0.5 else "weak"


def _deadline(
    when: When | None, base: date, default_horizon_months: int | None
) -> tuple[date | None, date | None, str]:
    """resolve_by, resolve_from and the reason's words for them."""
    if when is not None:
        return when.end, when.start, f'deadline from "{when.words}": {when.end.isoformat()}'
    if default_horizon_months:
        return (base + relativedelta(months=default_horizon_months), None,
                f"no time expression: default horizon of {default_horizon_months} months")
    return None, None, "no time expression"


def detect_sentence(
    text: str, start: int, end: int, *, base: date, default_horizon_months: int | None = DEFAULT_HORIZON_MONTHS
) -> Candidate | None:
    """The candidate forecast in `text[start:end]`, or None if the sentence judges nothing."""
    sentence = text[start:end]
    folded = fold(sentence)
    if re.search(r"\?[\"')\]\u201d\u2019]*\s*$", sentence):
        return None
    in_quotes = quoted(folded)
    conditions = find_conditions(folded, sentence, in_quotes)
    excluded = in_quotes + [(c.start, c.end) for c in conditions]
    cues = find_cues(folded, sentence, excluded)
    times = time_expressions(folded, sentence, base, in_quotes)
    forward = [t for t in times if t.forward]
    if not cues and forward:
        horizon = forward[0]
        cues = [Cue(GROUPS["horizon"], 0, 0, horizon.words, term_by_name(GROUPS["horizon"].term or ""))]
    if not cues:
        return None
    main = min(cues, key=lambda c: (c.group.rank, c.start))
    term = negate(main.term) if main.negated else main.term
    condition = next((c.text for c in conditions if c.leading or c.keyword_start > main.start), None)
    when = forward[0] if forward else (times[0] if times else None)
    resolve_by, resolve_from, deadline = _deadline(when, base, default_horizon_months)

    parts = [f'{main.group.label} "{main.words}" reads as {main.term.name} ({format_probability(main.term.value)})']
    if main.negated:
        parts.append(f"negated, so {term.name} ({format_probability(term.value)})")
    others = [f'"{c.words}" ({c.group.label})' for c in cues if c is not main]
    if others:
        parts.append("also " + ", ".join(others))
    if condition:
        parts.append(f'condition "{condition}"')
    parts.append(deadline)
    return Candidate(
        id=f"{start}-{end}",
        sentence=sentence,
        start=start,
        end=end,
        terms=tuple(c.words for c in cues),
        term=term.name,
        probability=term.value,
        negated=main.negated,
        condition=condition,
        resolve_by=resolve_by.isoformat() if resolve_by else None,
        resolve_from=resolve_from.isoformat() if resolve_from else None,
        reason="; ".join(parts),
        strength=max(c.group.strength for c in cues),
        statement=statement(sentence, conditions, main.negated),
    )


def detect_candidates(
    text: str,
    *,
    published_on: date | None,
    today: date,
    default_horizon_months: int | None = DEFAULT_HORIZON_MONTHS,
) -> list[Candidate]:
    """Every candidate forecast in `text`, in reading order; dates count from `published_on`, else `today`."""
    base = published_on or today
    out = []
    for start, end in split_sentences(text):
        found = detect_sentence(text, start, end, base=base, default_horizon_months=default_horizon_months)
        if found is not None:
            out.append(found)
    return out
