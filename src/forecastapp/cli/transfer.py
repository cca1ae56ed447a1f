"""Commands that move records between ledgers and files: export, import, merge, conflicts, settle."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from forecastapp.cli import session
from forecastapp.cli.output import UserError, print_table


@click.command(name="export")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["ledger", "fatebook"]), default="ledger", show_default=True,
              help="ledger: lossless JSON; fatebook: Fatebook's CSV export format, one row per forecast.")
@click.pass_context
def export_(ctx, file, fmt) -> None:
    """Export the whole ledger, history included, to a JSON file (lossless), or as a Fatebook CSV; - is stdout."""
    session.check_output(file)
    db = session.ledger(ctx)
    session.refuse_own_file(ctx, Path(file))
    if fmt == "fatebook":
        from forecastapp.core.formats.fatebook import write_fatebook

        rows = write_fatebook(db, file)
        click.echo(f"wrote {rows} forecast{'s' if rows != 1 else ''} in Fatebook's format", err=True)
        return
    from forecastapp.core.transfer import write_export

    write_export(db, file, now=session.clock(ctx).now)


IMPORT_FORMATS = ("auto", "ledger", "fatebook", "predictionbook", "metaculus", "csv")
#: Skipped rows of a spreadsheet listed one by one before the rest are only counted.
SKIPPED_SHOWN = 30


def _progress():
    """A progress callback that redraws one line on a terminal's stderr (None when not a terminal)."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        click.echo(f"\rwriting {done:,} of {total:,} records", err=True, nl=done >= total)

    return report


def _host() -> str:
    import platform

    return platform.node()


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), default="auto", show_default=True,
              help="auto recognises the file by its extension and header or keys; a spreadsheet kept by hand needs "
                   "csv.")
@click.option("--dry-run", is_flag=True, help="Show what would be added and skipped; write nothing.")
@click.option("--map", "maps", multiple=True, metavar="ROLE=COLUMN",
              help="For --format csv (implied): the column holding a role (statement, probability, made_on, "
                   "resolve_by, outcome, resolved_on, tags, analyst, criteria); repeat for each. Roles not given "
                   "are guessed from the column names; ROLE= leaves a guessed one out.")
@click.option("--analyst", "default_analyst",
              help="For --format csv: who made the forecasts where no analyst column says (default: your login name).")
@click.option("--tag-separator", default=",", show_default=True,
              help="For --format csv: the character between two tags in one cell.")
@click.pass_context
def import_(ctx, file, fmt, dry_run, maps, default_analyst, tag_separator) -> None:
    """Import a ledger JSON export, another tracker's export or a spreadsheet kept by hand; twice adds nothing."""
    from forecastapp.core.files import spooled
    from forecastapp.core.formats import detect_format

    # A pipe (`import <(cat file.csv)`) is read once, into a file the readers can look at twice.
    path = ctx.with_resource(spooled(Path(file)))
    if maps and fmt == "auto":
        fmt = "csv"
    if fmt != "csv" and (default_analyst is not None or tag_separator != ","):
        raise UserError("--analyst and --tag-separator are for a spreadsheet kept by hand: add --format csv")
    if fmt != "csv" and maps:
        raise UserError(f"--map is for a spreadsheet kept by hand, not for --format {fmt}; use --format csv")
    if fmt == "auto":
        fmt = detect_format(path)
    from forecastapp.core.imports import read_incoming, write_incoming

    clock = session.clock(ctx)
    mapping = None
    if fmt == "csv":
        mapping = _csv_mapping(path, maps, default_analyst=default_analyst or session.login() or "",
                               tag_separator=tag_separator)
    incoming = read_incoming(path, fmt=fmt, mapping=mapping, today=clock.today, now=clock.now)
    if incoming.plan is not None:
        _echo_plan(incoming.plan, mapping)
    db = session.ledger(ctx)
    report = write_incoming(db, incoming, dry_run=dry_run, host=_host(), now=clock.now,
                            progress=None if dry_run else _progress())
    if dry_run:
        for line in report.lines(verb="would add"):
            click.echo(line)
        click.echo("dry run: nothing was written")
    elif incoming.plan is None:
        # Another ledger takes the merge's path (records here skipped, differing resolutions flagged as
        # conflicts); the first line keeps the plain import's wording ("added 3 questions, ...; N already present").
        from forecastapp.core.transfer import ImportReport

        click.echo(ImportReport(added=report.added, skipped=report.present).summary())
        for line in report.lines()[2:]:  # same outcome already recorded, conflicts flagged
            click.echo(line)
    else:
        for line in report.lines():
            click.echo(line)


