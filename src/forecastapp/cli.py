"""The `forecastapp` command line: the same ledger operations as the desktop app, for scripting.

Commands call the core only. A user error prints one line on stderr and exits with status 2,
with the database unchanged.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import shutil
import sqlite3
import sys
from collections.abc import Iterable
from datetime import date, datetime, timezone
from pathlib import Path

import click

from forecastapp import __version__
from forecastapp.core.errors import ForecastError

OUTPUT_FORMATS = ("table", "csv", "json")
#: The largest --limit passed on to SQLite (its integers are 64-bit).
MAX_LIMIT = 2**63 - 1


class UserError(click.ClickException):
    """A one-line error for the user; exit status 2 as DEVELOPERS.md asks (click's default is 1)."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: D102 - same contract as click's
        click.echo(f"Error: {self.format_message()}", err=True)


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
            path = _state(ctx).get("resolved_path") or _state(ctx).get("db_path") or "the ledger"
            raise UserError(f"'{path}' is damaged or not a forecastapp ledger ({exc}); it was left as it was") from None
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise UserError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None


class Clock:
    """The moment a command runs; one per invocation so every record of an action agrees."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)
        self.today = date.today()


def _state(ctx: click.Context) -> dict:
    return ctx.ensure_object(dict)


def _ledger(ctx: click.Context, *, seed: bool = True, create: bool = False):
    from forecastapp.core.store import open_ledger, resolve_db_path

    state = _state(ctx)
    if "db" not in state:
        path = resolve_db_path(state.get("db_path"))
        state["db"] = open_ledger(path, seed=seed, create=create)
        state["resolved_path"] = path
        ctx.call_on_close(state["db"].close)
    return state["db"]


def _clock(ctx: click.Context) -> Clock:
    state = _state(ctx)
    if "clock" not in state:
        state["clock"] = Clock()
    return state["clock"]


@click.group(cls=LedgerGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=click.Path(dir_okay=False), envvar=None,
              help="Ledger database file (default: $FORECASTAPP_DB, else forecasts.db in your user data folder).")
@click.version_option(__version__, prog_name="forecastapp")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """forecastapp: a forecast ledger for analysts. Run without a command to open the desktop app."""
    _state(ctx)["db_path"] = db_path
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui)


# ---------------------------------------------------------------- parsing helpers


def _probability(text: str):
    from forecastapp.core.probability import parse_probability

    return parse_probability(text)


def _day(text: str | None, clock: Clock) -> date:
    from forecastapp.core.dates import parse_day

    return clock.today if text is None else parse_day(text, today=clock.today)


def _question_id(db, ref: str) -> str:
    from forecastapp.core.queries import resolve_question_id

    return resolve_question_id(db, ref)


# ---------------------------------------------------------------- commands: set-up


@cli.command()
@click.option("--empty", is_flag=True, help="Create the ledger without the starting document's forecasts.")
@click.pass_context
def init(ctx: click.Context, empty: bool) -> None:
    """Create the ledger database (with the starting ledger unless --empty) and print its path."""
    from forecastapp.core.store import resolve_db_path

    path = resolve_db_path(_state(ctx).get("db_path"))
    existed = path.exists() and path.stat().st_size > 0
    _ledger(ctx, seed=not empty, create=True)
    click.echo(str(path))
    if existed:
        click.echo("(the database already existed; it was left as it was, migrated if needed)", err=True)


@cli.command()
@click.option("--exit-after-paint", is_flag=True, help="Show the window, print first-paint-ms, and exit.")
@click.pass_context
def gui(ctx: click.Context, exit_after_paint: bool) -> None:
    """Open the desktop app on the ledger."""
    try:
        from forecastapp.ui.app import run
    except ImportError:
        raise UserError("the desktop app is not available in this installation; use the commands in --help") from None
    from forecastapp.core.store import resolve_db_path

    path = resolve_db_path(_state(ctx).get("db_path"))
    sys.exit(run(path, exit_after_paint=exit_after_paint))


# ---------------------------------------------------------------- commands: writing


@cli.command()
@click.argument("statement")
@click.option("--probability", "-p", required=True, help='0.7, 70%, 70, or a term such as "likely".')
@click.option("--analyst", "-a", required=True, help="Who makes the forecast.")
@click.option("--resolve-by", help='ISO date, "31 Dec 2025", "Dec 2025", "2033", "in 18 months", "10 to 15 years".')
@click.option("--made-on", help="When the forecast was made (default: today).")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for several.")
@click.option("--criteria", default="", help="What exactly counts as yes.")
@click.option("--condition", help="For a conditional forecast: what must hold first.")
@click.option("--rationale", default="", help="Why this probability.")
@click.pass_context
def add(ctx, statement, probability, analyst, resolve_by, made_on, tags, criteria, condition, rationale) -> None:
    """Add a question with its first forecast; prints the new question's id alone."""
    from forecastapp.core import ledger
    from forecastapp.core.dates import parse_deadline

    clock = _clock(ctx)
    p = _probability(probability)
    made = _day(made_on, clock)
    window = parse_deadline(resolve_by, made_on=made) if resolve_by else None
    db = _ledger(ctx)
    qid, _ = ledger.create_forecast(
        db,
        ledger.NewQuestion(
            statement=statement, criteria=criteria, condition=condition,
            resolve_by=window.end if window else None, resolve_from=window.start if window else None, tags=tags,
        ),
        analyst=analyst, probability=p.value, term=p.term, made_on=made, rationale=rationale,
        today=clock.today, now=clock.now,
    )
    click.echo(qid)


@cli.command()
@click.argument("question_id")
@click.option("--probability", "-p", required=True, help='0.7, 70%, 70, or a term such as "likely".')
@click.option("--analyst", "-a", required=True, help="Who makes the forecast.")
@click.option("--made-on", help="When the forecast was made (default: today).")
@click.option("--rationale", default="", help="Why the probability changed.")
@click.pass_context
def update(ctx, question_id, probability, analyst, made_on, rationale) -> None:
    """Record a new probability for a question (the old one stays in the history); prints the forecast id."""
    from forecastapp.core import ledger

    clock = _clock(ctx)
    p = _probability(probability)
    made = _day(made_on, clock)
    db = _ledger(ctx)
    qid = _question_id(db, question_id)
    fid = ledger.add_forecast(
        db, question_id=qid, analyst=analyst, probability=p.value, term=p.term,
        made_on=made, rationale=rationale, today=clock.today, now=clock.now,
    )
    click.echo(fid)
    note = ledger.hindsight_note(db, qid)
    if note:
        click.echo(f"note: {note}", err=True)


def _outcome_options(evidence_help: str, *, evidence_required: bool, by_help: str,
                     resolved_on_help: str = "When the outcome became known (default: today)."):
    """The options `resolve` and `correct` share, so both read outcomes the same way."""

    def decorate(fn):
        for option in reversed((
            click.argument("question_id"),
            click.option("--outcome", "-o", required=True,
                         type=click.Choice(["yes", "no", "annulled"], case_sensitive=False)),
            click.option("--resolved-on", help=resolved_on_help),
            # click counts an explicit default=None as a value, so a required option gets none at all.
            click.option("--evidence", required=True, help=evidence_help) if evidence_required
            else click.option("--evidence", default="", help=evidence_help),
            click.option("--condition-not-met", is_flag=True,
                         help="With --outcome annulled: the question's condition did not hold."),
            click.option("--by", "recorded_by", help=by_help),
        )):
            fn = option(fn)
        return click.pass_context(fn)

    return decorate


def _record_outcome(ctx, write, *, question_id, outcome, resolved_on, evidence, condition_not_met, recorded_by,
                    write_keeps_day: bool = False):
    """Parse and check a resolution's options, then call `write` (ledger.resolve or correct_resolution)."""
    from forecastapp.core.model import CONDITION_NOT_MET

    clock = _clock(ctx)
    if condition_not_met and outcome.lower() != "annulled":
        raise UserError("--condition-not-met goes with --outcome annulled")
    # A correction without --resolved-on keeps the day it corrects (ledger.correct_resolution).
    day = None if write_keeps_day and resolved_on is None else _day(resolved_on, clock)
    db = _ledger(ctx)
    record_id = write(
        db, question_id=_question_id(db, question_id), outcome=outcome, resolved_on=day, evidence=evidence,
        recorded_by=recorded_by or _login(), annul_reason=CONDITION_NOT_MET if condition_not_met else None,
        today=clock.today, now=clock.now,
    )
    click.echo(record_id)


@cli.command()
@_outcome_options("A source, a link, or what happened.", evidence_required=False,
                  by_help="Who records the resolution (default: your login name).")
def resolve(ctx, **options) -> None:
    """Record how a question resolved; prints the resolution record's id."""
    from forecastapp.core import ledger

    _record_outcome(ctx, ledger.resolve, **options)


@cli.command()
@_outcome_options("Why the resolution in force was wrong.", evidence_required=True,
                  by_help="Who records the correction (default: your login name).",
                  resolved_on_help="When the outcome became known (default: the day of the resolution it corrects).")
def correct(ctx, **options) -> None:
    """Correct a resolution with a new record that supersedes it (both stay visible)."""
    from forecastapp.core import ledger

    _record_outcome(ctx, ledger.correct_resolution, write_keeps_day=True, **options)


@cli.command()
@click.argument("question_id")
@click.option("--reason", default="", help="Why the resolution is withdrawn.")
@click.pass_context
def unresolve(ctx, question_id, reason) -> None:
    """Withdraw a question's resolution (the question is open again; the record stays visible)."""
    from forecastapp.core import ledger

    db = _ledger(ctx)
    click.echo(ledger.retract_resolution(db, question_id=_question_id(db, question_id), reason=reason,
                                        recorded_by=_login(), now=_clock(ctx).now))


@cli.command()
@click.argument("forecast_id")
@click.option("--reason", default="", help="Why the forecast is withdrawn.")
@click.pass_context
def retract(ctx, forecast_id, reason) -> None:
    """Withdraw one forecast: it stays in the history, marked retracted, and is not scored."""
    from forecastapp.core import ledger

    db = _ledger(ctx)
    click.echo(ledger.retract_forecast(db, forecast_id=forecast_id.strip(), reason=reason, now=_clock(ctx).now))


@cli.command()
@click.argument("question_id")
@click.option("--reason", default="", help="Why the question is removed.")
@click.pass_context
def delete(ctx, question_id, reason) -> None:
    """Soft-delete a question: hidden from lists and scores, kept in the history, undone by `restore`."""
    from forecastapp.core import ledger

    db = _ledger(ctx)
    ledger.delete_question(db, question_id=_question_id(db, question_id), reason=reason, now=_clock(ctx).now)


@cli.command()
@click.argument("question_id")
@click.pass_context
def restore(ctx, question_id) -> None:
    """Bring back a soft-deleted question."""
    from forecastapp.core import ledger

    db = _ledger(ctx)
    ledger.restore_question(db, question_id=_question_id(db, question_id), now=_clock(ctx).now)


def _edit_date(text: str | None, clock: Clock, *, deadline: bool):
    """An edit's date option: ... (not given), None ("none": remove it), or the day/window it names."""
    if text is None:
        return ...
    if text.strip().lower() == "none":
        return None
    if deadline:
        from forecastapp.core.dates import parse_deadline

        return parse_deadline(text, made_on=clock.today)
    return _day(text, clock)


@cli.command()
@click.argument("question_id")
@click.option("--statement", help="The new statement.")
@click.option("--criteria", help="The new resolution criteria (\"\" clears them).")
@click.option("--condition", help='The new condition ("" removes it: the forecast is no longer conditional).')
@click.option("--resolve-by", help='The new deadline, read as `add` reads it ("Dec 2027", "in 18 months", '
                                   '"10 to 15 years" sets the window too); "none" removes it.')
@click.option("--resolve-from", help='The day the resolution window opens; "none" removes the window.')
@click.option("--tag", "tags_add", multiple=True, help="A tag to add; repeat for several.")
@click.option("--untag", "tags_remove", multiple=True, help="A tag to remove; repeat for several.")
@click.option("--reason", required=True, help="Why the question changes (kept in its history).")
@click.option("--by", "recorded_by", help="Who edits it (default: your login name).")
@click.pass_context
def edit(ctx, question_id, statement, criteria, condition, resolve_by, resolve_from, tags_add, tags_remove, reason,
         recorded_by) -> None:
    """Edit a question's wording, criteria, condition, deadline or tags; the earlier version stays in its history.

    Prints the new version's id. Forecasts made before an edit that changes what the question asks
    are marked as made on earlier wording in the scorecard.
    """
    from forecastapp.core import ledger

    clock = _clock(ctx)
    if all(v is None for v in (statement, criteria, condition, resolve_by, resolve_from)) and not (
        tags_add or tags_remove
    ):
        raise UserError("nothing to edit: give --statement, --criteria, --condition, --resolve-by, --resolve-from, "
                        "--tag or --untag")
    window = _edit_date(resolve_by, clock, deadline=True)
    start = _edit_date(resolve_from, clock, deadline=False)
    new_by = window if window is ... or window is None else window.end
    if window is None:
        new_from = None if start is ... else start  # no deadline, so no window either, unless one is given
    elif window is ...:
        new_from = start
    else:  # a new deadline replaces the window, as `add --resolve-by` sets it
        new_from = window.start if start is ... else start
    db = _ledger(ctx)
    click.echo(ledger.edit_question(
        db, question_id=_question_id(db, question_id), statement=statement, criteria=criteria, condition=condition,
        resolve_by=new_by, resolve_from=new_from, tags_add=tags_add, tags_remove=tags_remove, reason=reason,
        recorded_by=_login() if recorded_by is None else recorded_by, now=clock.now,
    ))


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# ---------------------------------------------------------------- commands: reading


def question_json(row) -> dict:
    """The `list --format json` object for one question (a contract: keys are only ever added)."""
    return {
        "id": row.id,
        "statement": row.statement,
        "criteria": row.criteria,
        "condition": row.condition,
        "tags": list(row.tags),
        "resolve_from": row.resolve_from.isoformat() if row.resolve_from else None,
        "resolve_by": row.resolve_by.isoformat() if row.resolve_by else None,
        "status": row.status.value,
        "latest": dict(row.latest),
        "latest_probability": row.latest_probability,
        "latest_analyst": row.latest_analyst,
        "latest_made_on": row.latest_made_on.isoformat() if row.latest_made_on else None,
        "outcome": row.outcome.value if row.outcome else None,
        "resolved_on": row.resolved_on.isoformat() if row.resolved_on else None,
        "brier": row.brier,
        "document_id": row.document_id,
        "excerpt": row.excerpt,
        "excerpt_start": row.excerpt_start,
        "excerpt_end": row.excerpt_end,
        "estimative_term": row.estimative_term,
    }


def _pct(p: float | None) -> str:
    from forecastapp.core.numbers import format_percent

    return format_percent(p, none="")


def _print_table(headers: list[str], rows: Iterable[list[str]], *, wrap_last: bool = True) -> None:
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
        click.echo(_shown(fmt(r)))


def _to_terminal() -> bool:
    return sys.stdout.isatty()


def _shown(text: str) -> str:
    """Text for people: at a terminal, control characters (ESC[31m, \\x01) are shown as escapes, not sent."""
    if not _to_terminal():
        return text
    from forecastapp.core.model import terminal_safe

    return terminal_safe(text)


@cli.command(name="list")
@click.option("--status", type=click.Choice(["open", "due", "resolved", "annulled", "all"]), default="all",
              show_default=True)
@click.option("--tag", help="Only questions with this tag.")
@click.option("--analyst", help="Only questions this analyst forecast.")
@click.option("--search", help="Words to find in statements, criteria and excerpts.")
@click.option("--sort", type=click.Choice(["recorded", "statement", "probability", "analyst", "made_on",
                                           "resolve_by", "status", "brier"]), default="recorded", show_default=True)
@click.option("--desc", is_flag=True, help="Sort in descending order.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many questions.")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table", show_default=True)
@click.pass_context
def list_(ctx, status, tag, analyst, search, sort, desc, limit, fmt) -> None:
    """List questions with their latest forecast and status."""
    from forecastapp.core.queries import QuestionFilter, list_questions

    if limit is not None:
        limit = min(limit, MAX_LIMIT)  # a limit beyond SQLite's integers means no limit, not an OverflowError
    db = _ledger(ctx)
    rows = list_questions(
        db, QuestionFilter(status=status, tag=tag, analyst=analyst, search=search), today=_clock(ctx).today,
        sort=sort, descending=desc, limit=limit, with_latest=fmt != "table",
    )
    if fmt == "json":
        click.echo(json.dumps([question_json(r) for r in rows], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        from forecastapp.core.report import csv_cell  # cells a spreadsheet cannot run as formulas

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        keys = ["id", "statement", "status", "latest_probability", "latest_analyst", "latest_made_on", "resolve_by",
                "outcome", "resolved_on", "brier", "tags", "estimative_term", "criteria"]
        writer.writerow(keys)
        for r in rows:
            obj = question_json(r)
            obj["tags"] = "; ".join(r.tags)
            writer.writerow([csv_cell(obj[k]) for k in keys])
        click.echo(buf.getvalue(), nl=False)
    else:
        from forecastapp.core.model import short_id

        _print_table(
            ["id", "status", "latest", "resolve by", "tags", "statement"],
            [[short_id(r.id), r.status.value if r.outcome is None or r.outcome.value == "annulled"
              else f"{r.status.value} {r.outcome.value}",
              _pct(r.latest_probability), r.resolve_by.isoformat() if r.resolve_by else "",
              ",".join(r.tags), r.statement] for r in rows],
        )
        if not rows:
            click.echo("(no questions match)")


def detail_json(detail) -> dict:
    """The `show --format json` object: the question, its forecasts and its resolutions."""
    out = question_json(detail.question)
    out["document_title"] = detail.document_title
    out["forecasts"] = [
        {"id": f.id, "analyst": f.analyst, "probability": f.probability, "estimative_term": f.estimative_term,
         "made_on": f.made_on.isoformat(), "recorded_at": f.recorded_at, "rationale": f.rationale,
         "retracted": f.retracted_at is not None, "retracted_at": f.retracted_at,
         "retraction_reason": f.retraction_reason, "backdated": f.backdated,
         "backdate_evidence": f.backdate_evidence, "unscored": f.unscored, "imported": _origin_json(f.origin)}
        for f in detail.forecasts
    ]
    out["resolutions"] = [
        {"id": r.id, "kind": r.kind, "outcome": r.outcome.value if r.outcome else None,
         "annul_reason": r.annul_reason, "resolved_on": r.resolved_on.isoformat() if r.resolved_on else None,
         "evidence": r.evidence, "recorded_by": r.recorded_by, "recorded_at": r.recorded_at,
         "supersedes": r.supersedes, "effective": r.effective, "imported": _origin_json(r.origin)}
        for r in detail.resolutions
    ]
    out["scores"] = [{"analyst": p.analyst, "final_forecast_id": p.final_forecast_id, "brier": p.brier}
                     for p in detail.scores]
    out["deleted"] = detail.question.deleted
    out["versions"] = [
        {"id": v.id, "action": v.action, "recorded_at": v.recorded_at, "recorded_by": v.recorded_by,
         "reason": v.reason, "meaning_changed": v.meaning_changed,
         "changes": {c.field: {"from": c.before, "to": c.after} for c in v.changes},
         "tags_added": list(v.tags_added), "tags_removed": list(v.tags_removed)}
        for v in detail.versions
    ]
    return out


def _origin_json(origin) -> dict | None:
    """A record's `imported` object in `show --format json`: the file it came from and when; None if made here."""
    if origin is None:
        return None
    return {"action": origin.action, "format": origin.format, "source": origin.source,
            "imported_at": origin.imported_at}


def _brier_lines(detail) -> list[str]:
    """The `show` text for the question's Brier: the figure, and the forecast it comes from wherever that is not
    the latest in the history (a later one was left out of the scores, or another analyst's came later); with
    several analysts, one line each."""
    q = detail.question
    from forecastapp.core.numbers import format_score

    basis = detail.score_basis()

    def source(pair, final, later) -> str:
        what = (f"forecast {pair.final_forecast_id[:8]}" if final is None else
                f"{_pct(final.probability)} forecast made on {final.made_on.isoformat()} ({final.id[:8]})")
        return what + (f"; {pair.analyst}'s later forecasts are not scored" if later else "")

    if detail.scored_from_latest():
        return [f"Brier (final forecast): {format_score(q.brier)}"]
    if len(basis) == 1:
        pair, final, later = basis[0]
        return [f"Brier (final forecast): {format_score(q.brier)}, from {pair.analyst}'s {source(pair, final, later)}"]
    lines = [f"Brier (final forecast): {format_score(q.brier)}, the mean over {len(basis)} analysts"]
    lines += [f"  {pair.analyst}: {format_score(pair.brier)}, from the {source(pair, final, later)}"
              for pair, final, later in basis]
    return lines


_FIELD_NAMES = {"statement": "statement", "criteria": "criteria", "condition": "condition",
                "resolve_from": "resolve from", "resolve_by": "resolve by"}


def _edit_lines(detail) -> list[str]:
    """The `show` text for a question's edits: who, when, why, and each change."""
    lines: list[str] = []
    for v in detail.edits:
        mark = "  [meaning changed]" if v.meaning_changed else ""
        lines.append(f"  {v.recorded_at[:10]} {v.recorded_at[11:16]}  by {v.recorded_by or '?'}  {v.id[:8]}{mark}")
        lines.append(f"      why: {v.reason}")
        for c in v.changes:
            lines.append(f"      {_FIELD_NAMES[c.field]}: {_quoted(c.before)} -> {_quoted(c.after)}")
        if v.tags_added:
            lines.append(f"      tags added: {', '.join(v.tags_added)}")
        if v.tags_removed:
            lines.append(f"      tags removed: {', '.join(v.tags_removed)}")
    return lines


def _quoted(value: str | None) -> str:
    return "(none)" if value is None or value == "" else f"\u201c{value}\u201d"


@cli.command()
@click.argument("question_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show(ctx, question_id, fmt) -> None:
    """Show a question, its forecast history and its resolutions."""
    from forecastapp.core.model import UNSCORED_REASONS
    from forecastapp.core.queries import question_detail

    db = _ledger(ctx)
    detail = question_detail(db, _question_id(db, question_id), today=_clock(ctx).today)
    if fmt == "json":
        click.echo(json.dumps(detail_json(detail), ensure_ascii=False, indent=1))
        return
    q = detail.question
    status = q.status.value + (f" ({q.outcome.value})" if q.outcome and q.outcome.value != "annulled" else "")
    lines = [q.statement, "", f"id:          {q.id}", f"status:      {status}" + (" [deleted]" if q.deleted else "")]
    if q.resolve_by:
        window = f"{q.resolve_from.isoformat()} to " if q.resolve_from else ""
        lines.append(f"resolve by:  {window}{q.resolve_by.isoformat()}")
    if q.tags:
        lines.append(f"tags:        {', '.join(q.tags)}")
    if q.condition:
        lines.append(f"condition:   {q.condition}")
    if q.criteria:
        lines.append(f"criteria:    {q.criteria}")
    if q.excerpt:
        lines.append(f"source:      {detail.document_title} [{q.excerpt_start}:{q.excerpt_end}]")
        lines.append(f"             \u201c{q.excerpt}\u201d")
    lines += ["", "forecasts:"]
    for f in detail.forecasts:
        term = f" ({f.estimative_term})" if f.estimative_term else ""
        mark = f"  [retracted {f.retracted_at[:10]}]" if f.retracted_at else ""
        lines.append(f"  {f.made_on.isoformat()}  {_pct(f.probability):>6}{term}  {f.analyst}  {f.id[:8]}{mark}")
        if f.unscored:
            day = f" ({q.resolved_on.isoformat()})" if f.unscored == "made_after" and q.resolved_on else ""
            lines.append(f"      [not scored: {UNSCORED_REASONS.get(f.unscored, f.unscored)}{day}]")
        if f.origin:
            lines.append(f"      [{f.origin.describe()}; its dates are the file's]")
        if f.backdated:
            note = f"back-dated: recorded {f.recorded_at[:10]}"
            lines.append(f"      [{note}; evidence: {f.backdate_evidence}]" if f.backdate_evidence
                         else f"      [{note}, with no evidence it was made on {f.made_on.isoformat()}]")
        if f.rationale:
            lines.append(f"      {f.rationale}")
    if detail.resolutions:
        lines += ["", "resolutions:"]
        for r in detail.resolutions:
            state = "in force" if r.effective else "superseded"
            what = r.outcome.value if r.outcome else "withdrawn"
            if r.annul_reason:
                what += f" ({r.annul_reason.replace('_', ' ')})"
            day = r.resolved_on.isoformat() if r.resolved_on else ""
            lines.append(f"  {r.kind:8} {what:10} {day:10}  recorded {r.recorded_at[:19]} by {r.recorded_by or '?'}"
                         f"  [{state}]")
            if r.origin:
                lines.append(f"      [{r.origin.describe()}; its dates are the file's]")
            if r.evidence:
                lines.append(f"      {r.evidence}")
    if detail.edits:
        lines += ["", "edits:"] + _edit_lines(detail)
    if q.brier is not None:
        lines += [""] + _brier_lines(detail)
    click.echo("\n".join(_shown(line) for line in lines))


# ---------------------------------------------------------------- commands: transfer


@cli.command(name="export")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["ledger", "fatebook"]), default="ledger", show_default=True,
              help="ledger: lossless JSON; fatebook: Fatebook's CSV export format, one row per forecast.")
@click.pass_context
def export_(ctx, file, fmt) -> None:
    """Export the whole ledger, history included, to a JSON file (lossless), or as a Fatebook CSV; - is stdout."""
    _check_output(file)
    db = _ledger(ctx)
    _refuse_own_file(ctx, Path(file))
    if fmt == "fatebook":
        from forecastapp.core.formats.fatebook import write_fatebook

        rows = write_fatebook(db, file)
        click.echo(f"wrote {rows} forecast{'s' if rows != 1 else ''} in Fatebook's format", err=True)
        return
    from forecastapp.core.transfer import write_export

    write_export(db, file, now=_clock(ctx).now)


def _check_output(name: str) -> None:
    """Refuse an output name that names no file at all (an empty argument), before any work is done."""
    if not name:
        raise UserError("no output file name given (an empty argument); name a file, or - for standard output")


def _refuse_own_file(ctx: click.Context, target: Path) -> None:
    """Refuse an output file that is the open ledger (or one of its SQLite side files): writing it would destroy it."""
    from forecastapp.core.store import is_ledger_file

    if is_ledger_file(target, _state(ctx)["resolved_path"]):
        raise UserError(f"'{target}' is the ledger's own database file; write the output to another file")


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


@cli.command(name="import")
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

    clock = _clock(ctx)
    mapping = None
    if fmt == "csv":
        mapping = _csv_mapping(path, maps, default_analyst=default_analyst or _login() or "",
                               tag_separator=tag_separator)
    incoming = read_incoming(path, fmt=fmt, mapping=mapping, today=clock.today, now=clock.now)
    if incoming.plan is not None:
        _echo_plan(incoming.plan, mapping)
    db = _ledger(ctx)
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


@cli.command()
@click.argument("other", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def merge(ctx, other) -> None:
    """Bring in another analyst's ledger (.db or .json): new records added, conflicting resolutions flagged."""
    from forecastapp.core.merge import merge_ledger

    db = _ledger(ctx)
    report = merge_ledger(db, Path(other), host=_host(), now=_clock(ctx).now, progress=_progress(),
                          own_path=_state(ctx).get("resolved_path"))
    for line in report.lines():
        click.echo(line)


def _resolution_text(outcome: str | None, day: str | None, *, kind: str = "") -> str:
    if outcome is None:
        return "withdrawn" if kind == "retract" else "open"
    return f"{outcome} {day or ''}".strip()


@cli.command()
@click.option("--all", "include_settled", is_flag=True, help="Include settled conflicts.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def conflicts(ctx, include_settled, fmt) -> None:
    """List questions that a merge found resolved differently here and in the other ledger."""
    from forecastapp.core.merge import conflict_json, list_conflicts
    from forecastapp.core.model import short_id

    rows = list_conflicts(_ledger(ctx), include_settled=include_settled)
    if fmt == "json":
        click.echo(json.dumps([conflict_json(c) for c in rows], ensure_ascii=False, indent=1))
        return
    _print_table(
        ["id", "question", "ours (in force)", "theirs", "from", "settled", "statement"],
        [[short_id(c.id), short_id(c.question_id), _resolution_text(c.ours_outcome, c.ours_resolved_on),
          _resolution_text(c.theirs_outcome, c.theirs_resolved_on, kind=c.theirs_kind), c.source,
          c.settled_kept or "", c.statement] for c in rows],
    )
    if not rows:
        click.echo("(no open conflicts)" if not include_settled else "(no conflicts)")


@cli.command()
@click.argument("conflict_id")
@click.option("--keep", required=True, type=click.Choice(["ours", "theirs"]),
              help="ours: the resolution in force stays; theirs: theirs is recorded as a correction.")
@click.option("--note", default="", help="Why this side was kept.")
@click.option("--by", "recorded_by", help="Who settles it (default: your login name).")
@click.pass_context
def settle(ctx, conflict_id, keep, note, recorded_by) -> None:
    """Settle a resolution conflict by keeping ours or theirs; prints the settlement's id."""
    from forecastapp.core.merge import settle_conflict

    clock = _clock(ctx)
    click.echo(settle_conflict(_ledger(ctx), conflict_id, keep=keep, recorded_by=recorded_by or _login(), note=note,
                               today=clock.today, now=clock.now))


@cli.command()
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
    from forecastapp.core.store import resolve_db_path

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
            _echo_audit(ctx, lambda: audit_scorecard(scorecard, export=export, now=_clock(ctx).now))
        return
    path = resolve_db_path(_state(ctx).get("db_path"))
    if not path.exists():
        # Verifying must never create the ledger it was asked about.
        raise UserError(f"no ledger at '{path}'; give the database to verify with --db")
    db = _ledger(ctx, seed=False)
    result = verify_ledger(db)
    click.echo(result.summary())
    if not result.ok:
        ctx.exit(1)
    if scorecard_file is not None:
        _echo_audit(ctx, lambda: audit_scorecard(scorecard, db=db, now=_clock(ctx).now))


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


# ---------------------------------------------------------------- commands: scorecard

SCORECARD_FORMATS = ("json", "csv", "md", "html", "pdf")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(SCORECARD_FORMATS), default="json", show_default=True,
              help="json and csv for tools; md, html and pdf are reports to send to a colleague.")
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
        _check_output(output)
    if fmt == "pdf" and not output:
        raise UserError("--format pdf writes a file, not text: add --output FILE, e.g. --output scorecard.pdf")
    clock = _clock(ctx)
    since_day = _day(since, clock) if since is not None else None
    until_day = _day(until, clock) if until is not None else None
    db = _ledger(ctx)
    if output is not None:
        _refuse_own_file(ctx, Path(output))
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
        # On stdout a Markdown report carries its chart inside, as a data: URI.
        click.echo(report.scorecard_text(card, fmt), nl=False)
        return
    render_pdf = None
    if fmt == "pdf":
        try:
            from forecastapp.render.pdf import render_pdf  # Qt loads only for a PDF
        except ImportError:
            raise UserError("PDF export needs Qt (PySide6), which is not installed; choose --format html") from None
    report.write_scorecard(card, output, fmt, render_pdf=render_pdf)


from forecastapp.cli_document import document  # noqa: E402 - registered after the helpers it uses

cli.add_command(document)


def main() -> None:
    """Console entry point."""
    try:
        cli(obj={})
    except BrokenPipeError:
        # `forecastapp list | head`: the reader left; that is not an error worth a message.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
