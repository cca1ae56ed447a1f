"""Scorecard exports: JSON round trip, CSV safe for spreadsheets, Markdown and HTML that escape user text."""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core import report
from forecastapp.core.errors import StoreError
from forecastapp.core.scorecard import build_scorecard
from forecastapp.core.store import open_ledger
from tests.conftest import NOW, TODAY

NASTY = '<script>alert(1)</script> "&\' | *bold* [x](http://e.test) `code`'


def _ask(db, statement, p, *, analyst="Ann", term=None, tags=(), outcome="yes", day=date(2026, 4, 1)):
    qid, _ = ops.create_forecast(db, ops.NewQuestion(statement=statement, tags=tags), analyst=analyst, probability=p,
                                 term=term, made_on=date(2026, 3, 1), today=TODAY, now=NOW)
    if outcome:
        ops.resolve(db, question_id=qid, outcome=outcome, resolved_on=day, today=TODAY, now=NOW)
    return qid


@pytest.fixture
def card(ledger):
    """Three likely forecasts (2 happened), a nasty statement, a formula-like analyst name and tag."""
    for i, outcome in enumerate(["yes", "yes", "no"]):
        _ask(ledger, f"Likely event {i}?", 0.675, term="likely", outcome=outcome, day=date(2026, 4, 1 + i))
    _ask(ledger, NASTY, 0.2, analyst="=HYPERLINK(\"http://evil.test\")", tags=("@sum(a1)",), outcome="no",
         day=date(2026, 5, 1))
    _ask(ledger, "Ünïcode — 北朝鮮?", 0.9, analyst="+Zoë", outcome="yes", day=date(2026, 5, 2))
    return build_scorecard(ledger, today=TODAY, now=NOW)


@pytest.fixture
def empty(tmp_path):
    db = open_ledger(tmp_path / "empty.db", seed=False)
    yield build_scorecard(db, today=TODAY, now=NOW)
    db.close()


# --- JSON ---------------------------------------------------------------------------------------------


def test_json_round_trips_the_scorecard_and_is_ascii(card):
    text = report.to_json(card)
    text.encode("ascii")  # non-ASCII text travels as \u escapes
    data = json.loads(text)
    assert {k: v for k, v in data.items() if k != "pairs"} == {k: v for k, v in card.to_dict().items() if k != "pairs"}
    assert data["pairs"] == list(card.pairs)
    assert data["pairs"][-1]["statement"] == "Ünïcode — 北朝鮮?"
    assert data["pairs"][-2]["statement"] == NASTY


def test_json_puts_one_pair_per_line(card):
    lines = report.to_json(card).splitlines()
    pair_lines = [line for line in lines if line.lstrip().startswith('{"question_id"')]
    assert len(pair_lines) == 5
    assert all(json.loads(line.strip().rstrip(",")) for line in pair_lines)


def test_json_of_a_plain_dict_card_and_an_empty_card(card, empty):
    plain = dataclasses.replace(card, pairs=list(card.pairs))
    assert json.loads(report.to_json(plain)) == json.loads(report.to_json(card))
    data = json.loads(report.to_json(empty))
    assert data["pairs"] == [] and data["overall"]["n"] == 0


# --- CSV ----------------------------------------------------------------------------------------------


def _csv_sections(text):
    groups, pairs = text.split("\n\n")
    return list(csv.reader(io.StringIO(groups))), list(csv.reader(io.StringIO(pairs)))


def test_csv_has_a_group_table_then_a_pair_table(card):
    groups, pairs = _csv_sections(report.to_csv(card))
    assert groups[0] == list(report.CSV_GROUP_COLUMNS) and pairs[0] == list(report.CSV_PAIR_COLUMNS)
    kinds = [row[0] for row in groups[1:]]
    assert kinds[0] == "overall" and {"analyst", "tag", "term", "horizon"} <= set(kinds)
    overall = dict(zip(groups[0], groups[1]))
    assert overall["n"] == "5" and float(overall["brier"]) == pytest.approx(card.overall.brier)
    likely = dict(zip(groups[0], next(r for r in groups[1:] if r[:2] == ["term", "likely"])))
    assert (likely["n"], likely["happened"], likely["term_range"]) == ("3", "2", "55-80%")
    assert len(pairs) == 1 + 5


def test_csv_neutralises_formula_cells_but_keeps_numbers(card):
    groups, pairs = _csv_sections(report.to_csv(card))
    cells = [c for row in groups + pairs for c in row]
    assert "'=HYPERLINK(\"http://evil.test\")" in cells and "'@sum(a1)" in cells and "'+Zoë" in cells
    assert not any(c[:1] in ("=", "+", "@") for c in cells)
    # Negative log scores are numbers, not formulas: they stay as they are.
    logs = [dict(zip(pairs[0], row))["log_score"] for row in pairs[1:]]
    assert len(logs) == 5 and all(c.startswith("-") and float(c) < 0 for c in logs)


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+2", "'=1+2"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-0.25", "-0.25"), ("+1e5", "+1e5"), ("-.5", "-.5"), (-0.4, "-0.4"), (None, ""),
    ("plain", "plain"), ("- list item", "'- list item"),
])
def test_csv_cell(value, cell):
    assert report.csv_cell(value) == cell


