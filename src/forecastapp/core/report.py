"""Scorecard exports without Qt: JSON, CSV, Markdown and HTML, plus the reliability diagram as SVG.

Every export takes the `Scorecard` that `core.scorecard.build_scorecard` returns (core/scorecard_types.py).

- JSON (`to_json`): the scorecard as is; the group sections indented, each scored pair on one line.
- CSV (`to_csv`): one text with two sections, so it works the same on stdout and in a file: first a
  table with one row per group (overall, analyst, tag, document, term, horizon) and its headline
  figures, then one empty line, then a table with one row per scored pair. Cells that a spreadsheet
  would run as a formula (text starting with = + - @ tab or CR, unless it is a plain number) get a
  leading apostrophe.
- Markdown (`to_markdown`) and HTML (`to_html`): a report to send a colleague. Both come from the same
  list of blocks (`report_blocks`), and every piece of text in a block is escaped by the renderer, so
  no statement, name or tag can inject markup. HTML is one self-contained file (the chart is inline
  SVG); Markdown points at the chart (a file name, or an inline data: URI).

Every Markdown/HTML/PDF report states the ledger's integrity under its first line (`integrity_text`):
"Ledger verified: N records, chain head H", "Ledger chain broken at record N ...", or, for a scorecard
built without `verify`, the head and that it was not checked; and how many scored pairs rest on
back-dated forecasts.

The long list of scored questions in the Markdown/HTML/PDF reports is cut at `max_pairs` (most recent
first) with a note saying how many were left out; JSON and CSV always list every pair.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forecastapp.core.errors import ValidationError
from forecastapp.core.files import is_stream, write_output
from forecastapp.core.numbers import (
    DASH,
    format_count,
    format_forecast,
    format_interval,
    format_percent,
    format_score,
    format_signed,
)
from forecastapp.core.scorecard_types import (
    MARKS,
    AnalystFigures,
    Figures,
    LedgerStatement,
    Scorecard,
    ScorecardFilters,
    TermFigures,
)

DEFAULT_MAX_PAIRS = 200
"""Scored questions listed in a Markdown/HTML/PDF report before the list is cut."""

CSV_GROUP_COLUMNS = (
    "group", "name", "n", "brier", "brier_ci90_low", "brier_ci90_high", "brier_time_averaged", "log_score",
    "base_rate", "brier_skill_vs_50", "brier_skill_vs_base_rate", "reliability", "resolution", "uncertainty",
    "relative_brier", "relative_brier_n", "term_range", "happened", "backdated_pairs", "imported_pairs",
    "reworded_pairs",
)
CSV_PAIR_COLUMNS = (
    "question_id", "statement", "analyst", "final_probability", "final_term", "outcome", "resolved_on", "brier",
    "brier_time_averaged", "log_score", "backdated", "imported_format", "imported_from", "imported_at", "reworded",
)

# --- JSON -----------------------------------------------------------------------------------------


def to_json(card: Scorecard) -> str:
    """The scorecard as JSON text (`Scorecard.to_json`): sections indented, one scored pair per line; ASCII."""
    return card.to_json()


# --- CSV ------------------------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def csv_cell(value: object) -> str:
    """A spreadsheet-safe cell: text starting with = + - @ tab or CR gets a leading apostrophe, numbers stay."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    if text and text[0] in "=+-@\t\r" and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _group_csv_row(group: str, g: Figures) -> list[object]:
    ci = g.brier_ci90 or (None, None)
    m = g.murphy
    relative = (g.relative_brier, g.relative_brier_n) if isinstance(g, AnalystFigures) else (None, None)
    term = (g.range, g.happened) if isinstance(g, TermFigures) else (None, None)
    return [
        group, g.label, g.n, g.brier, ci[0], ci[1], g.brier_time_averaged, g.log_score, g.base_rate,
        g.brier_skill_vs_50, g.brier_skill_vs_base_rate, m.reliability, m.resolution, m.uncertainty, *relative,
        *term, *(g.marked_pairs(mark) for mark in MARKS),
    ]


def group_sections(card: Scorecard) -> tuple[tuple[str, tuple[Figures, ...]], ...]:
    """Each kind of group (analyst, tag, document, term, horizon) with the scorecard's groups of that kind."""
    return (("analyst", card.analysts), ("tag", card.tags), ("document", card.documents), ("term", card.terms),
            ("horizon", card.horizons))


