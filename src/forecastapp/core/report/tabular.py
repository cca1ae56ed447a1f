"""The scorecard for tools: JSON (the scorecard as is) and CSV (a groups table, then a pairs table)."""

from __future__ import annotations

import csv
import io
import re

from forecastapp.core.scorecard_types import (
    MARKS,
    AnalystFigures,
    Figures,
    Scorecard,
    TermFigures,
)

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
