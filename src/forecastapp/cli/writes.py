"""Commands that write the ledger: add, update, resolve, correct, unresolve, retract, delete, restore, edit."""

from __future__ import annotations

import click

from forecastapp.cli import session
from forecastapp.cli.output import UserError


@click.command()
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

    clock = session.clock(ctx)
    p = session.read_probability(probability)
    made = session.read_day(made_on, clock)
    window = parse_deadline(resolve_by, made_on=made) if resolve_by else None
    db = session.ledger(ctx)
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


@click.command()
@click.argument("question_id")
@click.option("--probability", "-p", required=True, help='0.7, 70%, 70, or a term such as "likely".')
@click.option("--analyst", "-a", required=True, help="Who makes the forecast.")
@click.option("--made-on", help="When the forecast was made (default: today).")
@click.option("--rationale", default="", help="Why the probability changed.")
@click.pass_context
def update(ctx, question_id, probability, analyst, made_on, rationale) -> None:
    """Record a new probability for a question (the old one stays in the history); prints the forecast id."""
    from forecastapp.core import ledger

    clock = session.clock(ctx)
    p = session.read_probability(probability)
    made = session.read_day(made_on, clock)
    db = session.ledger(ctx)
    qid = session.find_question(db, question_id)
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

    clock = session.clock(ctx)
    if condition_not_met and outcome.lower() != "annulled":
        raise UserError("--condition-not-met goes with --outcome annulled")
    # A correction without --resolved-on keeps the day it corrects (ledger.correct_resolution).
    day = None if write_keeps_day and resolved_on is None else session.read_day(resolved_on, clock)
    db = session.ledger(ctx)
    record_id = write(
        db, question_id=session.find_question(db, question_id), outcome=outcome, resolved_on=day, evidence=evidence,
        recorded_by=recorded_by or session.login(), annul_reason=CONDITION_NOT_MET if condition_not_met else None,
        today=clock.today, now=clock.now,
    )
    click.echo(record_id)


@click.command()
@_outcome_options("A source, a link, or what happened.", evidence_required=False,
                  by_help="Who records the resolution (default: your login name).")
def resolve(ctx, **options) -> None:
    """Record how a question resolved; prints the resolution record's id."""
    from forecastapp.core import ledger

    _record_outcome(ctx, ledger.resolve, **options)


@click.command()
@_outcome_options("Why the resolution in force was wrong.", evidence_required=True,
                  by_help="Who records the correction (default: your login name).",
                  resolved_on_help="When the outcome became known (default: the day of the resolution it corrects).")
def correct(ctx, **options) -> None:
    """Correct a resolution with a new record that supersedes it (both stay visible)."""
    from forecastapp.core import ledger

    _record_outcome(ctx, ledger.correct_resolution, write_keeps_day=True, **options)


@click.command()
@click.argument("question_id")
@click.option("--reason", default="", help="Why the resolution is withdrawn.")
@click.pass_context
def unresolve(ctx, question_id, reason) -> None:
    """Withdraw a question's resolution (the question is open again; the record stays visible)."""
    from forecastapp.core import ledger

    db = session.ledger(ctx)
    click.echo(ledger.retract_resolution(db, question_id=session.find_question(db, question_id), reason=reason,
                                        recorded_by=session.login(), now=session.clock(ctx).now))


@click.command()
@click.argument("forecast_id")
@click.option("--reason", default="", help="Why the forecast is withdrawn.")
@click.pass_context
def retract(ctx, forecast_id, reason) -> None:
    """Withdraw one forecast: it stays in the history, marked retracted, and is not scored."""
    from forecastapp.core import ledger

    from forecastapp.core.queries import resolve_record_id

    db = session.ledger(ctx)
    # Any unique prefix of 4 or more characters, as `show` prints them (issue 14, item 10).
    fid = resolve_record_id(db, "forecasts", forecast_id, what="forecast")
    click.echo(ledger.retract_forecast(db, forecast_id=fid, reason=reason, now=session.clock(ctx).now))


@click.command()
@click.argument("question_id")
@click.option("--reason", default="", help="Why the question is removed.")
@click.pass_context
def delete(ctx, question_id, reason) -> None:
    """Soft-delete a question: hidden from lists and scores, kept in the history, undone by `restore`."""
    from forecastapp.core import ledger

    db = session.ledger(ctx)
    ledger.delete_question(db, question_id=session.find_question(db, question_id), reason=reason,
                           now=session.clock(ctx).now)


@click.command()
@click.argument("question_id")
@click.pass_context
def restore(ctx, question_id) -> None:
    """Bring back a soft-deleted question."""
    from forecastapp.core import ledger

    db = session.ledger(ctx)
    ledger.restore_question(db, question_id=session.find_question(db, question_id), now=session.clock(ctx).now)


def _edit_date(text: str | None, clock: session.Clock, *, deadline: bool):
    """An edit's date option: ... (not given), None ("none": remove it), or the day/window it names."""
    if text is None:
        return ...
    if text.strip().lower() == "none":
        return None
    if deadline:
        from forecastapp.core.dates import parse_deadline

        return parse_deadline(text, made_on=clock.today)
    return session.read_day(text, clock)


@click.command()
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

    clock = session.clock(ctx)
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
    db = session.ledger(ctx)
    click.echo(ledger.edit_question(
        db, question_id=session.find_question(db, question_id), statement=statement, criteria=criteria,
        condition=condition, resolve_by=new_by, resolve_from=new_from, tags_add=tags_add, tags_remove=tags_remove,
        reason=reason,
        recorded_by=session.login() if recorded_by is None else recorded_by, now=clock.now,
    ))
