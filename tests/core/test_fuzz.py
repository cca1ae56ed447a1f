"""Fuzzing the parsers and importers with hypothesis: every input ends in a result or a one-line ForecastError.

What a user can feed forecastapp (typed text, a file to import, a document) is thrown at each reader:
arbitrary Unicode (control characters, right-to-left marks, emoji, lone surrogates such as a terminal
hands over for undecodable bytes), huge numbers, NaN and infinities, malformed JSON and CSV, and a
10 MB statement. The contract checked everywhere:

- the call returns, or raises a `ForecastError` whose message is one non-empty line; any other
  exception (a traceback for the user) fails the test;
- results keep their own promises (a probability inside 0.1%-99.9%, sentence offsets that slice the
  text they came from, a decoded document that is text);
- a write that is refused leaves the ledger exactly as it was (row counts of every table, chain head).

Example counts are set per test (`FUZZ`); the whole module runs in about half a minute. The numbers
are in docs/RELIABILITY.md.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from forecastapp.core import ledger as ops
from forecastapp.core import queries
from forecastapp.core.dates import DateWindow, parse_day, parse_deadline
from forecastapp.core.detect import detect_candidates
from forecastapp.core.documents import decode_text
from forecastapp.core.errors import ForecastError
from forecastapp.core.estimative import match_term
from forecastapp.core.formats import apply_plan, read_plan
from forecastapp.core.formats.fatebook import FATEBOOK_HEADER
from forecastapp.core.formats.metaculus import FORECAST_FILE, QUESTION_FILE
from forecastapp.core.formats.predictionbook import CSV_COLUMNS as PREDICTIONBOOK_COLUMNS
from forecastapp.core.merge import Origin
from forecastapp.core.probability import MAX_P, MIN_P, parse_probability
from forecastapp.core.sentences import split_sentences
from forecastapp.core.store import open_ledger
from forecastapp.core.transfer import export_ledger, import_ledger, read_export

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


def fuzz(examples: int):
    """Hypothesis settings for one fuzz test: `examples` inputs, no per-example deadline."""
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


# --- what is thrown at the readers ---------------------------------------------------------------------

# Text a person could type or paste, and what a file or a terminal can smuggle in.
SPECIAL = [
    "", " ", "\x00", "\t\r\n", "\u200b", "\ufeff", "\u202e70%", "\u202dlikely\u202c", "\u2066x\u2069",
    "\u05d1\u05e1\u05d1\u05d9\u05e8\u05d5\u05ea \u05d2\u05d1\u05d5\u05d4\u05d4",  # Hebrew: "with high probability"
    "\u0645\u0646 \u0627\u0644\u0645\u0631\u062c\u062d 70\u066a",  # Arabic: "likely 70%", Arabic percent sign
    "\U0001f525\U0001f44d\U0001f3fd", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u00e9\u0301\u0301\u0301",
    "nan", "NaN%", "inf", "-inf", "Infinity", "1e309", "-0", "0", "1", "100", "100%", "0.0000001",
    "9" * 400, "0." + "9" * 400, "1" + "0" * 5000 + "%", "\udcff", "\ud800likely", "=cmd|' /C calc'!A0",
    "31 Feb 2026", "in 99999999999 years", "0000-00-00", "9999-12-31", "10000-01-01", "in 10 to 5 years",
    "Q4 9999", "next year", "\u0661\u0669\u0668\u0664", "\uff17\uff10\uff05", "almost certainly not",
    "not unlikely", "very very likely", "[x](javascript:alert(1))", "<script>alert(1)</script>", "a|b`c",
    "\u2028\u2029\x85\x1c", "\r" * 50,
]
ANY_CHAR = st.characters(codec=None, categories=None)  # every code point, lone surrogates included
text_input = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(alphabet=ANY_CHAR, max_size=60),
    st.text(max_size=300),
    st.lists(st.sampled_from(SPECIAL), max_size=6).map(" ".join),
)
number_input = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.integers(min_value=10**18),
    st.just(10**400), st.just(-(10**400)), st.booleans(),
)


def refused_or_done(call, *args, **kwargs):
    """Run `call`: its result, or the ForecastError it raised after checking it is one line of text."""
    try:
        result = call(*args, **kwargs)
    except ForecastError as exc:
        message = str(exc)
        assert message.strip(), f"{type(exc).__name__} with an empty message"
        assert len(message.splitlines()) == 1, f"not one line: {message!r}"
        _count(call, f"refused ({type(exc).__name__})")
        return exc
    _count(call, "done")
    return result


def _count(call, outcome: str) -> None:
    """Tally outcomes per reader (pytest --hypothesis-show-statistics prints them)."""
    if currently_in_test_context():
        event(f"{getattr(call, '__name__', 'call')}: {outcome}")


# --- typed text ----------------------------------------------------------------------------------------


# Probability-like text: numbers in every form the reader takes, and the estimative terms, negated.
probability_text = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.floats(-1, 101).map(lambda x: f"{x}%"),
    st.integers(-5, 10**30).map(str),
    st.decimals(allow_nan=True).map(str),
    st.builds(lambda neg, t: f"{neg}{t}", st.sampled_from(["", "not ", "very ", "almost "]),
              st.sampled_from(["likely", "unlikely", "probable", "remote", "almost certain", "even chance",
                               "roughly even", "highly likely", "nearly certain", "very unlikely"])),
)


@fuzz(600)
@given(st.one_of(text_input, probability_text, number_input))
def test_parse_probability(value):
    result = refused_or_done(parse_probability, value)
    if not isinstance(result, ForecastError):
        assert MIN_P <= result.value <= MAX_P and math.isfinite(result.value)


# Date-like text, so the readers' own rules (not only their refusals) run: every calendar form they
# accept, with days, months and years drawn from the whole range a date can take.
day_text = st.one_of(
    st.dates().map(date.isoformat),
    st.dates().map(lambda d: f"{d.day} {d.strftime('%b')} {d.year}"),
    st.dates().map(lambda d: f"{d.strftime('%B')} {d.year}"),
    st.dates().map(lambda d: f"{d.year}"),
    st.builds(lambda n, unit: f"in {n} {unit}", st.integers(-5, 10**12),
              st.sampled_from(["days", "weeks", "months", "years", "quarters", "day"])),
    st.builds(lambda a, b: f"{a} to {b} years", st.integers(-1, 10**6), st.integers(-1, 10**6)),
    st.builds(lambda q, y: f"Q{q} {y}", st.integers(0, 5), st.integers(0, 10**5)),
    st.sampled_from(["today", "yesterday", "tomorrow", "next year", "end of next quarter", "this month",
                     "31 Feb 2026", "29 Feb 2100", "0 Jan 2026", "Dec 0", "9999-12-31", "0001-01-01"]),
)


@fuzz(500)
@given(st.one_of(text_input, day_text), st.dates())
def test_parse_day(text, today):
    result = refused_or_done(parse_day, text, today=today)
    assert isinstance(result, (date, ForecastError))


@fuzz(500)
@given(st.one_of(text_input, day_text), st.dates())
def test_parse_deadline(text, made_on):
    result = refused_or_done(parse_deadline, text, made_on=made_on)
    if isinstance(result, DateWindow):
        assert result.start is None or result.start <= result.end


@fuzz(500)
@given(text_input)
def test_match_term_reads_or_declines_any_text(text):
    found = match_term(text)  # never an error: None means "not a term"
    assert found is None or 0 < found[0].value < 1


@fuzz(400)
@given(text_input)
def test_sentence_offsets_always_slice_the_text(text):
    spans = split_sentences(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end].strip()  # a sentence is never only blanks
        previous_end = end


@fuzz(300)
@given(st.lists(text_input, max_size=8).map(" ".join), st.one_of(st.none(), st.dates()))
def test_detected_candidates_point_at_their_sentence(text, published_on):
    for c in detect_candidates(text, published_on=published_on, today=TODAY):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.sentence
        assert MIN_P <= c.probability <= MAX_P


@fuzz(400)
@given(st.one_of(st.binary(max_size=400), text_input.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\x00", b"\xff\xfeA\x00\x00\xd8",
                                  b"\x00" * 8, "caf\u00e9".encode("cp1252")])))
def test_decode_text(data):
    result = refused_or_done(decode_text, data, name="'doc.txt'")
    if not isinstance(result, ForecastError):
        text, encoding = result
        assert isinstance(text, str) and text.strip() and "\x00" not in text
        text.encode("utf-8")  # real text: no lone surrogates reach the ledger


# --- the ledger: searches and writes -------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_ledger(tmp_path_factory):
    """One ledger for the module's write fuzzing (hypothesis runs many examples per test)."""
    db = open_ledger(tmp_path_factory.mktemp("fuzz") / "ledger.db", seed=False)
    qid, _ = ops.create_forecast(db, ops.NewQuestion(statement="Will the treaty be signed?", tags=("asia",)),
                                 analyst="Ann", probability=0.7, made_on=date(2026, 3, 1), today=TODAY, now=NOW)
    ops.resolve(db, question_id=qid, outcome="yes", resolved_on=date(2026, 4, 1), today=TODAY, now=NOW)
    yield db
    db.close()