def to_csv(card: Scorecard) -> str:
    """Groups table, one empty line, pairs table (see the module docstring); every cell neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_GROUP_COLUMNS)
    rows: list[list[object]] = [_group_csv_row("overall", card.overall)]
    for group, groups in group_sections(card):
        rows.extend(_group_csv_row(group, g) for g in groups)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    buf.write("\n")
    writer.writerow(CSV_PAIR_COLUMNS)
    writer.writerows([csv_cell(p[k]) for k in CSV_PAIR_COLUMNS] for p in card.pairs)
    return buf.getvalue()


# --- calibration chart (SVG) ------------------------------------------------------------------------

CHART_WIDTH = 520
CHART_HEIGHT = 470
_PLOT = (64, 44, 320, 320)  # x, y, width, height of the square plot
_HIST_TOP = 404
_HIST_HEIGHT = 36
_ACCENT = "#1d4ed8"
_GRID = "#d1d5db"
_INK = "#111827"
_MUTED = "#4b5563"


def calibration_svg(group: Figures, *, title: str | None = None) -> str:
    """The reliability diagram of one group as standalone SVG text (SVG Tiny features only, so Qt draws it too).

    Each non-empty bin is a dot at (mean forecast, observed frequency) with its Wilson 95% interval as a
    vertical bar and an area that grows with the bin's count; the dashed diagonal is perfect
    calibration; the bars underneath show how many pairs each bin holds.
    """
    x0, y0, w, h = _PLOT
    n = group.n
    bins = group.calibration
    heading = title or (f"Calibration of {format_count(n)} scored pair{'s' if n != 1 else ''}" if n else
                        "Calibration: no scored pairs")

    def px(p: float) -> float:
        return round(x0 + p * w, 2)

    def py(p: float) -> float:
        return round(y0 + (1.0 - p) * h, 2)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" width="{CHART_WIDTH}" '
        f'height="{CHART_HEIGHT}" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" font-family="sans-serif">',
        f"<title>{html.escape(heading)}</title>",
        f'<rect x="0" y="0" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" fill="#ffffff"/>',
        f'<text x="{x0}" y="24" font-size="15" font-weight="bold" fill="{_INK}">{html.escape(heading)}</text>',
    ]
    # Grid and ticks every 20%.
    for i in range(6):
        p = i / 5
        label = f"{i * 20}%"
        out.append(f'<line x1="{px(p)}" y1="{y0}" x2="{px(p)}" y2="{y0 + h}" stroke="{_GRID}" stroke-width="1"/>')
        out.append(f'<line x1="{x0}" y1="{py(p)}" x2="{x0 + w}" y2="{py(p)}" stroke="{_GRID}" stroke-width="1"/>')
        out.append(f'<text x="{px(p)}" y="{y0 + h + 16}" font-size="11" fill="{_MUTED}" '
                   f'text-anchor="middle">{label}</text>')
        out.append(f'<text x="{x0 - 6}" y="{py(p) + 4}" font-size="11" fill="{_MUTED}" '
                   f'text-anchor="end">{label}</text>')
    out.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="{_MUTED}" stroke-width="1"/>')
    out.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(1)}" y2="{py(1)}" stroke="{_MUTED}" stroke-width="1.2" '
               'stroke-dasharray="6,4"/>')
    out.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 34}" font-size="12" fill="{_INK}" text-anchor="middle">'
               "Forecast probability (mean of each bin)</text>")
    cy = y0 + h / 2
    out.append(f'<text x="18" y="{cy}" font-size="12" fill="{_INK}" text-anchor="middle" '
               f'transform="rotate(-90 18 {cy})">Observed frequency (resolved yes)</text>')

    filled = [b for b in bins if b.n]
    largest = max((b.n for b in filled), default=0)
    points = []
    for b in filled:
        x, y = px(b.mean_forecast), py(b.observed)
        points.append(f"{x},{y}")
        out.append(f'<line x1="{x}" y1="{py(b.ci_low)}" x2="{x}" y2="{py(b.ci_high)}" stroke="{_ACCENT}" '
                   'stroke-width="2" stroke-opacity="0.45"/>')
    if len(points) > 1:
        out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{_ACCENT}" stroke-width="1.5"/>')
    for b in filled:
        radius = round(3.5 + 5.5 * (b.n / largest) ** 0.5, 2)
        out.append(f'<circle cx="{px(b.mean_forecast)}" cy="{py(b.observed)}" r="{radius}" fill="{_ACCENT}" '
                   'stroke="#ffffff" stroke-width="1"/>')

    # Histogram of pairs per bin, on the same x scale.
    out.append(f'<text x="{x0 - 6}" y="{_HIST_TOP + _HIST_HEIGHT / 2 + 4}" font-size="11" fill="{_MUTED}" '
               'text-anchor="end">pairs</text>')
    out.append(f'<line x1="{x0}" y1="{_HIST_TOP + _HIST_HEIGHT}" x2="{x0 + w}" y2="{_HIST_TOP + _HIST_HEIGHT}" '
               f'stroke="{_MUTED}" stroke-width="1"/>')
    for b in bins:
        count = b.n
        if not count:
            continue
        bar = max(1.0, round(_HIST_HEIGHT * count / largest, 2))
        left = px(b.lower) + 2
        out.append(f'<rect x="{left}" y="{_HIST_TOP + _HIST_HEIGHT - bar}" width="{round(w / 10 - 4, 2)}" '
                   f'height="{bar}" fill="{_ACCENT}" fill-opacity="0.35"/>')
        out.append(f'<text x="{left + w / 20 - 2}" y="{_HIST_TOP + _HIST_HEIGHT + 13}" font-size="10" '
                   f'fill="{_MUTED}" text-anchor="middle">{format_count(count)}</text>')

    # Legend to the right of the plot.
    lx = x0 + w + 18
    out.append(f'<circle cx="{lx + 6}" cy="{y0 + 10}" r="5" fill="{_ACCENT}"/>')
    out.append(f'<text x="{lx + 16}" y="{y0 + 14}" font-size="11" fill="{_INK}">observed</text>')
    out.append(f'<line x1="{lx + 6}" y1="{y0 + 26}" x2="{lx + 6}" y2="{y0 + 44}" stroke="{_ACCENT}" '
               'stroke-width="2" stroke-opacity="0.45"/>')
    out.append(f'<text x="{lx + 16}" y="{y0 + 39}" font-size="11" fill="{_INK}">95% interval</text>')
    out.append(f'<line x1="{lx}" y1="{y0 + 60}" x2="{lx + 12}" y2="{y0 + 60}" stroke="{_MUTED}" '
               'stroke-width="1.2" stroke-dasharray="6,4"/>')
    out.append(f'<text x="{lx + 16}" y="{y0 + 64}" font-size="11" fill="{_INK}">perfect</text>')
    out.append(f'<text x="{lx + 16}" y="{y0 + 78}" font-size="11" fill="{_INK}">calibration</text>')
    if not filled:
        out.append(f'<text x="{x0 + w / 2}" y="{cy}" font-size="13" fill="{_MUTED}" text-anchor="middle">'
                   "nothing to plot yet</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def svg_data_uri(svg: str) -> str:
    """An SVG as a data: URI, for Markdown printed to stdout where no image file can sit beside it."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


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


