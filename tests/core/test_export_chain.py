"""A ledger export carries its hash chain link by link: `verify_export` names the first record that changed."""

from __future__ import annotations

import sqlite3

import pytest

from forecastapp.core.errors import ValidationError
from forecastapp.core.integrity import verify_export
from forecastapp.core.transfer import export_ledger
from tests.conftest import NOW


def _links(path) -> list[tuple[str, str, str]]:
    """(table, record id, stored hash) of every link, read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT record_table, record_id, hash FROM chain ORDER BY seq").fetchall()
    finally:
        conn.close()


def _first_forecast(data: dict) -> dict:
    return data["forecasts"][0]


def test_an_export_carries_every_links_stored_hash_beside_the_chain_order(seeded_ledger, seeded_path):
    data = export_ledger(seeded_ledger, now=NOW)
    links = _links(seeded_path)
    assert data["chain"] == [[t, i] for t, i, _ in links]
    assert data["chain_hashes"] == [h for _, _, h in links]
    assert data["chain_head"] == links[-1][2]
    assert verify_export(data).ok


def test_a_change_to_the_first_forecast_is_named_at_its_own_record_not_at_the_last(seeded_ledger, seeded_path):
    data = export_ledger(seeded_ledger, now=NOW)
    first = _first_forecast(data)
    first["probability"] = 0.01 if first["probability"] != 0.01 else 0.02
    position = data["chain"].index(["forecasts", first["id"]]) + 1
    assert position < len(data["chain"])  # the bug named the last record
    result = verify_export(data)
    assert not result.ok
    assert result.summary() == (f"broken at record {position} (forecasts {first['id']}): the record does not match "
                                "its hash (it was changed after it was recorded)")


def test_a_change_to_a_later_record_is_named_where_it_is(seeded_ledger, seeded_path):
    data = export_ledger(seeded_ledger, now=NOW)
    table, record_id = data["chain"][4]
    row = next(r for r in data[table] if r["id"] == record_id)
    row["recorded_at"] = "2001-01-01T00:00:00.000000Z"
    assert verify_export(data).summary().startswith(f"broken at record 5 ({table} {record_id}): the record does not")


def test_an_edited_head_is_still_caught_when_every_record_matches(seeded_ledger):
    data = export_ledger(seeded_ledger, now=NOW)
    data["chain_head"] = "ab" * 32
    result = verify_export(data)
    n = len(data["chain"])
    assert not result.ok and result.summary().startswith(f"broken at record {n} ")
    assert "the chain head the export states is not its last link's hash" in result.summary()


def test_an_export_made_before_the_link_hashes_is_still_checked_against_its_head(seeded_ledger):
    data = export_ledger(seeded_ledger, now=NOW)
    del data["chain_hashes"]
    assert verify_export(data).ok
    _first_forecast(data)["rationale"] = "changed"
    result = verify_export(data)
    assert not result.ok and "carries no link hashes to name it: export the ledger again" in result.summary()


def test_a_list_of_link_hashes_that_does_not_fit_the_chain_is_broken_not_a_crash(seeded_ledger):
    data = export_ledger(seeded_ledger, now=NOW)
    data["chain_hashes"] = data["chain_hashes"][:-1]
    result = verify_export(data)
    assert not result.ok and "list of link hashes does not match its chain list" in result.summary()


@pytest.mark.parametrize("value, kind", [(None, "null"), ([1], "a list"), ("x", "a string"), (5, "a number")])
def test_something_that_is_no_export_is_refused_in_one_line(value, kind):
    with pytest.raises(ValidationError, match=f"^the file is not a forecastapp ledger export \\(it holds {kind}\\)$"):
        verify_export(value)


def test_a_record_with_a_value_no_ledger_stores_is_broken_not_a_crash(seeded_ledger):
    data = export_ledger(seeded_ledger, now=NOW)
    _first_forecast(data)["probability"] = float("nan")
    assert "holds a value no ledger stores" in verify_export(data).summary()
