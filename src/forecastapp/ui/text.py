"""Pure text helpers the panes and dialogs share: a resolution in one line, an excerpt with its context.

Qt-free and ledger-free: plain functions over core records and strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forecastapp.core.model import CONDITION_NOT_MET, QuestionRow, ResolutionRecord


@dataclass(frozen=True)
class ExcerptContext:
    """A source excerpt with a few sentences of the document text on either side."""

    before: str
    excerpt: str
    after: str
    clipped_before: bool
    clipped_after: bool


def describe_resolution(r: ResolutionRecord) -> str:
    """One line for a resolution record: 'yes on 2025-12-31' / 'annulled (condition did not hold) on ...'."""
    what = r.outcome.value if r.outcome else "withdrawn"
    if r.annul_reason == CONDITION_NOT_MET:
        what += " (condition did not hold)"
    elif r.annul_reason:
        what += f" ({r.annul_reason.replace('_', ' ')})"
    return f"{what} on {r.resolved_on.isoformat()}" if r.resolved_on else what


# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) and whitespace,
# or at a blank line (headings and list items in assessments rarely end with a full stop).
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+|\n\s*\n")
_CONTEXT_LIMIT = 600  # characters of context on each side, whatever the sentence lengths


def excerpt_context(text: str, start: int, end: int, *, sentences: int = 2) -> ExcerptContext:
    """Cut `sentences` sentences before and after text[start:end], clipped to a readable length."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    matches = list(_SENTENCE_END.finditer(text))
    # Sentence starts at or before the excerpt: the last is the excerpt's own sentence.
    before_starts = [m.end() for m in matches if m.end() <= start]
    ctx_start = before_starts[-(sentences + 1)] if len(before_starts) > sentences else 0
    after_ends = [m.start() for m in matches if m.start() >= end]
    # The sentence holding the excerpt's end finishes at the first boundary after it; then `sentences` more.
    ctx_end = after_ends[sentences] if len(after_ends) > sentences else len(text)
    clipped_before = ctx_start > 0
    clipped_after = ctx_end < len(text)
    if start - ctx_start > _CONTEXT_LIMIT:
        ctx_start, clipped_before = _word_boundary(text, start - _CONTEXT_LIMIT, forward=True), True
    if ctx_end - end > _CONTEXT_LIMIT:
        ctx_end, clipped_after = _word_boundary(text, end + _CONTEXT_LIMIT, forward=False), True
    return ExcerptContext(
        before=text[ctx_start:start].lstrip(),
        excerpt=text[start:end],
        after=text[end:ctx_end].rstrip(),
        clipped_before=clipped_before,
        clipped_after=clipped_after,
    )


def _word_boundary(text: str, index: int, *, forward: bool) -> int:
    """The nearest space at or after (forward) / before `index`, so a clip never cuts a word."""
    if forward:
        found = text.find(" ", index)
        return len(text) if found < 0 else found + 1
    found = text.rfind(" ", 0, index)
    return 0 if found < 0 else found


def status_text(row: QuestionRow) -> str:
    """What the status column says: open, due, resolved yes, resolved no, annulled."""
    if row.outcome is not None and row.status.value == "resolved":
        return f"resolved {row.outcome.value}"
    return row.status.value
