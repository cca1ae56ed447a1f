"""Reads while other programs write: a scorecard never fails and never spoils later opens in the process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from forecastapp.core import store
from forecastapp.core.queries import QuestionFilter, count_questions
from forecastapp.core.scorecard import build_scorecard
from tests.conftest import NOW, TODAY

_WRITE_ONCE = textwrap.dedent("""
    import sys
    from datetime import date, datetime, timezone
    from forecastapp.core import ledger
    from forecastapp.core.store import open_ledger
    for i in range(int(sys.argv[2])):
        db = open_ledger(sys.argv[1], seed=False)  # open, write, close: as `forecastapp add` does
        ledger.create_forecast(db, ledger.NewQuestion(statement=f"{sys.argv[3]} {i}"), analyst="w", probability=0.5,
                               made_on=date(2026, 1, 1), today=date(2026, 11, 28), now=datetime.now(timezone.utc))
        db.close()
""")


def _write(path: Path, n: int, tag: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _WRITE_ONCE, str(path), str(n), tag])


def test_a_scorecard_keeps_the_ledger_locks_of_its_process(seeded_path):
    """The scorecard's second connection used to read the file's header with Python's open(); closing that
    descriptor dropped the POSIX locks SQLite held for the process, so the next writer to close took itself for
    the last connection and deleted the write-ahead log under this process's readers."""
    db = store.open_ledger(seeded_path, seed=False)
    try:
        before = count_questions(db, QuestionFilter(), today=TODAY)
        build_scorecard(db, today=TODAY, now=NOW)
        # Two writers one after the other, each the only other connection: the first closes while this
        # process still has the ledger open, so the write-ahead log must stay.
        for tag in ("first", "second"):
            assert _write(seeded_path, 1, tag).wait(60) == 0
            assert seeded_path.with_name(seeded_path.name + "-wal").exists()
        card = build_scorecard(db, today=TODAY, now=NOW)
        assert count_questions(db, QuestionFilter(), today=TODAY) == before + 2
        assert card.ledger.questions == before + 2
    finally:
        db.close()
    again = store.open_ledger(seeded_path, seed=False)  # a later open in the same process is not spoiled
    assert count_questions(again, QuestionFilter(), today=TODAY) == before + 2
    again.close()


def test_scorecards_built_while_three_programs_write_never_fail(seeded_path):
    writers = [_write(seeded_path, 60, f"writer {k}") for k in range(3)]
    builds = 0
    try:
        # Bounded: at most 150 builds, stopping once the writers are done (after at least 20).
        while builds < 150 and (builds < 20 or any(w.poll() is None for w in writers)):
            db = store.open_ledger(seeded_path, seed=False)
            try:
                card = build_scorecard(db, today=TODAY, now=NOW)
            finally:
                db.close()
            assert card.ledger.questions >= 19
            builds += 1
    finally:
        for w in writers:
            assert w.wait(120) == 0
    db = store.open_ledger(seeded_path, seed=False)
    assert count_questions(db, QuestionFilter(), today=TODAY) == 19 + 180
    db.close()
