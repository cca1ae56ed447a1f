"""Text helpers the detector's rules share: folding a sentence, quoted spans, the words around a match.

Every offset is into the folded sentence, which has the length of the original, so a match in one
slices the same words out of the other.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[\w'-]+")


def words(pattern: str) -> str:
    """A phrase pattern with flexible blanks, that matches whole words only."""
    return r"(?<![\w'-])(?:" + pattern.replace(" ", r"\s+") + r")(?![\w-])"


def fold(text: str) -> str:
    """Lower case with one kind of quote and dash, the same length as `text` (offsets stay valid)."""
    out = []
    for ch in text:
        if ch in "\u2019\u2018\u02bc\u2032":
            ch = "'"
        elif ch in "\u201c\u201d\u201e\u00ab\u00bb":
            ch = '"'
        elif ch in "\u2010\u2011\u2012\u2013\u2014\u2212":
            ch = "-"
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


def quoted(folded: str) -> list[tuple[int, int]]:
    """Spans inside double quotes: someone else's words."""
    spans = []
    opened = None
    for i, ch in enumerate(folded):
        if ch == '"':
            if opened is None:
                opened = i
            else:
                spans.append((opened, i + 1))
                opened = None
    return spans


def inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `pos` falls in one of `spans` (each a start and an end, the end excluded)."""
    return any(s <= pos < e for s, e in spans)


def words_before(folded: str, pos: int, count: int) -> list[str]:
    """Up to `count` words before `pos`, stopping at a clause break (, ; : or a bracket)."""
    head = folded[:pos]
    cut = max(head.rfind(c) for c in ",;:()")
    return WORD.findall(head[cut + 1 :])[-count:]


def words_after(folded: str, pos: int, count: int) -> list[str]:
    """Up to `count` words from `pos` on, stopping at a clause break (, ; : or a bracket)."""
    tail = folded[pos:]
    stops = [i for i in (tail.find(c) for c in ",;:()") if i >= 0]
    return WORD.findall(tail[: min(stops) if stops else len(tail)])[:count]


def clause_head(folded: str, pos: int) -> str:
    """The text from the start of the cue's clause up to the cue."""
    head = folded[:pos]
    cut = max(head.rfind(";"), *(m.start() for m in re.finditer(r",\s+(?:and|but|while|whereas|although|though)\b",
                                                                  head)), -1)
    return head[cut + 1 :]
