"""One command's run: the typed state on click's context (ledger path, open ledger, clock), and the
reading of the options every command family shares (probabilities, days, question ids, output files)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import click

from forecastapp.cli.output import UserError


class Clock:
    """The moment a command runs; one per invocation so every record of an action agrees."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)
        self.today = date.today()


@dataclass
class CliState:
    """What the `forecastapp` group hands its commands (click's ctx.obj)."""

    db_path: str | None = None  # --db as given; None: $FORECASTAPP_DB or the user data folder
    resolved_path: Path | None = None  # the ledger file, once opened
    db: Any = None  # the open ledger (sqlite_utils.Database), opened on first use
    clock: Clock | None = field(default=None, repr=False)


def state(ctx: click.Context) -> CliState:
    """The run's state (found on this context or a parent's)."""
    return ctx.ensure_object(CliState)


def ledger(ctx: click.Context, *, seed: bool = True, create: bool = False):
    """The ledger, opened on first use and closed when the command ends."""
    from forecastapp.core.store import open_ledger, resolve_db_path

    st = state(ctx)
    if st.db is None:
        path = resolve_db_path(st.db_path)
        st.db = open_ledger(path, seed=seed, create=create)
        st.resolved_path = path
        ctx.call_on_close(st.db.close)
    return st.db


def db_file(ctx: click.Context) -> Path:
    """The ledger file --db (or the environment, or the default) names, without opening it."""
    from forecastapp.core.store import resolve_db_path

    return resolve_db_path(state(ctx).db_path)


def clock(ctx: click.Context) -> Clock:
    """The run's clock, made on first use."""
    st = state(ctx)
    if st.clock is None:
        st.clock = Clock()
    return st.clock


def login() -> str:
    """The user's login name, or "" where the system has none."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def read_probability(text: str):
    """A --probability option: 0.7, 70%, 70 or a term."""
    from forecastapp.core.probability import parse_probability

    return parse_probability(text)


def read_day(text: str | None, run_clock: Clock) -> date:
    """A day option; today when not given."""
    from forecastapp.core.dates import parse_day

    return run_clock.today if text is None else parse_day(text, today=run_clock.today)


def find_question(db, ref: str) -> str:
    """The question an id or id prefix names."""
    from forecastapp.core.queries import resolve_question_id

    return resolve_question_id(db, ref)


def check_output(name: str) -> None:
    """Refuse an output name that names no file at all (an empty argument), before any work is done."""
    if not name:
        raise UserError("no output file name given (an empty argument); name a file, or - for standard output")


def refuse_own_file(ctx: click.Context, target: Path) -> None:
    """Refuse an output file that is the open ledger (or one of its SQLite side files): writing it would destroy it."""
    from forecastapp.core.store import is_ledger_file

    if is_ledger_file(target, state(ctx).resolved_path):
        raise UserError(f"'{target}' is the ledger's own database file; write the output to another file")
