"""The `forecastapp` click group: --db, --version, and core errors turned into one-line user errors."""

from __future__ import annotations

import sqlite3

import click

from forecastapp import __version__
from forecastapp.cli.output import UserError
from forecastapp.cli.session import CliState
from forecastapp.core.errors import ForecastError


class LedgerGroup(click.Group):
    """A click group that turns core errors into one-line user errors."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ForecastError as exc:
            raise UserError(str(exc)) from None
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):  # locked, read-only, disk full: say which
                from forecastapp.core.store import explain_sqlite_error

                raise UserError(explain_sqlite_error(exc)) from None
            # A damaged file can open cleanly and fail on a later page; say so in one line.
            st = ctx.find_object(CliState)
            path = (st and (st.resolved_path or st.db_path)) or "the ledger"
            raise UserError(f"'{path}' is damaged or not a forecastapp ledger ({exc}); it was left as it was") from None
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise UserError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None


@click.group(cls=LedgerGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=click.Path(dir_okay=False), envvar=None,
              help="Ledger database file (default: $FORECASTAPP_DB, else forecasts.db in your user data folder).")
@click.version_option(__version__, prog_name="forecastapp")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """forecastapp: a forecast ledger for analysts. Run without a command to open the desktop app."""
    ctx.obj = CliState(db_path=db_path)
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.get_command(ctx, "gui"))
