"""A long soak of the crash and concurrency tests: SIGKILL a writer again and again while two other
processes write the same ledger, for as many minutes as asked. Not run in CI (POSIX only).

    python bench/soak.py --minutes 30 [--kills-per-ledger 50] [--seed 1] [--keep DIR]

tests/core/test_crash_safety.py kills a writer 120 times and, separately, runs two writers at once for a
few thousand actions; this does both at the same time, for longer. Per ledger ("lane"):

- a killable writer (tests/core/ledger_writer.py `serve`) forks a child that adds questions and
  forecasts, updates, resolves and bulk-imports until it is killed with SIGKILL after a random delay
  (0-10 ms, 10-60 ms or 60-150 ms), `--kills-per-ledger` times;
- meanwhile two more writers (`run` mode) do 200 actions each, again and again, on the same file;
- after every kill the ledger must open, pass `PRAGMA integrity_check`, verify its hash chain, and
  hold every record the killed writers reported as committed;
- at the end of the lane the two writers must have seen no lock error, and every record any writer
  reported is looked up.

Then a fresh ledger, until the time is up. The last line is `ok: N kills, M operations`, where an
operation is one committed write a writer reported (and the checks found); any failure stops the soak
with a message and exit status 1.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from forecastapp.core.integrity import verify_ledger
from forecastapp.core.store import open_ledger

WRITER = Path(__file__).resolve().parents[1] / "tests" / "core" / "ledger_writer.py"
ACTIONS_PER_RUN = 200


class SoakFailure(Exception):
    """A promise broken: the soak stops and says which."""


def check_ledger(path: Path, committed: list[tuple[str, str]]) -> int:
    """Integrity check, chain verification, and every reported record present; returns records verified."""
    db = open_ledger(path, seed=False)
    try:
        # One read transaction: the other writers keep writing while this looks.
        db.conn.execute("BEGIN")
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise SoakFailure(f"{path.name}: PRAGMA integrity_check failed")
        result = verify_ledger(db)
        if not result.ok:
            raise SoakFailure(f"{path.name}: {result.summary()}")
        tables = {t for t, _ in committed}
        present = {t: {r[0] for r in db.execute(f"SELECT id FROM {t}")} for t in tables}
        missing = [(t, rid) for t, rid in committed if rid not in present[t]]
        if missing:
            raise SoakFailure(f"{path.name}: {len(missing)} reported writes lost, e.g. {missing[:3]}")
        return result.checked
    finally:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        db.close()


class Writers:
    """Two `run` writers on one ledger, restarted with new seeds whenever one finishes, until stopped."""

    def __init__(self, path: Path, seeds: random.Random) -> None:
        self.path = path
        self.seeds = seeds
        self.committed: list[tuple[str, str]] = []
        self.runs = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(2)]

    def start(self) -> None:
        """Start both writer loops."""
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        """Let the current runs finish, then return."""
        self._stop.set()
        for t in self._threads:
            t.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                seed = self.seeds.randrange(10**9)
            proc = subprocess.run(
                [sys.executable, str(WRITER), str(self.path), "run", str(ACTIONS_PER_RUN), str(seed)],
                capture_output=True, text=True, check=False,
            )
            with self._lock:
                self.runs += 1
                self.committed += [tuple(line.split()[1:3]) for line in proc.stdout.splitlines()
                                   if line.startswith("ok ")]
                if proc.returncode != 0 or "locked" in proc.stderr or "busy" in proc.stderr:
                    self.errors.append(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip()
                                       else f"exit status {proc.returncode}")
                    return


def _read_until(server: subprocess.Popen, prefix: str, sink: list[tuple[str, str]]) -> str:
    while True:
        line = server.stdout.readline()
        if not line:
            raise SoakFailure("the killable writer's server exited")
        if line.startswith("ok "):
            sink.append(tuple(line.split()[1:3]))
        elif line.startswith("error "):
            raise SoakFailure(f"the killable writer failed before it was killed: {line.strip()}")
        elif line.startswith(prefix):
            return line


def lane(path: Path, rng: random.Random, kills: int, deadline: float, first_seed: int) -> tuple[int, int, int]:
    """One ledger: kill writers while two others write; returns (kills, operations, records verified)."""
    open_ledger(path, seed=False).close()
    writers = Writers(path, random.Random(rng.randrange(10**9)))
    writers.start()
    server = subprocess.Popen([sys.executable, str(WRITER), str(path), "serve"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, bufsize=1)
    killed: list[tuple[str, str]] = []
    done = 0
    try:
        for i in range(first_seed, first_seed + kills):
            if time.monotonic() >= deadline:
                break
            server.stdin.write(f"go {i}\n")
            server.stdin.flush()
            pid = int(_read_until(server, "started ", killed).split()[1])
            time.sleep(rng.choice([rng.uniform(0, 0.01), rng.uniform(0.01, 0.06), rng.uniform(0.06, 0.15)]))
            os.kill(pid, signal.SIGKILL)
            server.stdin.write("reap\n")
            server.stdin.flush()
            status = int(_read_until(server, "reaped ", killed).split()[1])
            if not os.WIFSIGNALED(status):
                raise SoakFailure(f"writer {pid} ended before it was killed (status {status})")
            done += 1
            check_ledger(path, killed)
    finally:
        server.kill()
        server.wait()
        writers.stop()
    if writers.errors:
        raise SoakFailure(f"{path.name}: a concurrent writer failed: {writers.errors[0]}")
    committed = killed + writers.committed
    verified = check_ledger(path, committed)
    print(f"{path.name}: {done} kills, {len(killed):,} writes by killed writers, {writers.runs} concurrent runs "
          f"({len(writers.committed):,} writes), chain verified ({verified:,} records)", flush=True)
    return done, len(committed), verified


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: soak until --minutes have passed, then print the totals."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to soak (default 10)")
    parser.add_argument("--kills-per-ledger", type=int, default=50, help="kills before a fresh ledger (default 50)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill delays and writer seeds")
    parser.add_argument("--keep", type=Path, help="write the ledgers to this folder and keep them")
    args = parser.parse_args(argv)
    if not hasattr(os, "fork"):
        print("error: the soak forks its writers (POSIX only)", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.minutes * 60
    folder = args.keep or Path(tempfile.mkdtemp(prefix="forecastapp-soak-"))
    folder.mkdir(parents=True, exist_ok=True)
    kills = operations = lanes = 0
    started = time.monotonic()
    try:
        while time.monotonic() < deadline:
            k, ops, _ = lane(folder / f"soak-{lanes}.db", rng, args.kills_per_ledger, deadline,
                             first_seed=lanes * args.kills_per_ledger)
            kills += k
            operations += ops
            lanes += 1
    except SoakFailure as exc:
        print(f"FAILED after {kills} kills: {exc}", file=sys.stderr)
        return 1
    print(f"{lanes} ledgers in {(time.monotonic() - started) / 60:.1f} min; ledgers in {folder}")
    print(f"ok: {kills} kills, {operations} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
