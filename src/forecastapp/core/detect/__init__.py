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

# The package, by job: `rules` (the tables above), `text` (folding, quotes, words around a match),
# `cues`, `conditions`, `timing` (dates through `core.dates`), `statements`, and `candidates`, which
# puts them together. Callers import from here.
from forecastapp.core.detect.candidates import DEFAULT_HORIZON_MONTHS, Candidate, detect_candidates, detect_sentence
from forecastapp.core.detect.rules import (
    CONDITION_EXCLUDED,
    CUES,
    EXTRA_TERMS,
    GROUPS,
    IDIOMS,
    KNOWING_VERBS,
    META_SUBJECTS,
    META_VERBS,
    MIGHT_NOUN_BEFORE,
    MONTH_BEFORE,
    NEGATIONS,
    NOT_NEGATING,
    PERSISTENCE_NOT_BEFORE,
    SAYING_VERBS,
    VAGUE_HORIZONS,
    WILL_NOUN_BEFORE,
    Group,
)

__all__ = [
    "CONDITION_EXCLUDED", "CUES", "DEFAULT_HORIZON_MONTHS", "EXTRA_TERMS", "GROUPS", "IDIOMS", "KNOWING_VERBS",
    "META_SUBJECTS", "META_VERBS", "MIGHT_NOUN_BEFORE", "MONTH_BEFORE", "NEGATIONS", "NOT_NEGATING",
    "PERSISTENCE_NOT_BEFORE", "SAYING_VERBS", "VAGUE_HORIZONS", "WILL_NOUN_BEFORE", "Candidate", "Group",
    "detect_candidates", "detect_sentence",
]  # fmt: skip
