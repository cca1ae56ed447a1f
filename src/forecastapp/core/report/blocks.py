"""The scorecard laid out for people as titled blocks of plain text, free of any markup (markup.py renders them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from forecastapp.core.numbers import (
    DASH,
    format_count,
    format_forecast,
    format_interval,
    format_percent,
    format_score,
    format_signed,
)
from forecastapp.core.report.chart import calibration_svg
from forecastapp.core.report.sentences import (
    MARK_WORDS,
    filters_text,
    hindsight_text,
    integrity_text,
    mark_text,
    term_verdict,
)
from forecastapp.core.scorecard_types import (
    MARKS,
    AnalystFigures,
    Figures,
    Scorecard,
    TermFigures,
)

DEFAULT_MAX_PAIRS = 200
"""Scored questions listed in a Markdown/HTML/PDF report before the list is cut."""


# --- the report as blocks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A section title (level 1 or 2)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Plain text; renderers escape it."""

    text: str
    muted: bool = False


@dataclass(frozen=True)
class Bullets:
    """A short list of plain-text items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells; `numeric` marks the columns to right-align."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    empty: str = "none"
    wide: bool = False  # stretch to the page width (long names, many columns)
    widths: tuple[str | None, ...] = ()  # HTML column widths such as "45%", where one column needs room
    nowrap: tuple[bool, ...] = ()  # columns whose cells stay on one line (dates, short figures)


@dataclass(frozen=True)
class Chart:
    """The calibration diagram (SVG text) with its alternative text."""

    svg: str
    alt: str


Block = Heading | Paragraph | Bullets | Table | Chart


@dataclass(frozen=True)
class Report:
    """A scorecard laid out for people: a title and blocks, still free of any markup."""

    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def _group_table(groups: Sequence[Figures], label: str, *, relative: bool = False) -> Table:
    headers = [label, "Pairs", "Brier", "90% interval", "Time-avg Brier", "Log score", "Skill vs 50%"]
    numeric = [False, True, True, True, True, True, True]
    if relative:
        headers.append("Relative Brier (questions)")
        numeric.append(True)
    rows = []
    for g in groups:
        row = [str(g.label if g.label is not None else DASH), format_count(g.n), format_score(g.brier),
               format_interval(g.brier_ci90), format_score(g.brier_time_averaged), format_score(g.log_score),
               format_score(g.brier_skill_vs_50, 2)]
        if relative:
            assert isinstance(g, AnalystFigures)
            row.append(f"{format_signed(g.relative_brier)} ({format_count(g.relative_brier_n)})"
                       if g.relative_brier is not None else DASH)
        rows.append(tuple(row))
    nowrap = (False, True, True, True) + (False,) * (len(headers) - 4)
    return Table(tuple(headers), tuple(rows), tuple(numeric), wide=True, widths=("22%",), nowrap=nowrap)


def _opening(card: Scorecard) -> list[Block]:
    """When and from what the scorecard was drawn, the ledger's integrity, the scale, and what it rests on."""
    ledger = card.ledger
    blocks: list[Block] = [
        Paragraph(f"Generated {card.generated_at[:16].replace('T', ' ')} UTC. Filters: "
                  f"{filters_text(card.filters)}. Ledger: {format_count(ledger.questions)} questions, "
                  f"{format_count(ledger.forecasts)} forecasts.", muted=True),
        Paragraph(integrity_text(ledger), muted=ledger.verified is not False),
        Paragraph(f"Scale: Brier scores run {card.scale.brier}. Lower is better; always saying 50% "
                  "scores 0.25. Log scores use the natural log; higher (closer to 0) is better. Estimative "
                  f"terms follow {card.scale.terms}."),
    ]
    for text in (*(mark_text(card, mark) for mark in MARK_WORDS), hindsight_text(card)):
        if text:
            blocks.append(Paragraph(text))
    if card.overall.n == 0:
        blocks.append(Paragraph("No scored pairs match these filters: nothing has resolved yes or no with a "
                                "forecast made on or before its resolution. Every figure below is empty."))
    return blocks


