"""Find candidate forecasts in an assessment: rule-based, offline, and explainable sentence by sentence.

Each sentence (see `sentences.split_sentences`) is searched for cues: phrases that carry an
estimative judgment. Every cue belongs to a group; the group says how strongly it signals a
forecast and which ICD 203 term it reads as. When a sentence has several cues, the one of the
lowest rank sets the term (ties: the first in the sentence); `strength` is that group's strength.

Groups, by rank (lowest first), with the term each reads as and its strength:

0. term (1.0): the ICD 203 terms and every phrase in `estimative.VARIANTS` ("likely", "probably",
   "almost certainly", "highly improbable", "toss-up"), plus `EXTRA_TERMS` ("more likely than
   not", "less likely", "in all likelihood"): that term.
1. idiom (0.8), `IDIOMS`: "little hope", "slim chance" -> very unlikely; "no chance" -> almost no
   chance; "good chance", "the odds favour", "may well" -> likely; "real possibility" -> roughly
   even chance; "is bound to", "will certainly" -> almost certain; "doubtful" -> unlikely.
1. expectation (0.8): "is expected to", "we expect", "anticipates", "is set to", "is poised to",
   "is projected to" -> likely.
2. modal (0.6): "will", "would", "shall", "is going to", an unhedged prediction -> very likely.
3. hedge (0.5): "could", "may", "might", "possibly", "perhaps", "it is possible" -> roughly even
   chance.
4. indicator (0.4): "hints at", "suggests", "points to", "signals that", "indicates that" -> likely.
5. persistence (0.4): "remains", "continues to", "persists", "is here to stay" -> very likely.
6. horizon (0.3): a forward time expression and no other cue ("indefinitely", "in the coming
   years", "by 2030" after the document's date) -> very likely.

An unhedged claim ("will", "remains", a deadline) reads as very likely, the convention the starting
ledger uses for unhedged judgments; a bare "could/may/might" reads as roughly even chance.

Probability. `probability` is the probability of the event the sentence judges, with the
estimative words taken out: "X is unlikely" gives P(X) = 32.5%. A negation that governs the cue
flips the term with `estimative.negate`: "not likely" reads as unlikely, "would not" as very
unlikely, "almost certainly not" as almost no chance ("not" or a negative contraction in the three
words before the cue or right after it, within its clause; "not only" and "not just" are not
negations). The proposed `statement` drops the estimative words and that negation, so the number
and the statement agree ("... would not violate ..." -> "... would violate ...", 12.5%). A
negation in the subject ("nobody expects", "no one is likely to") stays in the statement and is
not flipped.

Conditions. "If X, Y", "Should X, Y", "Unless X, Y", "Y if X", "Y unless X", "provided X",
"in the event of X", "as long as X": the condition is X ("not (X)" for unless), and cues inside
the condition do not count. "Even if", "as if", "if any" are not conditions.

Time. The first forward time expression that falls after the base date (the document's published
date, else `today`) proposes `resolve_by`, through `dates.parse_deadline` where it can read the
words: spans ("in 10 to 15 years", "within six months", "will take 8 to 10 years": a window, so
`resolve_from` is set too), deadlines ("by 2025", "by the end of 2025", "before 2030" = end of
2029, "through 2026", "by August", "by 31 March 2025", "next year") and the vague phrases in
`VAGUE_HORIZONS` ("indefinitely" = 7 years, "in the coming years" = 3 years). Plain dates ("in
2026", "in Q1 2026", "this summer") are used when no forward expression is there. Dates on or
before the base date are ignored ("by Q4 2024" in a 2025 text is history). With nothing usable,
`resolve_by` is the base date plus `default_horizon_months`.

Not proposed (guards):
- questions (the sentence ends with "?"), and sentences with no cue (pure description: "visited",
  "reopened", "fell by 3.5 million");
- cues inside double quotes (someone else's words) and cues after a past-tense verb of saying or
  deciding in the same clause ("officials said the talks would restart", "the court ruled that
  elections may not be delayed"): reported events, not judgments;
- "will" as a noun ("political will", "the will to fight"), "might" as a noun ("military might"),
  "May" as the month ("in May", "May 2023");
- "could not confirm / verify / say / find / determine ..." (past inability), "would have" and
  "could have" (counterfactual);
- modal cues inside an embedded question ("whether that investigation would lead to duties");
- what a document says about itself ("this report will examine", "we will discuss").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from forecastapp.core.dates import parse_day, parse_deadline
from forecastapp.core.errors import DateError
from forecastapp.core.estimative import VARIANTS, EstimativeTerm, negate, normalize_phrase, term_by_name
from forecastapp.core.probability import format_probability
from forecastapp.core.sentences import split_sentences

DEFAULT_HORIZON_MONTHS = 24


@dataclass(frozen=True)
class Group:
    """A family of cues: its precedence, how strongly it signals a forecast, and its default term."""

    name: str
    rank: int
    strength: float
    term: str | None
    label: str


GROUPS: dict[str, Group] = {
    g.name: g
    for g in (
        Group("term", 0, 1.0, None, "ICD 203 estimative term"),
        Group("idiom", 1, 0.8, None, "estimative idiom"),
        Group("expectation", 1, 0.8, "likely", "expectation"),
        Group("modal", 2, 0.6, "very likely", "unhedged prediction"),
        Group("hedge", 3, 0.5, "roughly even chance", "hedge"),
        Group("indicator", 4, 0.4, "likely", "indicator"),
        Group("persistence", 5, 0.4, "very likely", "lasting state"),
        Group("horizon", 6, 0.3, "very likely", "forward time expression"),
    )
}

# ICD 203 readings of phrases that `estimative.VARIANTS` (made for typed input) does not hold.
EXTRA_TERMS: tuple[tuple[str, str], ...] = (
    (r"more likely than not", "likely"),
    (r"less (?:likely|probable)", "unlikely"),
    (r"likelier", "likely"),
    (r"in all likelihood", "likely"),
    (r"almost surely|virtually certain(?:ly)?|all but certain(?:ly)?", "almost certain"),
    (r"a long shot", "very unlikely"),
    (r"(?:is|are|remains?|seems?) remote", "almost no chance"),
)

IDIOMS: tuple[tuple[str, str], ...] = (
    (r"(?:little|slim|faint|scant|small) (?:hope|chances?|prospects?|likelihood)", "very unlikely"),
    (r"no (?:realistic |real )?(?:hope|chance|prospects?|possibility)", "almost no chance"),
    (r"(?:good|strong|high|fair) (?:chance|prospects?|likelihood)|(?:the )?odds (?:favou?r|are good)", "likely"),
    (r"every (?:chance|likelihood)", "very likely"),
    (r"(?:real|distinct|genuine|serious) (?:possibility|chance|prospect)", "roughly even chance"),
    (r"(?:may|might|could) well", "likely"),
    (r"(?:is|are|seems?|looks?|appears?) (?:bound|certain|sure) to", "almost certain"),
    (r"(?:will|would) (?:certainly|surely|undoubtedly|definitely)", "almost certain"),
    (r"undoubtedly|without (?:a )?doubt|doubtless", "almost certain"),
    (r"(?:is|are|seems?|looks?|remains?) (?:highly )?doubtful|(?:we|i) doubt", "unlikely"),
)

# (group, pattern) for the groups whose term is fixed; patterns match the folded sentence.
CUES: tuple[tuple[str, str], ...] = (
    ("expectation", r"(?:is|are|remains?) (?:not )?(?:widely |generally )?expected to"),
    ("expectation", r"(?:is|are) (?:not )?(?:set|poised|on track|forecast|projected|predicted) to"),
    ("expectation", r"expects?|anticipates?|foresees?|predicts?"),
    ("modal", r"will|shall|would|won't|wouldn't|(?:is|are|am) (?:not )?going to"),
    ("hedge", r"could|may|might|possibly|perhaps|conceivably"),
    ("hedge", r"(?:it is|it's|is|are|seems|remains) (?:quite |entirely |also )?possible"),
    ("indicator", r"hints? (?:at|that)|suggests?|points? to|signals? that|indicates? that"),
    ("persistence", r"remains?|continues? to|persists?|(?:is|are) here to stay|for the foreseeable future"),
)

# Vague forward phrases and the months they propose as a horizon.
VAGUE_HORIZONS: tuple[tuple[str, int], ...] = (
    (r"indefinitely", 84),
    (r"for years to come|for decades to come", 84),
    (r"for the foreseeable future", 60),
    (r"in the (?:coming|next few) decades", 240),
    (r"in the (?:coming|next few) years|in the years ahead", 36),
    (r"in the (?:coming|next few) months|in the months ahead", 12),
    (r"in the (?:coming|next few) weeks|in the weeks ahead", 3),
    (r"in the (?:near|short) (?:term|run)", 12),
    (r"in the medium (?:term|run)", 60),
    (r"in the long (?:term|run)", 120),
)

NEGATIONS = frozenset({
    "not", "never", "isn't", "aren't", "wasn't", "weren't", "doesn't", "don't", "didn't", "won't",
    "wouldn't", "cannot", "can't", "couldn't", "hardly", "scarcely", "mightn't", "shouldn't", "neither",
    "nor",
})  # fmt: skip
NOT_NEGATING = ("not only", "not just", "not least", "not merely", "not simply")
SAYING_VERBS = (
    "said", "told", "announced", "promised", "pledged", "claimed", "stated", "insisted", "declared",
    "vowed", "reported", "added", "noted", "argued", "warned", "threatened", "predicted", "confirmed",
    "denied", "hoped", "wrote", "assured", "ruled", "decided", "concluded", "found", "agreed", "ordered",
)  # fmt: skip
KNOWING_VERBS = (
    "confirm", "verify", "say", "determine", "establish", "find", "tell", "explain", "identify", "agree",
    "be reached", "be confirmed", "be verified", "be found", "be determined",
)  # fmt: skip
WILL_NOUN_BEFORE = ("political", "popular", "free", "good", "ill", "own", "the", "her", "his", "its", "their",
                    "national", "people's", "public", "collective")
MIGHT_NOUN_BEFORE = ("military", "economic", "naval", "industrial", "financial", "its", "their", "the", "his",
                     "her", "our", "nuclear", "air")
MONTH_BEFORE = ("in", "of", "since", "by", "until", "from", "early", "late", "mid", "last", "next", "through",
                "during", "before", "after", "end", "until", "till", "on")
META_SUBJECTS = ("report", "assessment", "paper", "note", "section", "chapter", "study", "analysis", "brief",
                 "memo", "annex", "appendix", "document", "briefing")
META_VERBS = ("discuss", "examine", "describe", "consider", "review", "argue", "outline", "look", "turn",
              "return", "show", "explain", "assess", "summarise", "summarize", "focus", "address", "set out")
# "remains uncertain" says the writer will not judge; it is not a lasting state to forecast.
PERSISTENCE_NOT_BEFORE = ("uncertain", "unclear", "to be seen", "open", "undecided", "in doubt", "unknown",
                          "an open question", "a matter of", "speculative")
CONDITION_EXCLUDED = ("even if", "as if", "if any", "if anything", "if so", "if not", "if ever", "what if",
                      "only if", "if only")

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|a|an"
)


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


@dataclass(frozen=True)
class _Cue:
    group: Group
    start: int
    end: int
    words: str
    term: EstimativeTerm
    negated: bool = False


# ---------------------------------------------------------------- compiled rules


def _words(pattern: str) -> str:
    """A phrase pattern with flexible blanks, that matches whole words only."""
    return r"(?<![\w'-])(?:" + pattern.replace(" ", r"\s+") + r")(?![\w-])"


def _variant_pattern() -> str:
    # "remote" alone is too often a place ("a remote region"); EXTRA_TERMS reads "is remote".
    phrases = sorted((k for k in VARIANTS if k != "remote"), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", " ").replace(r"\-", "-") for p in phrases)


_RULES: tuple[tuple[Group, re.Pattern[str], str | None], ...] = (
    (GROUPS["term"], re.compile(_words(_variant_pattern())), None),
    *((GROUPS["term"], re.compile(_words(p)), t) for p, t in EXTRA_TERMS),
    *((GROUPS["idiom"], re.compile(_words(p)), t) for p, t in IDIOMS),
    *((GROUPS[g], re.compile(_words(p)), None) for g, p in CUES),
)
_VAGUE = tuple((re.compile(_words(p)), months) for p, months in VAGUE_HORIZONS)
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUM = rf"[0-9]{{1,3}}|{_NUMBER_WORDS}"
_UNIT = r"(?P<u>days?|weeks?|months?|years?|decades?)"
_QUALIFIER = r"(?:(?:at least|about|around|roughly|some|less than|under|up to|the next|the coming|next)\s+)*"
_SPAN_RANGE = re.compile(
    _words(rf"(?P<verb>in|within|over|during|take|takes|taking|between) {_QUALIFIER}(?P<a>{_NUM})\s*(?:-|to|and)\s*"
           rf"(?P<b>{_NUM}) {_UNIT}")
)
_SPAN = re.compile(_words(rf"(?P<verb>in|within|over|during|take|takes|taking) {_QUALIFIER}(?P<n>{_NUM}) {_UNIT}"))
_BY_DATE = re.compile(_words(
    rf"(?P<prep>by|before|until|till|through|no later than) (?:the )?(?:(?P<edge>end|middle|start|beginning) of )?"
    rf"(?:(?P<day>[0-9]{{1,2}}) (?P<dmonth>{_MONTH_ALT})\.? (?P<dyear>[0-9]{{4}})"
    rf"|(?P<q>q[1-4]) (?P<qyear>[0-9]{{4}})"
    rf"|(?P<mid>mid-?|end-)(?P<myear>[0-9]{{4}})"
    rf"|(?:(?P<month>{_MONTH_ALT})\.? )?(?P<year>[0-9]{{4}})"
    rf"|(?P<bare>{_MONTH_ALT}))"
))
_IN_DATE = re.compile(_words(
    rf"(?:in|during|for) (?:(?:early|late|mid-?)\s*)?(?:(?P<q>q[1-4]) |(?P<month>{_MONTH_ALT})\.? )?"
    rf"(?P<year>[0-9]{{4}})"
))
_RELATIVE = re.compile(_words(
    r"(?P<by>(?:by|through|until) (?:the end of )?)?(?P<which>this|next|the) "
    r"(?P<period>year|month|quarter|spring|summer|autumn|fall|winter)"
))
_CONDITION = re.compile(_words(
    r"if|unless|provided(?: that)?|providing|assuming(?: that)?|in the event (?:that|of)|as long as|so long as"
    r"|in case|should|were"
))
_CLAUSE_START = re.compile(r"(?:^|[,;:(\u2013\u2014-]\s*|\b(?:but|and|yet|so|however,?)\s+)$")
_SAYING = re.compile(_words("|".join(SAYING_VERBS)))
_WORD = re.compile(r"[\w'-]+")


# ---------------------------------------------------------------- text helpers


def _fold(text: str) -> str:
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


def _quoted(folded: str) -> list[tuple[int, int]]:
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


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _words_before(folded: str, pos: int, count: int) -> list[str]:
    """Up to `count` words before `pos`, stopping at a clause break (, ; : or a bracket)."""
    head = folded[:pos]
    cut = max(head.rfind(c) for c in ",;:()")
    return _WORD.findall(head[cut + 1 :])[-count:]


def _words_after(folded: str, pos: int, count: int) -> list[str]:
    tail = folded[pos:]
    stops = [i for i in (tail.find(c) for c in ",;:()") if i >= 0]
    return _WORD.findall(tail[: min(stops) if stops else len(tail)])[:count]


def _clause_head(folded: str, pos: int) -> str:
    """The text from the start of the cue's clause up to the cue."""
    head = folded[:pos]
    cut = max(head.rfind(";"), *(m.start() for m in re.finditer(r",\s+(?:and|but|while|whereas|although|though)\b",
                                                                  head)), -1)
    return head[cut + 1 :]