def _filters_text(filters: ScorecardFilters) -> str:
    parts = []
    if filters.analyst:
        parts.append(f"analyst {filters.analyst}")
    if filters.tag:
        parts.append(f"tag {filters.tag}")
    if filters.since and filters.until:
        parts.append(f"resolved {filters.since} to {filters.until}")
    elif filters.since:
        parts.append(f"resolved on or after {filters.since}")
    elif filters.until:
        parts.append(f"resolved on or before {filters.until}")
    parts += [MARK_WORDS[mark].left_out for mark in MARKS if filters.excludes(mark)]
    return "; ".join(parts) if parts else "none (every scored pair)"


def integrity_text(ledger: LedgerStatement) -> str:
    """One sentence on the ledger's hash chain as the scorecard states it (verified, broken, or not checked)."""
    head = ledger.chain_head
    if not head:
        return "The ledger's hash chain is not stated in this scorecard (made by an older forecastapp)."
    if ledger.verified is True:
        return f"Ledger verified: {format_count(ledger.chain_records or 0)} records, chain head {head}."
    if ledger.verified is False:
        summary = str(ledger.verify or "")
        if summary.startswith("derived"):
            # The chain holds, but a stored figure or state does not follow from it (integrity.derived_problem).
            return (f"Ledger check failed: {summary}. These figures may have been edited after they were "
                    f"computed; chain head {head}.")
        # The summary reads "broken at record N (table id): reason".
        return (f"Ledger chain {summary}. These figures may rest on records changed after they were written; "
                f"chain head {head}.")
    return (f"Ledger chain head {head} (the chain was not verified for this scorecard; "
            "forecastapp verify checks it).")


