"""Rebuild tests/data/ledger-0001.db: a small ledger made by schema 0001 (the first released schema).

Run from the repository root: `python tests/data/make_old_ledgers.py`. Keep the output committed;
rebuild it only if the fixture is lost, never to follow a schema change (that is the point of it).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from forecastapp.core import ledger as ops
from forecastapp.core.migrations import migrations
from forecastapp.core.store import connect

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 1)


def main() -> None:
    """Write ledger-0001.db next to this script: 3 questions, 5 forecasts, 1 retraction, 2 resolution records."""
    path = Path(__file__).with_name("ledger-0001.db")
    path.unlink(missing_ok=True)
    db = connect(path)
    migrations.apply(db, stop_before=[m.name for m in migrations._migrations if m.name != "0001_initial"])
    q1, _ = ops.create_forecast(db, ops.NewQuestion(statement="Old question one", resolve_by=date(2026, 6, 30),
                                                     tags=("old",)), analyst="Ann", probability=0.7,
                                made_on=date(2026, 1, 10), today=TODAY, now=NOW)
    q2, _ = ops.create_forecast(db, ops.NewQuestion(statement="Old question two"), analyst="Bo", probability=0.2,
                                made_on=date(2026, 2, 1), today=TODAY, now=NOW)
    ops.create_forecast(db, ops.NewQuestion(statement="Old question three"), analyst="Ann", probability=0.5,
                        made_on=date(2026, 3, 1), today=TODAY, now=NOW)
    ops.add_forecast(db, question_id=q1, analyst="Bo", probability=0.4, made_on=date(2026, 2, 1), today=TODAY, now=NOW)
    f5 = ops.add_forecast(db, question_id=q2, analyst="Bo", probability=0.3, made_on=date(2026, 3, 1), today=TODAY,
                          now=NOW)
    ops.retract_forecast(db, forecast_id=f5, reason="typo", now=NOW)
    ops.resolve(db, question_id=q1, outcome="yes", resolved_on=date(2026, 6, 1), today=TODAY, now=NOW)
    ops.correct_resolution(db, question_id=q1, outcome="no", resolved_on=date(2026, 6, 2), evidence="misread",
                           today=TODAY, now=NOW)
    # One self-contained file in WAL mode, as the app leaves it.
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


if __name__ == "__main__":
    main()
