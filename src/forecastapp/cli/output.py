"""What the command line prints: tables, text made safe for a terminal, and one-line user errors.

A user error prints one line on stderr and exits with status 2, with the database unchanged.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable

import click


class UserError(click.ClickException):
    """A one-line error for the user; exit status 2 as DEVELOPERS.md asks (click's default is 1)."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: D102 - same contract as click's
        click.echo(f"Error: {self.format_message()}", err=True)


def pct(p: float | None) -> str:
    """A probability as the tables show it ("" for none)."""
    from forecastapp.core.numbers import format_percent

    return format_percent(p, none="")


def quoted(value: str | None) -> str:
    """A value in curly quotes, or (none)."""
    return "(none)" if value is None or value == "" else f"\u201c{value}\u201d"


def print_table(headers: list[str], rows: Iterable[list[str]], *, wrap_last: bool = True) -> None:
    """Columns padded to their widest cell; the last one cut to the terminal's width."""
    rows = [list(map(str, r)) for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    term_width = shutil.get_terminal_size((120, 24)).columns
    if wrap_last and rows:
        used = sum(widths[:-1]) + 2 * (len(widths) - 1)
        widths[-1] = max(20, min(widths[-1], term_width - used))
    def fmt(cells: list[str]) -> str:
        out = []
        for i, (c, w) in enumerate(zip(cells, widths)):
            c = c if len(c) <= w else c[: max(w - 1, 1)] + "…"
            out.append(c if i == len(cells) - 1 else c.ljust(w))
        return "  ".join(out).rstrip()
    click.echo(fmt(headers))
    click.echo(fmt(["-" * w for w in widths]))
    for r in rows:
        click.echo(shown(fmt(r)))


def to_terminal() -> bool:
    """Whether standard output is a terminal (tests replace this to act as one)."""
    return sys.stdout.isatty()


def shown(text: str) -> str:
    """Text for people: at a terminal, control characters (ESC[31m, \\x01) are shown as escapes, not sent."""
    if not to_terminal():
        return text
    from forecastapp.core.model import terminal_safe

    return terminal_safe(text)