# ---------------------------------------------------------------- cues


def _lookup_term(words: str) -> EstimativeTerm | None:
    name = VARIANTS.get(normalize_phrase(words))
    return term_by_name(name) if name else None


def _guarded(folded: str, original: str, group: Group, start: int, end: int) -> bool:
    """True when a match is not the writer's judgment (see "Not proposed" in the module docstring)."""
    words = folded[start:end]
    before = _words_before(folded, start, 3)
    after = _words_after(folded, end, 3)
    first = words.split()[0]
    if group.name == "modal":
        if first == "will" and (before[-1:] and before[-1] in WILL_NOUN_BEFORE or after[:1] == ["of"]):
            return True
        if first in ("would", "could") and after[:1] == ["have"]:
            return True
        if before[-2:-1] and before[-2] in ("this", "the", "our") and before[-1] in META_SUBJECTS:
            return True
        if before[-1:] == ["we"] and " ".join(after[:2]).startswith(META_VERBS):
            return True
    if group.name == "hedge":
        if first == "might" and before[-1:] and before[-1] in MIGHT_NOUN_BEFORE:
            return True
        if first == "may" and original[start:start + 1] == "M":
            if start == 0 or (before[-1:] and before[-1] in MONTH_BEFORE) or re.match(r"\s*(?:[0-9]|$|[.,;])",
                                                                                      folded[end:]):
                return True
        if first == "could" and after[:1] in (["not"], ["never"]) and " ".join(after[1:3]).startswith(KNOWING_VERBS):
            return True
        if first == "could" and after[:1] == ["have"]:
            return True
    if group.name == "persistence" and " ".join(after).startswith(PERSISTENCE_NOT_BEFORE):
        return True
    if group.name in ("modal", "hedge") and re.search(r"\bwhether\b", _clause_head(folded, start)):
        return True
    if _SAYING.search(_clause_head(folded, start)):
        return True
    return False