def test_csv_of_an_empty_scorecard(empty):
    groups, pairs = _csv_sections(report.to_csv(empty))
    assert [r[:3] for r in groups[1:]] == [["overall", "", "0"], ["horizon", "under 6 months", "0"],
                                           ["horizon", "6 to 24 months", "0"], ["horizon", "over 24 months", "0"]]
    assert pairs == [list(report.CSV_PAIR_COLUMNS)]


# --- HTML ---------------------------------------------------------------------------------------------


def test_html_escapes_every_piece_of_user_text(card):
    page = report.to_html(card)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&amp;&#x27; | *bold*" in page
    assert "=HYPERLINK(&quot;http://evil.test&quot;)" in page
    assert "Ünïcode — 北朝鮮?" in page


def test_html_is_self_contained_with_the_chart_inline(card):
    page = report.to_html(card)
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 1
    assert not re.search(r"""(?:src|href)=["'](?:https?:|//)""", page)
    assert "<link" not in page


def test_html_states_the_scale_and_the_estimative_sentence(card):
    page = report.to_html(card)
    assert "0-1 (Good Judgment Open and Fatebook report 0-2: twice these)" in page
    assert "said likely: 2 of 3 happened, range 55-80%" in page


def test_html_of_an_empty_scorecard_says_so(empty):
    page = report.to_html(empty)
    assert "No scored pairs match these filters" in page and "no scored questions" in page


# --- Markdown -----------------------------------------------------------------------------------------


def test_markdown_escapes_pipes_and_markup_in_user_text(card):
    text = report.to_markdown(card, chart_src="card-calibration.svg")
    row = next(line for line in text.splitlines() if "alert(1)" in line)
    # Six columns: seven unescaped pipes, however many the statement holds.
    assert len(re.findall(r"(?<!\\)\|", row)) == 7
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \"&amp;' \\| \\*bold\\* \\[x\\](http://e.test) \\`code\\`" in row
    assert "<script" not in text


def test_markdown_points_at_the_chart_file_or_inlines_it(card):
    assert "](<card-calibration.svg>)" in report.to_markdown(card, chart_src="card-calibration.svg")
    inline = report.to_markdown(card)
    encoded = re.search(r"\]\(<data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)>\)", inline).group(1)
    assert base64.b64decode(encoded).decode("utf-8") == report.calibration_svg(card.overall)


def test_markdown_cuts_a_long_question_list_and_says_where_the_rest_is(card):
    text = report.to_markdown(card, max_pairs=2)
    assert "The 2 most recently resolved of 5 scored pairs" in text
    listed = [line for line in text.splitlines() if line.startswith("| 2026-")]
    assert [line[2:12] for line in listed] == ["2026-05-02", "2026-05-01"]


def test_markdown_of_an_empty_scorecard(empty):
    text = report.to_markdown(empty)
    assert "No scored pairs match these filters" in text and "_no scored questions_" in text


# --- chart --------------------------------------------------------------------------------------------


def test_calibration_svg_is_well_formed_with_a_dot_per_filled_bin(card):
    svg = report.calibration_svg(card.overall)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    filled = sum(1 for b in card.overall.calibration if b.n)
    # The legend adds one circle.
    assert len(root.findall(f"{ns}circle")) == filled + 1
    assert root.find(f"{ns}title").text == "Calibration of 5 scored pairs"


def test_calibration_svg_of_no_pairs(empty):
    root = ET.fromstring(report.calibration_svg(empty.overall))
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Calibration: no scored pairs"


def test_calibration_svg_escapes_a_title(empty):
    svg = report.calibration_svg(dataclasses.replace(empty.overall, calibration=()), title="<b>&")
    assert "&lt;b&gt;&amp;" in svg and "<b>" not in svg


# --- files --------------------------------------------------------------------------------------------


def test_write_atomic_replaces_the_file_and_leaves_no_part(tmp_path):
    target = tmp_path / "card.json"
    target.write_text("old")
    report.write_atomic(target, "new")
    assert target.read_text() == "new" and not list(tmp_path.glob("*.part"))
    report.write_atomic(target, b"%PDF")
    assert target.read_bytes() == b"%PDF"


def test_write_atomic_failure_is_a_one_line_error_and_leaves_nothing(tmp_path):
    with pytest.raises(StoreError, match="cannot write"):
        report.write_atomic(tmp_path / "missing" / "card.json", "x")
    assert not list(tmp_path.rglob("*.part"))


def test_chart_path_sits_beside_the_report(tmp_path):
    assert report.chart_path_for(tmp_path / "q3 report.md") == tmp_path / "q3 report-calibration.svg"
