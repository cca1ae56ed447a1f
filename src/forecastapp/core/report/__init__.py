"""Scorecard exports without Qt: JSON, CSV, Markdown and HTML, plus the reliability diagram as SVG.

One module per job, each name re-exported here (`from forecastapp.core import report; report.to_csv(...)`):
`tabular` (JSON and CSV), `chart` (the calibration SVG), `sentences` (what the reports say about filters,
integrity and marked pairs), `blocks` (the report as titled blocks of plain text), `markup` (those blocks
as Markdown or HTML) and `files` (writing any format to a file).

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

from forecastapp.core.report.blocks import (
    DEFAULT_MAX_PAIRS,
    Block,
    Bullets,
    Chart,
    Heading,
    Paragraph,
    Report,
    Table,
    report_blocks,
)
from forecastapp.core.report.chart import (
    CHART_HEIGHT,
    CHART_WIDTH,
    calibration_svg,
    svg_data_uri,
)
from forecastapp.core.report.files import (
    SCORECARD_FORMATS,
    chart_path_for,
    scorecard_text,
    write_atomic,
    write_scorecard,
)
from forecastapp.core.report.markup import (
    HTML_STYLE,
    md_escape,
    md_link_target,
    to_html,
    to_markdown,
)
from forecastapp.core.report.sentences import (
    MARK_WORDS,
    MarkWords,
    integrity_text,
    mark_text,
)
from forecastapp.core.report.summary import summary_text
from forecastapp.core.report.tabular import (
    CSV_GROUP_COLUMNS,
    CSV_PAIR_COLUMNS,
    csv_cell,
    group_sections,
    to_csv,
    to_json,
)

__all__ = [
    "CHART_HEIGHT", "CHART_WIDTH", "CSV_GROUP_COLUMNS", "CSV_PAIR_COLUMNS", "DEFAULT_MAX_PAIRS", "HTML_STYLE",
    "MARK_WORDS", "SCORECARD_FORMATS", "Block", "Bullets", "Chart", "Heading", "MarkWords", "Paragraph", "Report",
    "Table", "calibration_svg", "chart_path_for", "csv_cell", "group_sections", "integrity_text", "mark_text",
    "md_escape", "md_link_target", "report_blocks", "scorecard_text", "summary_text", "svg_data_uri", "to_csv", "to_html",
    "to_json", "to_markdown", "write_atomic", "write_scorecard",
]