def _negated(folded: str, cue_start: int, cue_end: int, group: Group) -> bool:
    """Whether a negation governs the cue (before it, inside it, or right after it)."""
    inside = _WORD.findall(folded[cue_start:cue_end])
    if any(w in NEGATIONS for w in inside):
        return True
    before = _words_before(folded, cue_start, 3)
    tail = folded[cue_end:]
    if any(tail.lstrip().startswith(p) for p in NOT_NEGATING):
        return False
    if group.name in ("term", "expectation", "indicator", "persistence") and any(w in NEGATIONS for w in before):
        # "no one", "not only": the negation must stand on its own just before the cue.
        head = folded[:cue_start].rstrip()
        if not any(head.endswith(p) for p in NOT_NEGATING):
            return True
    after = _words_after(folded, cue_end, 2)
    if group.name in ("term", "modal", "hedge") and after:
        if after[0] in NEGATIONS:
            return not any(tail.lstrip().startswith(p) for p in NOT_NEGATING)
        if group.name == "term" and after[0] in ("will", "would") and after[1:2] and after[1] in NEGATIONS:
            return True
    return False


def _find_cues(folded: str, original: str, excluded: list[tuple[int, int]]) -> list[_Cue]:
    found: list[_Cue] = []
    for group, pattern, term_name in _RULES:
        for m in pattern.finditer(folded):
            if _inside(m.start(), excluded) or _guarded(folded, original, group, m.start(), m.end()):
                continue
            words = m.group()
            if group.name == "term" and term_name is None:
                term = _lookup_term(words)
            else:
                term = term_by_name(term_name or group.term)
            if term is None:  # pragma: no cover - every variant pattern comes from VARIANTS
                continue
            found.append(_Cue(group, m.start(), m.end(), " ".join(original[m.start():m.end()].split()), term))
    # Overlaps: keep the stronger reading, then the longer match ("almost certainly" over "certainly").
    found.sort(key=lambda c: (c.group.rank, -(c.end - c.start), c.start))
    kept: list[_Cue] = []
    for cue in found:
        if all(cue.end <= k.start or cue.start >= k.end for k in kept):
            kept.append(cue)
    kept.sort(key=lambda c: c.start)
    return [
        _Cue(c.group, c.start, c.end, c.words, c.term, _negated(folded, c.start, c.end, c.group)) for c in kept
    ]