def state(db) -> dict[str, object]:
    """Row counts of every table and the chain head: what a refused write must leave as it was."""
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '%fts%'"
    )]
    counts: dict[str, object] = {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
    counts["head"] = db.execute("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
    return counts


@fuzz(300)
@given(text_input, text_input, text_input)
def test_searches_and_filters_never_break_the_query(fuzz_ledger, search, tag, analyst):
    flt = queries.QuestionFilter(search=search, tag=tag, analyst=analyst)
    rows = refused_or_done(queries.list_questions, fuzz_ledger, flt, today=TODAY)
    count = refused_or_done(queries.count_questions, fuzz_ledger, flt, today=TODAY)
    if not isinstance(rows, ForecastError):
        assert len(rows) == count


# Mostly valid probabilities and days, so most examples reach the text checks and the insert.
good_p = st.floats(min_value=MIN_P, max_value=MAX_P)
good_day = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@fuzz(250)
@given(statement=text_input, analyst=st.one_of(text_input, st.sampled_from(["Ann", "ann ", "Zo\u00eb"])),
       tags=st.lists(text_input, max_size=3), criteria=text_input, rationale=text_input,
       p=st.one_of(good_p, good_p, good_p, good_p, number_input), made_on=st.one_of(good_day, good_day, st.dates()))
def test_adding_a_forecast_stores_it_whole_or_not_at_all(fuzz_ledger, statement, analyst, tags, criteria,
                                                        rationale, p, made_on):
    before = state(fuzz_ledger)
    result = refused_or_done(
        ops.create_forecast, fuzz_ledger, ops.NewQuestion(statement=statement, tags=tuple(tags), criteria=criteria),
        analyst=analyst, probability=p, made_on=made_on, rationale=rationale, today=TODAY, now=NOW,
    )
    after = state(fuzz_ledger)
    if isinstance(result, ForecastError):
        assert after == before
    else:
        assert after["forecasts"] == before["forecasts"] + 1 and after["questions"] == before["questions"] + 1


def test_a_10_mb_statement_is_refused_in_one_line_and_not_stored(fuzz_ledger):
    before = state(fuzz_ledger)
    statement = "Will the reactor restart? " * 400_000  # 10.4 MB of text
    with pytest.raises(ForecastError) as refused:
        ops.create_forecast(fuzz_ledger, ops.NewQuestion(statement=statement), analyst="Ann", probability=0.6,
                            made_on=TODAY, today=TODAY, now=NOW)
    message = str(refused.value)
    assert message == "the statement is 10,399,999 characters long; the limit is 100,000"
    assert state(fuzz_ledger) == before


# --- files to import -----------------------------------------------------------------------------------

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63), st.floats(),
                        text_input)
