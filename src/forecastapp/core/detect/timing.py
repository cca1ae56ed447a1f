"""Time expressions in a sentence and the dates they propose: spans, deadlines, plain dates and vague horizons.

The calendar arithmetic is `core.dates`': a span or "end of next year" goes through `parse_deadline`,
a year, quarter or month through `calendar_period`, a day through `parse_day`. Only what is
particular to running prose stays here: which words introduce a date, "before" (the day before the
period starts), "mid-2026", a bare month (its next occurrence) and the seasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from forecastapp.core.dates import MONTHS, NUMBER_WORDS, calendar_period, month_end, parse_day, parse_deadline
from forecastapp.core.detect.rules import VAGUE_HORIZONS
from forecastapp.core.detect.text import inside, words
from forecastapp.core.errors import DateError

# The last month of each season ("by this winter" is the end of next February).
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}
# "by the end / middle / start of 2026": the last day of December, June, January.
_EDGE_MONTH = {"end": 12, "middle": 6, "start": 1, "beginning": 1}

_VAGUE = tuple((re.compile(words(p)), months) for p, months in VAGUE_HORIZONS)
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUM = r"[0-9]{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_UNIT = r"(?P<u>days?|weeks?|months?|years?|decades?)"
_QUALIFIER = r"(?:(?:at least|about|around|roughly|some|less than|under|up to|the next|the coming|next)\s+)*"
_SPAN_RANGE = re.compile(
    words(rf"(?P<verb>in|within|over|during|take|takes|taking|between) {_QUALIFIER}(?P<a>{_NUM})\s*(?:-|to|and)\s*"
          rf"(?P<b>{_NUM}) {_UNIT}")
)
_SPAN = re.compile(words(rf"(?P<verb>in|within|over|during|take|takes|taking) {_QUALIFIER}(?P<n>{_NUM}) {_UNIT}"))
_BY_DATE = re.compile(words(
    rf"(?P<prep>by|before|until|till|through|no later than) (?:the )?(?:(?P<edge>end|middle|start|beginning) of )?"
    rf"(?:(?P<day>[0-9]{{1,2}}) (?P<dmonth>{_MONTH_ALT})\.? (?P<dyear>[0-9]{{4}})"
    rf"|(?P<q>q[1-4]) (?P<qyear>[0-9]{{4}})"
    rf"|(?P<mid>mid-?|end-)(?P<myear>[0-9]{{4}})"
    rf"|(?:(?P<month>{_MONTH_ALT})\.? )?(?P<year>[0-9]{{4}})"
    rf"|(?P<bare>{_MONTH_ALT}))"
))
_IN_DATE = re.compile(words(
    rf"(?:in|during|for) (?:(?:early|late|mid-?)\s*)?(?:(?P<q>q[1-4]) |(?P<month>{_MONTH_ALT})\.? )?"
    rf"(?P<year>[0-9]{{4}})"
))
_RELATIVE = re.compile(words(
    r"(?P<by>(?:by|through|until) (?:the end of )?)?(?P<which>this|next|the) "
    r"(?P<period>year|month|quarter|spring|summer|autumn|fall|winter)"
))


@dataclass(frozen=True)
class When:
    """A time expression: the window it names (`start` only for a span such as "in 10 to 15 years")."""

    start: date | None
    end: date
    words: str
    forward: bool


def time_expressions(folded: str, original: str, base: date, excluded: list[tuple[int, int]]) -> list[When]:
    """Every time expression after `base` outside `excluded`, in reading order."""
    found: list[tuple[int, When]] = []

    def add(m: re.Match[str], window_start: date | None, end: date, forward: bool) -> None:
        if not inside(m.start(), excluded) and end > base:
            said = " ".join(original[m.start():m.end()].split())
            found.append((m.start(), When(window_start, end, said, forward)))

    taken: list[tuple[int, int]] = []
    for m in _SPAN_RANGE.finditer(folded):
        try:
            window = parse_deadline(f"in {m['a']} to {m['b']} {m['u']}", made_on=base)
        except DateError:
            continue
        add(m, window.start, window.end, not m["verb"].startswith("tak"))
        taken.append(m.span())
    for m in _SPAN.finditer(folded):
        if inside(m.start(), taken):
            continue
        try:
            window = parse_deadline(f"in {m['n']} {m['u']}", made_on=base)
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
        quarter = int(m["q"][1]) if m["q"] else None
        month = MONTHS[m["month"]] if m["month"] else None
        try:
            end = calendar_period(int(m["year"]), month=month, quarter=quarter).end
        except ValueError:
            continue  # "in 0000" names no year of the calendar
        add(m, None, end, False)
    for pattern, months in _VAGUE:
        for m in pattern.finditer(folded):
            add(m, None, base + relativedelta(months=months), True)
    found.sort(key=lambda item: item[0])
    return [when for _, when in found]


def _by_date(m: re.Match[str], base: date) -> date | None:
    """The last day a "by ..." or "before ..." expression allows, or None when it names no real date."""
    before = m["prep"] == "before"
    try:
        if m["day"]:
            day = parse_day(f"{m['day']} {m['dmonth']} {m['dyear']}", today=base)
            return day - timedelta(days=1) if before else day
        if m["mid"] is not None:
            return month_end(int(m["myear"]), 6 if m["mid"].startswith("mid") else 12)
        if m["q"]:
            period = calendar_period(int(m["qyear"]), quarter=int(m["q"][1]))
        elif m["bare"]:
            month = MONTHS[m["bare"]]
            period = calendar_period(base.year if month > base.month else base.year + 1, month=month)
        elif m["month"]:
            period = calendar_period(int(m["year"]), month=MONTHS[m["month"]])
        elif m["edge"]:
            return month_end(int(m["year"]), _EDGE_MONTH[m["edge"]])
        else:
            period = calendar_period(int(m["year"]))
        # "before 2030" leaves the whole of 2029: the day before the period starts.
        return period.start - timedelta(days=1) if before else period.end
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
        end = month_end(year, month)
        return end if end > base else month_end(year + 1, month)
    try:
        return parse_deadline(f"end of {m['which']} {period}", made_on=base).end
    except DateError:
        return None