@dataclass(frozen=True)
class MarkWords:
    """How the reports speak of one mark of scorecard MARKS."""

    did: str  # what the final forecast of a marked pair did
    rests_on: str  # what such a pair rests on
    left_out: str  # how the filters line says the mark's pairs were left out
    left_out_row: str  # the "Not scored" table's row for the pairs the filter left out


MARK_WORDS: dict[str, MarkWords] = {
    "backdated": MarkWords(
        "was back-dated (made on more than a day before it was recorded)",
        "a back-dated final forecast (made on more than a day before it was recorded), which could be hindsight",
        "back-dated forecasts left out", "Scored pairs left out: final forecast back-dated"),
    "imported": MarkWords(
        "was imported from a file",
        "a final forecast imported from a file, whose dates are the file's word, not this ledger's record",
        "imported forecasts left out", "Scored pairs left out: final forecast imported"),
    "reworded": MarkWords(
        "was made on earlier wording", "a final forecast made before an edit changed what its question asks",
        "forecasts on earlier wording left out", "Scored pairs left out: final forecast made on earlier wording"),
}
"""How the reports speak of each mark of scorecard.MARKS (same keys, same order)."""

#: The headline table's row for each mark: how many scored pairs carry it.
_MARK_HEADLINE = {
    "backdated": "Of which the final forecast was back-dated",
    "imported": "Of which the final forecast was imported",
    "reworded": "Of which the final forecast was made on earlier wording",
}


def mark_text(card: Scorecard, mark: str) -> str | None:
    """How many scored pairs carry a mark (MARK_WORDS), or were left out for it; None if neither."""
    words = MARK_WORDS[mark]
    if card.filters.excludes(mark):
        left_out = card.excluded.left_out_for(mark)
        return (f"{format_count(left_out)} scored pair{'s' if left_out != 1 else ''} whose final forecast "
                f"{words.did} {'were' if left_out != 1 else 'was'} left out.")
    n = card.overall.marked_pairs(mark)
    if not n:
        return None
    return (f"{format_count(n)} of {format_count(card.overall.n)} scored pairs rest on {words.rests_on}; "
            f"forecastapp scorecard --exclude-{mark} scores without them.")


def _hindsight_text(card: Scorecard) -> str | None:
    """How many forecasts were left out as hindsight; None if none."""
    n = card.excluded.hindsight
    if not n:
        return None
    return (f"{format_count(n)} forecast{'s' if n != 1 else ''} made or recorded after {'their' if n != 1 else 'its'} "
            f"question's outcome was on the record {'are' if n != 1 else 'is'} kept in the history and never scored.")


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


def _term_verdict(t: TermFigures) -> str:
    """Whether the share that happened sits inside the term's ICD 203 range."""
    if t.of == 0 or t.low is None or t.high is None:
        return DASH
    observed = t.happened / t.of
    if observed < t.low:
        return "below the range"
    if observed > t.high:
        return "above the range"
    return "within the range"


def _opening(card: Scorecard) -> list[Block]:
    """When and from what the scorecard was drawn, the ledger's integrity, the scale, and what it rests on."""
    ledger = card.ledger
    blocks: list[Block] = [
        Paragraph(f"Generated {card.generated_at[:16].replace('T', ' ')} UTC. Filters: "
                  f"{_filters_text(card.filters)}. Ledger: {format_count(ledger.questions)} questions, "
                  f"{format_count(ledger.forecasts)} forecasts.", muted=True),
        Paragraph(integrity_text(ledger), muted=ledger.verified is not False),
        Paragraph(f"Scale: Brier scores run {card.scale.brier}. Lower is better; always saying 50% "
                  "scores 0.25. Log scores use the natural log; higher (closer to 0) is better. Estimative "
                  f"terms follow {card.scale.terms}."),
    ]
    for text in (*(mark_text(card, mark) for mark in MARK_WORDS), _hindsight_text(card)):
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
                *((_MARK_HEADLINE[mark], format_count(o.marked_pairs(mark))) for mark in MARKS),
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
             format_percent(t.happened / t.of) if t.of else DASH, _term_verdict(t), format_score(t.brier))
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