# ---------------------------------------------------------------- conditions


@dataclass(frozen=True)
class _Condition:
    keyword_start: int
    start: int
    end: int
    text: str
    leading: bool


def _conditions(folded: str, original: str, quoted: list[tuple[int, int]]) -> list[_Condition]:
    out = []
    for m in _CONDITION.finditer(folded):
        if _inside(m.start(), quoted):
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
        out.append(_Condition(m.start(), m.end(), end, text, clause_start))
    return out


# ---------------------------------------------------------------- time


@dataclass(frozen=True)
class _When:
    start: date | None
    end: date
    words: str
    forward: bool


def _month_end(year: int, month: int) -> date:
    return date(year, month, 1) + relativedelta(day=31)


def _number(token: str) -> str:
    return "1" if token in ("a", "an") else token


def _time_expressions(folded: str, original: str, base: date, excluded: list[tuple[int, int]]) -> list[_When]:
    found: list[tuple[int, _When]] = []

    def add(m: re.Match[str], window_start: date | None, end: date, forward: bool) -> None:
        if not _inside(m.start(), excluded) and end > base:
            words = " ".join(original[m.start():m.end()].split())
            found.append((m.start(), _When(window_start, end, words, forward)))

    taken: list[tuple[int, int]] = []
    for m in _SPAN_RANGE.finditer(folded):
        try:
            window = parse_deadline(f"in {_number(m['a'])} to {_number(m['b'])} {m['u']}", made_on=base)
        except DateError:
            continue
        add(m, window.start, window.end, not m["verb"].startswith("tak"))
        taken.append(m.span())
    for m in _SPAN.finditer(folded):
        if _inside(m.start(), taken):
            continue
        try:
            window = parse_deadline(f"in {_number(m['n'])} {m['u']}", made_on=base)
        except DateError:
            continue
        # "takes 3 days" describes the present; "will take" is already a cue of its own.
        add(m, None, window.end, not m["verb"].startswith("tak"))
    for m in _BY_DATE.finditer(folded):
        end = _by_date(m, base)
        if end is not None:
            add(m, None, end, True)
    for m in _RELATIVE.finditer(folded):
        end = _relative(m, base)
        if end is not None:
            add(m, None, end, m["which"] != "this" or bool(m["by"]))
    for m in _IN_DATE.finditer(folded):
        year = int(m["year"])
        if m["q"]:
            end = _month_end(year, 3 * int(m["q"][1]))
        elif m["month"]:
            end = _month_end(year, _MONTHS[m["month"]])
        else:
            end = date(year, 12, 31)
        add(m, None, end, False)
    for pattern, months in _VAGUE:
        for m in pattern.finditer(folded):
            add(m, None, base + relativedelta(months=months), True)
    found.sort(key=lambda item: item[0])
    return [when for _, when in found]


