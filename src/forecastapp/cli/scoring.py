"""Commands that score and check the record: scorecard, and verify (the hash chain, a scorecard's figures)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from forecastapp.cli import output as out
from forecastapp.cli import session
from forecastapp.cli.output import UserError

SCORECARD_FORMATS = ("json", "csv", "md", "html", "pdf")


@click.command()
@click.option("--format", "fmt", type=click.Choice(SCORECARD_FORMATS),
              help="json and csv for tools; md, html and pdf are reports to send to a colleague. "
                   "[default: json, or a short summary when printing to a terminal]")
@click.option("--output", type=click.Path(allow_dash=True),
              help="Write this file (whole or not at all) instead of printing; pdf needs it. "
                   "md also writes <name>-calibration.svg beside it. A link's target is written; - is stdout.")
@click.option("--analyst", help="Only this analyst's scored pairs.")
@click.option("--tag", help="Only questions with this tag.")
@click.option("--since", help="Only pairs whose question resolved on or after this day.")
@click.option("--until", help="Only pairs whose question resolved on or before this day.")
@click.option("--exclude-backdated", is_flag=True,
              help="Leave out pairs whose final forecast was made on more than a day before it was recorded.")
@click.option("--exclude-imported", is_flag=True,
              help="Leave out pairs whose final forecast came from an imported or merged file.")
@click.option("--exclude-reworded", is_flag=True,
              help="Leave out pairs whose final forecast was made before an edit changed what the question asks.")
@click.option("--verify/--no-verify", "verify", default=True, show_default=True,
              help="Recompute the ledger's hash chain and state the result (slow on a very large ledger).")
@click.pass_context
def scorecard(ctx, fmt, output, analyst, tag, since, until, exclude_backdated, exclude_imported, exclude_reworded,
              verify) -> None:
    """Score the track record (docs/SCORING.md explains every figure) and export the scorecard."""
    from forecastapp.core import report
    from forecastapp.core.scorecard import build_scorecard

    if output is not None:
        session.check_output(output)
    if fmt == "pdf" and not output:
        raise UserError("--format pdf writes a file, not text: add --output FILE, e.g. --output scorecard.pdf")
    clock = session.clock(ctx)
    since_day = session.read_day(since, clock) if since is not None else None
    until_day = session.read_day(until, clock) if until is not None else None
    db = session.ledger(ctx)
    if output is not None:
        session.refuse_own_file(ctx, Path(output))
    card = build_scorecard(db, analyst=analyst, tag=tag, since=since_day, until=until_day,
                           exclude_backdated=exclude_backdated, exclude_imported=exclude_imported,
                           exclude_reworded=exclude_reworded, verify=verify,
                           today=clock.today, now=clock.now)
    if card.ledger.verified is False:
        # The scorecard still comes out (it says so itself), but whoever runs it must not miss it.
        summary = card.ledger.verify or ""
        chain = "" if summary.startswith("derived") else "the ledger's hash chain is "
        click.echo(f"warning: {chain}{summary}", err=True)
    if output is None:
        if fmt is None and out.to_terminal():
            # At a terminal, a screenful for a person; piped or redirected, the JSON as before.
            click.echo(out.shown(report.summary_text(card)), nl=False)
            return
        # On stdout a Markdown report carries its chart inside, as a data: URI.
        click.echo(report.scorecard_text(card, fmt or "json"), nl=False)
        return
    render_pdf = None
    if fmt == "pdf":
        try:
            from forecastapp.render.pdf import render_pdf  # Qt loads only for a PDF
        except ImportError:
            raise UserError("PDF export needs Qt (PySide6), which is not installed; choose --format html") from None
    report.write_scorecard(card, output, fmt or "json", render_pdf=render_pdf)


@click.command()
@click.option("--ledger", "ledger_file", type=click.Path(exists=True, dir_okay=False),
              help="Check a ledger export (forecastapp export) instead of the database.")
@click.option("--scorecard", "scorecard_file", type=click.Path(exists=True, dir_okay=False),
              help="Check that a scorecard JSON was drawn from the ledger (or from --ledger's export) and recompute "
                   "its figures there.")
@click.pass_context
def verify(ctx, ledger_file, scorecard_file) -> None:
    """Re-compute the ledger's hash chain; exit status 1 and the first bad record if it was tampered with.

    With --scorecard, also find the scorecard's chain head in the chain and recompute its figures from
    the ledger as it stood at that record; exit status 1 and the first figure that differs if one does.
    """
    from forecastapp.core.integrity import scorecard_head, verify_export, verify_ledger
    from forecastapp.core.scorecard_audit import audit_scorecard

    # A file holding `null` is still a file given: it is checked (and refused), never taken for no file.
    export = _read_json(Path(ledger_file)) if ledger_file is not None else None
    scorecard = _read_json(Path(scorecard_file)) if scorecard_file is not None else None
    if scorecard_file is not None:
        scorecard_head(scorecard)  # no scorecard (or no head in it): one line before any work
    if ledger_file is not None:
        result = verify_export(export, name=f"'{Path(ledger_file).name}'")
        click.echo(result.summary())
        if not result.ok:
            ctx.exit(1)
        if scorecard_file is not None:
            _echo_audit(ctx, lambda: audit_scorecard(scorecard, export=export, now=session.clock(ctx).now))
        return
    path = session.db_file(ctx)
    if not path.exists():
        # Verifying must never create the ledger it was asked about.
        raise UserError(f"no ledger at '{path}'; give the database to verify with --db")
    db = session.ledger(ctx, seed=False)
    result = verify_ledger(db)
    click.echo(result.summary())
    if not result.ok:
        ctx.exit(1)
    if scorecard_file is not None:
        _echo_audit(ctx, lambda: audit_scorecard(scorecard, db=db, now=session.clock(ctx).now))


def _echo_audit(ctx: click.Context, check) -> None:
    """Run a scorecard check and print its line; a figure that differs, or a head this ledger never had,
    exits with status 1, as a broken chain does."""
    from forecastapp.core.integrity import ForeignScorecard

    try:
        audit = check()
    except ForeignScorecard as exc:
        click.echo(str(exc))
        ctx.exit(1)
    click.echo(audit.summary())
    if not audit.ok:
        ctx.exit(1)


def _read_json(path: Path) -> object:
    """A JSON file for verify, or a one-line error."""
    from forecastapp.core.files import read_input

    raw = read_input(path)  # at most MAX_INPUT_BYTES, never waiting forever on a pipe
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"'{path.name}' is not a JSON file ({exc})") from None
    except (ValueError, RecursionError):
        # A number of thousands of digits, or nesting thousands deep (found by fuzzing the readers).
        raise UserError(f"'{path.name}' is not a file forecastapp wrote (it nests too deeply or holds a number too "
                        "long to read)") from None
