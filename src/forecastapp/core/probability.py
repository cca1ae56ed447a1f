"""Read the probability an analyst types ("0.7", "70%", "70", "likely") and print one back.

Numbers are read with `decimal.Decimal`, so "70%" becomes exactly the float nearest 0.7 with no
arithmetic noise, and range limits are checked on the decimal the analyst typed, not on a float.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from forecastapp.core.errors import ProbabilityError, quote_input
from forecastapp.core.estimative import TERMS, match_term, refused_negation

MIN_P = 0.001  # 0.1%, the smallest probability Metaculus accepts
MAX_P = 0.999

_MIN = Decimal("0.001")
_MAX = Decimal("0.999")
_HUNDRED = Decimal(100)
_MAX_INPUT = 60  # a probability is a few characters; anything longer is pasted text
_TERM_NAMES = frozenset(term.name for term in TERMS)
_EXAMPLES = "e.g. 70%, 0.7 or likely"

# One decimal number (a sign is captured so a minus gets its own message), then an optional percent.
_NUMBER = re.compile(
    r"(?P<sign>[-+\u2212]?)\s*(?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*"
    r"(?P<pct>%|percent|per\s+cent|pct)?",
    re.IGNORECASE,
)
_ANY_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_DECIMAL_COMMA = re.compile(r"[0-9]*,[0-9]+\s*%?")
_EXPONENT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)e[-+]?[0-9]+\s*%?", re.IGNORECASE)


@dataclass(frozen=True)
class Probability:
    """A parsed probability: P(yes) in [MIN_P, MAX_P], and the ICD 203 term if one was typed."""

    value: float
    term: str | None = None

    def __post_init__(self) -> None:
        # Guard the invariant for code that builds a Probability directly instead of parsing.
        if not (isinstance(self.value, float) and MIN_P <= self.value <= MAX_P):
            raise ProbabilityError(
                f"probability {self.value!r} is outside {format_probability(MIN_P)} to "
                f"{format_probability(MAX_P)}; use a value in that range"
            )
        if self.term is not None and self.term not in _TERM_NAMES:
            raise ProbabilityError(f"'{self.term}' is not a canonical ICD 203 term name")


def _from_decimal(number: Decimal, *, percent: bool, shown: str) -> Probability:
    """Apply the range rules to a number read from `shown` and turn it into a Probability."""
    if number < 0:
        raise ProbabilityError(f"{shown} is negative; a probability is between 0.1% and 99.9%")
    if not percent:
        if number == 1:
            # "1" could be a fraction (100%) or a percent (1%); guessing either could be badly wrong.
            raise ProbabilityError(
                f"{shown} is ambiguous between 1% and 100%; write 1% (or 99.9%, the highest allowed)"
            )
        # The documented rule: a bare number above 1 is a percent ("70" means 70%).
        percent = number > 1
    fraction = number / _HUNDRED if percent else number
    if fraction > 1:
        raise ProbabilityError(f"{shown} is over 100%; {_range_advice()}")
    if fraction in (0, 1):
        nearest = "0.1%" if fraction == 0 else "99.9%"
        raise ProbabilityError(
            f"{shown} is certainty, which cannot be scored (a wrong 0% or 100% costs an infinite "
            f"log score); use {nearest} instead"
        )
    if fraction < _MIN:
        raise ProbabilityError(f"{shown} is below 0.1%; {_range_advice()}")
    if fraction > _MAX:
        raise ProbabilityError(f"{shown} is above 99.9%; {_range_advice()}")
    return Probability(float(fraction))


def _range_advice() -> str:
    return "use a probability from 0.1% to 99.9% (0.001 to 0.999)"


def _parse_number(value: float | int) -> Probability:
    """A float or int passed directly: the same rules as its shortest text form."""
    if isinstance(value, int) and abs(value) > 10**100:
        # Such an int is out of range anyway, and repr() of a huge int can itself fail.
        raise ProbabilityError(f"that number is far over 100%; {_range_advice()}")
    shown = quote_input(repr(value))
    if isinstance(value, float) and math.isnan(value):
        raise ProbabilityError(f"{shown} is not a number; enter a probability, {_EXAMPLES}")
    if isinstance(value, float) and math.isinf(value):
        raise ProbabilityError(f"{shown} is infinite; {_range_advice()}")
    # repr() is the shortest text that reads back as the same float, so 0.7 is treated as "0.7".
    return _from_decimal(Decimal(repr(value)), percent=False, shown=shown)


def _parse_text(text: str) -> Probability:
    shown = quote_input(text)
    stripped = text.strip()
    if not stripped:
        raise ProbabilityError(f"the probability is empty; enter one, {_EXAMPLES}")
    if len(stripped) > _MAX_INPUT:
        raise ProbabilityError(f"{shown} is too long for a probability; enter one, {_EXAMPLES}")

    matched = match_term(stripped)
    if matched is not None:
        term = matched[0]
        return Probability(term.value, term.name)
    refused = refused_negation(stripped)
    if refused is not None:
        raise ProbabilityError(
            f"{shown} negates '{refused.name}' ({refused.range_label}) without naming a range to "
            f"score; pick a term (e.g. unlikely) or a number (e.g. 30%)"
        )

    found = _NUMBER.fullmatch(stripped)
    if found is None:
        if _DECIMAL_COMMA.fullmatch(stripped):
            raise ProbabilityError(f"{shown} uses a decimal comma; write a point, e.g. 0.7 or 67.5%")
        if _EXPONENT.fullmatch(stripped):
            raise ProbabilityError(f"{shown} uses an exponent; write a plain number, {_EXAMPLES}")
        if len(_ANY_NUMBER.findall(stripped)) > 1:
            raise ProbabilityError(f"{shown} gives several numbers; enter one probability, {_EXAMPLES}")
        raise ProbabilityError(f"{shown} is not a probability; enter a number or an ICD 203 term, {_EXAMPLES}")
    try:
        number = Decimal(found["num"])
    except InvalidOperation:  # pragma: no cover - the regex only lets plain decimals through
        raise ProbabilityError(f"{shown} is not a probability; enter one, {_EXAMPLES}") from None
    if found["sign"] in ("-", "\u2212") and number != 0:
        raise ProbabilityError(f"{shown} is negative; {_range_advice()}")
    return _from_decimal(number, percent=found["pct"] is not None, shown=shown)


def parse_probability(text: str | float | int) -> Probability:
    """Read "0.7", "70%", "70", "70 percent", ".7" or an estimative term into a Probability."""
    if isinstance(text, bool):
        # bool is an int subclass; True would otherwise be read as the ambiguous "1".
        raise ProbabilityError(f"{text!r} is not a probability; enter one, {_EXAMPLES}")
    if isinstance(text, (int, float)):
        return _parse_number(text)
    if isinstance(text, str):
        return _parse_text(text)
    raise ProbabilityError(f"{quote_input(repr(text))} is not a probability; enter one, {_EXAMPLES}")


def format_probability(p: float) -> str:
    """Print a probability as a percent with at most one decimal: "67.5%", "3%", "0.1%"."""
    if not math.isfinite(p):
        raise ValueError(f"cannot format {p!r} as a probability")
    # Work from the shortest decimal form so 0.675 prints as 67.5%, not 67.49999...%.
    percent = (Decimal(repr(float(p))) * _HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = format(percent, "f")
    if text.endswith(".0"):
        text = text[:-2]
    if text == "-0":
        text = "0"
    return f"{text}%"
