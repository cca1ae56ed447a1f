"""Split an assessment into sentences, as (start, end) offsets into the text exactly as stored.

Offsets are Python `str` indices, so `text[start:end]` is the sentence, verbatim: nothing is
normalised or stripped from the stored text, only leading and trailing blanks are left out of
each span (and a bullet or heading marker in front of a list item or a Markdown heading).

How it decides, in order:
1. Blocks. A blank line ends a paragraph. A line that starts with a bullet ("-", "*", "+", "•",
   "1.", "2)", "a)") or a Markdown heading ("#") starts a block of its own, and the marker is not
   part of the sentence. A single line break ends a sentence when the line is short and has no
   closing punctuation (a title: fewer than `_TITLE_WORDS` words) or when the next line starts a
   block; otherwise it is a line wrapped inside a sentence. In text where each paragraph is one
   long line, the line break before a capital letter always follows closing punctuation anyway.
2. Inside a block, a sentence ends at ".", "!", "?", "…" or "..." (closing quotes and brackets that
   follow belong to the sentence) when blank space and then a capital letter, a digit, an opening
   quote or bracket follow, or the block ends. A lower-case word after the stop never starts a
   sentence ("approx. three", "etc. and"), and neither does a digit after a decimal point ("3.5"),
   because the stop must be followed by blank space.
3. Abbreviations (tables below): titles and Latin forms ("Dr.", "Mr.", "e.g.", "i.e.", "vs.") never
   end a sentence; "No." and "p." never end one before a number; dotted acronyms ("U.S.", "U.N."),
   "etc.", "Inc.", "Jr." and month abbreviations ("Jan.") end one only when the next word is a
   common sentence opener ("The", "It", "However", ...), so "the U.S. Treasury" stays one sentence
   and "sanctions from the U.S. The regime ..." becomes two. A single capital letter with a stop is
   an initial ("J. Smith") under the same opener rule.
4. A run longer than `MAX_SENTENCE_CHARS` without any sentence end is cut at a line break or a
   blank before the limit: it is not a sentence anyone wrote, and the pieces keep the work bounded.
"""

from __future__ import annotations

import re

# Never the end of a sentence (lower-cased, without the final stop).
TITLES: frozenset[str] = frozenset({
    "mr", "mrs", "ms", "mx", "dr", "prof", "gen", "col", "lt", "maj", "sgt", "capt", "cmdr", "adm", "gov",
    "sen", "rep", "pres", "amb", "hon", "rev", "st", "mt", "ft", "messrs", "fr",
    "e.g", "i.e", "cf", "viz", "vs", "approx", "ca", "c", "al", "fig", "figs", "vol", "vols", "ed", "eds",
    "dept", "est", "min", "max", "avg", "govt", "univ", "assn",
})  # fmt: skip
# Not the end of a sentence when a number follows ("No. 3", "p. 12", "Art. 5").
BEFORE_NUMBER: frozenset[str] = frozenset({"no", "nos", "p", "pp", "art", "arts", "sec", "para", "ch", "nr"})
# Can end a sentence, but usually do not: they end one only before a common sentence opener.
AMBIGUOUS: frozenset[str] = frozenset({
    "etc", "inc", "ltd", "co", "corp", "plc", "bros", "jr", "sr",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})  # fmt: skip
# Words that start sentences far more often than they follow "U.S." or an initial inside one.
SENTENCE_OPENERS: frozenset[str] = frozenset({
    "the", "a", "an", "it", "its", "this", "that", "these", "those", "there", "they", "their", "we", "our",
    "he", "she", "his", "her", "in", "on", "at", "by", "for", "from", "with", "without", "after", "before",
    "but", "however", "yet", "so", "and", "or", "if", "while", "when", "although", "though", "since",
    "as", "such", "both", "neither", "nor", "no", "not", "some", "many", "most", "all", "each", "any",
    "one", "two", "three", "moreover", "meanwhile", "instead", "still", "even", "also", "what", "which",
    "who", "how", "why", "where", "nevertheless", "nonetheless", "thus", "therefore", "hence", "indeed",
    "given", "despite", "until", "unless", "once", "over", "under", "i", "you", "my",
})  # fmt: skip