# --- Markdown ---------------------------------------------------------------------------------------

# Characters that start markup anywhere in a line (emphasis, code, links/images, table cells,
# strikethrough). Line-start markup (#, -, +, 1.) cannot arise: user text never begins a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(text: str) -> str:
    """User text made inert in Markdown: one line, HTML special characters as entities, markup backslashed."""
    flat = " ".join(str(text).split())
    # Entities, not backslashes, for HTML: renderers pass raw HTML through, and "&lt;" must stay text.
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def md_link_target(name: str) -> str:
    """A file name beside the report as a Markdown link target: inert whatever the name holds.

    Line breaks and other control characters (which would end the link and start new Markdown) and
    angle brackets (which would end the <...> target) are percent-encoded; a name with a colon gets
    "./" in front, so "javascript:x.svg" stays a file name and is not read as a URL scheme.
    """
    target = re.sub(r"[\x00-\x1f\x7f<>]", lambda m: f"%{ord(m.group()):02X}", name)
    return f"./{target}" if ":" in target.split("/", 1)[0] else target


def _md_table(t: Table) -> list[str]:
    if not t.rows:
        return [f"_{md_escape(t.empty)}_", ""]
    numeric = t.numeric or (False,) * len(t.headers)
    lines = ["| " + " | ".join(md_escape(h) for h in t.headers) + " |",
             "|" + "|".join("---:" if r else "---" for r in numeric) + "|"]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in t.rows]
    return lines + [""]


def to_markdown(card: Scorecard, *, chart_src: str | None = None, max_pairs: int = DEFAULT_MAX_PAIRS) -> str:
    """The report as Markdown; the chart is `chart_src` (e.g. a file beside the report) or an inline data: URI."""
    report = report_blocks(card, max_pairs=max_pairs)
    lines = [f"# {md_escape(report.title)}", ""]
    for block in report.blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + md_escape(block.text), ""]
        elif isinstance(block, Paragraph):
            text = md_escape(block.text)
            lines += [f"_{text}_" if block.muted else text, ""]
        elif isinstance(block, Bullets):
            lines += [f"- {md_escape(item)}" for item in block.items] + [""]
        elif isinstance(block, Table):
            lines += _md_table(block)
        elif isinstance(block, Chart):
            src = svg_data_uri(block.svg) if chart_src is None else md_link_target(chart_src)
            # The URL goes inside <...> so a file name with spaces or parentheses still works.
            lines += [f"![{md_escape(block.alt)}](<{src}>)", ""]
    return "\n".join(lines).rstrip() + "\n"


# --- HTML -------------------------------------------------------------------------------------------

HTML_STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #111827; margin: 2em auto;
       max-width: 60em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 22pt; margin-bottom: 0.2em; }
