"""Faults: a writer killed with SIGKILL at random moments, and two processes writing at once.

After every kill the ledger must open, pass `PRAGMA integrity_check` and `verify`, and hold every
record the writer reported as committed. docs/RELIABILITY.md quotes the numbers these tests use.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forecastapp.core.integrity import verify_ledger
from forecastapp.core.store import open_ledger

WRITER = Path(__file__).with_name("ledger_writer.py")
KILLS = 120
KILLS_PER_LEDGER = 20
CONCURRENT_ACTIONS = 1500  # per writer; two writers

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash writer forks (POSIX only)")


def _check_ledger(path: Path, committed: list[tuple[str, str]]) -> int:
    """Open, integrity-check, verify and look up every reported record; returns history records checked."""
    db = open_ledger(path, seed=False)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        result = verify_ledger(db)
        assert result.ok, result.summary()
        present = {
            table: {r[0] for r in db.execute(f"SELECT id FROM {table}")} for table in {t for t, _ in committed}
        }
        missing = [(table, rid) for table, rid in committed if rid not in present[table]]
        assert not missing, f"{len(missing)} reported writes lost, e.g. {missing[:3]}"
        return result.checked
    finally:
        db.close()


def _read_until(proc: subprocess.Popen, prefix: str, sink: list[tuple[str, str]]) -> str:
    while True:
        line = proc.stdout.readline()
        assert line, "the writer server exited"
        if line.startswith("ok "):
            _, table, rid = line.split()
            sink.append((table, rid))
        elif line.startswith("error "):
            pytest.fail(f"the writer failed before it was killed: {line.strip()}")
        elif line.startswith(prefix):
            return line


def test_sigkill_at_random_moments_loses_nothing_committed(tmp_path):
    rng = random.Random(20261128)
    total_committed = 0
    kills_after_a_write = 0
    # A fresh ledger every KILLS_PER_LEDGER kills keeps each check fast while still killing writers
    # of a ledger that already holds history (WAL recovery, chain continuation).
    for lane in range(KILLS // KILLS_PER_LEDGER):
        db_path = tmp_path / f"crash-{lane}.db"
        committed, after_write = _kill_writers(db_path, rng, first_seed=lane * KILLS_PER_LEDGER)
        total_committed += len(committed)
        kills_after_a_write += after_write
    # The kills must have interrupted real work, not just idle start-ups.
    assert total_committed > KILLS
    assert kills_after_a_write > KILLS // 3


def _kill_writers(db_path: Path, rng: random.Random, *, first_seed: int) -> tuple[list[tuple[str, str]], int]:
    open_ledger(db_path, seed=False).close()
    server = subprocess.Popen(
        [sys.executable, str(WRITER), str(db_path), "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, bufsize=1,
    )
    committed: list[tuple[str, str]] = []
    kills_after_a_write = 0
    try:
        for i in range(first_seed, first_seed + KILLS_PER_LEDGER):
            server.stdin.write(f"go {i}\n")
            server.stdin.flush()
            pid = int(_read_until(server, "started ", committed).split()[1])
            # Mostly short delays (the kill lands in the open or the first transactions),
            # sometimes long enough for bulk imports to be cut off half-way.
            time.sleep(rng.choice([rng.uniform(0, 0.01), rng.uniform(0.01, 0.06), rng.uniform(0.06, 0.15)]))
            before = len(committed)
            os.kill(pid, signal.SIGKILL)
            server.stdin.write("reap\n")
            server.stdin.flush()
            status = _read_until(server, "reaped ", committed)
            assert os.WIFSIGNALED(int(status.split()[1])), "the writer ended before it was killed"
            kills_after_a_write += len(committed) > before
            _check_ledger(db_path, committed)
    finally:
        server.kill()
        server.wait()
    return committed, kills_after_a_write


def test_two_processes_writing_at_once_see_no_lock_errors_and_lose_nothing(db_path):
    open_ledger(db_path, seed=False).close()
    writers = [
        subprocess.Popen([sys.executable, str(WRITER), str(db_path), "run", str(CONCURRENT_ACTIONS), str(seed)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for seed in (1, 2)
    ]
    outputs = [w.communicate(timeout=300) for w in writers]
    for w, (out, err) in zip(writers, outputs):
        assert "locked" not in err and "busy" not in err
        assert w.returncode == 0, err
        assert out.endswith("done\n")
    committed = [tuple(line.split()[1:]) for out, _ in outputs for line in out.splitlines() if line.startswith("ok ")]
    forecasts = [rid for table, rid in committed if table == "forecasts"]
    checked = _check_ledger(db_path, committed)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM forecasts").fetchone()[0] == len(forecasts)
        assert conn.execute("SELECT count(*) FROM questions").fetchone()[0] == sum(
            1 for table, _ in committed if table == "questions"
        )
    finally:
        conn.close()
    assert checked >= 2 * CONCURRENT_ACTIONS
