"""Opening ledgers: migrations, pragmas, the newer-version guard and files that are not ledgers."""

from __future__ import annotations

import sqlite3

import pytest

from forecastapp.core import store
from forecastapp.core.errors import StoreError


def test_new_ledger_is_migrated_with_wal_and_foreign_keys(ledger, db_path):
    assert {"questions", "forecasts", "resolutions", "pair_scores"} <= set(ledger.table_names())
    assert ledger.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ledger.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert ledger.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_reopening_applies_nothing_twice(db_path):
    store.open_ledger(db_path, seed=False).close()
    db = store.open_ledger(db_path, seed=False)
    names = [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations").fetchall()]
    assert names == store.known_migration_names()


def test_ledger_from_a_newer_version_is_refused(db_path):
    store.open_ledger(db_path, seed=False).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('forecastapp', '9999_future', 'x')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        store.open_ledger(db_path, seed=False)


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"my shopping list\n")
    with pytest.raises(StoreError, match="not a forecastapp database"):
        store.open_ledger(path)
    assert path.read_bytes() == b"my shopping list\n"


def test_an_unrelated_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE cats (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a forecastapp ledger"):
        store.open_ledger(path)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["cats"]


def test_db_path_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("FORECASTAPP_DB", str(tmp_path / "env.db"))
    assert store.resolve_db_path(tmp_path / "explicit.db") == tmp_path / "explicit.db"
    assert store.resolve_db_path(None) == tmp_path / "env.db"
    monkeypatch.delenv("FORECASTAPP_DB")
    default = store.resolve_db_path(None)
    assert default.name == "forecasts.db" and "forecastapp" in str(default.parent)


def test_a_failed_write_leaves_nothing_behind(ledger):
    with pytest.raises(RuntimeError):
        with store.writing(ledger):
            ledger.execute("INSERT INTO analysts (id, name, recorded_at) VALUES ('a', 'Ann', 'now')")
            raise RuntimeError("boom")
    assert ledger.execute("SELECT count(*) FROM analysts").fetchone()[0] == 0


def test_two_connections_write_the_same_file_in_turn(db_path, ledger):
    other = store.open_ledger(db_path, seed=False)
    with store.writing(ledger):
        ledger.execute("INSERT INTO analysts (id, name, recorded_at) VALUES ('a', 'Ann', 'now')")
    with store.writing(other):
        other.execute("INSERT INTO analysts (id, name, recorded_at) VALUES ('b', 'Bo', 'now')")
    assert ledger.execute("SELECT count(*) FROM analysts").fetchone()[0] == 2
    other.close()


def test_is_ledger_file_knows_the_ledger_its_side_files_and_a_hard_link(tmp_path):
    import os

    ledger = tmp_path / "forecasts.db"
    store.open_ledger(ledger, seed=False).close()
    link = tmp_path / "other-name.db"
    os.link(ledger, link)
    assert store.is_ledger_file(ledger, ledger)
    assert store.is_ledger_file(tmp_path / "sub" / ".." / "forecasts.db", ledger)
    assert store.is_ledger_file(tmp_path / "forecasts.db-wal", ledger)
    assert store.is_ledger_file(tmp_path / "forecasts.db-journal", ledger)  # even before it exists
    assert store.is_ledger_file(link, ledger)
    assert not store.is_ledger_file(tmp_path / "forecasts.json", ledger)
    assert not store.is_ledger_file(tmp_path / "forecasts.db.bak", ledger)
