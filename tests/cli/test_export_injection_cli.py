"""Exports never execute or inject: what a user typed comes out of every export as inert text.

A ledger is filled through the CLI with statements, analysts, tags and criteria built to attack each
format: spreadsheet formulas (=, +, -, @, tab, CR, DDE payloads) for CSV, script tags and event
attributes for HTML, links, images, table pipes and code spans for Markdown. Each export is then read
back the way its consumer would read it (a CSV reader, an HTML parser, Markdown's own syntax).
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

FORMULAS = ["=HYPERLINK(\"http://evil.test\",\"x\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", "-inf", "=1+1\n=2+2"]
MARKUP = ["<script>alert(1)</script> happens?", "[x](javascript:alert(1)) happens?", "a | b | c happens?",
          "`rm -rf /` happens?", "![img](http://evil.test/t.png) happens?", "<img src=x onerror=alert(1)>?",
          "**bold** _it_ ~~del~~ happens?", "line one\n# heading\n- item happens?"]


@pytest.fixture
def nasty(run_cli):
    """Every nasty text as a statement of a resolved question, and formulas as analyst, tag and criteria too."""
    code, _, err = run_cli("init", "--empty")
    assert code == 0, err
    for i, statement in enumerate(FORMULAS + MARKUP):
        analyst = FORMULAS[i % len(FORMULAS)].strip() or "Ann"  # names are trimmed; the tab/CR ones become =1+1
        # "--" ends the options, so a statement starting with "-" is taken as the statement.
        code, out, err = run_cli("add", "-p", "70%", "-a", analyst, "--tag", f"@tag{i}", "--criteria",
                                 FORMULAS[(i + 1) % len(FORMULAS)], "--made-on", "2026-01-05", "--", statement)
        assert code == 0, err
        code, _, err = run_cli("resolve", out.strip(), "-o", "yes" if i % 2 else "no", "--resolved-on", "2026-02-01")
        assert code == 0, err
    return run_cli


def _formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run as a formula: starting with = + - @ tab or CR, unless a plain number."""
    plain = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
    return [c for row in rows for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not plain.fullmatch(c)]


def test_list_csv_neutralises_formula_cells(nasty):
    code, out, _ = nasty("list", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert _formula_cells(rows) == []
    cells = {c for row in rows for c in row}
    for statement in FORMULAS:
        assert "'" + statement.strip() in cells  # kept whole (the ledger trims the ends), behind an apostrophe
    assert "'-inf" in cells  # float() reads "-inf" as a number; a spreadsheet reads it as a formula


def test_scorecard_csv_neutralises_formula_cells(nasty):
    code, out, _ = nasty("scorecard", "--format", "csv")
    assert code == 0
    groups, pairs = out.split("\n\n")
    rows = list(csv.reader(io.StringIO(groups))) + list(csv.reader(io.StringIO(pairs)))
    assert _formula_cells(rows) == []
    cells = {c for row in rows for c in row}
    assert "'=HYPERLINK(\"http://evil.test\",\"x\")" in cells and "'@tag0" in cells


def test_fatebook_export_neutralises_formula_cells(nasty, tmp_path):
    path = tmp_path / "fatebook.csv"
    code, _, err = nasty("export", str(path), "--format", "fatebook")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert _formula_cells(rows) == []
    assert "'+cmd|' /C calc'!A0" in {c for row in rows for c in row}


def _md_cells(line: str) -> list[str]:
    """The cells of a Markdown table row: split on pipes that are not backslash-escaped."""
    return re.split(r"(?<!\\)\|", line.strip().strip("|"))


def test_markdown_report_keeps_user_text_inert(nasty):
    code, md, _ = nasty("scorecard", "--format", "md")
    assert code == 0
    assert "<script" not in md.lower() and "<img" not in md.lower()
    # No link or image: every "](" that user text brought is escaped as "\]("
    assert not re.search(r"(?<!\\)\]\((javascript|http)", md)
    assert "\\[x\\](javascript:alert(1))" in md and "\\`rm -rf /\\`" in md and "\\*\\*bold\\*\\*" in md
    # Every row of the scored-questions table has as many cells as its header: no pipe split a statement.
    lines = md.splitlines()
    start = lines.index("| Resolved | Question | Analyst | Final forecast | Outcome | Brier |")
    rows = [line for line in lines[start + 2:] if line.startswith("|")]
    assert len(rows) == len(FORMULAS + MARKUP)
    assert all(len(_md_cells(row)) == 6 for row in rows)
    # A line break in a statement never starts a heading or a list item of its own.
    assert not any(line.startswith(("# heading", "- item")) for line in lines)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_keeps_user_text_inert(nasty):
    code, page, _ = nasty("scorecard", "--format", "html")
    assert code == 0
    parsed = _Collect()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags  # the chart is inline SVG
    assert not [name for name, _ in parsed.attrs if name.startswith("on")]
    assert not [value for _, value in parsed.attrs if value and "javascript" in value.lower()]
    text = " ".join(parsed.text)
    # The attacks are there, as text a reader sees.
    assert "<script>alert(1)</script> happens?" in text and "<img src=x onerror=alert(1)>?" in text


def test_json_exports_carry_user_text_unchanged(nasty):
    code, out, _ = nasty("list", "--format", "json")
    statements = {q["statement"] for q in json.loads(out)}
    # JSON is data, not a document: text is kept as typed (the ledger trims the ends only).
    assert {s.strip() for s in FORMULAS + MARKUP} <= statements


@pytest.mark.parametrize("statement", ["'=1+1", "'quoted from the memo'", "''double", "=SUM(A1)", "-5 degrees"])
def test_a_fatebook_round_trip_keeps_a_statement_exactly(run_cli, tmp_path, statement):
    """Only the apostrophe the export added for formula safety is removed on import, never the text's own."""
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    assert run_cli("init", "--empty", db=source)[0] == 0
    code, _, err = run_cli("add", "-p", "70%", "-a", "Ann", "--made-on", "2026-01-05", "--", statement, db=source)
    assert code == 0, err
    path = tmp_path / "fatebook.csv"
    assert run_cli("export", str(path), "--format", "fatebook", db=source)[0] == 0
    assert run_cli("init", "--empty", db=target)[0] == 0
    code, _, err = run_cli("import", str(path), "--format", "fatebook", db=target)
    assert code == 0, err
    code, out, _ = run_cli("list", "--format", "json", db=target)
    assert [q["statement"] for q in json.loads(out)] == [statement]
