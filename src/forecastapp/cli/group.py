"""The `forecastapp` click group: --db, --version, and core errors turned into one-line user errors."""

from __future__ import annotations

import sqlite3

import click

from forecastapp import __version__
from forecastapp.cli.output import UserError
from forecastapp.cli.session import CliState
from forecastapp.core.errors import ForecastError


def db_option_first(args: list[str]) -> list[str]:
    """The arguments with a `--db PATH` given after the command moved before it, where click reads it.

    `forecastapp list --db x.db` reads as `forecastapp --db x.db list`; arguments after `--` stay.
    """
    end = args.index("--") if "--" in args else len(args)
    for i, arg in enumerate(args[:end]):
        if i == 0:
            continue
        if arg == "--db" and i + 1 < end:
            return ["--db", args[i + 1], *args[:i], *args[i + 2:]]
        if arg.startswith("--db="):
            return [arg, *args[:i], *args[i + 1:]]
    return list(args)


class LedgerGroup(click.Group):
    """A click group that turns core errors into one-line user errors, and click's own usage errors too."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # noqa: D102
        import sys

        args = db_option_first(list(sys.argv[1:] if args is None else args))
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            # click prints the usage, a hint and the error on three or four lines; a refusal is one line.
            where = exc.ctx.command_path if exc.ctx is not None else "forecastapp"
            click.echo(f"Error: {exc.format_message()} (see '{where} --help')", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

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


@click.group(name="forecastapp", cls=LedgerGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=click.Path(dir_okay=False), envvar=None,
              help="Ledger database file (default: $FORECASTAPP_DB, else forecasts.db in your user data folder).")
@click.version_option(__version__, prog_name="forecastapp")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """forecastapp: a forecast ledger for analysts. Run without a command to open the desktop app."""
    ctx.obj = CliState(db_path=db_path)
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.get_command(ctx, "gui"))
