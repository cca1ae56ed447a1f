"""Reading other trackers' exports into import plans: the hand-written fixtures and their quirks."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from forecastapp.core.errors import ImportFormatError
from forecastapp.core.formats import detect_format, read_plan
from forecastapp.core.formats.plan import read_moment

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"
TODAY = date(2026, 11, 28)
FATEBOOK = DATA / "fatebook-forecasts.csv"


def _by_statement(plan):
    return {(q.statement, q.recorded_at): q for q in plan.questions}


def _reasons(plan) -> dict[str, int]:
    return dict(plan.skipped_by_reason())


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05 09:07:3", "2024-03-05T09:07:03"),  # Fatebook: seconds not zero-padded
        ("2024-03-05 09:07:30", "2024-03-05T09:07:30"),
        ("2024-02-01 12:00:59", "2024-02-01T12:00:59"),
        ("2012-05-01 10:00:00 UTC", "2012-05-01T10:00:00"),  # PredictionBook CSV
        ("2019-01-10T09:00:00.000Z", "2019-01-10T09:00:00"),  # PredictionBook JSON
        ("2024-01-02 10:00:00.123456+00:00", "2024-01-02T10:00:00.123456"),  # Metaculus
        ("2024-01-02 01:30:00+02:00", "2024-01-01T23:30:00"),  # an offset moves the day
        ("2024-06-30", "2024-06-30T00:00:00"),
    ],
)
def test_tracker_moments_are_read_as_utc(text, expected):
    assert read_moment(text).replace(tzinfo=None).isoformat() == expected


@pytest.mark.parametrize("text", ["", "yesterday", "2024-02-30 10:00:0", "05/03/2024 09:07",
                                  "0001-01-01 00:00 +01:00", "9999-12-31 23:59 -01:00"])
def test_unreadable_moments_are_refused(text):
    with pytest.raises(ValueError):
        read_moment(text)


def test_a_moment_whose_offset_leaves_the_calendar_skips_its_row(tmp_path):
    """Regression: an offset past year 1 raised OverflowError, a traceback instead of a skipped row."""
    from forecastapp.core.formats.fatebook import FATEBOOK_HEADER

    sheet = tmp_path / "fatebook.csv"
    good = ["Will it?", "", "Ann", "0.4", "2024-01-02 10:00:0", "Ann", "2024-01-01 10:00:0"] + [""] * 10
    early = ["Will it?", "", "Bo", "0.6", "0001-01-01 00:30:0 +01:00", "Ann", "2024-01-01 10:00:0"] + [""] * 10
    sheet.write_text("\n".join(",".join(r) for r in (FATEBOOK_HEADER, good, early)), encoding="utf-8")
    plan = read_plan(sheet, today=TODAY)
    assert plan.counts() == {"questions": 1, "forecasts": 1, "resolutions": 0, "skipped": 1}
    assert [s.where for s in plan.skipped] == ["row 3"]
    assert plan.skipped[0].reason.startswith("forecast: '0001-01-01 00:30:0 +01:00'")


# ---------------------------------------------------------------- Fatebook


def test_fatebook_rows_become_questions_forecasts_and_resolutions():
    plan = read_plan(FATEBOOK, today=TODAY)
    assert plan.format == "fatebook" and plan.source == "fatebook-forecasts.csv"
    # 5 questions: the two Oslo questions share a title but not a created time, so they are two.
    assert plan.counts() == {"questions": 5, "forecasts": 8, "resolutions": 3, "skipped": 3}
    qs = _by_statement(plan)
    eu = qs[("Will the EU formally adopt the AI Act by 30 June 2024?", "2024-03-05T09:07:03.000000Z")]
    assert [(f.analyst, f.probability, f.made_on.isoformat()) for f in eu.forecasts] == [
        ("Ann Lee", 0.7, "2024-03-05"), ("Ann Lee", 0.85, "2024-04-01"), ("Bo Chen", 0.999, "2024-04-02"),
    ]
    assert eu.forecasts[2].recorded_at == "2024-04-02T08:00:05.000000Z"  # "08:00:5" is 5 seconds, not 50
    assert eu.tags == ("eu", "policy")  # "EU; Policy", split on "; " and lower-cased
    assert eu.criteria == "Formal adoption by the Council counts."
    assert eu.resolve_by == date(2024, 6, 30)
    assert (eu.resolution.outcome, eu.resolution.resolved_on) == ("yes", date(2024, 5, 21))
    rain_first = qs[("Will it rain in Oslo on 10 March 2024?", "2024-03-06T18:30:00.000000Z")]
    rain_again = qs[("Will it rain in Oslo on 10 March 2024?", "2024-03-07T08:00:00.000000Z")]
    assert rain_first.resolution.outcome == "annulled"  # AMBIGUOUS
    assert rain_again.resolution is None and rain_again.tags == ("weather",)
    fed = qs[("Will the Fed cut rates at its March 2024 meeting?", "2024-02-01T12:00:59.000000Z")]
    assert [(f.analyst, f.probability) for f in fed.forecasts] == [("Ann Lee", 0.001), ("Cy Diaz", 0.2)]
    assert fed.resolution.outcome == "no"
    quoted = qs[('Will "Starship" land on Mars, crewed or not, by 2030?', "2024-03-07T10:00:07.000000Z")]
    assert quoted.resolution is None and quoted.resolve_by == date(2030, 12, 31)


def test_fatebook_certainties_are_clamped_and_counted():
    plan = read_plan(FATEBOOK, today=TODAY)
    assert plan.clamped == 2  # Bo's 1 and Ann's 0
    assert any("2 probabilities of 0 or 1" in n for n in plan.notes)


def test_fatebook_skipped_rows_say_why():
    plan = read_plan(FATEBOOK, today=TODAY)
    assert _reasons(plan) == {
        "forecast: probability 'abc' is not a number": 1,
        "multiple-choice question (only yes/no questions are imported)": 1,
        "forecast dated after the question resolved (hindsight is never scored)": 1,
    }
    where = {s.reason.split(" ")[0]: s.where for s in plan.skipped}
    assert where["multiple-choice"] == "row 11"  # spreadsheet numbering: the header is row 1


def test_ids_are_deterministic_and_derived_from_the_source_fields():
    first = read_plan(FATEBOOK, today=TODAY)
    second = read_plan(FATEBOOK, today=TODAY)
    ids = lambda plan: [(q.id, [f.id for f in q.forecasts], q.resolution and q.resolution.id) for q in plan.questions]
    assert ids(first) == ids(second)
    # The question id is a UUID 5 over the format, the kind, the title and the created moment.
    namespace = uuid.UUID("6f1c3e0a-52d4-4c8e-9a57-2f0b8d1e7c44")
    title = "Will the EU formally adopt the AI Act by 30 June 2024?"
    expected = str(uuid.uuid5(namespace, f"fatebook\x1fquestion\x1f{title}\x1f2024-03-05T09:07:03.000000Z"))
    assert expected in {q.id for q in first.questions}
    all_ids = [i for q in first.questions for i in [q.id, *(f.id for f in q.forecasts)]]
    assert len(all_ids) == len(set(all_ids))


def test_fatebook_file_without_its_columns_is_refused(tmp_path):
    bad = tmp_path / "other.csv"
    bad.write_text("Question title,Forecast\nA,0.5\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="'Forecast created by' is missing"):
        read_plan(bad, fmt="fatebook", today=TODAY)


def test_non_utf8_file_is_refused(tmp_path):
    bad = tmp_path / "latin.csv"
    bad.write_bytes(FATEBOOK.read_text(encoding="utf-8").replace("Ann", "Ånn").encode("latin-1"))
    with pytest.raises(ImportFormatError, match="not UTF-8"):
        read_plan(bad, fmt="fatebook", today=TODAY)


def test_forecasts_dated_after_today_are_skipped():
    plan = read_plan(FATEBOOK, today=date(2024, 3, 6))
    # Only rows with a forecast on or before 6 March 2024 remain, and no resolution from later on.
    assert all(f.made_on <= date(2024, 3, 6) for q in plan.questions for f in q.forecasts)
    assert all(q.resolution is None for q in plan.questions)
    # Rows 3, 4, 7, 10 and 12 are later; the two questions whose only forecast is later go with them.
    assert _reasons(plan)["forecast dated in the future"] == 5
    assert _reasons(plan)["no forecast left to import"] == 2


# ---------------------------------------------------------------- PredictionBook


def test_predictionbook_csv_gives_one_mean_forecast_per_prediction():
    plan = read_plan(DATA / "my_predictions.csv", today=TODAY)
    assert plan.format == "predictionbook"
    assert plan.counts() == {"questions": 4, "forecasts": 4, "resolutions": 2, "skipped": 1}
    assert _reasons(plan) == {"withdrawn on PredictionBook": 1}
    qs = {q.statement: q for q in plan.questions}
    iss = qs["The ISS will still be in orbit on 1 January 2025"]
    assert [(f.analyst, f.probability, f.made_on) for f in iss.forecasts] == [("ann", 0.9, date(2012, 5, 1))]
    assert (iss.resolution.outcome, iss.resolution.resolved_on) == ("yes", date(2025, 1, 2))
    btc = qs["Bitcoin will trade above $1000 before 2014"]
    assert btc.forecasts[0].probability == 0.001 and btc.resolution.outcome == "no"
    grouped = qs["[2028 election] Candidate X wins"]  # description_with_group is the statement
    assert grouped.forecasts[0].probability == 0.999 and grouped.resolution is None
    assert plan.clamped == 2


def test_predictionbook_json_pages_give_one_forecast_per_response():
    plan = read_plan(DATA / "my_predictions.json", today=TODAY)
    assert plan.counts() == {"questions": 2, "forecasts": 3, "resolutions": 1, "skipped": 2}
    assert _reasons(plan) == {"a comment without a confidence (not a forecast)": 1, "withdrawn on PredictionBook": 1}
    brexit = next(q for q in plan.questions if q.statement.startswith("The UK leaves"))
    assert [(f.analyst, f.probability, f.rationale) for f in brexit.forecasts] == [
        ("ann", 0.6, "Parliament keeps voting it down"), ("bo", 0.4, ""),
    ]
    assert (brexit.resolution.outcome, brexit.resolution.resolved_on) == ("no", date(2020, 1, 1))
    mars = next(q for q in plan.questions if q.statement.startswith("A human"))
    assert mars.forecasts[0].probability == 0.001 and plan.clamped == 1


def test_predictionbook_json_and_csv_of_one_account_name_the_same_question(tmp_path):
    csv_text = (DATA / "my_predictions.csv").read_text(encoding="utf-8")
    single = tmp_path / "one.json"
    # The JSON of prediction 101 (same uuid as the CSV's first row).
    single.write_text(
        '{"predictions": [{"id": 101, "uuid": "2b9f6a52-0c1e-4d3b-9a51-6f2d0e9c1a01", "description": "x",'
        ' "created_at": "2012-05-01T10:00:00Z", "outcome": null, "withdrawn": false,'
        ' "responses": [{"id": 1, "confidence": 80, "created_at": "2012-05-01T10:00:00Z", "user_label": "ann"}]}]}',
        encoding="utf-8",
    )
    assert "2b9f6a52-0c1e-4d3b-9a51-6f2d0e9c1a01" in csv_text
    from_csv = {q.id for q in read_plan(DATA / "my_predictions.csv", today=TODAY).questions}
    from_json = {q.id for q in read_plan(single, today=TODAY).questions}
    assert from_json <= from_csv


# ---------------------------------------------------------------- Metaculus


def test_metaculus_imports_binary_questions_only_and_says_what_it_skipped():
    plan = read_plan(DATA / "metaculus", today=TODAY)
    assert plan.format == "metaculus"
    assert plan.counts() == {"questions": 2, "forecasts": 4, "resolutions": 2, "skipped": 8}
    assert _reasons(plan) == {
        "community aggregate, not a person's forecast": 2,
        "numeric question (only binary questions are imported)": 1,
        "multiple choice question (only binary questions are imported)": 1,
        "forecast on a numeric question (only binary questions are imported)": 1,
        "forecast on a multiple choice question (only binary questions are imported)": 1,
        "forecast dated after the question resolved (hindsight is never scored)": 1,
        "no forecast left to import": 1,  # question 1005 had only the community's aggregate
    }
    qs = {q.statement: q for q in plan.questions}
    cease = qs["Will there be a ceasefire in the conflict before 2025?"]
    assert [(f.analyst, f.probability, f.made_on) for f in cease.forecasts] == [
        ("ann_m", 0.6, date(2024, 1, 2)), ("bo_m", 0.999, date(2024, 3, 4)), ("ann_m", 0.9, date(2024, 6, 1)),
    ]
    assert (cease.resolution.outcome, cease.resolution.resolved_on) == ("yes", date(2025, 1, 15))
    assert cease.tags == ("geopolitics", "economy & business")
    assert cease.resolve_by == date(2025, 1, 1)
    assert "metaculus.com/questions/2001" in cease.criteria
    assert qs["Will the probe launch by June 2024?"].resolution.outcome == "annulled"
    assert plan.clamped == 1


@pytest.mark.parametrize("name", ["question_data.csv", "forecast_data.csv"])
def test_metaculus_either_file_finds_the_other(name):
    via_file = read_plan(DATA / "metaculus" / name, today=TODAY)
    via_folder = read_plan(DATA / "metaculus", today=TODAY)
    assert [q.id for q in via_file.questions] == [q.id for q in via_folder.questions]


def test_metaculus_without_forecast_file_is_refused(tmp_path):
    (tmp_path / "question_data.csv").write_bytes((DATA / "metaculus" / "question_data.csv").read_bytes())
    with pytest.raises(ImportFormatError, match="forecast_data.csv' was not found"):
        read_plan(tmp_path / "question_data.csv", fmt="metaculus", today=TODAY)


@pytest.mark.parametrize("categories", ["[0x" + "f" * 4000 + "]", "[" + "-" * 100_000 + "1]",
                                        "[" + "1+" * 100_000 + "1]", "['Geopolitics'"])
def test_metaculus_categories_python_cannot_read_leave_the_question_untagged(tmp_path, categories):
    """Regression: a huge integer or deep nesting in Categories raised ValueError, MemoryError or RecursionError."""
    (tmp_path / "question_data.csv").write_text(
        "Question ID,Question Title,Question Type,Resolution,Open Time,Categories\n"
        f'7,Will it?,binary,,2024-01-01,"{categories}"\n', encoding="utf-8")
    (tmp_path / "forecast_data.csv").write_text(
        "Question ID,Forecaster ID,Forecaster Username,Start Time,Probability Yes\n7,5,ann_m,2024-01-02,0.4\n",
        encoding="utf-8")
    plan = read_plan(tmp_path, today=TODAY)
    assert [(q.statement, q.tags, len(q.forecasts)) for q in plan.questions] == [("Will it?", (), 1)]


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (FATEBOOK, "fatebook"),
        (DATA / "my_predictions.csv", "predictionbook"),
        (DATA / "my_predictions.json", "predictionbook"),
        (DATA / "metaculus", "metaculus"),
        (DATA / "metaculus" / "question_data.csv", "metaculus"),
    ],
)
def test_formats_are_recognised_by_name_and_header(path, fmt):
    assert detect_format(path) == fmt


def test_a_renamed_file_is_recognised_by_its_header(tmp_path):
    renamed = tmp_path / "export (3).txt"
    renamed.write_bytes(FATEBOOK.read_bytes())
    assert detect_format(renamed) == "fatebook"
    ledger_json = tmp_path / "backup.json"
    ledger_json.write_text('{"format": "forecastapp-ledger/1"}', encoding="utf-8")
    assert detect_format(ledger_json) == "ledger"


def test_an_unknown_file_is_refused_with_the_formats_named(tmp_path):
    other = tmp_path / "notes.csv"
    other.write_text("date,what\n2024-01-01,nothing\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="name it with --format"):
        detect_format(other)
