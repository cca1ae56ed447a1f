"""Words of estimative probability: the ICD 203 table and the phrases analysts type for its terms.

The ranges and the values used come from SCORING.md ("Words of estimative probability"). The phrase
tables (`VARIANTS`, the negation words) are plain data so that a sentence detector can reuse them.

Negation, as decided here:
- A leading "not" flips only the middle pair: "not likely" / "not probable" read as unlikely and
  "not unlikely" / "not improbable" as likely. Their ranges mirror each other around 50%, so the
  flip says what the analyst said.
- A leading "not" on any other term is refused (`match_term` returns None and `refused_negation`
  names the term). "not almost certain" only says "below 95%" and "not very likely" only says
  "below 80%": neither is a range, and the mirror term (3%, 12.5%) would score a claim the analyst
  never made. The analyst is asked to pick a term or a number instead.
- A trailing "not" on a term above even chance is the analyst's own mirror and is exact:
  "probably not" -> unlikely, "very likely not" -> very unlikely, "almost certainly not" -> almost no
  chance. A trailing "not" anywhere else ("unlikely not") is refused as a double negative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from forecastapp.core.errors import NotFoundError

SCALE_NAME = "ICD 203"


@dataclass(frozen=True)
class EstimativeTerm:
    """One ICD 203 term: its canonical name, accepted alternatives, range and the value scored."""

    name: str
    alternatives: tuple[str, ...]
    low: float
    high: float
    value: float

    @property
    def range_label(self) -> str:
        """The range as a scorecard prints it, e.g. "55-80%"."""
        return f"{_percent(self.low)}-{_percent(self.high)}%"


def _percent(fraction: float) -> str:
    # Range bounds are whole percents in ICD 203; round() removes float noise such as 0.55 * 100.
    value = round(fraction * 100, 1)
    return str(int(value)) if value == int(value) else str(value)


# Values are the midpoints of the ranges, written out (not computed) so they match SCORING.md verbatim.
TERMS: tuple[EstimativeTerm, ...] = (
    EstimativeTerm("almost no chance", ("remote",), 0.01, 0.05, 0.03),
    EstimativeTerm("very unlikely", ("highly improbable",), 0.05, 0.20, 0.125),
    EstimativeTerm("unlikely", ("improbable",), 0.20, 0.45, 0.325),
    EstimativeTerm("roughly even chance", ("roughly even odds",), 0.45, 0.55, 0.50),
    EstimativeTerm("likely", ("probable",), 0.55, 0.80, 0.675),
    EstimativeTerm("very likely", ("highly probable",), 0.80, 0.95, 0.875),
    EstimativeTerm("almost certain", ("nearly certain",), 0.95, 0.99, 0.97),
)

_BY_NAME: dict[str, EstimativeTerm] = {term.name: term for term in TERMS}

# Everything an analyst may type for a term, already normalised (see `normalize_phrase`), mapped to
# the canonical name. Canonical names and ICD 203 alternatives are included; the rest are common
# inflections (adverbs) and everyday synonyms whose meaning is not in doubt.
VARIANTS: Mapping[str, str] = MappingProxyType(
    {
        # almost no chance (1-5%)
        "almost no chance": "almost no chance",
        "remote": "almost no chance",
        "remote chance": "almost no chance",
        "remote possibility": "almost no chance",
        "remote odds": "almost no chance",
        # very unlikely (5-20%)
        "very unlikely": "very unlikely",
        "highly improbable": "very unlikely",
        "highly unlikely": "very unlikely",
        "very improbable": "very unlikely",
        # unlikely (20-45%)
        "unlikely": "unlikely",
        "improbable": "unlikely",
        # roughly even chance (45-55%)
        "roughly even chance": "roughly even chance",
        "roughly even odds": "roughly even chance",
        "roughly even": "roughly even chance",
        "even chance": "roughly even chance",
        "even odds": "roughly even chance",
        "about even": "roughly even chance",
        "50-50": "roughly even chance",
        "fifty-fifty": "roughly even chance",
        "fifty fifty": "roughly even chance",
        "toss-up": "roughly even chance",
        "coin flip": "roughly even chance",
        # likely (55-80%)
        "likely": "likely",
        "probable": "likely",
        "probably": "likely",
        # very likely (80-95%)
        "very likely": "very likely",
        "highly probable": "very likely",
        "highly likely": "very likely",
        "very probable": "very likely",
        "very probably": "very likely",
        # almost certain (95-99%)
        "almost certain": "almost certain",
        "almost certainly": "almost certain",
        "nearly certain": "almost certain",
        "nearly certainly": "almost certain",
    }
)

NEGATION_PREFIX = "not"
NEGATION_SUFFIX = "not"
# Terms a leading "not" may flip (see the module docstring for why only these two).
PREFIX_NEGATABLE: frozenset[str] = frozenset({"likely", "unlikely"})

_ARTICLE = re.compile(r"^(?:a|an)\s+(?=\S)")
_DASHES = re.compile(r"\s*[-/\u2010-\u2015\u2212]\s*")


def normalize_phrase(text: str) -> str:
    """Fold case, whitespace, dashes/slashes and a leading article so phrases compare equal."""
    folded = " ".join(text.casefold().split())
    folded = _DASHES.sub("-", folded).strip(" .!")
    return _ARTICLE.sub("", folded)


def term_by_name(name: str) -> EstimativeTerm:
    """The term whose canonical name or ICD 203 alternative is `name` (case-insensitive)."""
    wanted = " ".join(str(name).casefold().split())
    for term in TERMS:
        if wanted == term.name or wanted in term.alternatives:
            return term
    names = ", ".join(term.name for term in TERMS)
    raise NotFoundError(f"'{name}' is not an {SCALE_NAME} term; use one of: {names}")


def negate(term: EstimativeTerm) -> EstimativeTerm:
    """The mirror term around even chance: likely <-> unlikely, almost certain <-> almost no chance."""
    index = TERMS.index(term)
    return TERMS[len(TERMS) - 1 - index]


def _split_negation(phrase: str) -> tuple[str, str | None]:
    """Split a normalised phrase into (core phrase, "prefix" | "suffix" | None)."""
    prefix = NEGATION_PREFIX + " "
    suffix = " " + NEGATION_SUFFIX
    if phrase.startswith(prefix) and len(phrase) > len(prefix):
        return phrase[len(prefix) :], "prefix"
    if phrase.endswith(suffix) and len(phrase) > len(suffix):
        return phrase[: -len(suffix)], "suffix"
    return phrase, None


def _lookup(text: str) -> tuple[EstimativeTerm, str | None] | None:
    """The term a phrase names and how it was negated, before deciding whether the negation is allowed."""
    core, negation = _split_negation(normalize_phrase(text))
    name = VARIANTS.get(_ARTICLE.sub("", core))
    if name is None:
        return None
    return _BY_NAME[name], negation


def match_term(text: str) -> tuple[EstimativeTerm, bool] | None:
    """Read a short typed phrase as a term: (term after any negation flip, negated) or None."""
    found = _lookup(text)
    if found is None:
        return None
    term, negation = found
    if negation is None:
        return term, False
    if negation == "prefix" and term.name in PREFIX_NEGATABLE:
        return negate(term), True
    if negation == "suffix" and term.value > 0.5:
        return negate(term), True
    return None


def refused_negation(text: str) -> EstimativeTerm | None:
    """The term inside a negated phrase that `match_term` refuses ("not almost certain"), else None."""
    found = _lookup(text)
    if found is None or found[1] is None or match_term(text) is not None:
        return None
    return found[0]
