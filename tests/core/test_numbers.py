"""core.numbers: one way to write a number, so the same value reads the same in every view and report."""

from __future__ import annotations

from forecastapp.core.numbers import DASH, format_count, format_interval, format_percent, format_score, format_signed


def test_a_probability_keeps_its_half_percent_everywhere():
    # The Scorecard tab used to round these to whole percents while the reports kept the decimal.
    assert format_percent(0.675) == "67.5%"
    assert format_percent(0.125) == "12.5%"
    assert format_percent(0.7) == "70%"
    assert format_percent(None) == DASH and format_percent(None, none="") == ""


def test_a_score_has_three_decimals_a_true_minus_and_no_negative_zero():
    assert format_score(0.125) == "0.125"
    assert format_score(-0.4003) == "\u22120.400"
    assert format_score(-0.0001) == "0.000"  # not "−0.000"
    assert format_score(None) == DASH


def test_a_signed_difference_shows_its_sign_unless_it_rounds_to_zero():
    assert format_signed(0.0124) == "+0.012"
    assert format_signed(-0.005, 2) == "\u22120.01"
    assert format_signed(-0.0004) == "0.000"
    assert format_signed(0.5, 2) == "+0.50"


def test_counts_and_intervals():
    assert format_count(1234567) == "1,234,567"
    assert format_interval((0.031, 0.2324)) == "0.031 to 0.232"
    assert format_interval(None) == DASH
