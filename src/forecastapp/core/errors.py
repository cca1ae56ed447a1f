"""Errors the user sees. `str(error)` is always one line that says what is wrong and what to do."""

from __future__ import annotations


class ForecastError(ValueError):
    """Base of every error forecastapp reports to a user (CLI exit status 2, GUI inline message)."""

    def __init__(self, message: str) -> None:
        # One line, always: a multi-line message would break the CLI's one-line contract.
        super().__init__(" ".join(str(message).split()))


def quote_input(text: str) -> str:
    """Typed input as a message quotes it: on one line, in single quotes, cut at 40 characters."""
    flat = " ".join(text.split())
    return f"'{flat[:40]}...'" if len(flat) > 40 else f"'{flat}'"


class ParseError(ForecastError):
    """Text the user typed (a probability, a date, a term) could not be read."""


class ProbabilityError(ParseError):
    """A probability is malformed or outside the allowed range."""


class DateError(ParseError):
    """A date or a time span is malformed or impossible."""


class ValidationError(ForecastError):
    """Input was read but breaks a rule of the ledger (e.g. a forecast dated after resolution)."""


class NotFoundError(ForecastError):
    """An id or name does not match anything in the ledger (or matches more than one thing)."""


class StoreError(ForecastError):
    """The database file cannot be used: newer schema, not SQLite, read-only, locked, disk full."""


class ImportFormatError(ForecastError):
    """A file to import is malformed or of an unknown kind."""