json_like = st.recursive(json_scalar, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(st.one_of(text_input, st.sampled_from(
        ["id", "format", "questions", "forecasts", "tags", "settings", "probability", "statement"])), kids,
        max_size=4)), max_leaves=12)


@pytest.fixture(scope="module")
def valid_export(tmp_path_factory):
    """A real export of a small ledger, the starting point for mutations."""
    db = open_ledger(tmp_path_factory.mktemp("export") / "source.db", seed=False)
    qid, fid = ops.create_forecast(db, ops.NewQuestion(statement="Source question?", tags=("t",)), analyst="Bo",
                                   probability=0.4, made_on=date(2026, 2, 1), today=TODAY, now=NOW)
    ops.add_forecast(db, question_id=qid, analyst="Cy", probability=0.55, made_on=date(2026, 2, 2), today=TODAY,
                     now=NOW)
    ops.resolve(db, question_id=qid, outcome="no", resolved_on=date(2026, 3, 1), today=TODAY, now=NOW)
    ops.retract_forecast(db, forecast_id=fid, reason="typo", now=NOW)
    data = export_ledger(db, now=NOW)
    db.close()
    return data


# Mutations of a real export: a table's row, a field, or the whole table replaced by something odd.
TABLES = ["documents", "analysts", "questions", "forecasts", "retractions", "resolutions", "question_log", "settings"]