_TITLE_WORDS = 8
# Text with no sentence ends at all (a PDF's text layer can be one long run) is cut into pieces of
# at most this many characters, at a blank, so later per-sentence work stays bounded.
MAX_SENTENCE_CHARS = 2000
_CLOSERS = "\"'\u201d\u2019\u00bb)]}"
_OPENERS = "\"'\u201c\u2018\u00ab([{"
_STOP = re.compile(r"(?:\.{2,}|[.!?\u2026]+)[" + re.escape(_CLOSERS) + r"]*")
_BULLET = re.compile(r"[ \t]*(?:[-*+\u2022\u2023\u25e6\u2013\u2014]|[0-9]{1,3}[.)]|[a-zA-Z][)])[ \t]+(?=\S)")
_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]+(?=\S)")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
_INITIAL = re.compile(r"[A-Z]")
_WORD = re.compile(r"[\w'\u2019.-]+")
_CONTENT = re.compile(r"\w")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` as (start, end) offsets, in order; `text[start:end]` is the sentence."""
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        spans.extend(_split_block(text, block_start, block_end))
    return spans


def sentence_texts(text: str) -> list[str]:
    """The sentences of `text` as strings (a convenience over `split_sentences`)."""
    return [text[start:end] for start, end in split_sentences(text)]


# ---------------------------------------------------------------- blocks (paragraphs, items, lines)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its line break ("\\n", "\\r\\n" or "\\r")."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        out.append((pos, pos + len(body)))
        pos += len(line)
    return out


def _marker_end(text: str, start: int, end: int) -> int | None:
    """Where the text of a bullet item or heading begins, if the line starts with a marker."""
    line = text[start:end]
    for pattern in (_BULLET, _HEADING):
        found = pattern.match(line)
        if found:
            return start + found.end()
    return None


def _ends_closed(line: str) -> bool:
    return bool(re.search(r"[.!?:;\u2026][" + re.escape(_CLOSERS) + r"]*\s*$", line))


def _blocks(text: str) -> list[tuple[int, int]]:
    """Runs of text that no sentence crosses: paragraphs, list items, headings, title lines."""
    blocks: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    lines = _lines(text)
    for index, (start, end) in enumerate(lines):
        line = text[start:end]
        if not line.strip():
            if current:
                blocks.append(current)
            current = None
            continue
        marker = _marker_end(text, start, end)
        if marker is not None:
            if current:
                blocks.append(current)
            current = (marker, end)
        elif current is None:
            current = (start, end)
        else:
            current = (current[0], end)
        # A short line without closing punctuation is a title or a label, not a wrapped sentence.
        words = len(line.split())
        next_line = text[lines[index + 1][0]:lines[index + 1][1]] if index + 1 < len(lines) else ""
        is_title = words < _TITLE_WORDS and not _ends_closed(line) and next_line[:1].isupper()
        if marker is not None and text[start:end].lstrip().startswith("#"):
            is_title = True
        if is_title:
            blocks.append(current)
            current = None
    if current:
        blocks.append(current)
    return blocks


# ---------------------------------------------------------------- sentences inside one block


def _token_before(text: str, block_start: int, stop: int) -> str:
    """The word that a stop at `stop` closes, without leading quotes or brackets ("(U.S" -> "U.S")."""
    i = stop
    while i > block_start and not text[i - 1].isspace():
        i -= 1
    return text[i:stop].lstrip(_OPENERS)


def _next_word(text: str, i: int, block_end: int) -> str:
    j = i
    while j < block_end and text[j] in _OPENERS:
        j += 1
    found = _WORD.match(text, j, block_end)
    return found.group() if found else ""


def _is_boundary(text: str, block_start: int, block_end: int, found: re.Match[str]) -> bool:
    after = found.end()
    if after >= block_end:
        return True
    if not text[after].isspace():
        return False  # "3.5", "U.S.-led", "Kim’s." inside a token
    i = after
    while i < block_end and text[i].isspace():
        i += 1
    if i >= block_end:
        return True
    nxt = text[i]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    stops = found.group().rstrip(_CLOSERS)
    if stops != ".":
        return True  # "!", "?", an ellipsis before a capital
    token = _token_before(text, block_start, found.start())
    word = token.lower()
    following = _next_word(text, i, block_end)
    opener = following.lower().strip("'\u2019") in SENTENCE_OPENERS
    if word in TITLES:
        return False
    if word in BEFORE_NUMBER and nxt.isdigit():
        return False
    if word in AMBIGUOUS or _DOTTED.fullmatch(word) or _INITIAL.fullmatch(token):
        return opener
    return True


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a span longer than MAX_SENTENCE_CHARS at the last line break (else blank) before the limit."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = text.rfind("\n", start + 1, limit)
        if cut <= start:
            cut = max(text.rfind(" ", start + 1, limit), text.rfind("\t", start + 1, limit))
        if cut <= start:
            cut = limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _split_block(text: str, block_start: int, block_end: int) -> list[tuple[int, int]]:
    spans = []
    start = block_start
    for found in _STOP.finditer(text, block_start, block_end):
        if _is_boundary(text, block_start, block_end, found):
            spans.append((start, found.end()))
            start = found.end()
    spans.append((start, block_end))
    out = []
    for s, e in (piece for span in spans for piece in _bounded(text, *span)):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if _CONTENT.search(text, s, e):
            out.append((s, e))
    return out