def _by_date(m: re.Match[str], base: date) -> date | None:
    prep = m["prep"]
    try:
        if m["day"]:
            day = parse_day(f"{m['day']} {m['dmonth']} {m['dyear']}", today=base)
            return day - timedelta(days=1) if prep == "before" else day
        if m["q"]:
            end = parse_deadline(f"{m['q']} {m['qyear']}", made_on=base).end
            return end - relativedelta(months=3, day=31) if prep == "before" else end
        if m["mid"] is not None:
            year = int(m["myear"])
            return date(year, 6, 30) if m["mid"].startswith("mid") else date(year, 12, 31)
        if m["bare"]:
            month = _MONTHS[m["bare"]]
            year = base.year if month > base.month else base.year + 1
            end = _month_end(year, month)
            return end - relativedelta(months=1, day=31) if prep == "before" else end
        year = int(m["year"])
        if m["month"]:
            end = _month_end(year, _MONTHS[m["month"]])
            return end - relativedelta(months=1, day=31) if prep == "before" else end
        if m["edge"] == "end":
            return date(year, 12, 31)
        if m["edge"] == "middle":
            return date(year, 6, 30)
        if m["edge"] in ("start", "beginning"):
            return date(year, 1, 31)
        return date(year - 1, 12, 31) if prep == "before" else date(year, 12, 31)
    except (DateError, ValueError, OverflowError):
        return None


