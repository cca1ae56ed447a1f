"""Reading typed days and deadlines, and the ISO form dates are stored in."""

from __future__ import annotations

import calendar
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecastapp.core.dates import DateWindow, from_iso, parse_day, parse_deadline, to_iso
from forecastapp.core.errors import DateError, ForecastError

MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
TODAY = date(2025, 3, 10)  # a Monday; every relative expectation below is counted from it by hand


def day_refusal(text: str, today: date = TODAY) -> str:
    """The one-line message parse_day gives for `text`, which must be refused."""
    with pytest.raises(DateError) as caught:
        parse_day(text, today=today)
    message = str(caught.value)
    assert "\n" not in message
    return message


def deadline_refusal(text: str, made_on: date = TODAY) -> str:
    """The one-line message parse_deadline gives for `text`, which must be refused."""
    with pytest.raises(DateError) as caught:
        parse_deadline(text, made_on=made_on)
    message = str(caught.value)
    assert "\n" not in message
    return message


def add_months_by_hand(start: date, months: int) -> date:
    """Calendar month arithmetic written out: same day of month, clamped to that month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------------------- parse_day


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2025-12-31", date(2025, 12, 31)),
        ("31 Dec 2025", date(2025, 12, 31)),
        ("31 December 2025", date(2025, 12, 31)),
        ("December 31, 2025", date(2025, 12, 31)),
        ("Dec 31 2025", date(2025, 12, 31)),
        ("dec 31, 2025", date(2025, 12, 31)),
        ("Dec. 31, 2025", date(2025, 12, 31)),
        ("31st of December 2025", date(2025, 12, 31)),
        ("2025 Dec 31", date(2025, 12, 31)),
        ("Sept 3 2025", date(2025, 9, 3)),
        ("3 Apr 2025", date(2025, 4, 3)),
        ("Wed 31 Dec 2025", date(2025, 12, 31)),
        ("Wednesday, December 31, 2025", date(2025, 12, 31)),
        ("  2025-01-01  ", date(2025, 1, 1)),
        ("0001-01-01", date(1, 1, 1)),
        ("9999-12-31", date(9999, 12, 31)),
    ],
)
def test_parse_day_accepts_iso_and_month_names(typed: str, expected: date) -> None:
    assert parse_day(typed, today=TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("today", TODAY), ("Today", TODAY), (" TODAY ", TODAY), ("yesterday", date(2025, 3, 9)),
     ("tomorrow", date(2025, 3, 11))],
)  # fmt: skip
def test_parse_day_relative_words_use_the_given_today(typed: str, expected: date) -> None:
    assert parse_day(typed, today=TODAY) == expected


def test_yesterday_crosses_month_and_year_boundaries() -> None:
    assert parse_day("yesterday", today=date(2025, 1, 1)) == date(2024, 12, 31)
    assert parse_day("yesterday", today=date(2024, 3, 1)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("29 Feb 2024", date(2024, 2, 29)), ("2000-02-29", date(2000, 2, 29)), ("Feb 29 2028", date(2028, 2, 29))],
)
def test_leap_days_exist_in_leap_years(typed: str, expected: date) -> None:
    assert parse_day(typed, today=TODAY) == expected


@pytest.mark.parametrize(
    "typed", ["29 Feb 2025", "2025-02-29", "29 Feb 1900", "1900-02-29", "31 Feb 2025", "31 Apr 2025",
              "2025-04-31", "2025-13-01", "2025-00-10", "0 Dec 2025", "0000-01-01"],
)  # fmt: skip
def test_impossible_days_are_refused(typed: str) -> None:
    message = day_refusal(typed)
    assert f"'{typed}'" in message
    assert "not a real date" in message
    assert "2025-12-31" in message  # an example that works


@pytest.mark.parametrize("typed", ["Dec 2025", "December 2025", "2025-12"])
def test_a_month_is_not_a_day(typed: str) -> None:
    message = day_refusal(typed)
    assert f"'{typed}'" in message and "day" in message and "31 Dec 2025" in message


def test_a_year_is_not_a_day() -> None:
    assert "not a day" in day_refusal("2033")


@pytest.mark.parametrize("typed", ["Dec 31", "31 December", "29 Feb"])
def test_a_day_without_a_year_is_refused(typed: str) -> None:
    assert "no year" in day_refusal(typed)


@pytest.mark.parametrize("typed", ["31 Dec 25", "Dec 31 '25"])
def test_two_digit_years_are_refused_not_guessed(typed: str) -> None:
    assert "four digits" in day_refusal(typed)


@pytest.mark.parametrize("typed", ["03/04/2025", "3/4/2025", "12/11/2025", "20251231", "31", "13/13/2025"])
def test_numeric_dates_that_two_readings_fit_are_ambiguous(typed: str) -> None:
    message = day_refusal(typed)
    assert f"'{typed}'" in message
    assert "YYYY-MM-DD" in message and "month name" in message


@pytest.mark.parametrize(
    "typed",
    ["blah", "Q3 2026", "next tuesday", "the 31st of December 2025", "31 Dec 2025 or so", "décembre 2025",
     "31 Dec 2025 10:00", "2025-12-31T10:00", "31 Dec 2025 UTC", "Monday", "in 3 days", "31 Dec 2025 at noon"],
)  # fmt: skip
def test_unreadable_text_is_refused_quoting_it(typed: str) -> None:
    message = day_refusal(typed)
    assert f"'{typed}'" in message
    assert "2025-12-31" in message


def test_a_stray_number_that_dateutil_would_read_as_an_hour_is_refused() -> None:
    assert "give just the day" in day_refusal("31 Dec 2025 10")


def test_a_wrong_weekday_is_caught() -> None:
    message = day_refusal("Mon 31 Dec 2025")
    assert "Wednesday" in message


def test_a_weekday_does_not_fill_in_a_missing_day() -> None:
    # 2 Dec 2025 is a Tuesday; "Tue Dec 2025" must not quietly become that day.
    assert "no full date" in day_refusal("Tue Dec 2025")


def test_empty_and_non_text_input_is_refused() -> None:
    assert "empty" in day_refusal("")
    assert "empty" in day_refusal("   ")
    with pytest.raises(DateError):
        parse_day(None, today=TODAY)  # type: ignore[arg-type]


def test_long_input_is_refused_with_a_short_quote() -> None:
    message = day_refusal("31 Dec 2025 " * 20)
    assert len(message) < 200


def test_yesterday_before_the_calendar_begins_is_a_date_error() -> None:
    day_refusal("yesterday", today=date.min)


# ---------------------------------------------------------------------------- parse_deadline


def deadline(typed: str, made_on: date = TODAY) -> DateWindow:
    return parse_deadline(typed, made_on=made_on)


@pytest.mark.parametrize(
    ("typed", "end"),
    [
        # exact days, as parse_day
        ("2025-12-31", date(2025, 12, 31)),
        ("31 Dec 2025", date(2025, 12, 31)),
        ("December 31, 2025", date(2025, 12, 31)),
        ("today", TODAY),
        ("tomorrow", date(2025, 3, 11)),
        # a month: its last day
        ("Dec 2025", date(2025, 12, 31)),
        ("December 2025", date(2025, 12, 31)),
        ("2025-12", date(2025, 12, 31)),
        ("Apr 2026", date(2026, 4, 30)),
        ("Feb 2024", date(2024, 2, 29)),
        ("Feb 2025", date(2025, 2, 28)),
        ("2100-02", date(2100, 2, 28)),  # 2100 is not a leap year
        ("2000-02", date(2000, 2, 29)),  # 2000 is
        # a year: 31 December
        ("2033", date(2033, 12, 31)),
        ("end of 2025", date(2025, 12, 31)),
        ("End of 2025", date(2025, 12, 31)),
        ("by 2025", date(2025, 12, 31)),
        ("by the end of 2025", date(2025, 12, 31)),
        ("by end of 2025", date(2025, 12, 31)),
        ("the end of 2025", date(2025, 12, 31)),
        ("by Dec 2025", date(2025, 12, 31)),
        ("end of Feb 2028", date(2028, 2, 29)),
        ("by 15 Jun 2026", date(2026, 6, 15)),
        # quarters: last day of the quarter's last month
        ("Q1 2026", date(2026, 3, 31)),
        ("Q2 2026", date(2026, 6, 30)),
        ("Q3 2026", date(2026, 9, 30)),
        ("q4 2026", date(2026, 12, 31)),
        ("2026 Q3", date(2026, 9, 30)),
        ("2026-Q3", date(2026, 9, 30)),
        ("Q3-2026", date(2026, 9, 30)),
        ("end of Q3 2026", date(2026, 9, 30)),
        ("by Q2 2026", date(2026, 6, 30)),
        # this / next period, only after "end of" (TODAY is in March, Q1)
        ("end of this year", date(2025, 12, 31)),
        ("end of next year", date(2026, 12, 31)),
        ("by the end of this month", date(2025, 3, 31)),
        ("end of next month", date(2025, 4, 30)),
        ("end of this quarter", date(2025, 3, 31)),
        ("end of next quarter", date(2025, 6, 30)),
    ],
)
def test_single_deadlines(typed: str, end: date) -> None:
    assert deadline(typed) == DateWindow(start=None, end=end)


@pytest.mark.parametrize(
    ("typed", "end"),
    [
        ("in 18 months", date(2026, 9, 10)),
        ("18 months", date(2026, 9, 10)),
        ("18months", date(2026, 9, 10)),
        ("In 18 Months", date(2026, 9, 10)),
        ("in 18 months' time", date(2026, 9, 10)),
        ("in 2 years", date(2027, 3, 10)),
        ("within 3 weeks", date(2025, 3, 31)),
        ("in 10 days", date(2025, 3, 20)),
        ("in 1 day", date(2025, 3, 11)),
        ("within 1 month", date(2025, 4, 10)),
        ("over the next 3 years", date(2028, 3, 10)),
        ("within the next 6 months", date(2025, 9, 10)),
        ("next 2 weeks", date(2025, 3, 24)),
        ("two years", date(2027, 3, 10)),
        ("in two years", date(2027, 3, 10)),
        ("eighteen months", date(2026, 9, 10)),
        ("in twenty years", date(2045, 3, 10)),
        ("one week", date(2025, 3, 17)),
        ("a year", date(2026, 3, 10)),
        ("within a year", date(2026, 3, 10)),
        ("in a decade", date(2035, 3, 10)),
        ("two decades", date(2045, 3, 10)),
        ("in 1 years", date(2026, 3, 10)),  # number agreement is not policed
    ],
)
def test_spans_count_from_the_made_on_date(typed: str, end: date) -> None:
    assert deadline(typed) == DateWindow(start=None, end=end)


@pytest.mark.parametrize(
    ("made_on", "typed", "end"),
    [
        (date(2024, 1, 31), "in 1 month", date(2024, 2, 29)),  # clamped, leap year
        (date(2023, 1, 31), "in 1 month", date(2023, 2, 28)),  # clamped, common year
        (date(2024, 3, 31), "in 1 month", date(2024, 4, 30)),
        (date(2024, 8, 31), "in 18 months", date(2026, 2, 28)),
        (date(2024, 2, 29), "in 1 year", date(2025, 2, 28)),
        (date(2024, 2, 29), "in 4 years", date(2028, 2, 29)),
        (date(2024, 2, 29), "in 12 months", date(2025, 2, 28)),
        (date(2024, 2, 28), "in 1 day", date(2024, 2, 29)),
        (date(2025, 12, 25), "in 2 weeks", date(2026, 1, 8)),
    ],
)
def test_spans_clamp_to_month_end_and_respect_leap_years(made_on: date, typed: str, end: date) -> None:
    assert deadline(typed, made_on) == DateWindow(start=None, end=end)


@pytest.mark.parametrize(
    "typed",
    ["10 to 15 years", "in 10 to 15 years", "in 10-15 years", "10 - 15 years", "between 10 and 15 years",
     "in between 10 and 15 years", "10\u201315 years", "within 10 to 15 years", "ten to fifteen years"],
)  # fmt: skip
def test_ranges_give_a_resolution_window(typed: str) -> None:
    assert deadline(typed) == DateWindow(start=date(2035, 3, 10), end=date(2040, 3, 10))


def test_range_windows_in_other_units_and_with_clamping() -> None:
    assert deadline("6 to 12 months") == DateWindow(date(2025, 9, 10), date(2026, 3, 10))
    assert deadline("in 1-2 months", date(2024, 1, 31)) == DateWindow(date(2024, 2, 29), date(2024, 3, 31))
    assert deadline("2 to 3 weeks") == DateWindow(date(2025, 3, 24), date(2025, 3, 31))


def test_deadlines_in_the_past_are_parsed_the_ledger_judges_them() -> None:
    # Ordering against made-on is a ledger rule, not a parsing one.
    assert deadline("2020-01-01") == DateWindow(None, date(2020, 1, 1))
    assert deadline("yesterday") == DateWindow(None, date(2025, 3, 9))


@pytest.mark.parametrize("typed", ["15 to 10 years", "10 to 10 years", "between 5 and 2 months", "3-3 days"])
def test_ranges_must_run_from_smaller_to_larger(typed: str) -> None:
    message = deadline_refusal(typed)
    assert f"'{typed}'" in message and "smaller number first" in message


@pytest.mark.parametrize("typed", ["in 0 days", "0 years", "0 to 5 years", "within 0 months"])
def test_zero_spans_are_refused(typed: str) -> None:
    assert "zero span" in deadline_refusal(typed)


@pytest.mark.parametrize("typed", ["-3 months", "in -2 years", "-1 day"])
def test_negative_spans_are_refused(typed: str) -> None:
    assert "counts backwards" in deadline_refusal(typed)


@pytest.mark.parametrize("typed", ["in 1.5 years", "2.5 months"])
def test_fractional_spans_are_refused_with_a_whole_unit_suggestion(typed: str) -> None:
    assert "18 months" in deadline_refusal(typed)


def test_spans_up_to_two_hundred_years_are_accepted() -> None:
    assert deadline("200 years").end == date(2225, 3, 10)
    assert deadline("in 20 decades").end == date(2225, 3, 10)
    assert deadline("in 2400 months").end == date(2225, 3, 10)
    assert deadline("190 to 200 years") == DateWindow(date(2215, 3, 10), date(2225, 3, 10))


@pytest.mark.parametrize(
    "typed",
    ["201 years", "in 21 decades", "in 2401 months", "in 73100 days", "in 99999999999999999999 days",
     "100 to 300 years", "in 10500 weeks"],
)  # fmt: skip
def test_absurd_spans_are_refused(typed: str) -> None:
    assert "longer than 200 years" in deadline_refusal(typed)


def test_spans_past_the_end_of_the_calendar_are_refused() -> None:
    assert "9999" in deadline_refusal("in 3 years", made_on=date(9999, 6, 1))
    assert deadline("in 3 days", made_on=date(9999, 12, 20)).end == date(9999, 12, 23)


@pytest.mark.parametrize(
    "typed",
    ["decades", "in decades", "in a few years", "within several months", "a couple of years", "in years",
     "some months", "soon", "eventually"],
)  # fmt: skip
def test_vague_spans_are_refused(typed: str) -> None:
    message = deadline_refusal(typed)
    assert "vague" in message and "in 18 months" in message


@pytest.mark.parametrize("typed", ["next year", "this year", "by next year", "next month"])
def test_this_or_next_period_alone_is_refused_as_ambiguous(typed: str) -> None:
    message = deadline_refusal(typed)
    # Suggests both readings, with the actual next year spelled out.
    assert "in 1 year" in message and "end of 2026" in message


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("03/04/2025", "YYYY-MM-DD"),
        ("12/2025", "YYYY-MM-DD"),
        ("Q5 2026", "Q1 to Q4"),
        ("Q0 2026", "Q1 to Q4"),
        ("31 Feb 2025", "not a real date"),
        ("2025-13", "not a real date"),
        ("Dec 31", "no year"),
        ("December", "no year"),
        ("blah", "in 18 months"),
        ("in 18 parsecs", "in 18 months"),
        ("18", "YYYY-MM-DD"),
        ("", "empty"),
        ("by", "in 18 months"),
        ("end of", "in 18 months"),
    ],
)
def test_deadline_refusals_quote_the_input_and_show_what_works(typed: str, fragment: str) -> None:
    message = deadline_refusal(typed)
    assert fragment in message
    if typed:
        assert f"'{typed}'" in message


# ---------------------------------------------------------------------------- ISO storage


def test_iso_round_trip_and_none() -> None:
    assert to_iso(date(2025, 3, 1)) == "2025-03-01"
    assert to_iso(date(1, 1, 1)) == "0001-01-01"
    assert from_iso("2024-02-29") == date(2024, 2, 29)
    assert to_iso(None) is None
    assert from_iso(None) is None


def test_to_iso_refuses_datetimes() -> None:
    with pytest.raises(TypeError):
        to_iso(datetime(2025, 3, 1, 12, 0))


@pytest.mark.parametrize(
    "stored",
    ["2025-3-1", "20250301", "2025-03-01T00:00:00", "2025-03-01 ", " 2025-03-01", "2025/03/01", "2025-W09-6",
     "2025-02-29", "2025-13-01", "", "01 Mar 2025", "\uff12\uff10\uff12\uff15-03-01", "\u0662025-03-01"],
)  # fmt: skip
def test_from_iso_is_strict(stored: str) -> None:
    with pytest.raises(DateError) as caught:
        from_iso(stored)
    assert "YYYY-MM-DD" in str(caught.value)


def test_from_iso_refuses_non_text() -> None:
    with pytest.raises(DateError):
        from_iso(20250301)  # type: ignore[arg-type]


@given(st.dates())
def test_any_date_round_trips_through_iso(d: date) -> None:
    text = to_iso(d)
    assert text is not None and len(text) == 10
    assert from_iso(text) == d


# ---------------------------------------------------------------------------- properties


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2500, 12, 31)), st.integers(1, 2400))
def test_month_spans_match_calendar_arithmetic(made_on: date, months: int) -> None:
    assert deadline(f"in {months} months", made_on) == DateWindow(None, add_months_by_hand(made_on, months))


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2500, 12, 31)), st.integers(1, 199), st.integers(1, 50))
def test_year_ranges_are_windows_from_made_on(made_on: date, first: int, extra: int) -> None:
    second = min(first + extra, 200)
    if second == first:
        return
    window = deadline(f"{first} to {second} years", made_on)
    assert window == DateWindow(add_months_by_hand(made_on, 12 * first), add_months_by_hand(made_on, 12 * second))


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_iso_and_month_name_forms_agree(d: date) -> None:
    month_name = MONTH_ABBR[d.month - 1]
    assert parse_day(d.isoformat(), today=TODAY) == d
    assert parse_day(f"{d.day} {month_name} {d.year}", today=TODAY) == d


_DATEISH = st.sampled_from(
    ["Dec", "2025", "31", "in", "years", "to", "end of", "by", "Mon", "a", "Q3", "-", "/", ".", ",", "'",
     "st", "of", "T", "10:00", "between", "and", "decade", "0", "+", "\u2013", "next", "month", "1.5"]
)  # fmt: skip


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=40), st.lists(_DATEISH, max_size=7).map(" ".join)), st.dates())
def test_arbitrary_text_raises_only_forecast_errors(text: str, when: date) -> None:
    for parse in (lambda: parse_day(text, today=when), lambda: parse_deadline(text, made_on=when)):
        try:
            parse()
        except ForecastError:
            pass


@pytest.mark.parametrize(("typed", "day"), [
    ("31/12/2027", date(2027, 12, 31)),  # only day-first reads it (issue 14, item 18)
    ("12/31/2027", date(2027, 12, 31)),  # only month-first reads it
    ("31.12.2027", date(2027, 12, 31)),
    ("12-31-2027", date(2027, 12, 31)),
    ("05/05/2027", date(2027, 5, 5)),    # both readings agree
    ("2027/12/31", date(2027, 12, 31)),  # year first: year, month, day everywhere
    ("2027-1-5", date(2027, 1, 5)),
])
def test_numeric_dates_that_one_reading_alone_fits_are_read(typed: str, day: date) -> None:
    assert parse_day(typed, today=date(2026, 1, 1)) == day


def test_a_numeric_date_that_is_no_real_day_says_so() -> None:
    assert "not a real date" in day_refusal("31/02/2027")
