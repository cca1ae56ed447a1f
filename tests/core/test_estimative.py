"""ICD 203 words of estimative probability: the table, lookups, negation and typed phrases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecastapp.core.errors import ForecastError, NotFoundError
from forecastapp.core.estimative import (
    SCALE_NAME,
    TERMS,
    VARIANTS,
    EstimativeTerm,
    match_term,
    negate,
    normalize_phrase,
    refused_negation,
    term_by_name,
)

# The table in SCORING.md ("Words of estimative probability"), copied by hand:
# (term, alternative, range low %, range high %, value used %, range as printed)
SCORING_TABLE = [
    ("almost no chance", "remote", 1, 5, 3, "1-5%"),
    ("very unlikely", "highly improbable", 5, 20, 12.5, "5-20%"),
    ("unlikely", "improbable", 20, 45, 32.5, "20-45%"),
    ("roughly even chance", "roughly even odds", 45, 55, 50, "45-55%"),
    ("likely", "probable", 55, 80, 67.5, "55-80%"),
    ("very likely", "highly probable", 80, 95, 87.5, "80-95%"),
    ("almost certain", "nearly certain", 95, 99, 97, "95-99%"),
]


def test_table_matches_scoring_md_in_order() -> None:
    assert [term.name for term in TERMS] == [row[0] for row in SCORING_TABLE]
    for term, (name, alternative, low, high, value, label) in zip(TERMS, SCORING_TABLE):
        assert term.name == name
        assert term.alternatives == (alternative,)
        assert term.low == pytest.approx(low / 100, abs=1e-12)
        assert term.high == pytest.approx(high / 100, abs=1e-12)
        assert term.value == pytest.approx(value / 100, abs=1e-12)
        assert term.range_label == label


def test_value_used_is_the_range_midpoint() -> None:
    for term in TERMS:
        assert term.value == pytest.approx((term.low + term.high) / 2, abs=1e-12)


def test_ranges_tile_one_to_ninety_nine_percent_without_gaps() -> None:
    assert TERMS[0].low == pytest.approx(0.01)
    assert TERMS[-1].high == pytest.approx(0.99)
    for lower, upper in zip(TERMS, TERMS[1:]):
        assert lower.high == pytest.approx(upper.low, abs=1e-12)


def test_scale_is_named_for_the_scorecard() -> None:
    assert SCALE_NAME == "ICD 203"


def test_terms_are_frozen() -> None:
    with pytest.raises(AttributeError):
        TERMS[0].value = 0.5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("likely", "likely"),
        ("LIKELY", "likely"),
        ("  Very   Likely ", "very likely"),
        ("remote", "almost no chance"),
        ("Highly Improbable", "very unlikely"),
        ("improbable", "unlikely"),
        ("roughly even odds", "roughly even chance"),
        ("probable", "likely"),
        ("highly probable", "very likely"),
        ("nearly certain", "almost certain"),
        ("almost certain", "almost certain"),
    ],
)
def test_term_by_name_accepts_names_and_alternatives(typed: str, expected: str) -> None:
    assert term_by_name(typed).name == expected


@pytest.mark.parametrize("typed", ["probably", "maybe", "", "likelyish", "50-50"])
def test_term_by_name_refuses_anything_else_quoting_it(typed: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        term_by_name(typed)
    message = str(caught.value)
    assert f"'{typed}'" in message
    assert "almost no chance" in message and "almost certain" in message  # lists what works
    assert "\n" not in message
    assert isinstance(caught.value, ForecastError)


@pytest.mark.parametrize(
    ("name", "mirror"),
    [
        ("almost no chance", "almost certain"),
        ("very unlikely", "very likely"),
        ("unlikely", "likely"),
        ("roughly even chance", "roughly even chance"),
        ("likely", "unlikely"),
        ("very likely", "very unlikely"),
        ("almost certain", "almost no chance"),
    ],
)
def test_negate_mirrors_around_even_chance(name: str, mirror: str) -> None:
    term = term_by_name(name)
    flipped = negate(term)
    assert flipped.name == mirror
    assert negate(flipped) == term
    # The mirror's value is 1 - value: "not likely" (32.5%) is 1 - 67.5%.
    assert flipped.value == pytest.approx(1 - term.value, abs=1e-12)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        # canonical names and ICD 203 alternatives
        ("almost no chance", "almost no chance"),
        ("remote", "almost no chance"),
        ("very unlikely", "very unlikely"),
        ("highly improbable", "very unlikely"),
        ("unlikely", "unlikely"),
        ("improbable", "unlikely"),
        ("roughly even chance", "roughly even chance"),
        ("roughly even odds", "roughly even chance"),
        ("likely", "likely"),
        ("probable", "likely"),
        ("very likely", "very likely"),
        ("highly probable", "very likely"),
        ("almost certain", "almost certain"),
        ("nearly certain", "almost certain"),
        # inflections and everyday variants
        ("almost certainly", "almost certain"),
        ("nearly certainly", "almost certain"),
        ("very probably", "very likely"),
        ("highly likely", "very likely"),
        ("probably", "likely"),
        ("highly unlikely", "very unlikely"),
        ("even chance", "roughly even chance"),
        ("an even chance", "roughly even chance"),
        ("50-50", "roughly even chance"),
        ("50/50", "roughly even chance"),
        ("50 - 50", "roughly even chance"),
        ("fifty-fifty", "roughly even chance"),
        ("Fifty Fifty", "roughly even chance"),
        ("a toss-up", "roughly even chance"),
        ("remote chance", "almost no chance"),
        ("a remote possibility", "almost no chance"),
        # case, spacing and a trailing full stop do not matter
        ("  ALMOST   Certainly. ", "almost certain"),
        ("Very\tLikely", "very likely"),
    ],
)
def test_match_term_reads_plain_phrases(typed: str, name: str) -> None:
    assert match_term(typed) == (term_by_name(name), False)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        # SCORING.md: a negated term flips it; "not likely" reads as unlikely
        ("not likely", "unlikely"),
        ("Not  Likely", "unlikely"),
        ("not probable", "unlikely"),
        ("not unlikely", "likely"),
        ("not improbable", "likely"),
        # a trailing "not" is the analyst's own mirror of a term above even chance
        ("probably not", "unlikely"),
        ("likely not", "unlikely"),
        ("very likely not", "very unlikely"),
        ("very probably not", "very unlikely"),
        ("almost certainly not", "almost no chance"),
        ("nearly certainly not", "almost no chance"),
    ],
)
def test_match_term_flips_negations(typed: str, name: str) -> None:
    assert match_term(typed) == (term_by_name(name), True)


@pytest.mark.parametrize(
    ("typed", "negated_term"),
    [
        # only a one-sided bound ("below 80%", "below 95%"): no range to score
        ("not very likely", "very likely"),
        ("not highly probable", "very likely"),
        ("not almost certain", "almost certain"),
        ("not almost certainly", "almost certain"),
        ("not very unlikely", "very unlikely"),
        ("not remote", "almost no chance"),
        ("not a remote chance", "almost no chance"),
        ("not roughly even chance", "roughly even chance"),
        ("not 50-50", "roughly even chance"),
        # double negatives
        ("unlikely not", "unlikely"),
        ("improbable not", "unlikely"),
        ("roughly even chance not", "roughly even chance"),
    ],
)
def test_match_term_refuses_negations_that_name_no_range(typed: str, negated_term: str) -> None:
    assert match_term(typed) is None
    assert refused_negation(typed) == term_by_name(negated_term)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "not",
        "not not likely",
        "likely likely",
        "it is likely",
        "likely that it happens",
        "70%",
        "0.7",
        "maybe",
        "a",
        "certain",
        "even",
    ],
)
def test_match_term_returns_none_for_non_terms(typed: str) -> None:
    assert match_term(typed) is None
    assert refused_negation(typed) is None


def test_plain_and_accepted_negated_phrases_are_not_reported_as_refused() -> None:
    assert refused_negation("likely") is None
    assert refused_negation("not likely") is None
    assert refused_negation("probably not") is None


def test_every_variant_is_normalised_and_matches_itself() -> None:
    canonical = {term.name for term in TERMS}
    for phrase, name in VARIANTS.items():
        assert name in canonical
        assert normalize_phrase(phrase) == phrase
        assert match_term(phrase) == (term_by_name(name), False)


def test_every_name_and_alternative_is_a_variant() -> None:
    for term in TERMS:
        for phrase in (term.name, *term.alternatives):
            assert VARIANTS[phrase] == term.name


def test_variant_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        VARIANTS["kinda likely"] = "likely"  # type: ignore[index]


def test_estimative_term_is_a_plain_value() -> None:
    made = EstimativeTerm("likely", ("probable",), 0.55, 0.80, 0.675)
    assert made == term_by_name("likely")


@given(st.text(max_size=60))
def test_match_term_never_raises(text: str) -> None:
    result = match_term(text)
    assert result is None or (result[0] in TERMS and isinstance(result[1], bool))
    refused = refused_negation(text)
    assert refused is None or result is None