# Values that look right to a schema check but may break a rule: other records' ids, days, outcomes.
plausible = st.one_of(
    st.none(), text_input, st.floats(-2, 2), st.integers(-10, 10**6), st.integers(2**62, 2**64),
    st.sampled_from(["2026-01-01", "2026-13-45", "2026-11-28T09:00:00.000000Z", "yes", "no", "annulled",
                     "resolve", "correct", "retract", "delete", "restore", "condition_not_met", "likely"]),
)


@st.composite
def mutated_exports(draw, valid):
    """A real export with one to three changes: a field, a row or a whole table replaced, or a row copied."""
    data = json.loads(json.dumps(valid))
    ids = [row["id"] for t in TABLES[:-1] for row in data[t]]
    for _ in range(draw(st.integers(1, 3))):
        table = draw(st.sampled_from(TABLES))
        rows = data.get(table)
        how = draw(st.sampled_from(["field", "field", "id", "copy", "table"]))
        if how != "table" and isinstance(rows, list) and rows:
            row = draw(st.sampled_from(rows))
            if how == "copy":
                rows.append(json.loads(json.dumps(row)))
            elif isinstance(row, dict) and row:
                key = draw(st.sampled_from(sorted(row)))
                row[key] = draw(st.sampled_from(ids)) if how == "id" else draw(st.one_of(plausible, json_like))
            continue
        data[table] = draw(json_like)
    return data


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8", errors="surrogatepass")


@fuzz(250)
@given(st.data())
def test_a_mutated_ledger_export_imports_whole_or_not_at_all(fuzz_ledger, valid_export, tmp_path_factory, data):
    data = data.draw(st.one_of(mutated_exports(valid_export), mutated_exports(valid_export), json_like))
    path = tmp_path_factory.getbasetemp() / "mutated.json"
    _write_json(path, data)
    before = state(fuzz_ledger)
    read = refused_or_done(read_export, path)
    if isinstance(read, ForecastError):
        assert state(fuzz_ledger) == before
        return
    result = refused_or_done(import_ledger, fuzz_ledger, read)
    if isinstance(result, ForecastError):
        assert state(fuzz_ledger) == before


MALFORMED_JSON = [
    b"", b"{", b"[", b"{\"format\": ", b"[" * 100_000 + b"]" * 100_000, b"{\"a\":" * 50_000 + b"1" + b"}" * 50_000,
    b"NaN", b"{\"format\": \"forecastapp-ledger\", \"questions\": [{\"id\": NaN}]}", b"\xff\xfe{}",
    b"{\"format\": \"forecastapp-ledger\", \"forecasts\": [{\"id\": \"x\", \"probability\": 1e999}]}",
    b"\"\\ud800\"", b"1" * 5000, b"{\"format\": \"forecastapp-ledger\", \"settings\": [1, 2]}",
    b"{\"format\": \"forecastapp-ledger\", \"settings\": \"x\"}",
]


