"""`forecastapp document ...`: import an assessment, list its candidate forecasts, accept some as questions.

Everything heavy (the detector, Qt for PDF) is imported inside the commands, so `forecastapp list`
and the other commands start as fast as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from forecastapp.cli import session
from forecastapp.cli.output import pct, print_table

HORIZON_HELP = "Months to the proposed resolve-by date when a sentence names no time (default 24)."


@click.group()
def document() -> None:
    """Import an assessment document and turn its estimative language into forecasts."""


def _summary(candidates) -> str:
    counts = {"strong": 0, "moderate": 0, "weak": 0}
    for c in candidates:
        counts[c.strength_label] += 1
    n = len(candidates)
    noun = "candidate forecast" if n == 1 else "candidate forecasts"
    if not n:
        return f"0 {noun}"
    return f"{n} {noun} ({counts['strong']} strong, {counts['moderate']} moderate, {counts['weak']} weak)"


@document.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="The document's title (default: the Markdown heading or the file name).")
@click.option("--author", help="Who wrote it; their forecasts are recorded under this name.")
@click.option("--published", help="When it was published; proposed deadlines count from this date.")
@click.pass_context
def import_(ctx: click.Context, file: Path, title: str | None, author: str | None, published: str | None) -> None:
    """Import a .txt, .md or .pdf assessment; prints its id alone on the first line, then its candidates."""
    from forecastapp.core.dates import parse_day
    from forecastapp.core.documents import import_document

    clock = session.clock(ctx)
    published_on = parse_day(published, today=clock.today) if published else None
    db = session.ledger(ctx)
    result = import_document(
        db, file, title=title, author=author, published_on=published_on, today=clock.today, now=clock.now,
        pdf_reader=_pdf_text,
    )
    click.echo(result.document_id)
    if result.created:
        sentences = f"{result.sentences} sentence" + ("" if result.sentences == 1 else "s")
        click.echo(f'Imported "{result.title}": {sentences}, {_summary(result.candidates)}.')
    else:
        click.echo(f'Already in the ledger as "{result.title}" (same text); nothing was added. '
                   f"{_summary(result.candidates).capitalize()}.")
    if result.candidates:
        click.echo(f"List them with: forecastapp document candidates {result.document_id[:8]}")


def _pdf_text(file: Path) -> str:
    """The PDF's text; Qt is loaded only here, once the core has found the file is a PDF."""
    from forecastapp.render.pdf_text import pdf_text

    return pdf_text(file)


def candidate_json(candidate, accepted_as: str | None) -> dict:
    """The `document candidates --format json` object for one candidate (keys are only ever added)."""
    return {
        "id": candidate.id,
        "sentence": candidate.sentence,
        "start": candidate.start,
        "end": candidate.end,
        "terms": list(candidate.terms),
        "probability": candidate.probability,
        "negated": candidate.negated,
        "condition": candidate.condition,
        "resolve_by": candidate.resolve_by,
        "reason": candidate.reason,
        "term": candidate.term,
        "strength": candidate.strength,
        "statement": candidate.statement,
        "resolve_from": candidate.resolve_from,
        "accepted_as": accepted_as,
    }


@document.command()
@click.argument("document_id")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--horizon", "horizon", type=click.IntRange(min=1, max=1200), default=24, show_default=True,
              help=HORIZON_HELP)
@click.pass_context
def candidates(ctx: click.Context, document_id: str, fmt: str, horizon: int) -> None:
    """List a document's candidate forecasts: sentence, offsets, matched words, probability, deadline."""
    from forecastapp.core.documents import accepted_questions, document_candidates, resolve_document_id

    db = session.ledger(ctx)
    doc_id = resolve_document_id(db, document_id)
    found = document_candidates(db, doc_id, today=session.clock(ctx).today, default_horizon_months=horizon)
    accepted = accepted_questions(db, doc_id)
    if fmt == "json":
        click.echo(json.dumps([candidate_json(c, accepted.get(c.id)) for c in found], ensure_ascii=False, indent=1))
        return
    rows = []
    for c in found:
        mark = f"= {accepted[c.id][:8]}" if c.id in accepted else ""
        rows.append([c.id, pct(c.probability), c.term + (" (negated)" if c.negated else ""), c.strength_label,
                     c.resolve_by or "", mark, " ".join(c.sentence.split())])
    print_table(["candidate", "p", "term", "strength", "resolve by", "question", "sentence"], rows)
    if not rows:
        click.echo("(no candidate forecasts in this document)")


@document.command()
@click.argument("document_id")
@click.argument("candidate_ids", nargs=-1, required=True)
@click.option("--horizon", "horizon", type=click.IntRange(min=1, max=1200), default=24, show_default=True,
              help=HORIZON_HELP)
@click.pass_context
def accept(ctx: click.Context, document_id: str, candidate_ids: tuple[str, ...], horizon: int) -> None:
    """Turn candidates into questions forecast by the document's author; prints the new question ids."""
    from forecastapp.core.documents import accept_candidates, resolve_document_id

    clock = session.clock(ctx)
    db = session.ledger(ctx)
    doc_id = resolve_document_id(db, document_id)
    for qid in accept_candidates(db, doc_id, candidate_ids, today=clock.today, now=clock.now,
                                 default_horizon_months=horizon):
        click.echo(qid)
