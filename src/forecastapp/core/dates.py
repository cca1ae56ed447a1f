"""Read the dates analysts type: exact days (made-on, resolved-on) and deadlines, plus ISO storage I/O.

Calendar text goes to python-dateutil without `fuzzy` (it silently drops words). Relative spans
("in 18 months", "10 to 15 years"), quarters and "end of" phrases are matched by our own small
regular expressions and computed with `relativedelta`, which clamps to the end of the month.
Nothing here reads the clock: "today" is whatever the caller passes in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta

from forecastapp.core.errors import DateError, quote_input

MAX_SPAN_YEARS = 200  # a longer deadline is a typo, not a forecast anyone will see resolved
_MAX_INPUT = 80

# Every message ends with forms that work.
_DAY_EXAMPLES = "2025-12-31 or 31 Dec 2025"
_DEADLINE_EXAMPLES = "2025-12-31, Dec 2025, 2033, Q3 2026, in 18 months or in 10 to 15 years"


@dataclass(frozen=True)
class DateWindow:
    """When a question resolves: by `end`, and not before `start` when the forecast names a window.

    `calendar_period` uses it for a year, month or quarter, from its first day to its last.
    """

    start: date | None
    end: date


def _fold(text: str) -> str:
    """Lower case, single spaces, one kind of dash: the form our regular expressions match."""
    folded = " ".join(text.casefold().split())
    return re.sub(r"[\u2010-\u2015\u2212]", "-", folded)


def _checked_text(text: object, what: str, examples: str) -> str:
    if not isinstance(text, str):
        raise DateError(f"{quote_input(repr(text))} is not text; type {what}, e.g. {examples}")
    stripped = text.strip()
    if not stripped:
        raise DateError(f"the {what} is empty; type one, e.g. {examples}")
    if len(stripped) > _MAX_INPUT:
        raise DateError(f"{quote_input(stripped)} is too long for {what}; type one, e.g. {examples}")
    return stripped


# --- calendar text ---------------------------------------------------------------------------

_INFO = dateutil_parser.parserinfo()
# Every month name and abbreviation dateutil reads ("sep", "sept", "september"), folded, with its number.
MONTHS: dict[str, int] = {word.casefold(): number for number, names in enumerate(_INFO.MONTHS, 1) for word in names}
_MONTH_WORDS = frozenset(MONTHS)
_WEEKDAY_WORDS = frozenset(word.casefold() for names in _INFO.WEEKDAYS for word in names)
# Words dateutil skips that are harmless in a date: ordinal suffixes and "of" ("31st of December").
_FILLER_WORDS = frozenset({"st", "nd", "rd", "th", "of"})
_WEEKDAY_TOKEN = re.compile(
    r"\b(?:" + "|".join(sorted(_WEEKDAY_WORDS, key=len, reverse=True)) + r")\b\.?", re.IGNORECASE
)
_ALLOWED_CHARS = re.compile(r"[A-Za-z0-9 ,./'\-]+")
_ISO = re.compile(r"(?P<y>[0-9]{4})(?:-(?P<m>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?")
# Two defaults that differ in every field (both years are leap years, so "29 Feb" can be parsed and
# refused for its missing year rather than for an impossible day).
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2004, 2, 2, 1, 1, 1)


@dataclass(frozen=True)
class _Fields:
    """Which parts of a calendar date the user typed (None = not typed)."""

    year: int | None
    month: int | None
    day: int | None


def _not_real(shown: str) -> DateError:
    return DateError(f"{shown} is not a real date; check the day and month, e.g. {_DAY_EXAMPLES}")


def _real_date(year: int, month: int, day: int, shown: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _not_real(shown) from None


def _iso_fields(found: re.Match[str], shown: str) -> _Fields:
    year = int(found["y"])
    month = int(found["m"]) if found["m"] else None
    day = int(found["d"]) if found["d"] else None
    # Validate now so "2025-13" and "0000" fail as impossible, whatever the caller does next.
    _real_date(year, month or 1, day or 1, shown)
    return _Fields(year, month, day)


_DAY_MONTH_YEAR = re.compile(r"\s*([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4})\s*")
_YEAR_MONTH_DAY = re.compile(r"\s*([0-9]{4})([/.\-])([0-9]{1,2})\2([0-9]{1,2})\s*")


def _numeric_fields(text: str, shown: str) -> _Fields | None:
    """A day written in numbers only that one reading alone makes a date of, else None.

    Year first ("2027/12/31") is year, month, day everywhere. Year last is day-month in most of the world
    and month-day in the US: "31/12/2027" and "12/31/2027" can each be read one way only, and
    "05/05/2027" reads the same both ways; "03/04/2027" could be either, and is left to the caller to
    refuse as ambiguous. Two-digit years are never read.
    """
    found = _YEAR_MONTH_DAY.fullmatch(text)
    if found is not None:
        year, month, day = int(found[1]), int(found[3]), int(found[4])
        _real_date(year, month, day, shown)
        return _Fields(year, month, day)
    found = _DAY_MONTH_YEAR.fullmatch(text)
    if found is None:
        return None
    first, second, year = int(found[1]), int(found[3]), int(found[4])
    readings = {(m, d) for m, d in ((second, first), (first, second)) if 1 <= m <= 12 and 1 <= d <= 31}
    if len(readings) != 1:
        return None  # ambiguous (or no month at all): the caller says so
    ((month, day),) = readings
    _real_date(year, month, day, shown)
    return _Fields(year, month, day)


def _calendar_fields(text: str, shown: str, examples: str) -> _Fields:
    """The year, month and day typed in `text`; refuses ambiguous, unreadable or timed input."""
    unreadable = f"cannot read {shown} as a date; write it like {examples}"
    if not _ALLOWED_CHARS.fullmatch(text):
        raise DateError(unreadable)
    words = re.findall(r"[a-z]+", text.casefold())
    if any(w not in _MONTH_WORDS | _WEEKDAY_WORDS | _FILLER_WORDS for w in words):
        raise DateError(unreadable)

    if not any(w in _MONTH_WORDS for w in words):
        iso = _ISO.fullmatch(text)
        if iso is not None:
            return _iso_fields(iso, shown)
        numeric = _numeric_fields(text, shown)
        if numeric is not None:
            return numeric
        if re.search(r"[0-9]", text):
            # "03/04/2025" is 3 April in Europe and March 4 in the US; never guess.
            raise DateError(
                f"{shown} is ambiguous (day and month order differ by country); use YYYY-MM-DD or a "
                f"month name, e.g. {examples}"
            )
        raise DateError(unreadable)

    # dateutil uses a weekday to move a partial date ("Tue Dec 2025" becomes 2 Dec), which would
    # hide a missing day; so weekdays are removed here and only checked against a complete date.
    typed_weekdays = {_INFO.weekday(w) for w in words if w in _WEEKDAY_WORDS}
    without_weekdays = _WEEKDAY_TOKEN.sub(" ", text)
    try:
        first = dateutil_parser.parse(without_weekdays, default=_DEFAULT_A)
        second = dateutil_parser.parse(without_weekdays, default=_DEFAULT_B)
    except (dateutil_parser.ParserError, ValueError, OverflowError) as error:
        if "out of range" in str(error) or "must be in" in str(error):
            raise _not_real(shown) from None
        raise DateError(unreadable) from None

    if first.hour == second.hour or first.minute == second.minute or first.second == second.second:
        # A time field that did not follow the default was typed ("31 Dec 2025 10" reads 10 as an hour).
        raise DateError(f"{shown} has a time or an extra number; give just the day, e.g. {_DAY_EXAMPLES}")

    fields = _Fields(
        first.year if first.year == second.year else None,
        first.month if first.month == second.month else None,
        first.day if first.day == second.day else None,
    )
    if fields.year is not None and not re.search(rf"(?<![0-9]){fields.year:04d}(?![0-9])", text):
        # dateutil widens "25" to 2025 using the current year; we want no clock and no guess.
        raise DateError(f"{shown} has no full year; write the year with four digits, e.g. {_DAY_EXAMPLES}")
    if typed_weekdays:
        if fields.year is None or fields.month is None or fields.day is None:
            raise DateError(f"{shown} names a weekday but no full date; e.g. {_DAY_EXAMPLES}")
        actual = date(fields.year, fields.month, fields.day)
        if typed_weekdays != {actual.weekday()}:
            # English names from dateutil's table, not strftime, which follows the process locale.
            weekday = _INFO.WEEKDAYS[actual.weekday()][-1]
            month = _INFO.MONTHS[actual.month - 1][0]
            raise DateError(
                f"{shown} names the wrong weekday: {actual.day} {month} {actual.year} is a {weekday}; "
                f"drop the weekday or fix the date"
            )
    return fields


# --- exact days ------------------------------------------------------------------------------

_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def _relative_day(word: str, today: date, shown: str) -> date:
    try:
        return today + timedelta(days=_RELATIVE_DAYS[word])
    except OverflowError:
        raise DateError(f"{shown} falls outside the calendar (years 1 to 9999)") from None


def parse_day(text: str, *, today: date) -> date:
    """Read one exact day: "2025-12-31", "31 Dec 2025", "December 31, 2025", "today", "yesterday"."""
    stripped = _checked_text(text, "a date", _DAY_EXAMPLES)
    shown = quote_input(stripped)
    folded = _fold(stripped)
    if folded in _RELATIVE_DAYS:
        return _relative_day(folded, today, shown)
    fields = _calendar_fields(stripped, shown, _DAY_EXAMPLES)
    if fields.year is None:
        raise DateError(f"{shown} has no year; add it, e.g. {_DAY_EXAMPLES}")
    if fields.month is None:
        raise DateError(f"{shown} is a year, not a day; give the day too, e.g. {_DAY_EXAMPLES}")
    if fields.day is None:
        raise DateError(f"{shown} is a month, not a day; give the day too, e.g. 31 Dec 2025")
    return _real_date(fields.year, fields.month, fields.day, shown)


# --- deadlines -------------------------------------------------------------------------------

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
_UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years", "decade": "decades"}

# A count: digits (a sign or a fraction is caught later with a clear message) or a number word.
_NUM = r"[-+]?[0-9]+(?:\.[0-9]+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
# The unit may follow digits directly ("18months") but must be spaced from a word ("a year").
_UNIT = r"(?:\s+|(?<=[0-9]))(?P<unit>day|week|month|year|decade)s?"
_LEAD = r"(?:(?:in|within|over)\s+)?(?:(?:the\s+)?next\s+)?"
_TAIL = r"(?:'?s?\s+time)?"  # "in 18 months' time"
_SPAN = re.compile(rf"{_LEAD}(?P<n>{_NUM}){_UNIT}{_TAIL}")
_RANGE = re.compile(
    rf"{_LEAD}(?:between\s+(?P<a1>{_NUM})\s+and\s+(?P<b1>{_NUM})"
    rf"|(?P<a2>{_NUM})\s*(?:-|to)\s*(?P<b2>{_NUM})){_UNIT}{_TAIL}"
)
_VAGUE = re.compile(
    r".*\b(?:few|several|couple|some|many|soon|eventually|decades|sometime)\b.*"
    rf"|{_LEAD}(?:days|weeks|months|years)"
)
_END_OF = re.compile(
    r"(?:by\s+)?(?P<end_of>(?:before\s+)?(?:the\s+)?end\s+of\s+)?(?P<rest>\S.*)", re.IGNORECASE
)
_QUARTER = re.compile(r"q(?P<q1>[0-9])\s*-?\s*(?P<y1>[0-9]{4})|(?P<y2>[0-9]{4})\s*-?\s*q(?P<q2>[0-9])")
_THIS_NEXT = re.compile(r"(?P<which>this|next)\s+(?P<period>year|month|quarter)")


def _span_number(token: str, shown: str) -> int:
    """One span count as an int; refuses fractions, signs and zero with a concrete suggestion."""
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    if "." in token:
        raise DateError(f"{shown} has a fractional span; use whole units, e.g. 18 months, not 1.5 years")
    value = int(token)
    if value < 0:
        raise DateError(f"{shown} counts backwards; a deadline span counts forward, e.g. in 18 months")
    if value == 0:
        raise DateError(f"{shown} is a zero span; give at least one unit, e.g. in 10 days")
    return value


def _add_span(made_on: date, count: int, unit: str, shown: str) -> date:
    """`made_on` plus `count` units, refusing spans longer than MAX_SPAN_YEARS."""
    # Rough bound first, so an absurd count never reaches date arithmetic (and never overflows).
    per_year = {"day": 366, "week": 53, "month": 12, "year": 1, "decade": 0.1}[unit]
    too_long = f"{shown} is longer than {MAX_SPAN_YEARS} years; give a nearer deadline, e.g. in 10 years"
    if count > (MAX_SPAN_YEARS + 1) * per_year:
        raise DateError(too_long)
    if unit == "decade":
        unit, count = "year", count * 10
    try:
        end = made_on + relativedelta(**{_UNITS[unit]: count})
    except (ValueError, OverflowError):
        raise DateError(f"{shown} ends after the year 9999; give a nearer deadline") from None
    try:
        limit = made_on + relativedelta(years=MAX_SPAN_YEARS)
    except (ValueError, OverflowError):
        limit = date.max
    if end > limit:
        raise DateError(too_long)
    return end


def _parse_span(folded: str, shown: str, made_on: date) -> DateWindow | None:
    found = _RANGE.fullmatch(folded)
    if found is not None:
        first = _span_number(found["a1"] or found["a2"], shown)
        second = _span_number(found["b1"] or found["b2"], shown)
        if first >= second:
            raise DateError(f"{shown} is not a range; put the smaller number first, e.g. in 10 to 15 years")
        unit = found["unit"]
        return DateWindow(_add_span(made_on, first, unit, shown), _add_span(made_on, second, unit, shown))
    found = _SPAN.fullmatch(folded)
    if found is not None:
        return DateWindow(None, _add_span(made_on, _span_number(found["n"], shown), found["unit"], shown))
    return None


def month_end(year: int, month: int) -> date:
    """The last day of a month (a ValueError for a year or month the calendar does not have)."""
    return date(year, month, 1) + relativedelta(day=31)


def calendar_period(year: int, *, month: int | None = None, quarter: int | None = None) -> DateWindow:
    """A calendar year, or one of its months or quarters, from its first day to its last."""
    if quarter is not None:
        # Quarter q runs from month 3q - 2 to month 3q.
        return DateWindow(date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter))
    if month is not None:
        return DateWindow(date(year, month, 1), month_end(year, month))
    return DateWindow(date(year, 1, 1), date(year, 12, 31))


def _end_of_quarter(year: int, quarter: int, shown: str) -> date:
    if not 1 <= quarter <= 4:
        raise DateError(f"{shown} names no quarter; quarters are Q1 to Q4, e.g. Q3 2026")
    return calendar_period(year, quarter=quarter).end


def _this_or_next(which: str, period: str, made_on: date, shown: str) -> date:
    step = 1 if which == "next" else 0
    try:
        if period == "year":
            return calendar_period(made_on.year + step).end
        if period == "month":
            return made_on + relativedelta(months=step, day=31)
        quarter = (made_on.month - 1) // 3 + 1 + step
        return _end_of_quarter(made_on.year + (quarter - 1) // 4, (quarter - 1) % 4 + 1, shown)
    except (ValueError, OverflowError):
        raise DateError(f"{shown} ends after the year 9999; give a nearer deadline") from None


def parse_deadline(text: str, *, made_on: date) -> DateWindow:
    """Read a resolve-by deadline: a day, a month, a year, a quarter, or a span counted from `made_on`."""
    stripped = _checked_text(text, "a deadline", _DEADLINE_EXAMPLES)
    shown = quote_input(stripped)
    folded = _fold(stripped)

    window = _parse_span(folded, shown, made_on)
    if window is not None:
        return window
    if _VAGUE.fullmatch(folded):
        raise DateError(f"{shown} is too vague to score; give a number or a date, e.g. {_DEADLINE_EXAMPLES}")

    # "by", "end of", "by the end of" all mean the end of whatever period follows.
    prefixed = _END_OF.fullmatch(stripped)
    rest_typed = prefixed["rest"] if prefixed else stripped
    rest = _fold(rest_typed)
    if rest in _RELATIVE_DAYS:
        return DateWindow(None, _relative_day(rest, made_on, shown))

    relative = _THIS_NEXT.fullmatch(rest)
    if relative is not None:
        if prefixed is None or prefixed["end_of"] is None:
            next_year = made_on.year + 1
            raise DateError(
                f"{shown} could mean a span or a calendar period; write e.g. in 1 year or end of {next_year}"
            )
        return DateWindow(None, _this_or_next(relative["which"], relative["period"], made_on, shown))

    quarter = _QUARTER.fullmatch(rest)
    if quarter is not None:
        year = int(quarter["y1"] or quarter["y2"])
        if year == 0:
            raise DateError(f"{shown} is not a real date; write a real year, e.g. Q3 2026")
        return DateWindow(None, _end_of_quarter(year, int(quarter["q1"] or quarter["q2"]), shown))

    fields = _calendar_fields(rest_typed, shown, _DEADLINE_EXAMPLES)
    if fields.year is None:
        raise DateError(f"{shown} has no year; add it, e.g. {_DEADLINE_EXAMPLES}")
    if fields.month is None:
        if fields.day is not None:
            raise DateError(f"{shown} has no month; add it, e.g. {_DEADLINE_EXAMPLES}")
        return DateWindow(None, calendar_period(fields.year).end)
    if fields.day is None:
        return DateWindow(None, month_end(fields.year, fields.month))
    return DateWindow(None, _real_date(fields.year, fields.month, fields.day, shown))


# --- storage ---------------------------------------------------------------------------------

_STRICT_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def to_iso(d: date | None) -> str | None:
    """The stored form of a date: "YYYY-MM-DD", or None for no date."""
    if d is None:
        return None
    if isinstance(d, datetime):
        # A datetime would store a time of day and break text ordering in SQLite; catch the bug early.
        raise TypeError(f"to_iso() takes a date, not a datetime: {d!r}")
    return d.isoformat()


def from_iso(s: str | None) -> date | None:
    """Read a stored "YYYY-MM-DD" back into a date (None stays None); anything else is a DateError."""
    if s is None:
        return None
    if not isinstance(s, str) or not _STRICT_ISO.fullmatch(s):
        shown = quote_input(s if isinstance(s, str) else repr(s))
        raise DateError(f"{shown} is not a stored date; expected YYYY-MM-DD, e.g. 2025-12-31")
    try:
        return date.fromisoformat(s)
    except ValueError:
        raise DateError(f"{quote_input(s)} is not a real date; expected YYYY-MM-DD, e.g. 2025-12-31") from None
