"""Commands that read the ledger: list and show (and the JSON objects they print, a contract)."""

from __future__ import annotations

import csv
import io
import json

import click

from forecastapp.cli import session
from forecastapp.cli.output import pct, print_table, quoted, shown

OUTPUT_FORMATS = ("table", "csv", "json")
#: The largest --limit passed on to SQLite (its integers are 64-bit).
MAX_LIMIT = 2**63 - 1


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


@click.command(name="list")
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
    db = session.ledger(ctx)
    rows = list_questions(
        db, QuestionFilter(status=status, tag=tag, analyst=analyst, search=search), today=session.clock(ctx).today,
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

        print_table(
            ["id", "status", "latest", "resolve by", "tags", "statement"],
            [[short_id(r.id), r.status.value if r.outcome is None or r.outcome.value == "annulled"
              else f"{r.status.value} {r.outcome.value}",
              pct(r.latest_probability), r.resolve_by.isoformat() if r.resolve_by else "",
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
                f"{pct(final.probability)} forecast made on {final.made_on.isoformat()} ({final.id[:8]})")
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
            lines.append(f"      {_FIELD_NAMES[c.field]}: {quoted(c.before)} -> {quoted(c.after)}")
        if v.tags_added:
            lines.append(f"      tags added: {', '.join(v.tags_added)}")
        if v.tags_removed:
            lines.append(f"      tags removed: {', '.join(v.tags_removed)}")
    return lines


@click.command()
@click.argument("question_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show(ctx, question_id, fmt) -> None:
    """Show a question, its forecast history and its resolutions."""
    from forecastapp.core.model import UNSCORED_REASONS
    from forecastapp.core.queries import question_detail

    db = session.ledger(ctx)
    detail = question_detail(db, session.find_question(db, question_id), today=session.clock(ctx).today)
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
        lines.append(f"  {f.made_on.isoformat()}  {pct(f.probability):>6}{term}  {f.analyst}  {f.id[:8]}{mark}")
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
    click.echo("\n".join(shown(line) for line in lines))