def _relative(m: re.Match[str], base: date) -> date | None:
    period = m["period"]
    if m["which"] == "the" and (period not in _SEASON_END or not m["by"]):
        return None  # "the year" alone names no period; "through the winter" does
    step = 1 if m["which"] == "next" else 0
    if period in _SEASON_END:
        month = _SEASON_END[period]
        year = base.year + step + (1 if period == "winter" else 0)
        end = _month_end(year, month)
        return end if end > base else _month_end(year + 1, month)
    try:
        return parse_deadline(f"end of {m['which']} {period}", made_on=base).end
    except DateError:
        return None


# ---------------------------------------------------------------- statements

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


def _statement(sentence: str, conditions: list[_Condition], negated: bool) -> str:
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


# ---------------------------------------------------------------- detection


def detect_sentence(
    text: str, start: int, end: int, *, base: date, default_horizon_months: int | None = DEFAULT_HORIZON_MONTHS
) -> Candidate | None:
    """The candidate forecast in `text[start:end]`, or None if the sentence judges nothing."""
    sentence = text[start:end]
    folded = _fold(sentence)
    if re.search(r"\?[\"')\]\u201d\u2019]*\s*$", sentence):
        return None
    quoted = _quoted(folded)
    conditions = _conditions(folded, sentence, quoted)
    excluded = quoted + [(c.start, c.end) for c in conditions]
    cues = _find_cues(folded, sentence, excluded)
    times = _time_expressions(folded, sentence, base, quoted)
    forward = [t for t in times if t.forward]
    if not cues and forward:
        horizon = forward[0]
        cues = [_Cue(GROUPS["horizon"], 0, 0, horizon.words, term_by_name(GROUPS["horizon"].term or ""))]
    if not cues:
        return None
    main = min(cues, key=lambda c: (c.group.rank, c.start))
    term = negate(main.term) if main.negated else main.term
    condition = next((c.text for c in conditions if c.leading or c.keyword_start > main.start), None)

    when = forward[0] if forward else (times[0] if times else None)
    if when is not None:
        resolve_by, resolve_from = when.end, when.start
        deadline = f'deadline from "{when.words}": {resolve_by.isoformat()}'
    elif default_horizon_months:
        resolve_by, resolve_from = base + relativedelta(months=default_horizon_months), None
        deadline = f"no time expression: default horizon of {default_horizon_months} months"
    else:
        resolve_by, resolve_from, deadline = None, None, "no time expression"

    parts = [f'{main.group.label} "{main.words}" reads as {main.term.name} ({format_probability(main.term.value)})']
    if main.negated:
        parts.append(f"negated, so {term.name} ({format_probability(term.value)})")
    others = [f'"{c.words}" ({c.group.label})' for c in cues if c is not main]
    if others:
        parts.append("also " + ", ".join(others))
    if condition:
        parts.append(f'condition "{condition}"')
    parts.append(deadline)
    strength = max(c.group.strength for c in cues)
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
        strength=strength,
        statement=_statement(sentence, conditions, main.negated),
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