def _headline(o: Figures) -> list[Block]:
    """The overall figures and the calibration of every pair."""
    murphy = o.murphy
    return [
        Heading("Headline"),
        Table(
            ("Figure", "Value"),
            (
                ("Scored pairs (question, analyst)", format_count(o.n)),
                *((MARK_WORDS[mark].headline_row, format_count(o.marked_pairs(mark))) for mark in MARKS),
                ("Brier, final forecast (0-1)", format_score(o.brier)),
                ("90% bootstrap interval of that Brier", format_interval(o.brier_ci90)),
                ("Brier, time-averaged over the days open", format_score(o.brier_time_averaged)),
                ("Log score, final forecast", format_score(o.log_score)),
                ("Base rate (share resolved yes)", format_percent(o.base_rate)),
                ("Skill vs always 50%", format_score(o.brier_skill_vs_50, 2)),
                ("Skill vs the base rate", format_score(o.brier_skill_vs_base_rate, 2)),
                ("Murphy: reliability (lower is better)", format_score(murphy.reliability, 4)),
                ("Murphy: resolution (higher is better)", format_score(murphy.resolution, 4)),
                ("Murphy: uncertainty", format_score(murphy.uncertainty, 4)),
            ),
            (False, True),
        ),
        Heading("Calibration"),
        Chart(calibration_svg(o), alt=f"Reliability diagram of {format_count(o.n)} scored pairs"),
        Table(
            ("Forecast bin", "Pairs", "Mean forecast", "Observed", "95% interval"),
            tuple(
                (f"{round(b.lower * 100)}-{round(b.upper * 100)}%", format_count(b.n),
                 format_percent(b.mean_forecast), format_percent(b.observed),
                 DASH if b.ci_low is None else f"{format_percent(b.ci_low)} to {format_percent(b.ci_high)}")
                for b in o.calibration
            ),
            (False, True, True, True, True),
        ),
    ]


def _terms(terms: Sequence[TermFigures]) -> list[Block]:
    """How often what each estimative term said happened, against the term's ICD 203 range."""
    blocks: list[Block] = [Heading("Words of estimative probability (ICD 203)"), Table(
        ("Term", "ICD 203 range", "Happened", "Share", "Verdict", "Brier"),
        tuple(
            (t.term, t.range or DASH, f"{format_count(t.happened)} of {format_count(t.of)}",
             format_percent(t.happened / t.of) if t.of else DASH, term_verdict(t), format_score(t.brier))
            for t in terms
        ),
        (False, True, True, True, False, True),
        empty="no final forecast was entered as an estimative term",
    )]
    if terms:
        blocks.append(Bullets(tuple(
            f"said {t.term}: {format_count(t.happened)} of {format_count(t.of)} happened, range {t.range or DASH}"
            for t in terms
        )))
    return blocks


def _not_scored(card: Scorecard) -> list[Block]:
    """What the scores leave out: questions by reason, pairs the filters dropped, hindsight forecasts."""
    excluded = card.excluded
    return [Heading("Not scored"), Table(
        ("Questions", "Count"),
        (
            ("Annulled", format_count(excluded.annulled)),
            ("Annulled because their condition did not hold", format_count(excluded.condition_not_met)),
            ("Resolved with no forecast made on or before resolution",
             format_count(excluded.no_forecast_before_resolution)),
            ("Due: still open after their resolve-by date", format_count(excluded.due)),
            *((MARK_WORDS[mark].left_out_row, format_count(excluded.left_out_for(mark)))
              for mark in MARKS if card.filters.excludes(mark)),
            ("Forecasts left out as hindsight (made or recorded after the outcome was on the record)",
             format_count(excluded.hindsight)),
        ),
        (False, True),
    )]


def _scored_questions(pairs: Sequence[dict[str, Any]], max_pairs: int) -> list[Block]:
    """The most recently resolved scored pairs, with a note where the list is cut."""
    blocks: list[Block] = [Heading("Scored questions")]
    shown = list(reversed(pairs[max(0, len(pairs) - max_pairs):])) if max_pairs > 0 else []
    if len(pairs) > len(shown):
        blocks.append(Paragraph(
            f"The {format_count(len(shown))} most recently resolved of {format_count(len(pairs))} scored pairs; "
            "the CSV and JSON exports list every one.", muted=True))
    blocks.append(Table(
        ("Resolved", "Question", "Analyst", "Final forecast", "Outcome", "Brier"),
        tuple(
            (p["resolved_on"], p["statement"], p["analyst"], format_forecast(p["final_probability"], p["final_term"]),
             p["outcome"], format_score(p["brier"]))
            for p in shown
        ),
        (False, False, False, True, False, True),
        empty="no scored questions",
        wide=True,
        widths=(None, "44%"),
        nowrap=(True, False, False, False, False, True),
    ))
    return blocks


def report_blocks(card: Scorecard, *, max_pairs: int = DEFAULT_MAX_PAIRS) -> Report:
    """Lay the scorecard out as titled blocks of plain text (the renderers add markup and escaping)."""
    blocks = [
        *_opening(card),
        *_headline(card.overall),
        *_terms(card.terms),
        Heading("Analysts"),
        Paragraph("Relative Brier: the analyst's Brier minus the median of the other analysts on the same "
                  "questions, averaged over those questions; negative is better.", muted=True),
        _group_table(card.analysts, "Analyst", relative=True),
        Heading("Tags"),
        _group_table(card.tags, "Tag"),
        Heading("Documents"),
        _group_table(card.documents, "Document"),
        Heading("Horizon (first forecast to resolution)"),
        _group_table(card.horizons, "Horizon"),
        *_not_scored(card),
        *_scored_questions(card.pairs, max_pairs),
    ]
    return Report("Forecast scorecard", tuple(blocks))