@pytest.mark.parametrize("raw", MALFORMED_JSON, ids=range(len(MALFORMED_JSON)))
def test_malformed_json_files_are_refused_in_one_line(fuzz_ledger, tmp_path, raw):
    path = tmp_path / "broken.json"
    path.write_bytes(raw)
    before = state(fuzz_ledger)
    for reader in (lambda: read_export(path), lambda: read_plan(path, today=TODAY)):
        result = refused_or_done(reader)
        if isinstance(result, dict):
            refused_or_done(import_ledger, fuzz_ledger, result)
    assert state(fuzz_ledger) == before


def _csv(header, rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


cell = st.one_of(text_input, st.sampled_from(["", "0.5", "1.5", "-1", "nan", "inf", "1e308", "YES", "NO",
                                             "AMBIGUOUS", "2024-03-05 09:07:3", "2026-01-01", "true", "false",
                                             "binary", "yes", "no", "9" * 40]),
                 number_input.map(str))


@st.composite
def tracker_csv(draw, header):
    """CSV text under a tracker's header (columns sometimes dropped or shuffled), with arbitrary cells."""
    columns = list(header)
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    if draw(st.integers(0, 4)) == 0:
        columns = columns[: draw(st.integers(0, len(columns)))]
    rows = draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns) + 1), max_size=4))
    return _csv(columns, rows)


def _import_file(db, path: Path, fmt: str):
    """What `forecastapp import --format FMT` does: read a plan, then apply it."""
    plan = refused_or_done(read_plan, path, fmt=fmt, today=TODAY)
    if isinstance(plan, ForecastError):
        return plan
    return refused_or_done(apply_plan, db, plan, origin=Origin(action="import", format=fmt, source=path.name),
                           now=NOW)


@fuzz(150)
@given(st.one_of(tracker_csv(FATEBOOK_HEADER), st.text(alphabet=ANY_CHAR, max_size=200)))
def test_fatebook_csv(fuzz_ledger, tmp_path_factory, text):
    path = tmp_path_factory.getbasetemp() / "fatebook.csv"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = state(fuzz_ledger)
    if isinstance(_import_file(fuzz_ledger, path, "fatebook"), ForecastError):
        assert state(fuzz_ledger) == before


@fuzz(150)
@given(st.one_of(tracker_csv(PREDICTIONBOOK_COLUMNS), st.text(alphabet=ANY_CHAR, max_size=200)))
def test_predictionbook_csv(fuzz_ledger, tmp_path_factory, text):
    path = tmp_path_factory.getbasetemp() / "my_predictions.csv"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = state(fuzz_ledger)
    if isinstance(_import_file(fuzz_ledger, path, "predictionbook"), ForecastError):
        assert state(fuzz_ledger) == before


@fuzz(100)
@given(json_like)
def test_predictionbook_json(fuzz_ledger, tmp_path_factory, data):
    path = tmp_path_factory.getbasetemp() / "my_predictions.json"
    _write_json(path, data)
    before = state(fuzz_ledger)
    if isinstance(_import_file(fuzz_ledger, path, "predictionbook"), ForecastError):
        assert state(fuzz_ledger) == before


#: A hand-kept sheet's columns, named as people name them (the reader guesses the roles from these).
SHEET_COLUMNS = ("Question", "My forecast", "Date", "Deadline", "Outcome", "Resolved on", "Tags", "Analyst",
                 "Notes")
sheet_cell = st.one_of(cell, st.sampled_from(["70%", "0,7", "likely", "very unlikely", "3 Mar 2025", "Q2 2025",
                                              "03/04/2025", "31/12/2025", "annulled", "y", "n", "1", "0",
                                              "a; b", "2025-02-30"]))


@st.composite
def hand_kept_sheet(draw) -> bytes:
    """A spreadsheet kept by hand: guessed-at columns, any cells, a delimiter and an encoding people use."""
    columns = list(draw(st.permutations(SHEET_COLUMNS)))[: draw(st.integers(0, len(SHEET_COLUMNS)))]
    rows = draw(st.lists(st.lists(sheet_cell, min_size=0, max_size=len(columns) + 1), max_size=5))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(columns)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return buf.getvalue().encode(encoding, errors="replace" if encoding == "cp1252" else "surrogatepass")


