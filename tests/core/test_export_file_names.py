"""File names the app derives: only from a name the user chose for the output, never from ledger text.

forecastapp writes a Markdown report's chart beside it (`<report name>-calibration.svg`), temporary
`.part` files beside exports, and `<ledger>.<schema>.bak` backups; the desktop app suggests
`<ledger>-export.json` and `<ledger>-scorecard.<ext>`. No statement, tag, analyst or document title
ever becomes part of a file name. What is sanitised is the one place a file name enters a document:
the chart's link in the Markdown report.
"""

from __future__ import annotations

from datetime import date

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core import report
from forecastapp.core.scorecard import build_scorecard
from tests.conftest import NOW, TODAY


@pytest.fixture
def card(ledger):
    qid, _ = ops.create_forecast(ledger, ops.NewQuestion(statement="../../etc/passwd?", tags=("../x",)),
                                 analyst="/root", probability=0.6, made_on=date(2026, 3, 1), today=TODAY, now=NOW)
    ops.resolve(ledger, question_id=qid, outcome="yes", resolved_on=date(2026, 4, 1), today=TODAY, now=NOW)
    return build_scorecard(ledger, today=TODAY, now=NOW)


@pytest.mark.parametrize(("name", "target"), [
    ("card-calibration.svg", "card-calibration.svg"),
    ("q1 report-calibration.svg", "q1 report-calibration.svg"),
    ("evil\n# owned-calibration.svg", "evil%0A# owned-calibration.svg"),
    ("a\r\nb\x00c\x7f-calibration.svg", "a%0D%0Ab%00c%7F-calibration.svg"),
    ("x>y<z-calibration.svg", "x%3Ey%3Cz-calibration.svg"),
    ("javascript:alert(1)-calibration.svg", "./javascript:alert(1)-calibration.svg"),
    ("data:text-calibration.svg", "./data:text-calibration.svg"),
])
def test_the_chart_link_is_inert_whatever_the_file_is_called(name, target):
    assert report.md_link_target(name) == target


def test_a_report_named_with_a_line_break_links_its_chart_on_one_line(card, tmp_path):
    path = tmp_path / "evil\n# owned.md"
    written = report.write_scorecard(card, path, "md")
    chart = tmp_path / "evil\n# owned-calibration.svg"
    assert written == [path, chart] and chart.exists()
    md = path.read_text(encoding="utf-8")
    assert "](<evil%0A# owned-calibration.svg>)" in md
    assert not any(line.startswith("# owned") for line in md.splitlines())


def test_ledger_text_never_names_a_file(card, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for fmt in report.SCORECARD_FORMATS[:-1]:  # json, csv, md, html (pdf needs Qt; same naming)
        report.write_scorecard(card, out / f"card.{fmt}", fmt)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p.parent == out) == [
        "card-calibration.svg", "card.csv", "card.html", "card.json", "card.md"]
    assert not (tmp_path / "etc").exists() and not (tmp_path / "x").exists()