h2 { font-size: 14pt; margin-top: 1.4em; border-bottom: 1px solid #d1d5db; padding-bottom: 2px; }
table { border-collapse: collapse; margin: 0.4em 0 0.8em 0; }
th, td { border: 1px solid #d1d5db; padding: 3px 8px; vertical-align: top; }
th { background-color: #f3f4f6; text-align: left; }
td.num, th.num { text-align: right; }
td.nw { white-space: nowrap; }
p.muted { color: #4b5563; }
.chart svg { max-width: 100%; height: auto; }
"""


def _html_table(t: Table) -> str:
    esc = html.escape
    if not t.rows:
        return f'<p class="muted"><i>{esc(t.empty)}</i></p>'
    numeric = t.numeric or (False,) * len(t.headers)
    columns = len(t.headers)
    nowrap = tuple(t.nowrap) + (False,) * (columns - len(t.nowrap))
    classes = [f' class="{" ".join(c for c, on in (("num", r), ("nw", w)) if on)}"' if r or w else ""
               for r, w in zip(numeric, nowrap)]
    widths = [f' width="{esc(w)}"' if w else "" for w in t.widths] + [""] * (columns - len(t.widths))
    head = "".join(f"<th{c}{w}>{esc(h)}</th>" for h, c, w in zip(t.headers, classes, widths))
    body = "\n".join(
        "<tr>" + "".join(f"<td{c}>{esc(v)}</td>" for v, c in zip(row, classes)) + "</tr>" for row in t.rows
    )
    width = ' width="100%"' if t.wide else ""
    return (f'<table border="1" cellspacing="0" cellpadding="4"{width}>\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>")


def to_html(
    card: Scorecard,
    *,
    max_pairs: int = DEFAULT_MAX_PAIRS,
    chart_src: str | None = None,
    style: str = HTML_STYLE,
) -> str:
    """The report as one self-contained HTML page; all user text escaped, the chart inline as SVG.

    `chart_src` replaces the inline SVG with `<img src=...>` and `style` replaces the page's CSS (the
    PDF renderer uses both: Qt's layout engine reads a CSS subset and draws the chart itself).
    """
    esc = html.escape
    report = report_blocks(card, max_pairs=max_pairs)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(report.title)}</title>",
        f"<style>{style}</style>",
        "</head><body>",
        f"<h1>{esc(report.title)}</h1>",
    ]
    for block in report.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{esc(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            parts.append(f'<p class="muted">{esc(block.text)}</p>' if block.muted else f"<p>{esc(block.text)}</p>")
        elif isinstance(block, Bullets):
            parts.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in block.items) + "</ul>")
        elif isinstance(block, Table):
            parts.append(_html_table(block))
        elif isinstance(block, Chart):
            if chart_src is None:
                svg = block.svg.replace("<svg ", f'<svg role="img" aria-label="{esc(block.alt)}" ', 1)
                parts.append(f'<div class="chart">{svg}</div>')
            else:
                parts.append(f'<p><img src="{esc(chart_src)}" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
                             f'alt="{esc(block.alt)}"></p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# --- files ------------------------------------------------------------------------------------------


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write a whole file or nothing (`files.write_output`, which every output of the app goes through)."""
    write_output(path, data)


def chart_path_for(output: Path) -> Path:
    """Where a Markdown report's chart goes: `<name>-calibration.svg` beside the report."""
    return output.with_name(f"{output.stem}-calibration.svg")


#: The file formats `write_scorecard` writes (the CLI's --format choices and the GUI's save filters).
SCORECARD_FORMATS = ("json", "csv", "md", "html", "pdf")


def scorecard_text(card: Scorecard, fmt: str, *, chart_src: str | None = None) -> str:
    """The scorecard as json, csv, md or html text (md: the chart inline unless `chart_src` names a file)."""
    if fmt == "json":
        return to_json(card)
    if fmt == "csv":
        return to_csv(card)
    if fmt == "html":
        return to_html(card)
    if fmt == "md":
        return to_markdown(card, chart_src=chart_src)
    raise ValidationError(f"'{fmt}' is not a text scorecard format; choose json, csv, md or html")


def write_scorecard(
    card: Scorecard, path: Path | str, fmt: str, *, render_pdf: Callable[[Scorecard], bytes] | None = None
) -> list[Path]:
    """Write the scorecard to `path` in `fmt` (one of SCORECARD_FORMATS), each file whole or not at all.

    Returns the files written: md also writes its chart beside the report (`chart_path_for`). A PDF
    needs `render_pdf` (`forecastapp.render.pdf.render_pdf`): the core never imports Qt, so the
    caller, which knows whether Qt is there and on which thread it may paint, passes it in.
    """
    if fmt not in SCORECARD_FORMATS:
        raise ValidationError(f"'{fmt}' is not a scorecard format; choose one of {', '.join(SCORECARD_FORMATS)}")
    if fmt == "pdf":
        if render_pdf is None:
            raise ValidationError("a PDF scorecard needs Qt to lay it out; choose html, or install PySide6")
        write_atomic(path, render_pdf(card))
        return [Path(path)]
    if fmt == "md" and is_stream(path):
        # Standard output, a pipe or a device has no folder to put a chart file in: the chart goes inline.
        write_atomic(path, scorecard_text(card, "md"))
        return [Path(path)]
    if fmt == "md":
        chart = chart_path_for(Path(path))
        write_atomic(chart, calibration_svg(card.overall))
        write_atomic(path, scorecard_text(card, "md", chart_src=chart.name))
        return [Path(path), chart]
    write_atomic(path, scorecard_text(card, fmt))
    return [Path(path)]
