"""Finding the cues in a sentence: which phrases match, which are guarded out, and which are negated."""

from __future__ import annotations

import re
from dataclasses import dataclass

from forecastapp.core.detect import rules
from forecastapp.core.detect.rules import GROUPS, Group
from forecastapp.core.detect.text import WORD, clause_head, inside, words, words_after, words_before
from forecastapp.core.estimative import VARIANTS, EstimativeTerm, normalize_phrase, term_by_name


@dataclass(frozen=True)
class Cue:
    """One phrase that carries a judgment: its group, where it stands, its words and the term it reads as."""

    group: Group
    start: int
    end: int
    words: str
    term: EstimativeTerm
    negated: bool = False


def _variant_pattern() -> str:
    # "remote" alone is too often a place ("a remote region"); EXTRA_TERMS reads "is remote".
    phrases = sorted((k for k in VARIANTS if k != "remote"), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", " ").replace(r"\-", "-") for p in phrases)


_RULES: tuple[tuple[Group, re.Pattern[str], str | None], ...] = (
    (GROUPS["term"], re.compile(words(_variant_pattern())), None),
    *((GROUPS["term"], re.compile(words(p)), t) for p, t in rules.EXTRA_TERMS),
    *((GROUPS["idiom"], re.compile(words(p)), t) for p, t in rules.IDIOMS),
    *((GROUPS[g], re.compile(words(p)), None) for g, p in rules.CUES),
)
_SAYING = re.compile(words("|".join(rules.SAYING_VERBS)))


def _lookup_term(phrase: str) -> EstimativeTerm | None:
    name = VARIANTS.get(normalize_phrase(phrase))
    return term_by_name(name) if name else None


def _guarded(folded: str, original: str, group: Group, start: int, end: int) -> bool:
    """True when a match is not the writer's judgment (see "Not proposed" in the package docstring)."""
    matched = folded[start:end]
    before = words_before(folded, start, 3)
    after = words_after(folded, end, 3)
    first = matched.split()[0]
    if group.name == "modal":
        if first == "will" and (before[-1:] and before[-1] in rules.WILL_NOUN_BEFORE or after[:1] == ["of"]):
            return True
        if first in ("would", "could") and after[:1] == ["have"]:
            return True
        if before[-2:-1] and before[-2] in ("this", "the", "our") and before[-1] in rules.META_SUBJECTS:
            return True
        if before[-1:] == ["we"] and " ".join(after[:2]).startswith(rules.META_VERBS):
            return True
    if group.name == "hedge":
        if first == "might" and before[-1:] and before[-1] in rules.MIGHT_NOUN_BEFORE:
            return True
        if first == "may" and original[start:start + 1] == "M":
            after_month_word = bool(before[-1:]) and before[-1] in rules.MONTH_BEFORE
            if start == 0 or after_month_word or re.match(r"\s*(?:[0-9]|$|[.,;])", folded[end:]):
                return True
        cannot_know = " ".join(after[1:3]).startswith(rules.KNOWING_VERBS)
        if first == "could" and after[:1] in (["not"], ["never"]) and cannot_know:
            return True
        if first == "could" and after[:1] == ["have"]:
            return True
    if group.name == "persistence" and " ".join(after).startswith(rules.PERSISTENCE_NOT_BEFORE):
        return True
    if group.name in ("modal", "hedge") and re.search(r"\bwhether\b", clause_head(folded, start)):
        return True
    if _SAYING.search(clause_head(folded, start)):
        return True
    return False


def _negated(folded: str, cue_start: int, cue_end: int, group: Group) -> bool:
    """Whether a negation governs the cue (before it, inside it, or right after it)."""
    within = WORD.findall(folded[cue_start:cue_end])
    if any(w in rules.NEGATIONS for w in within):
        return True
    before = words_before(folded, cue_start, 3)
    tail = folded[cue_end:]
    if any(tail.lstrip().startswith(p) for p in rules.NOT_NEGATING):
        return False
    if group.name in ("term", "expectation", "indicator", "persistence") and any(w in rules.NEGATIONS for w in before):
        # "no one", "not only": the negation must stand on its own just before the cue.
        head = folded[:cue_start].rstrip()
        if not any(head.endswith(p) for p in rules.NOT_NEGATING):
            return True
    after = words_after(folded, cue_end, 2)
    if group.name in ("term", "modal", "hedge") and after:
        if after[0] in rules.NEGATIONS:
            return not any(tail.lstrip().startswith(p) for p in rules.NOT_NEGATING)
        if group.name == "term" and after[0] in ("will", "would") and after[1:2] and after[1] in rules.NEGATIONS:
            return True
    return False


def find_cues(folded: str, original: str, excluded: list[tuple[int, int]]) -> list[Cue]:
    """The cues in a sentence, in reading order: overlaps resolved, guarded matches left out, negations marked."""
    found: list[Cue] = []
    for group, pattern, term_name in _RULES:
        for m in pattern.finditer(folded):
            if inside(m.start(), excluded) or _guarded(folded, original, group, m.start(), m.end()):
                continue
            if group.name == "term" and term_name is None:
                term = _lookup_term(m.group())
            else:
                term = term_by_name(term_name or group.term)
            if term is None:  # pragma: no cover - every variant pattern comes from VARIANTS
                continue
            found.append(Cue(group, m.start(), m.end(), " ".join(original[m.start():m.end()].split()), term))
    # Overlaps: keep the stronger reading, then the longer match ("almost certainly" over "certainly").
    found.sort(key=lambda c: (c.group.rank, -(c.end - c.start), c.start))
    kept: list[Cue] = []
    for cue in found:
        if all(cue.end <= k.start or cue.start >= k.end for k in kept):
            kept.append(cue)
    kept.sort(key=lambda c: c.start)
    return [Cue(c.group, c.start, c.end, c.words, c.term, _negated(folded, c.start, c.end, c.group)) for c in kept]
