"""A read-only ledger: reading commands work, writing commands say so in one line, the file is unchanged."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from forecastapp.core import store

READING = [["list", "--limit", "3"], ["show", "eb0b7891"], ["verify"]]
WRITING = [["add", "Will it hold?", "-p", "60%", "-a", "Ann"], ["update", "eb0b7891", "-p", "50%", "-a", "Ann"],
           ["delete", "eb0b7891"]]


def _check(run_cli, path):
    original = path.read_bytes()
    for command in READING:
        code, out, err = run_cli(*command, db=path)
        assert code == 0 and out, (command, err)
    for command in WRITING:
        code, _, err = run_cli(*command, db=path)
        assert code == 2, (command, err)
        assert err == "Error: the database file is read-only; nothing was changed\n"
    assert path.read_bytes() == original


def test_chmod_read_only_file(run_cli, seeded_path):
    seeded_path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        if os.access(seeded_path, os.W_OK):
            pytest.skip("running as a user who can write a 0444 file (root); see the simulated test below")
        _check(run_cli, seeded_path)
    finally:
        seeded_path.chmod(0o644)


def test_read_only_as_sqlite_sees_it(run_cli, seeded_path, monkeypatch):
    """What a read-only file looks like to SQLite, simulated with mode=ro so it also runs as root."""
    real_connect = sqlite3.connect

    def read_only_connect(target, **kw):
        if kw.pop("uri", False):  # store opens an existing file by URI, asking for mode=rw
            return real_connect(target.replace("mode=rw", "mode=ro"), uri=True, **kw)
        return real_connect(f"file:{target}?mode=ro", uri=True, **kw)

    monkeypatch.setattr(store.sqlite3, "connect", read_only_connect)
    monkeypatch.setattr(store, "_read_only", lambda path: True)
    _check(run_cli, seeded_path)
