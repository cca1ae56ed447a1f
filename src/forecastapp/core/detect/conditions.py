"""Conditions in a sentence ("If X, Y", "Y unless X", "provided X"): where each stands and what it says."""

from __future__ import annotations

import re
from dataclasses import dataclass

from forecastapp.core.detect.rules import CONDITION_EXCLUDED
from forecastapp.core.detect.text import inside, words

_CONDITION = re.compile(words(
    r"if|unless|provided(?: that)?|providing|assuming(?: that)?|in the event (?:that|of)|as long as|so long as"
    r"|in case|should|were"
))
_CLAUSE_START = re.compile(r"(?:^|[,;:(\u2013\u2014-]\s*|\b(?:but|and|yet|so|however,?)\s+)$")


@dataclass(frozen=True)
class Condition:
    """A condition: where its keyword starts, the span of what it says, that text, and whether it leads its clause."""

    keyword_start: int
    start: int
    end: int
    text: str
    leading: bool


def conditions(folded: str, original: str, quoted: list[tuple[int, int]]) -> list[Condition]:
    """Every condition in the sentence outside quotes, in reading order ("not (X)" for an unless)."""
    out = []
    for m in _CONDITION.finditer(folded):
        if inside(m.start(), quoted):
            continue
        around = folded[max(0, m.start() - 6): m.end() + 9]
        if any(ex in around for ex in CONDITION_EXCLUDED):
            continue
        head = folded[: m.start()]
        clause_start = bool(_CLAUSE_START.search(head))
        keyword = m.group()
        if keyword in ("should", "were") and not clause_start:
            continue
        if keyword == "in case" and not clause_start:
            continue
        # A leading condition runs to the next comma ("If X, Y"); a trailing one to the clause's end.
        stop_chars = "," if clause_start else ",;"
        rest = folded[m.end():]
        stops = [i for i in (rest.find(c) for c in stop_chars) if i >= 0]
        if clause_start and not stops:
            then = re.search(r"\bthen\b", rest)
            stops = [then.start()] if then else []
        if clause_start and not stops:
            # No comma after it: the condition closes the sentence ("..., provided that X").
            if m.start() == 0:
                continue  # "If X" with no main clause to judge
            clause_start = False
        end = m.end() + (min(stops) if stops else len(rest))
        text = " ".join(original[m.end():end].split()).rstrip(".!?\u2026\"'\u201d\u2019)")
        if not text:
            continue
        if keyword == "unless":
            text = f"not ({text})"
        out.append(Condition(m.start(), m.end(), end, text, clause_start))
    return out
