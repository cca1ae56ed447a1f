"""Getting started: `init` (create the ledger) and `gui` (open the desktop app)."""

from __future__ import annotations

import sys

import click

from forecastapp.cli import session
from forecastapp.cli.output import UserError


@click.command()
@click.option("--empty", is_flag=True, help="Create the ledger without the starting document's forecasts.")
@click.pass_context
def init(ctx: click.Context, empty: bool) -> None:
    """Create the ledger database (with the starting ledger unless --empty) and print its path."""
    path = session.db_file(ctx)
    existed = path.exists() and path.stat().st_size > 0
    session.ledger(ctx, seed=not empty, create=True)
    click.echo(str(path))
    if existed:
        click.echo("(the database already existed; it was left as it was, migrated if needed)", err=True)


@click.command()
@click.option("--exit-after-paint", is_flag=True, help="Show the window, print first-paint-ms, and exit.")
@click.pass_context
def gui(ctx: click.Context, exit_after_paint: bool) -> None:
    """Open the desktop app on the ledger."""
    try:
        from forecastapp.ui.app import run
    except ImportError:
        raise UserError("the desktop app is not available in this installation; use the commands in --help") from None
    sys.exit(run(session.db_file(ctx), exit_after_paint=exit_after_paint))
