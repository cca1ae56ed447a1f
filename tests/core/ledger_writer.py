"""A writer process for the fault tests: adds, updates, resolves and bulk-imports through core.ledger.

After each committed action it prints `ok <table> <id>` for every record the action wrote, and
flushes, so the test knows exactly which writes the ledger promised to keep.

Two modes:
- `ledger_writer.py DB run N SEED`: do N actions, print `done`, exit 0 (two of these at once test
  concurrent writers; any error goes to stderr with exit status 1).
- `ledger_writer.py DB serve`: import everything once, then for each `go SEED` line on stdin fork
  a child that writes until it is killed (prints `started PID` first); `reap` waits for that child
  and prints `reaped`. Forking keeps a kill cycle at milliseconds instead of a fresh interpreter.
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from datetime import date, datetime, timezone

from forecastapp.core import ledger as ops
from forecastapp.core.errors import StoreError
from forecastapp.core.store import open_ledger
from forecastapp.core.transfer import LEDGER_FORMAT, import_ledger

TODAY = date(2026, 11, 28)


def _say(line: str) -> None:
    # One os.write per line: atomic on a pipe, and nothing sits in a buffer when the process is killed.
    os.write(1, (line + "\n").encode())


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _bulk(db, rng: random.Random) -> None:
    """A multi-record transaction: an import of questions with two forecasts each."""
    analyst = str(uuid.uuid4())
    data: dict = {"format": LEDGER_FORMAT, "analysts": [{"id": analyst, "name": f"bulk {analyst[:8]}",
                                                         "recorded_at": "2026-11-28T00:00:00.000000Z"}],
                  "questions": [], "forecasts": []}
    for _ in range(rng.randint(5, 40)):
        qid = str(uuid.uuid4())
        data["questions"].append({"id": qid, "statement": f"bulk question {qid[:8]}", "criteria": "",
                                  "recorded_at": "2026-11-28T00:00:00.000000Z", "tags": ["bulk"]})
        for k in range(2):
            data["forecasts"].append({"id": str(uuid.uuid4()), "question_id": qid, "analyst_id": analyst,
                                      "probability": round(rng.uniform(0.01, 0.99), 3), "made_on": f"2026-0{k + 1}-01",
                                      "recorded_at": "2026-11-28T00:00:00.000000Z", "rationale": ""})
    import_ledger(db, data)
    for q in data["questions"]:
        _say(f"ok questions {q['id']}")
    for f in data["forecasts"]:
        _say(f"ok forecasts {f['id']}")


def _one_action(db, rng: random.Random, mine: list[str], name: str) -> None:
    roll = rng.random()
    if roll < 0.1:
        _bulk(db, rng)
    elif roll < 0.4 or not mine:
        qid, fid = ops.create_forecast(
            db, ops.NewQuestion(statement=f"question by {name} {rng.random()}", tags=("fault",)), analyst=name,
            probability=round(rng.uniform(0.01, 0.99), 3), made_on=date(2026, 1, 1), today=TODAY, now=_now(),
        )
        mine.append(qid)
        _say(f"ok questions {qid}")
        _say(f"ok forecasts {fid}")
    elif roll < 0.85:
        fid = ops.add_forecast(db, question_id=rng.choice(mine), analyst=name,
                               probability=round(rng.uniform(0.01, 0.99), 3), made_on=date(2026, 2, 1),
                               today=TODAY, now=_now())
        _say(f"ok forecasts {fid}")
    else:
        qid = mine.pop(rng.randrange(len(mine)))
        rid = ops.resolve(db, question_id=qid, outcome=rng.choice(["yes", "no"]), resolved_on=date(2026, 6, 1),
                          evidence="fault test", today=TODAY, now=_now())
        _say(f"ok resolutions {rid}")


def run(path: str, n: int, seed: int) -> int:
    """Do n actions; exit status 0 only if every one of them committed."""
    rng = random.Random(seed)
    name = f"writer {seed}"
    try:
        db = open_ledger(path, seed=False)
        mine: list[str] = []
        for _ in range(n):
            _one_action(db, rng, mine, name)
        db.close()
    except StoreError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    _say("done")
    return 0


def serve(path: str) -> int:
    """Fork a killable writer per `go SEED` line."""
    child = 0
    for line in sys.stdin:
        cmd, *args = line.split()
        if cmd == "go":
            child = os.fork()
            if child == 0:
                _say(f"started {os.getpid()}")
                rng = random.Random(int(args[0]))
                try:
                    db = open_ledger(path, seed=False)
                    # Not the questions of `run` writers on the same ledger (bench/soak.py runs both at
                    # once): resolving one of theirs would make their own resolve of it a refused double.
                    mine = [r[0] for r in db.execute(
                        "SELECT id FROM questions WHERE outcome IS NULL AND statement NOT LIKE 'question by writer %'"
                        " LIMIT 50")]
                    while True:
                        _one_action(db, rng, mine, f"crash {args[0]}")
                except BaseException as exc:  # noqa: BLE001 - reported to the test, which fails on it
                    _say(f"error {type(exc).__name__}: {exc}")
                    os._exit(1)
        elif cmd == "reap":
            _, status = os.waitpid(child, 0)
            _say(f"reaped {status}")
    return 0


if __name__ == "__main__":
    db_path, mode = sys.argv[1], sys.argv[2]
    if mode == "run":
        sys.exit(run(db_path, int(sys.argv[3]), int(sys.argv[4])))
    sys.exit(serve(db_path))
