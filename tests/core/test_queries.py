"""The read side: status, filters, sorting and the key list + row fetch the GUI pages with."""

from __future__ import annotations

from datetime import date

from forecastapp.core import ledger as ops
from forecastapp.core import queries
from forecastapp.core.store import writing
from tests.conftest import NOW, TODAY


def _many(db, n):
    ids = []
    with writing(db):
        for i in range(n):
            qid, _ = ops.create_forecast(
                db, ops.NewQuestion(statement=f"Question number {i}", tags=("even" if i % 2 == 0 else "odd",),
                                    resolve_by=date(2026, 1, 1) if i % 3 == 0 else date(2027, 1, 1)),
                analyst="Ann" if i % 5 else "Bo", probability=0.01 + (i % 97) / 100, made_on=date(2025, 6, 1),
                today=TODAY, now=NOW)
            ids.append(qid)
    return ids


def test_status_is_due_when_past_deadline_and_unresolved(ledger):
    ids = _many(ledger, 6)
    ops.resolve(ledger, question_id=ids[0], outcome="yes", resolved_on=date(2025, 12, 1), today=TODAY, now=NOW)
    ops.resolve(ledger, question_id=ids[1], outcome="annulled", resolved_on=date(2025, 12, 1), today=TODAY, now=NOW)
    # ids 0 and 3 have a 2026-01-01 deadline; 0 is resolved, so only 3 is due
    assert queries.status_counts(ledger, today=TODAY) == {"open": 3, "due": 1, "resolved": 1, "annulled": 1}
    due = queries.list_questions(ledger, queries.QuestionFilter(status="due"), today=TODAY)
    assert [r.id for r in due] == [ids[3]]


def test_key_list_and_rows_page_in_sql_order(ledger):
    _many(ledger, 300)
    keys = queries.list_question_keys(ledger, today=TODAY, sort="probability", descending=True)
    assert len(keys) == 300
    page = queries.get_rows(ledger, keys[100:150], today=TODAY)
    probs = [r.latest_probability for r in page]
    assert probs == sorted(probs, reverse=True)
    full = [r.latest_probability for r in queries.list_questions(ledger, today=TODAY, sort="probability",
                                                                 descending=True)]
    assert probs == full[100:150]


def test_filters_compose(ledger):
    _many(ledger, 40)
    flt = queries.QuestionFilter(tag="even", analyst="bo", search="number")
    rows = queries.list_questions(ledger, flt, today=TODAY)
    assert rows and all("even" in r.tags and r.latest_analyst == "Bo" for r in rows)
    assert queries.count_questions(ledger, flt, today=TODAY) == len(rows)
    assert len(queries.list_question_keys(ledger, flt, today=TODAY, sort="analyst")) == len(rows)


def test_search_tolerates_punctuation_a_user_types(ledger):
    _many(ledger, 3)
    for text in ('"number', "number AND (", "num*", "NEAR(", ""):
        queries.list_questions(ledger, queries.QuestionFilter(search=text), today=TODAY)


def test_id_prefixes(ledger):
    ids = _many(ledger, 2)
    assert queries.resolve_question_id(ledger, ids[0][:8].upper()) == ids[0]


def test_rows_carry_their_key_and_ids_map_to_keys(ledger):
    ids = _many(ledger, 5)
    keys = queries.list_question_keys(ledger, today=TODAY)
    rows = queries.get_rows(ledger, keys, today=TODAY)
    assert [r.key for r in rows] == keys
    assert [queries.question_key(ledger, i) for i in ids] == keys


def test_rows_come_in_the_order_asked_and_keys_that_vanished_are_skipped(ledger):
    _many(ledger, 3)
    first, second, third = queries.list_question_keys(ledger, today=TODAY)
    gone = third + 1000  # no question has this key (a row the table listed, deleted since)
    rows = queries.get_rows(ledger, [third, gone, first], today=TODAY)
    assert [r.key for r in rows] == [third, first]
