"""The detector's rule tables: the groups of cues, the phrases each group holds, and the word lists its guards use.

Plain data, no logic: `cues` compiles the phrases, `timing` the vague horizons; the package docstring
says what each group and guard means.
"""

from __future__ import annotations

from dataclasses import dataclass


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
