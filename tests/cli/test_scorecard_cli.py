"""`forecastapp scorecard`: every format, files written whole, filters, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest


def _resolved(run_cli, statement, p, outcome, day, analyst="Ann", tag=None):
    args = ["add", statement, "-p", p, "-a", analyst, "--made-on", "2026-03-01"]
    if tag:
        args += ["--tag", tag]
    code, out, err = run_cli(*args)
    assert code == 0, err
    code, _, err = run_cli("resolve", out.strip(), "-o", outcome, "--resolved-on", day)
    assert code == 0, err


@pytest.fixture
def scored(run_cli):
    """Four resolved questions, two analysts (run on an empty ledger)."""
    code, _, err = run_cli("init", "--empty")
    assert code == 0, err
    _resolved(run_cli, "Treaty signed?", "80%", "yes", "2026-04-01", tag="asia")
    _resolved(run_cli, "Rates cut?", "30%", "no", "2026-05-01", analyst="Bob")
    _resolved(run_cli, "Pipeline built?", "likely", "no", "2026-06-01", tag="asia")
    _resolved(run_cli, '=cmd|" /C calc"!A0 <b>?', "90%", "yes", "2026-07-01")
    return run_cli


def test_json_is_the_default_and_goes_to_stdout(scored):
    code, out, err = scored("scorecard")
    assert code == 0 and err == ""
    card = json.loads(out)
    assert card["overall"]["n"] == 4
    # (0.2^2 + 0.3^2 + 0.675^2 + 0.1^2) / 4
    assert card["overall"]["brier"] == pytest.approx((0.04 + 0.09 + 0.675**2 + 0.01) / 4)
    assert [a["name"] for a in card["analysts"]] == ["Ann", "Bob"]
    assert card["terms"][0]["term"] == "likely" and card["terms"][0]["happened"] == 0
    assert len(card["pairs"]) == 4


def test_filters_reach_the_scorecard(scored):
    code, out, _ = scored("scorecard", "--analyst", "bob")
    assert json.loads(out)["overall"]["n"] == 1
    code, out, _ = scored("scorecard", "--tag", "ASIA", "--since", "2026-05-01")
    card = json.loads(out)
    assert card["overall"]["n"] == 1 and card["filters"]["since"] == "2026-05-01"
    code, out, _ = scored("scorecard", "--until", "30 Apr 2026")
    assert json.loads(out)["overall"]["n"] == 1


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html"])
def test_every_text_format_prints_or_writes_the_same_report(scored, tmp_path, fmt):
    code, printed, err = scored("scorecard", "--format", fmt)
    assert code == 0 and err == "" and printed
    target = tmp_path / f"card.{fmt}"
    code, out, err = scored("scorecard", "--format", fmt, "--output", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.stat().st_size > 0 and not list(tmp_path.glob("*.part"))


def test_csv_cells_cannot_run_in_a_spreadsheet(scored):
    _, out, _ = scored("scorecard", "--format", "csv")
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
    assert "'=cmd|\" /C calc\"!A0 <b>?" in cells
    assert not any(c[:1] in "=+@" and c for c in cells)


def test_markdown_file_comes_with_its_chart_beside_it(scored, tmp_path):
    target = tmp_path / "q2 review.md"
    code, _, err = scored("scorecard", "--format", "md", "--output", str(target))
    assert code == 0, err
    chart = tmp_path / "q2 review-calibration.svg"
    assert chart.read_text(encoding="utf-8").startswith("<svg")
    assert "](<q2 review-calibration.svg>)" in target.read_text(encoding="utf-8")


def test_markdown_on_stdout_carries_the_chart_inline(scored):
    _, out, _ = scored("scorecard", "--format", "md")
    assert "](<data:image/svg+xml;base64," in out


def test_html_escapes_the_statement(scored):
    _, out, _ = scored("scorecard", "--format", "html")
    assert "=cmd|&quot; /C calc&quot;!A0 &lt;b&gt;?" in out and "<b>?" not in out


def test_pdf_needs_an_output_file(scored):
    code, out, err = scored("scorecard", "--format", "pdf")
    assert (code, out) == (2, "")
    assert err == "Error: --format pdf writes a file, not text: add --output FILE, e.g. --output scorecard.pdf\n"


def test_pdf_to_a_file(scored, tmp_path, qapp):
    target = tmp_path / "card.pdf"
    code, out, err = scored("scorecard", "--format", "pdf", "--output", str(target))
    assert (code, out) == (0, ""), err
    assert target.read_bytes().startswith(b"%PDF") and not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(("args", "message"), [
    (("--since", "31 Feb 2026"), "'31 Feb 2026' is not a real date"),
    (("--since", "2026-06-01", "--until", "2026-05-01"),
     "since 2026-06-01 is after until 2026-05-01; swap the two days"),
])
def test_bad_arguments_are_one_line_with_exit_2(scored, args, message):
    code, out, err = scored("scorecard", *args)
    assert code == 2 and out == ""
    assert err.startswith("Error: ") and message in err and len(err.splitlines()) == 1


def test_an_unknown_format_is_refused_by_name(scored):
    code, out, err = scored("scorecard", "--format", "docx")
    assert code == 2 and out == ""
    # One line, as every refusal (issue 14, item 12): no usage block before it.
    assert err == ("Error: Invalid value for '--format': 'docx' is not one of 'json', 'csv', 'md', 'html', 'pdf'. "
                   "(see 'forecastapp scorecard --help')\n")


def test_a_write_that_fails_leaves_nothing(scored, tmp_path):
    code, _, err = scored("scorecard", "--output", str(tmp_path / "no" / "such" / "dir" / "card.json"))
    assert code == 2 and err.startswith("Error: cannot write") and len(err.splitlines()) == 1


def test_empty_ledger_and_unmatched_filter_give_a_valid_scorecard(run_cli):
    run_cli("init", "--empty")
    for args in ((), ("--analyst", "Nobody")):
        code, out, _ = run_cli("scorecard", *args)
        card = json.loads(out)
        assert code == 0 and card["overall"]["n"] == 0 and card["overall"]["brier"] is None
        code, out, _ = run_cli("scorecard", "--format", "md", *args)
        assert code == 0 and "No scored pairs match these filters" in out


def test_json_scorecard_never_loads_qt(scored, db_path):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from forecastapp.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['--db', {str(db_path)!r}, 'scorecard', '--format', 'html'], obj={{}})\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
