"""What the ledger file is: another program's database stays byte-identical, a read-only disk still reads,
a pipe is refused, and a ledger deleted under a command is reported, never silently started again."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from forecastapp.core import store
from forecastapp.core.errors import StoreError


def _other_apps_database(path: Path) -> bytes:
    conn = sqlite3.connect(path)  # rollback journal, as most programs leave it
    conn.execute("CREATE TABLE cats (name TEXT)")
    conn.execute("INSERT INTO cats VALUES ('Tom')")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("command", [["list"], ["show", "abcd"], ["verify"], ["scorecard"], ["export", "x.json"]])
def test_another_programs_database_is_left_byte_identical(run_cli, tmp_path, command):
    other = tmp_path / "other.db"
    before = _other_apps_database(other)
    code, out, err = run_cli(*command, db=other)
    assert code == 2 and out == ""
    assert err == f"Error: '{other}' is an SQLite database but not a forecastapp ledger; it was left untouched\n"
    assert other.read_bytes() == before  # not switched to WAL, change counter not bumped
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_newer_ledger_is_refused_before_its_journal_mode_is_touched(tmp_path):
    path = tmp_path / "newer.db"
    store.open_ledger(path, seed=False).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('forecastapp', '9999_x', 'x')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version of forecastapp"):
        store.open_ledger(path)
    assert path.read_bytes() == before


# ---------------------------------------------------------------- a read-only file system

READING = [["list", "--limit", "3"], ["show", "eb0b7891"], ["verify"], ["scorecard", "--format", "csv"]]


def _cannot_make_wal_index(monkeypatch):
    """SQLite as it behaves on a read-only file system: it cannot create the WAL index (`-shm`), so every open
    that is not immutable fails with "unable to open database file" at the first read (simulated: a real
    read-only mount needs root; see the test below, which uses one when it can)."""
    real_connect = sqlite3.connect

    class NoIndex:
        def __init__(self, conn):
            self._conn = conn

        def execute(self, *args):
            raise sqlite3.OperationalError("unable to open database file")

        def close(self):
            self._conn.close()

    def connect(target, *args, **kw):
        conn = real_connect(target, *args, **kw)
        return conn if "immutable=1" in str(target) else NoIndex(conn)

    monkeypatch.setattr(store.sqlite3, "connect", connect)


def test_a_ledger_whose_wal_index_cannot_be_made_still_reads(run_cli, seeded_path, monkeypatch, tmp_path):
    before = seeded_path.read_bytes()
    _cannot_make_wal_index(monkeypatch)
    for command in READING:
        code, out, err = run_cli(*command, db=seeded_path)
        assert code == 0 and out, (command, err)
    code, out, err = run_cli("export", str(tmp_path / "all.json"), db=seeded_path)
    assert code == 0 and (tmp_path / "all.json").stat().st_size > 1000, err
    code, _, err = run_cli("add", "Will it hold?", "-p", "60%", "-a", "Ann", db=seeded_path)
    assert code == 2 and err == "Error: the database file is read-only; nothing was changed\n"
    assert seeded_path.read_bytes() == before


def test_a_write_ahead_log_that_cannot_be_read_is_said_not_skipped(run_cli, seeded_path, monkeypatch):
    """An immutable open would not read a log left beside the file: its last writes would be missing."""
    seeded_path.with_name(seeded_path.name + "-wal").write_bytes(b"x" * 100)
    _cannot_make_wal_index(monkeypatch)
    code, out, err = run_cli("list", db=seeded_path)
    assert code == 2 and out == ""
    assert "its write-ahead log cannot be read here" in err and err.count("\n") == 1


def test_a_real_read_only_mount_reads(run_cli, seeded_path, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root; the simulated test above runs everywhere")
    mount = tmp_path / "ro"
    mount.mkdir()
    if subprocess.run(["mount", "--bind", str(seeded_path.parent), str(mount)], capture_output=True).returncode:
        pytest.skip("this system does not allow a bind mount here")
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(mount)], capture_output=True).returncode:
            pytest.skip("this system does not allow a read-only remount")
        for command in READING:
            code, out, err = run_cli(*command, db=mount / seeded_path.name)
            assert code == 0 and out, (command, err)
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


# ---------------------------------------------------------------- a pipe given as the ledger


@pytest.mark.parametrize("command", [["list"], ["verify"], ["add", "x", "-p", "50%", "-a", "Ann"], ["init"]])
def test_a_named_pipe_as_the_ledger_is_refused_at_once(tmp_path, command):
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    # A subprocess with a timeout: before, every command blocked forever on the pipe.
    result = subprocess.run([sys.executable, "-m", "forecastapp.cli", "--db", str(fifo), *command],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"Error: '{fifo}' is a named pipe (FIFO), not a database file; give the ledger's .db file\n"


# ---------------------------------------------------------------- a ledger deleted meanwhile


def test_a_ledger_deleted_during_an_import_is_reported_not_success(run_cli, db_path, tmp_path, monkeypatch):
    from forecastapp.core import merge

    code, _, _ = run_cli("init", "--empty")
    assert code == 0
    source = tmp_path / "seeded.db"
    code, _, _ = run_cli("init", db=source)
    code, _, _ = run_cli("export", str(tmp_path / "e.json"), db=source)
    real = merge.import_ledger

    def deleting(db, data, **kw):
        for p in db_path.parent.glob(db_path.name + "*"):
            p.unlink()  # another program removes the ledger while the import writes
        return real(db, data, **kw)

    monkeypatch.setattr(merge, "import_ledger", deleting)
    code, out, err = run_cli("import", str(tmp_path / "e.json"))
    assert code == 2
    assert err.startswith(f"Error: the ledger '{db_path}' was deleted while this action was written; what it held, "
                          "this action included, was saved to ")
    assert err.count("\n") == 1
    rescued = Path(err.split("saved to '")[1].split("'")[0])
    conn = sqlite3.connect(rescued)
    assert conn.execute("SELECT count(*) FROM questions").fetchone()[0] == 19
    conn.close()
    # The next command does not quietly make a new ledger where the old one was.
    code, out, err = run_cli("list")
    assert code == 2 and not db_path.exists()
    assert "is gone" in err and f"forecastapp --db {db_path} init" in err and err.count("\n") == 1
    # Asked for, it does.
    assert run_cli("init")[0] == 0 and db_path.exists()


def test_a_ledger_deleted_between_commands_is_not_recreated(run_cli, db_path):
    assert run_cli("init")[0] == 0
    db_path.unlink()
    code, out, err = run_cli("add", "Will it rain?", "-p", "60%", "-a", "Ann")
    assert code == 2 and not db_path.exists()
    assert err.startswith(f"Error: the ledger '{db_path}' is gone (forecastapp created a ledger at this path)")


def test_a_ledger_replaced_during_a_write_is_reported(seeded_path, tmp_path):
    from forecastapp.core import ledger
    from tests.conftest import NOW

    db = store.open_ledger(seeded_path, seed=False)
    try:
        with pytest.raises(StoreError, match="was replaced by another file while this action was written"):
            with store.writing(db):
                ledger.ensure_analyst(db, "Ann", now=NOW)
                (tmp_path / "other.db").write_bytes(b"")
                os.replace(tmp_path / "other.db", seeded_path)
    finally:
        db.close()