def _echo_plan(plan, mapping) -> None:
    """What was read from another tracker's file or a spreadsheet: counts, columns, skipped rows, notes."""
    from forecastapp.core.merge import plural

    n = plan.counts()
    click.echo(f"{plan.source} ({plan.format}): {plural(n['questions'], 'question', 'questions')}, "
               f"{plural(n['forecasts'], 'forecast', 'forecasts')}, "
               f"{plural(n['resolutions'], 'resolution', 'resolutions')}; "
               f"{plural(n['skipped'], 'row', 'rows')} skipped")
    if mapping is not None:
        click.echo("  columns: " + ", ".join(f"{role}={column!r}" for role, column in mapping.columns().items()))
        # A hand-kept sheet's reasons name their row and cell, so each is listed (up to a point).
        for skipped in plan.skipped[:SKIPPED_SHOWN]:
            shown = skipped.reason if skipped.reason.startswith(skipped.where) else f"{skipped.where}: {skipped.reason}"
            click.echo(f"  skipped {shown}")
        if len(plan.skipped) > SKIPPED_SHOWN:
            click.echo(f"  ... and {len(plan.skipped) - SKIPPED_SHOWN} more skipped rows")
    else:
        for reason, count in plan.skipped_by_reason():
            click.echo(f"  skipped {count}: {reason}")
    for note in plan.notes:
        click.echo(f"  note: {note}")


def _csv_mapping(path: Path, maps: tuple[str, ...], *, default_analyst: str, tag_separator: str):
    """The columns to read a spreadsheet with: each --map ROLE=COLUMN, the other roles guessed from the header."""
    from forecastapp.core.formats.spreadsheet import REQUIRED_ROLES, find_column, guess_mapping, role_of, sniff_csv

    header = sniff_csv(path).header
    mapping = guess_mapping(header, default_analyst=default_analyst, tag_separator=tag_separator)
    given: dict[str, str | None] = {}
    for item in maps:
        role, sep, column = item.partition("=")
        if not sep or not role.strip():
            raise UserError(f"--map '{item}' is not ROLE=COLUMN; e.g. --map statement=Question")
        given[role_of(role)] = find_column(header, column.strip()) if column.strip() else None
    for role, column in given.items():
        mapping = mapping.with_column(role, column)
    # A column named on the command line is no longer what a guess made it.
    named = {c for c in given.values() if c}
    for role, column in mapping.columns().items():
        if role not in given and column in named:
            mapping = mapping.with_column(role, None)
    missing = [role for role in REQUIRED_ROLES if not mapping.column(role)]
    if missing:
        columns = ", ".join(repr(h) for h in header[:12]) + (", ..." if len(header) > 12 else "")
        raise UserError(
            f"could not guess which column of '{path.name}' holds the {' and the '.join(missing)} (its columns: "
            f"{columns}); name it with " + " ".join(f"--map {role}=COLUMN" for role in missing)
        )
    mapping.check(header)
    return mapping


@click.command()
@click.argument("other", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def merge(ctx, other) -> None:
    """Bring in another analyst's ledger (.db or .json): new records added, conflicting resolutions flagged."""
    from forecastapp.core.merge import merge_ledger

    db = session.ledger(ctx)
    report = merge_ledger(db, Path(other), host=_host(), now=session.clock(ctx).now, progress=_progress(),
                          own_path=session.state(ctx).resolved_path)
    for line in report.lines():
        click.echo(line)


def _resolution_text(outcome: str | None, day: str | None, *, kind: str = "") -> str:
    if outcome is None:
        return "withdrawn" if kind == "retract" else "open"
    return f"{outcome} {day or ''}".strip()


@click.command()
@click.option("--all", "include_settled", is_flag=True, help="Include settled conflicts.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def conflicts(ctx, include_settled, fmt) -> None:
    """List questions that a merge found resolved differently here and in the other ledger."""
    from forecastapp.core.merge import conflict_json, list_conflicts
    from forecastapp.core.model import short_id

    rows = list_conflicts(session.ledger(ctx), include_settled=include_settled)
    if fmt == "json":
        click.echo(json.dumps([conflict_json(c) for c in rows], ensure_ascii=False, indent=1))
        return
    print_table(
        ["id", "question", "ours (in force)", "theirs", "from", "settled", "statement"],
        [[short_id(c.id), short_id(c.question_id), _resolution_text(c.ours_outcome, c.ours_resolved_on),
          _resolution_text(c.theirs_outcome, c.theirs_resolved_on, kind=c.theirs_kind), c.source,
          _settled_text(c), c.statement] for c in rows],
    )
    if not rows:
        click.echo("(no open conflicts)" if not include_settled else "(no conflicts)")


def _settled_text(c) -> str:
    """'theirs kept: the ministry's notice' (the settlement's note shown), or '' while open."""
    if c.settled_kept is None:
        return ""
    return f"{c.settled_kept} kept" + (f": {c.settled_note}" if c.settled_note else "")


@click.command()
@click.argument("conflict_id")
@click.option("--keep", required=True, type=click.Choice(["ours", "theirs"]),
              help="ours: the resolution in force stays; theirs: theirs is recorded as a correction.")
@click.option("--note", default="", help="Why this side was kept.")
@click.option("--by", "recorded_by", help="Who settles it (default: your login name).")
@click.pass_context
def settle(ctx, conflict_id, keep, note, recorded_by) -> None:
    """Settle a resolution conflict by keeping ours or theirs; prints the settlement's id."""
    from forecastapp.core.merge import settle_conflict

    clock = session.clock(ctx)
    click.echo(settle_conflict(session.ledger(ctx), conflict_id, keep=keep, recorded_by=recorded_by or session.login(),
                               note=note, today=clock.today, now=clock.now))
