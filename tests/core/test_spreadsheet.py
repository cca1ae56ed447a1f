"""Reading a spreadsheet kept by hand: sniffing its head, guessing its columns, and the rows it imports or skips."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from forecastapp.core.errors import ForecastError, ImportFormatError
from forecastapp.core.formats import FORMATS, apply_plan, detect_format, preview_plan, read_plan
from forecastapp.core.formats.plan import record_id
from forecastapp.core.formats.spreadsheet import (
    ColumnMapping,
    MappingError,
    SpreadsheetError,
    find_column,
    guess_mapping,
    read_spreadsheet,
    role_of,
    sniff_csv,
)
from forecastapp.core.merge import Origin

DATA = Path(__file__).resolve().parents[1] / "data" / "spreadsheets"
HAND_KEPT = DATA / "hand-kept.csv"  # UTF-8 with a BOM, semicolons, CRLF, percents, words, a blank row
TABBED = DATA / "tab-separated-cp1252.csv"  # Windows-1252, tabs, percents without a sign, day-first dates
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
ORIGIN = Origin(action="import", format="csv", source="hand-kept.csv")
HAND_KEPT_MAPPING = ColumnMapping(
    statement="Question", probability="My forecast", made_on="Date", resolve_by="Deadline", outcome="Outcome",
    resolved_on="Resolved on", tags="Tags", criteria="Notes", default_analyst="Ann Lee",
)
BRIDGE = "Will the harbour bridge reopen by June 2025?"


def _questions(plan) -> dict:
    return {q.statement: q for q in plan.questions}


# ---------------------------------------------------------------- sniffing


def test_sniff_reads_the_header_and_first_rows_through_bom_semicolons_and_blank_rows():
    sheet = sniff_csv(HAND_KEPT)
    assert sheet.header == ("Question", "My forecast", "Date", "Deadline", "Outcome", "Resolved on", "Tags", "Notes")
    assert (sheet.delimiter, sheet.encoding) == (";", "utf-8-sig")
    # 10 rows after the header, one of them blank.
    assert len(sheet.rows) == 9
    assert sheet.rows[0][:3] == (BRIDGE, "70%", "2025-01-10")
    assert sheet.rows[3][1] == "0,4"  # cells are shown as written
    assert all(len(r) == 8 for r in sheet.rows)


def test_sniff_reads_windows_1252_and_tabs():
    sheet = sniff_csv(TABBED)
    assert sheet.header == ("Title", "P", "Created", "Due", "Result", "Forecaster", "Category")
    assert (sheet.delimiter, sheet.encoding) == ("\t", "cp1252")
    assert sheet.rows[0][0] == "Will the Z\u00fcrich caf\u00e9 reopen?"


def test_sniff_stops_at_the_asked_number_of_rows(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("statement,p\n" + "".join(f"Q{i},50%\n" for i in range(100)), encoding="utf-8")
    assert [r[0] for r in sniff_csv(path, rows=3).rows] == ["Q0", "Q1", "Q2"]


def test_an_excel_sep_line_names_the_delimiter(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("sep=|\nquestion|p\nWill it snow?|20%\n", encoding="utf-8")
    sheet = sniff_csv(path)
    assert sheet.header == ("question", "p") and sheet.rows == (("Will it snow?", "20%"),)


def test_empty_and_duplicate_column_names_are_named_apart(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("Question,,Date,Date,\nA,1,2,3,\n", encoding="utf-8")
    assert sniff_csv(path).header == ("Question", "column B", "Date", "Date (2)")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "'sheet.csv' is empty; there is nothing to import"),
        (b"\xef\xbb\xbf\r\n\r\n  \r\n", "'sheet.csv' is empty; there is nothing to import"),
        (b"0.7,2024-01-01\n0.2,2024-02-01\n", "'sheet.csv' has no header row"),
        (b"question,p\x00\x01\n", "'sheet.csv' is not a text file"),
        (b"question,p\nWill it \x81?,20%\n", "'sheet.csv' is neither UTF-8 nor Windows-1252 text"),
    ],
)
def test_files_that_cannot_be_read_are_refused_in_one_line(tmp_path, content, message):
    path = tmp_path / "sheet.csv"
    path.write_bytes(content)
    with pytest.raises(SpreadsheetError) as caught:
        sniff_csv(path)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ForecastError)


# ---------------------------------------------------------------- guessing and checking the mapping


def test_guess_mapping_reads_the_hand_kept_header():
    assert guess_mapping(sniff_csv(HAND_KEPT).header, default_analyst="Ann Lee") == HAND_KEPT_MAPPING


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Title", "P", "Created", "Due", "Result", "Forecaster", "Category"],
         dict(statement="Title", probability="P", made_on="Created", resolve_by="Due", outcome="Result",
              analyst="Forecaster", tags="Category")),
        # "Forecast date" is a date, not the forecast; "Resolution criteria" are criteria, not the outcome.
        (["statement", "Forecast", "Forecast date", "Resolution", "Resolution criteria", "Resolution date"],
         dict(statement="statement", probability="Forecast", made_on="Forecast date", outcome="Resolution",
              criteria="Resolution criteria", resolved_on="Resolution date")),
        (["Prediction", "Confidence (%)", "Date made", "Resolve by", "Topic"],
         dict(statement="Prediction", probability="Confidence (%)", made_on="Date made", resolve_by="Resolve by",
              tags="Topic")),
        # "p" must not be found inside "topic" or "prob..." inside another word.
        (["Topic", "Question"], dict(statement="Question", tags="Topic")),
    ],
)
def test_guess_mapping_proposes_columns_by_their_names(header, expected):
    assert guess_mapping(header).columns() == expected


def test_a_mapping_names_what_is_missing_or_wrong():
    header = ("Thing", "Number", "When")
    mapping = guess_mapping(header)
    assert mapping.columns() == {"made_on": "When"}
    assert mapping.problems(header) == {
        "statement": "choose the column that holds the statement",
        "probability": "choose the column that holds the probability",
    }
    twice = ColumnMapping(statement="Thing", probability="Number", made_on="Thing", outcome="Nope")
    assert twice.problems(header) == {
        "made_on": "column 'Thing' is already the statement; choose another",
        "outcome": "there is no column 'Nope' (the columns are 'Thing', 'Number', 'When')",
    }
    with pytest.raises(MappingError, match="^forecast date: column 'Thing' is already the statement"):
        twice.check(header)
    ColumnMapping(statement="Thing", probability="Number").check(header)  # no problem: no error


def test_columns_and_roles_are_found_as_people_type_them():
    assert find_column(("Question", "My forecast"), "my  FORECAST") == "My forecast"
    with pytest.raises(MappingError, match="there is no column 'Odds'"):
        find_column(("Question",), "Odds")
    assert role_of("made-on") == "made_on" and role_of("Resolve by") == "resolve_by"
    with pytest.raises(MappingError, match="'deadline' is not a column role"):
        role_of("deadline")


# ---------------------------------------------------------------- reading rows


def test_hand_kept_rows_become_questions_with_forecasts_in_date_order():
    plan = read_spreadsheet(HAND_KEPT, HAND_KEPT_MAPPING, today=TODAY)
    assert plan.format == "csv" and plan.source == "hand-kept.csv"
    # 10 rows: a blank one, 3 skipped, 6 forecasts on 4 questions (3 rows of the bridge, written two ways).
    assert plan.counts() == {"questions": 4, "forecasts": 6, "resolutions": 3, "skipped": 3}
    qs = _questions(plan)
    bridge = qs[BRIDGE]
    # "70%", "likely" (the ICD 203 midpoint, 67.5%) and "85%", oldest first whatever the row order.
    assert [(f.analyst, f.probability, f.made_on) for f in bridge.forecasts] == [
        ("Ann Lee", 0.7, date(2025, 1, 10)), ("Ann Lee", 0.675, date(2025, 2, 1)), ("Ann Lee", 0.85, date(2025, 3, 1)),
    ]
    assert bridge.tags == ("infrastructure", "city")
    assert bridge.criteria == "Reopened to all traffic counts."
    assert bridge.resolve_by == date(2025, 6, 30)
    assert (bridge.resolution.outcome, bridge.resolution.resolved_on) == ("yes", date(2025, 6, 2))
    council = qs["Will the city council pass the budget in March?"]
    assert council.forecasts[0].probability == 0.4  # "0,4": a decimal comma in a semicolon sheet
    assert council.forecasts[0].made_on == date(2025, 2, 12)  # "12 Feb 2025"
    assert council.resolve_by == date(2025, 3, 31)  # "Mar 2025": the end of the month
    assert council.resolution.outcome == "no"
    ferry = qs["Will the ferry timetable change in spring?"]
    assert ferry.forecasts[0].probability == 0.55  # "55 %"
    assert ferry.resolve_by == date(2025, 6, 30)  # "Q2 2025"
    assert (ferry.resolution.outcome, ferry.resolution.resolved_on) == ("annulled", date(2025, 4, 15))
    library = qs["Will the new library open before 2026?"]
    assert library.resolution is None and library.forecasts[0].probability == 0.3


def test_bad_rows_are_skipped_with_their_row_and_cell():
    plan = read_spreadsheet(HAND_KEPT, HAND_KEPT_MAPPING, today=TODAY)
    assert [(s.where, s.reason) for s in plan.skipped] == [
        ("row 7", "row 7, column 'Date': '2025-02-30' is not a real date; check the day and month, e.g. "
                  "2025-12-31 or 31 Dec 2025"),
        ("row 8", "row 8, column 'Question': no statement; the row has no question to forecast"),
        ("row 11", "row 11, column 'My forecast': 'maybe' is not a probability; enter a number or an ICD 203 "
                   "term, e.g. 70%, 0.7 or likely"),
    ]


def test_percent_columns_day_first_dates_and_certainty_in_a_tabbed_windows_file():
    mapping = guess_mapping(sniff_csv(TABBED).header)
    plan = read_spreadsheet(TABBED, mapping, today=TODAY)
    assert plan.counts() == {"questions": 2, "forecasts": 4, "resolutions": 1, "skipped": 0}
    qs = _questions(plan)
    cafe = qs["Will the Z\u00fcrich caf\u00e9 reopen?"]
    # "15/03/2025" can only be day first, so "03/02/2025" is 3 February.
    assert [(f.analyst, f.probability, f.made_on) for f in cafe.forecasts] == [
        ("Ann Lee", 0.7, date(2025, 2, 3)), ("Bo Chen", 0.45, date(2025, 3, 15)),
    ]
    turnout = qs["Will turnout exceed 60%?"]
    # The column holds 70 and 45, so it is in percent: "1" is 1%, and "100" is certainty, kept at 99.9%.
    assert [f.probability for f in turnout.forecasts] == [0.01, 0.999]
    assert plan.clamped == 1
    # No resolved-on column: the outcome is dated on the deadline, which has passed.
    assert (turnout.resolution.outcome, turnout.resolution.resolved_on) == ("no", date(2025, 6, 30))
    assert any("no resolved-on date" in n for n in plan.notes)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("yes", "yes"), ("Y", "yes"), ("TRUE", "yes"), ("1", "yes"), ("no", "no"), ("n", "no"), ("False", "no"),
     ("0", "no"), ("annulled", "annulled"), ("Ambiguous", "annulled"), ("", None), ("open", None)],
)
def test_outcome_words(tmp_path, cell, expected):
    path = tmp_path / "o.csv"
    path.write_text(f"question,p,date,outcome,resolved on\nWill it?,30%,2025-01-01,{cell},2025-02-01\n",
                    encoding="utf-8")
    [q] = read_spreadsheet(path, guess_mapping(("question", "p", "date", "outcome", "resolved on")),
                           today=TODAY).questions
    assert (q.resolution.outcome if q.resolution else None) == expected


def test_an_unknown_outcome_a_future_date_and_an_ambiguous_date_are_skipped(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(
        "question,p,date,outcome\n"
        "A?,30%,2025-01-01,perhaps\n"
        "B?,30%,2027-01-01,\n"
        "C?,30%,03/04/2025,\n",
        encoding="utf-8",
    )
    plan = read_spreadsheet(path, guess_mapping(("question", "p", "date", "outcome")), today=TODAY)
    assert plan.counts()["questions"] == 0
    assert [s.reason for s in plan.skipped] == [
        "row 2, column 'outcome': 'perhaps' is not an outcome; write yes, no or annulled (empty: still open)",
        "row 3, column 'date': '2027-01-01' is in the future; a forecast is dated when it was made",
        "row 4, column 'date': '03/04/2025' is ambiguous (day and month order differ by country); use YYYY-MM-DD "
        "or a month name, e.g. 2025-12-31 or 31 Dec 2025",
    ]


def test_a_forecast_after_the_resolution_is_hindsight(tmp_path):
    path = tmp_path / "late.csv"
    path.write_text("question,p,date,outcome,resolved on\nA?,30%,2025-01-01,yes,2025-02-01\nA?,90%,2025-03-01,,\n",
                    encoding="utf-8")
    plan = read_spreadsheet(path, guess_mapping(("question", "p", "date", "outcome", "resolved on")), today=TODAY)
    assert plan.counts() == {"questions": 1, "forecasts": 1, "resolutions": 1, "skipped": 1}
    assert plan.skipped[0].where == "row 3"


def test_without_a_date_column_forecasts_are_dated_today_and_keep_their_ids(tmp_path):
    path = tmp_path / "undated.csv"
    path.write_text("question,p\nA?,30%\n", encoding="utf-8")
    mapping = ColumnMapping(statement="question", probability="p", default_analyst="Ann")
    first = read_spreadsheet(path, mapping, today=TODAY)
    later = read_spreadsheet(path, mapping, today=date(2026, 12, 5))
    assert first.questions[0].forecasts[0].made_on == TODAY
    assert first.questions[0].forecasts[0].id == later.questions[0].forecasts[0].id
    assert any("no forecast-date column" in n for n in first.notes)


def test_ids_come_from_the_rows_not_the_file():
    plan = read_spreadsheet(HAND_KEPT, HAND_KEPT_MAPPING, today=TODAY)
    # The question id is UUID 5 over "spreadsheet", "question" and the statement folded to lower case.
    assert _questions(plan)[BRIDGE].id == record_id("spreadsheet", "question", BRIDGE.casefold())


def test_a_missing_required_column_is_refused_before_reading():
    with pytest.raises(MappingError, match="^statement: choose the column that holds the statement$"):
        read_spreadsheet(HAND_KEPT, ColumnMapping(probability="My forecast"), today=TODAY)


# ---------------------------------------------------------------- the import path


def test_csv_is_a_format_but_never_detected(tmp_path):
    assert "csv" in FORMATS
    with pytest.raises(ImportFormatError, match="name it with --format .*--format csv"):
        detect_format(HAND_KEPT)


def test_read_plan_guesses_the_columns_when_none_are_given():
    plan = read_plan(TABBED, fmt="csv", today=TODAY)
    assert plan.counts() == {"questions": 2, "forecasts": 4, "resolutions": 1, "skipped": 0}


def test_importing_the_same_file_twice_adds_nothing(ledger):
    plan = read_spreadsheet(HAND_KEPT, HAND_KEPT_MAPPING, today=TODAY)
    first = apply_plan(ledger, plan, origin=ORIGIN, now=NOW)
    # 4 questions, 6 forecasts, 3 resolutions, and Ann Lee.
    assert {k: v for k, v in first.added.items() if v} == {"questions": 4, "forecasts": 6, "resolutions": 3,
                                                           "analysts": 1}
    again = read_spreadsheet(HAND_KEPT, HAND_KEPT_MAPPING, today=TODAY)
    assert preview_plan(ledger, again).added_total() == 0
    second = apply_plan(ledger, again, origin=ORIGIN, now=NOW)
    assert second.added_total() == 0 and not second.conflicts
    assert ledger.execute("SELECT count(*) FROM forecasts").fetchone()[0] == 6


def test_rows_added_to_the_sheet_later_are_all_a_second_import_adds(ledger, tmp_path):
    path = tmp_path / "hand-kept.csv"
    shutil.copyfile(HAND_KEPT, path)
    apply_plan(ledger, read_spreadsheet(path, HAND_KEPT_MAPPING, today=TODAY), origin=ORIGIN, now=NOW)
    with path.open("ab") as fh:
        fh.write(f"{BRIDGE};90%;2025-04-01;;;;;\r\n".encode())
    report = apply_plan(ledger, read_spreadsheet(path, HAND_KEPT_MAPPING, today=TODAY), origin=ORIGIN, now=NOW)
    assert {k: v for k, v in report.added.items() if v} == {"forecasts": 1}


def test_an_outcome_changed_in_the_sheet_is_flagged_as_a_conflict(ledger, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("question,p,date,outcome,resolved on\nA?,30%,2025-01-01,yes,2025-02-01\n", encoding="utf-8")
    mapping = guess_mapping(("question", "p", "date", "outcome", "resolved on"))
    apply_plan(ledger, read_spreadsheet(path, mapping, today=TODAY), origin=ORIGIN, now=NOW)
    path.write_text("question,p,date,outcome,resolved on\nA?,30%,2025-01-01,no,2025-02-01\n", encoding="utf-8")
    report = apply_plan(ledger, read_spreadsheet(path, mapping, today=TODAY), origin=ORIGIN, now=NOW)
    assert len(report.conflicts) == 1
    assert ledger.execute("SELECT outcome FROM questions").fetchall() == [("yes",)]  # ours stays in force


# ---------------------------------------------------------------- crafted files finish (issue 13)

_CRAFTED = {
    # csv.Sniffer's regular expressions backtrack on these: 33 s and more than 300 s before.
    "quotes.csv": "statement,probability\n\"" + "'a," * 30_000 + "\",0.5\n",
    "braces.csv": '{"a":' * 120_000,
}


@pytest.mark.parametrize("name", sorted(_CRAFTED))
def test_crafted_csv_is_read_without_the_sniffer(tmp_path, monkeypatch, name):
    """The separator is chosen by reading a bounded sample with each of the four separators; csv.Sniffer,
    whose work has no bound, is not used at all."""
    import csv as csv_module

    def no_sniffing(*args, **kwargs):
        raise AssertionError("csv.Sniffer was used")

    monkeypatch.setattr(csv_module.Sniffer, "sniff", no_sniffing)
    path = tmp_path / name
    path.write_text(_CRAFTED[name], encoding="utf-8")
    try:
        sheet = sniff_csv(path)
    except ImportFormatError as exc:
        assert "\n" not in str(exc)  # a one-line refusal is fine too
    else:
        assert sheet.delimiter in ",;\t|"


def test_a_header_of_many_equal_names_is_numbered_in_linear_time(tmp_path):
    """Numbering a repeated name used to look it up in a list and count up from 2 each time: quadratic, so a
    header of a million equal names never finished. In a subprocess with a generous bound (it takes about a second
    here for 200,000 names; the quadratic version needed hours)."""
    code = (
        "from forecastapp.core.formats.spreadsheet import _header, guess_mapping\n"
        "names = _header(['a'] * 200_000 + ['probability'])\n"
        "assert names[1] == 'a (2)' and names[199_999] == 'a (200000)' and len(set(names)) == 200_001\n"
        "assert guess_mapping(names).probability == 'probability'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