@fuzz(150)
@given(st.one_of(hand_kept_sheet(), st.binary(max_size=300)))
def test_hand_kept_spreadsheet(fuzz_ledger, tmp_path_factory, raw):
    path = tmp_path_factory.getbasetemp() / "sheet.csv"
    path.write_bytes(raw)
    before = state(fuzz_ledger)
    if isinstance(_import_file(fuzz_ledger, path, "csv"), ForecastError):
        assert state(fuzz_ledger) == before


METACULUS_QUESTIONS = ("Question ID", "Question Title", "Question Type", "Resolution", "Scheduled Close Time",
                       "Actual Resolve Time", "Categories")
METACULUS_FORECASTS = ("Question ID", "Forecaster ID", "Start Time", "Probability Yes")


@fuzz(120)
@given(tracker_csv(METACULUS_QUESTIONS), tracker_csv(METACULUS_FORECASTS))
def test_metaculus_csv(fuzz_ledger, tmp_path_factory, questions, forecasts):
    folder = tmp_path_factory.getbasetemp() / "metaculus"
    folder.mkdir(exist_ok=True)
    (folder / QUESTION_FILE).write_text(questions, encoding="utf-8", errors="surrogatepass")
    (folder / FORECAST_FILE).write_text(forecasts, encoding="utf-8", errors="surrogatepass")
    before = state(fuzz_ledger)
    if isinstance(_import_file(fuzz_ledger, folder, "metaculus"), ForecastError):
        assert state(fuzz_ledger) == before


def test_the_fuzzed_ledger_is_still_sound(fuzz_ledger):
    """After everything above: the file passes SQLite's own check and the hash chain verifies."""
    from forecastapp.core.integrity import verify_ledger

    assert fuzz_ledger.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert verify_ledger(fuzz_ledger).ok
    assert sqlite3.sqlite_version  # the module ran against a real SQLite


# --- regressions: each crash the fuzzing above found, pinned to the input that found it -------------------


def test_regression_undecodable_bytes_in_typed_text_are_refused_not_a_crash(fuzz_ledger):
    # A terminal in another encoding hands Python lone surrogates; SQLite raised UnicodeEncodeError.
    before = state(fuzz_ledger)
    cases = [({"statement": "Rain\udcff?"}, {}, "the statement contains bytes that are not valid text"),
             ({"statement": "Rain?", "tags": ("w\ud800",)}, {}, "the tag contains bytes that are not valid text"),
             ({"statement": "Rain?"}, {"analyst": "An\udcffn"}, "the analyst name contains bytes that are not valid"),
             ({"statement": "Rain?"}, {"analyst": "\x00"}, "the analyst name contains a NUL character"),
             ({"statement": "Rain?", "tags": ("a\x00",)}, {}, "the tag contains a NUL character")]
    for question, forecast, message in cases:
        with pytest.raises(ForecastError, match=message):
            ops.create_forecast(fuzz_ledger, ops.NewQuestion(**question), **{"analyst": "Ann", **forecast},
                                probability=0.5, made_on=TODAY, today=TODAY, now=NOW)
    assert state(fuzz_ledger) == before


def test_regression_a_huge_integer_probability_is_refused_in_one_line(fuzz_ledger):
    # math.isnan(10**400) raised OverflowError; repr() of a 5000-digit int raises ValueError.
    for p in (10**400, 10**5000, -(10**400)):
        with pytest.raises(ForecastError, match="probability a number of over 30 digits is outside"):
            ops.check_probability(p)


@pytest.mark.parametrize("field", ["analyst", "tag", "document_id"])
def test_regression_list_filters_with_undecodable_bytes_are_refused(fuzz_ledger, field):
    flt = queries.QuestionFilter(**{field: "x\udcff"})
    with pytest.raises(ForecastError, match="filter contains bytes that are not valid text"):
        queries.list_questions(fuzz_ledger, flt, today=TODAY)


