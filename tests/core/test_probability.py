"""Reading the probabilities analysts type, and printing them back."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecastapp.core.errors import ForecastError, ProbabilityError
from forecastapp.core.probability import (
    MAX_P,
    MIN_P,
    Probability,
    format_probability,
    parse_probability,
)


def refusal(value: object) -> str:
    """The one-line message parse_probability gives for `value` (which must be refused)."""
    with pytest.raises(ProbabilityError) as caught:
        parse_probability(value)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_limits_are_a_tenth_of_a_percent_from_certainty() -> None:
    assert MIN_P == 0.001
    assert MAX_P == 0.999


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0.7", 0.7),
        ("70%", 0.7),
        ("70 %", 0.7),
        ("70 percent", 0.7),
        ("70 Percent", 0.7),
        ("70 per cent", 0.7),
        ("70", 0.7),
        (".7", 0.7),
        ("  0.7  ", 0.7),
        ("0.5%", 0.005),
        ("67.5%", 0.675),
        ("67.5", 0.675),
        ("33%", 0.33),
        ("12.5%", 0.125),
        ("1%", 0.01),
        ("1 percent", 0.01),
        ("1.5", 0.015),  # a bare number above 1 is a percent
        ("2", 0.02),
        ("99", 0.99),
        ("0.05", 0.05),
        ("0.999", 0.999),
        ("0.001", 0.001),
        ("0.1%", 0.001),
        ("99.9%", 0.999),
        ("99.9", 0.999),
    ],
)
def test_numbers_are_read_exactly(typed: str, expected: float) -> None:
    parsed = parse_probability(typed)
    # Exact equality: "70%" must be the float 0.7, not 0.7000000000000001.
    assert parsed.value == expected
    assert parsed.term is None


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [(0.7, 0.7), (70, 0.7), (70.0, 0.7), (67.5, 0.675), (0.001, 0.001), (99.9, 0.999), (5, 0.05)],
)
def test_numbers_passed_directly_follow_the_text_rule(given_value: float, expected: float) -> None:
    assert parse_probability(given_value) == Probability(expected, None)


@pytest.mark.parametrize(
    ("typed", "value", "term"),
    [
        ("almost no chance", 0.03, "almost no chance"),
        ("remote", 0.03, "almost no chance"),
        ("very unlikely", 0.125, "very unlikely"),
        ("unlikely", 0.325, "unlikely"),
        ("roughly even chance", 0.5, "roughly even chance"),
        ("50-50", 0.5, "roughly even chance"),
        ("likely", 0.675, "likely"),
        ("Probably", 0.675, "likely"),
        ("very likely", 0.875, "very likely"),
        ("highly probable", 0.875, "very likely"),
        ("almost certain", 0.97, "almost certain"),
        ("almost certainly", 0.97, "almost certain"),
        # negations store the term after the flip
        ("not likely", 0.325, "unlikely"),
        ("not unlikely", 0.675, "likely"),
        ("probably not", 0.325, "unlikely"),
        ("almost certainly not", 0.03, "almost no chance"),
    ],
)
def test_estimative_terms_give_the_midpoint_and_keep_the_term(typed: str, value: float, term: str) -> None:
    assert parse_probability(typed) == Probability(value, term)


@pytest.mark.parametrize("typed", ["not very likely", "not almost certain", "unlikely not"])
def test_negations_without_a_range_are_refused_with_advice(typed: str) -> None:
    message = refusal(typed)
    assert f"'{typed}'" in message
    assert "%" in message  # names the range it negates and suggests a number


@pytest.mark.parametrize("typed", ["0", "0%", "0.0", "-0", "0 percent", 0, 0.0])
def test_zero_is_refused_as_unscorable_certainty(typed: str | float) -> None:
    message = refusal(typed)
    assert "log" in message and "0.1%" in message


@pytest.mark.parametrize("typed", ["100%", "100", "100.0", "100 percent", 100, 100.0])
def test_one_hundred_percent_is_refused_as_unscorable_certainty(typed: str | float) -> None:
    message = refusal(typed)
    assert "log" in message and "99.9%" in message


@pytest.mark.parametrize("typed", ["1", "1.0", " 1 ", "1.", 1, 1.0])
def test_a_bare_one_is_ambiguous(typed: str | float) -> None:
    message = refusal(typed)
    assert "ambiguous" in message and "1%" in message


@pytest.mark.parametrize(
    "typed", ["0.0999%", "0.09%", "0.0009", "0.00099", "0.05%", 0.0009, 0.0999 / 100, 1e-05]
)
def test_below_a_tenth_of_a_percent_is_refused_with_the_range(typed: str | float) -> None:
    message = refusal(typed)
    assert "0.1%" in message and "99.9%" in message


@pytest.mark.parametrize("typed", ["99.91%", "99.95", "0.9991", "99.99%", 0.9995, 99.91])
def test_above_ninety_nine_point_nine_is_refused_with_the_range(typed: str | float) -> None:
    message = refusal(typed)
    assert "0.1%" in message and "99.9%" in message


@pytest.mark.parametrize("typed", ["-5%", "-0.3", "-70", "\u221270%", -0.5, -70])
def test_negative_numbers_are_refused(typed: str | float) -> None:
    assert "negative" in refusal(typed)


@pytest.mark.parametrize("typed", ["150%", "101", "250 percent", "99999999999999999999", 150, 1e300])
def test_over_one_hundred_percent_is_refused(typed: str | float) -> None:
    assert "over 100%" in refusal(typed)


@pytest.mark.parametrize("typed", ["70-80%", "60 to 70%", "0.6 0.7", "55-80", "70% or 80%"])
def test_several_numbers_are_refused(typed: str) -> None:
    assert "several numbers" in refusal(typed)


@pytest.mark.parametrize(
    "typed",
    ["abc", "seventy percent", "70%%", "%70", "p=0.7", "0.7.1", "nan", "inf", "maybe", "not", "likely-ish"],
)
def test_garbage_is_refused_quoting_it(typed: str) -> None:
    message = refusal(typed)
    assert f"'{typed}'" in message
    assert "70%" in message  # says what works


def test_empty_input_is_refused() -> None:
    for typed in ["", "   ", "\t\n"]:
        assert "empty" in refusal(typed)


def test_decimal_comma_and_exponents_get_specific_advice() -> None:
    assert "decimal comma" in refusal("0,7")
    assert "exponent" in refusal("1e5")
    assert "exponent" in refusal("7E-1")


def test_non_finite_floats_are_refused() -> None:
    assert "not a number" in refusal(float("nan"))
    assert "infinite" in refusal(float("inf"))
    assert "infinite" in refusal(float("-inf"))


def test_booleans_and_other_types_are_refused() -> None:
    refusal(True)
    refusal(False)
    refusal(None)
    refusal([0.7])


def test_long_input_is_quoted_shortened() -> None:
    typed = "x" * 500
    message = refusal(typed)
    assert len(message) < 200
    assert "'xxxx" in message


def test_probability_refuses_values_outside_the_range_when_built_directly() -> None:
    with pytest.raises(ProbabilityError):
        Probability(0.0)
    with pytest.raises(ProbabilityError):
        Probability(1.0)
    with pytest.raises(ProbabilityError):
        Probability(float("nan"))
    with pytest.raises(ProbabilityError):
        Probability(0.7, "kinda likely")
    assert Probability(0.001).value == 0.001
    assert Probability(0.999, "almost certain").term == "almost certain"


@pytest.mark.parametrize(
    ("p", "shown"),
    [
        (0.675, "67.5%"),
        (0.03, "3%"),
        (0.001, "0.1%"),
        (0.999, "99.9%"),
        (0.7, "70%"),
        (0.125, "12.5%"),
        (0.5, "50%"),
        (0.875, "87.5%"),
        (0.97, "97%"),
        (0.1234, "12.3%"),
        (0.1235, "12.4%"),  # half rounds up, from the decimal the user sees, not the binary float
        (0.00149, "0.1%"),
        (0.9994, "99.9%"),
        (0.0, "0%"),
        (1.0, "100%"),
    ],
)
def test_format_probability(p: float, shown: str) -> None:
    assert format_probability(p) == shown


def test_format_probability_refuses_non_finite_values() -> None:
    with pytest.raises(ValueError):
        format_probability(float("nan"))


def test_round_trip_of_a_typed_percent() -> None:
    assert format_probability(parse_probability("67.5%").value) == "67.5%"


@given(st.integers(min_value=1, max_value=999))
def test_every_tenth_of_a_percent_round_trips_through_text(k: int) -> None:
    # k tenths of a percent, written by hand: 675 -> "67.5%", 30 -> "3%".
    expected_text = f"{k // 10}%" if k % 10 == 0 else f"{k // 10}.{k % 10}%"
    assert format_probability(k / 1000) == expected_text
    assert parse_probability(expected_text).value == k / 1000


@given(st.floats(min_value=0.001, max_value=0.999))
def test_any_fraction_in_range_round_trips_as_text(x: float) -> None:
    assert abs(parse_probability(repr(x)).value - x) <= 1e-9
    assert abs(parse_probability(f"{x:.12f}").value - x) <= 1e-9


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_arbitrary_text_raises_only_forecast_errors(text: str) -> None:
    try:
        parsed = parse_probability(text)
    except ForecastError:
        return
    assert MIN_P <= parsed.value <= MAX_P


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers()))
def test_arbitrary_numbers_raise_only_forecast_errors(number: float) -> None:
    try:
        parsed = parse_probability(number)
    except ForecastError:
        return
    assert MIN_P <= parsed.value <= MAX_P
    assert not math.isnan(parsed.value)


def test_a_huge_integer_is_refused_without_crashing() -> None:
    assert "over 100%" in refusal(10**5000)
