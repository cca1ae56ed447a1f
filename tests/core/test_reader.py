"""The start-up reader: a plain sqlite3 connection the desktop app reads its first screen through.

It is used only when the ledger's schema is current; any file that `open_ledger` would change or
refuse gets None, so the app falls back to opening it in full (and shows its message).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from forecastapp.core import queries, store
from forecastapp.core.errors import StoreError

OLD_LEDGER = Path(__file__).resolve().parents[1] / "data" / "ledger-0001.db"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_plain_migration_list_matches_the_migrations_module():
    # open_reader compares a ledger's applied migrations with this tuple; a new migration that is
    # not added here would make the app read an unmigrated ledger.
    assert list(store.MIGRATION_NAMES) == store.known_migration_names()


def test_a_current_ledger_gets_a_reader_and_is_left_unchanged(seeded_path):
    before = _digest(seeded_path)
    reader = store.open_reader(seeded_path)
    assert reader is not None
    try:
        rows = list(reader.query("SELECT id, statement FROM questions ORDER BY seq LIMIT 2"))
    finally:
        reader.close()
    assert len(rows) == 2 and set(rows[0]) == {"id", "statement"}
    assert _digest(seeded_path) == before


def test_the_reader_answers_the_read_queries_as_the_full_ledger_does(seeded_path):
    today = date(2026, 11, 28)
    reader = store.open_reader(seeded_path)
    db = store.open_ledger(seeded_path, seed=False)
    try:
        keys = queries.list_question_keys(reader, queries.QuestionFilter(), today=today, sort="statement")
        assert len(keys) == 19  # the starting ledger's questions
        assert keys == queries.list_question_keys(db, queries.QuestionFilter(), today=today, sort="statement")
        assert queries.get_rows(reader, keys, today=today) == queries.get_rows(db, keys, today=today)
        assert queries.status_counts(reader, today=today) == queries.status_counts(db, today=today)
        first = queries.get_rows(reader, keys[:1], today=today)[0]
        assert queries.question_detail(reader, first.id, today=today) == queries.question_detail(db, first.id,
                                                                                                  today=today)
    finally:
        reader.close()
        db.close()


def test_files_open_ledger_would_change_or_refuse_get_no_reader(tmp_path):
    missing = tmp_path / "missing.db"
    assert store.open_reader(missing) is None
    assert not missing.exists()  # nothing created

    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert store.open_reader(empty) is None

    text = tmp_path / "notes.db"
    text.write_text("shopping list")
    assert store.open_reader(text) is None
    assert text.read_text() == "shopping list"

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert store.open_reader(other) is None

    old = tmp_path / "old.db"
    shutil.copyfile(OLD_LEDGER, old)
    before = _digest(old)
    assert store.open_reader(old) is None  # needs migrating: the full open does that, with a backup
    assert _digest(old) == before


def test_a_ledger_from_a_newer_version_gets_no_reader(seeded_path):
    conn = sqlite3.connect(seeded_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('forecastapp', '9999_future', 'x')"
    )
    conn.commit()
    conn.close()
    assert store.open_reader(seeded_path) is None


def test_a_ledger_not_in_wal_mode_gets_no_reader(seeded_path):
    conn = sqlite3.connect(seeded_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    assert store.open_reader(seeded_path) is None


def test_reading_through_the_reader_does_not_load_sqlite_utils(seeded_path):
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from forecastapp.core import queries, store\n"
        f"r = store.open_reader({str(seeded_path)!r})\n"
        "keys = queries.list_question_keys(r, queries.QuestionFilter(), today=date(2026, 11, 28))\n"
        "rows = queries.get_rows(r, keys, today=date(2026, 11, 28))\n"
        "print(len(rows), 'sqlite_utils' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["19", "False"]


def test_a_reader_never_creates_a_missing_file(tmp_path):
    gone = tmp_path / "gone.db"
    with pytest.raises(StoreError, match="cannot open database"):
        store.connect_reader(gone)
    assert not gone.exists()


def test_a_reader_opens_a_ledger_whose_path_needs_escaping(tmp_path, seeded_path):
    odd = tmp_path / "my forecasts #1 %20?.db"
    shutil.copyfile(seeded_path, odd)
    reader = store.open_reader(odd)
    assert reader is not None
    try:
        assert reader.execute("SELECT count(*) FROM questions").fetchone()[0] == 19
    finally:
        reader.close()
