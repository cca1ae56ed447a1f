"""The statement a candidate proposes: the sentence's main clause without its estimative words or their negation."""

from __future__ import annotations

import re

from forecastapp.core.detect.conditions import Condition

_LEAD_IN = r"^(?:(?:overall|on balance|in short|in sum|however|therefore|even so|still),? )?"
_STATEMENT_REWRITES: tuple[tuple[str, str], ...] = (
    (_LEAD_IN + r"(?:we|i) (?:do not |don't )?expect (?!that )(.+?) to ", r"\1 will "),
    (_LEAD_IN + r"(?:we|i) (?:do not|don't) expect (?:that )?", ""),
    (_LEAD_IN + r"(?:we|i) (?:judge|assess|expect|think|believe|estimate) (?:that )?", ""),
    (r"^(?:it is|it's) (?:(?:very|highly|more|less|quite) )?(?:un)?likely that ", ""),
    (r"^there is (?:a )?(?:real|distinct|genuine|serious) possibility that ", ""),
    (r"^(?:it is|it's) (?:highly )?doubtful (?:that|whether) ", ""),
    (r"\b(is|are) (?:not )?(?:(?:very|highly) )?(?:un)?likely to (?:ever )?", "will "),
    (r"\b(is|are) (?:not )?almost certain to ", "will "),
    (r"\b(is|are) (?:not )?(?:widely |generally )?expected to ", "will "),
    (r"\b(will|would) (?:almost certainly|very likely|probably|likely|certainly) (?:not |never )?", r"\1 "),
    (r"\b(?:almost certainly|very likely|probably|likely) (will|would) (?:not |never )?", r"\1 "),
)
_NEGATION_REWRITES: tuple[tuple[str, str], ...] = (
    (r"\b(will|would|could|may|might|shall) (?:not|never|no longer) ", r"\1 "),
    (r"\bwon['\u2019]t\b", "will"),
    (r"\bwouldn['\u2019]t\b", "would"),
    (r"\b(is|are) not likely to ", "will "),
)


def statement(sentence: str, conditions: list[Condition], negated: bool) -> str:
    """The sentence as a statement to resolve: no leading condition, no estimative words."""
    text = sentence
    # The condition is stored on its own, so the statement keeps only the main clause.
    for c in sorted(conditions, key=lambda c: c.keyword_start, reverse=True):
        if not c.leading:
            text = text[: c.keyword_start].rstrip(" ,") + text[c.end:]
    leading = [c for c in conditions if c.leading and c.keyword_start == 0]
    if leading:
        text = text[leading[0].end:].lstrip(" ,")
        text = re.sub(r"^then\s+", "", text)
    for pattern, replacement in _STATEMENT_REWRITES:
        text = re.sub(pattern, replacement, text, count=1, flags=re.IGNORECASE)
    if negated:
        for pattern, replacement in _NEGATION_REWRITES:
            text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    text = " ".join(text.split()).rstrip(".")
    return text[:1].upper() + text[1:] if text else " ".join(sentence.split())
