"""The status bar's integrity check: `core.integrity.verify_ledger` run in a child process.

Why a process and not a worker thread: `verify_ledger` is a Python loop (a JSON encoding and a
SHA-256 per history record, about 45 s for the 1.1 million records of a 100,000-question bench
ledger). On a thread it holds the GIL for most of that time, and every Python call the GUI thread
makes (each `data()` of the table model) waits its turn: the worst event-loop stall while scrolling
went from 40-55 ms to 53-100 ms in three runs of bench/bench_gui.py. It also cannot be interrupted,
so closing the window would wait for it. A child process shares no GIL and is killed on cancel.

`verify_in_child` is meant for `operations.tasks` (it blocks, polling the cancel flag, while the child
works); `verify_file` is the same check in this process, for tests and short ledgers. Neither
imports Qt. The child is `python -m forecastapp.ui.operations.integrity PATH` and prints one JSON line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from forecastapp.core.errors import ForecastError, StoreError


class _Cancel(Protocol):
    def check(self) -> None: ...


@dataclass(frozen=True)
class IntegrityState:
    """What the status bar shows about the hash chain."""

    ok: bool
    checked: int
    #: The position of the first record that does not match (None when verified).
    broken_at: int | None
    #: The core's one-line summary ("verified: N records, head H" or "broken at record N (...): reason").
    summary: str


def verify_file(path: Path) -> IntegrityState:
    """Verify the ledger at `path` on a connection of this thread's own."""
    from forecastapp.core import store
    from forecastapp.core.integrity import verify_ledger

    db = store.connect(Path(path))
    try:
        result = verify_ledger(db)
    finally:
        db.close()
    return IntegrityState(
        ok=result.ok, checked=result.checked,
        broken_at=result.first_bad.position if result.first_bad is not None else None, summary=result.summary(),
    )


def verify_in_child(path: Path, context: _Cancel, *, poll_s: float = 0.1) -> IntegrityState:
    """Verify the ledger at `path` in a child Python process; `context.check()` raising kills the child."""
    # A frozen build has no `-m`; there the check runs here, on the calling worker thread.
    if getattr(sys, "frozen", False):
        return verify_file(path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "forecastapp.ui.operations.integrity", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )
    try:
        while True:
            try:
                out, err = proc.communicate(timeout=poll_s)
                break
            except subprocess.TimeoutExpired:
                context.check()
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    lines = out.strip().splitlines()
    if proc.returncode != 0 or not lines:
        last = (err.strip().splitlines() or ["no answer"])[-1]
        raise StoreError(f"the integrity check could not run on '{Path(path).name}': {last}")
    data = json.loads(lines[-1])
    return IntegrityState(ok=data["ok"], checked=data["checked"], broken_at=data["broken_at"], summary=data["summary"])


def main(argv: list[str] | None = None) -> int:
    """Child entry point: verify the ledger named on the command line and print the state as JSON."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m forecastapp.ui.operations.integrity LEDGER", file=sys.stderr)
        return 2
    import os
    import sqlite3

    if hasattr(os, "nice"):
        # A background check: the app's own threads (painting, the table's reads) come first for the CPU.
        os.nice(10)
    path = Path(args[0])
    if not path.is_file():
        print(f"no ledger at '{path}'", file=sys.stderr)  # connecting would create an empty file
        return 2
    try:
        state = verify_file(path)
    except (ForecastError, sqlite3.Error) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(json.dumps({"ok": state.ok, "checked": state.checked, "broken_at": state.broken_at,
                      "summary": state.summary}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