@pytest.mark.parametrize(("change", "message"), [
    ({"settings": [1, 2]}, "'settings' must be an object of plain values"),
    ({"settings": True}, "'settings' must be an object of plain values"),
    ({"settings": {"k": {"nested": 1}}}, "'settings' must be an object of plain values"),
    ({"analysts": [{"id": "a1", "name": "Bo\ud800", "recorded_at": "2026-01-01T00:00:00Z"}]}, "malformed 'name'"),
    ({"analysts": [{"id": "a1", "name": "Bo", "recorded_at": 2**64}]}, "malformed 'recorded_at'"),
    ({"analysts": [{"id": "a1", "name": float("inf"), "recorded_at": "x"}]}, "malformed 'name'"),
    ({"questions": [{"id": "q1", "statement": "S?", "recorded_at": "x", "tags": ["\udcff"]}]}, "malformed tags"),
])
def test_regression_exports_with_unstorable_values_are_refused_before_writing(fuzz_ledger, tmp_path, change,
                                                                               message):
    path = tmp_path / "export.json"
    _write_json(path, {"format": "forecastapp-ledger/1", **change})
    before = state(fuzz_ledger)
    with pytest.raises(ForecastError, match=message):
        import_ledger(fuzz_ledger, read_export(path))
    assert state(fuzz_ledger) == before


@pytest.mark.parametrize("raw", [b"[" * 100_000 + b"]" * 100_000, b"[" + b"1" * 5000 + b"]"],
                         ids=["deep", "long-number"])
def test_regression_json_that_python_cannot_read_is_refused_by_every_reader(tmp_path, raw):
    # json.loads raises RecursionError and ValueError (not JSONDecodeError) for these.
    for name, fmt in (("export.json", "ledger"), ("my_predictions.json", "predictionbook")):
        path = tmp_path / name
        path.write_bytes(raw)
        reader = read_export if fmt == "ledger" else (lambda p: read_plan(p, fmt="predictionbook", today=TODAY))
        with pytest.raises(ForecastError, match="nests too deeply or holds a number too long to read"):
            reader(path)
        with pytest.raises(ForecastError):
            read_plan(path, today=TODAY)  # format detection no longer crashes either


def test_regression_an_unreadable_recorded_at_does_not_break_the_pair_scores(ledger, valid_export):
    # pair_scores.final_backdated is NOT NULL; the back-dating test on a recorded_at SQLite cannot read
    # as a date was NULL, so the import's pair refresh raised IntegrityError. Imported into an empty
    # ledger, so each question comes in with its forecasts before its resolution (a forecast entered
    # after its question's resolution would be hindsight, never scored).
    fuzz_ledger = ledger
    data = json.loads(json.dumps(valid_export))
    for record in data["forecasts"]:
        record["id"] += "-odd"
        record["recorded_at"] = "not a moment"
    for record in data["retractions"]:
        record["id"] += "-odd"
        record["forecast_id"] += "-odd"
    # Renamed in the chain's order too, so each comes in where it was recorded (before its resolution).
    data["chain"] = [[t, i + "-odd" if t in ("forecasts", "retractions") else i] for t, i in data["chain"]]
    result = refused_or_done(import_ledger, fuzz_ledger, data)
    assert not isinstance(result, ForecastError)
    # The odd forecasts are scored.
    assert fuzz_ledger.execute(
        "SELECT count(*) FROM pair_scores WHERE final_forecast_id LIKE '%-odd'").fetchone()[0] >= 1


def test_regression_an_export_whose_day_is_no_day_is_refused(ledger, valid_export):
    # SQLite's CHECK (date(x) = x) passes text that is no date at all (the comparison is NULL), and the pair
    # refresh then failed on a NULL horizon (IntegrityError) for a resolution "resolved on" an analyst's id.
    data = json.loads(json.dumps(valid_export))
    data["resolutions"][0]["resolved_on"] = data["analysts"][0]["id"]
    result = refused_or_done(import_ledger, ledger, data)
    assert isinstance(result, ForecastError) and "is not a day (YYYY-MM-DD)" in str(result)
