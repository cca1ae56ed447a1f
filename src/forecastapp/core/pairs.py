"""Keep `pair_scores` (one row per scored question/analyst pair, SCORING.md) in step with the history.

The ledger calls `refresh_pair_scores` inside the same transaction as any write that changes a
pair's inputs (a resolution, a correction, a retraction, a forecast on a resolved question), so a
scorecard only aggregates pairs and never re-reads the forecast history.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from forecastapp.core.queries import BACKDATED_SQL

# Per pair, from the unretracted forecasts made on or before the resolution date:
# - the last forecast recorded on each day stands for that day (rn_day = 1);
# - each day-forecast holds from its day until the next one, the last until R;
# - time-averaged Brier = sum(span * (p - o)^2) / (R - F), or the final Brier when R = F;
# - final_backdated: the final forecast was made on more than a day before it was recorded
#   (queries.BACKDATED_SQL), so the pair's score may rest on hindsight; 0 when an imported record's
#   recorded_at is not a moment SQLite can read (nothing shows it was back-dated).
_PAIRS_SQL = """
WITH resolved AS (
    SELECT id AS question_id, CASE outcome WHEN 'yes' THEN 1 ELSE 0 END AS o, resolved_on,
           julianday(resolved_on) AS r_jd
    FROM questions
    WHERE outcome IN ('yes', 'no') AND deleted = 0 {question_filter}
),
f AS (
    SELECT f.question_id, f.analyst_id, f.id, f.probability AS p, f.estimative_term, f.made_on,
           coalesce({backdated}, 0) AS backdated, r.o, r.resolved_on, r.r_jd,
           row_number() OVER (
               PARTITION BY f.question_id, f.analyst_id, f.made_on
               ORDER BY f.recorded_at DESC, f.seq DESC
           ) AS rn_day
    FROM forecasts f JOIN resolved r ON r.question_id = f.question_id
    WHERE f.made_on <= r.resolved_on
      AND NOT EXISTS (SELECT 1 FROM retractions x WHERE x.forecast_id = f.id)
),
d AS (
    SELECT question_id, analyst_id, id, p, estimative_term, backdated, o, resolved_on, r_jd,
           julianday(made_on) AS jd,
           lead(julianday(made_on)) OVER w AS next_jd,
           row_number() OVER (PARTITION BY question_id, analyst_id ORDER BY made_on DESC) AS rn_last
    FROM f WHERE rn_day = 1
    WINDOW w AS (PARTITION BY question_id, analyst_id ORDER BY made_on)
),
g AS (
    SELECT question_id, analyst_id, o, resolved_on, r_jd,
           min(jd) AS first_jd,
           max(CASE WHEN rn_last = 1 THEN id END) AS final_id,
           max(CASE WHEN rn_last = 1 THEN p END) AS final_p,
           max(CASE WHEN rn_last = 1 THEN estimative_term END) AS final_term,
           max(CASE WHEN rn_last = 1 THEN backdated END) AS final_backdated,
           sum((coalesce(next_jd, r_jd) - jd) * (p - o) * (p - o)) AS weighted
    FROM d
    GROUP BY question_id, analyst_id
)
SELECT question_id, analyst_id, o AS outcome, resolved_on,
       date(first_jd) AS first_made_on,
       final_id AS final_forecast_id,
       final_p AS final_probability,
       final_term,
       (final_p - o) * (final_p - o) AS brier,
       CASE WHEN r_jd > first_jd THEN weighted / (r_jd - first_jd)
            ELSE (final_p - o) * (final_p - o) END AS brier_time_averaged,
       CASE o WHEN 1 THEN ln(final_p) ELSE ln(1 - final_p) END AS log_score,
       CAST(round(r_jd - first_jd) AS INTEGER) AS horizon_days,
       final_backdated
FROM g
""".replace("{backdated}", BACKDATED_SQL)

_COLUMNS = (
    "question_id, analyst_id, outcome, resolved_on, first_made_on, final_forecast_id, "
    "final_probability, final_term, brier, brier_time_averaged, log_score, horizon_days, final_backdated"
)


def refresh_pair_scores(db: Database, question_ids: Iterable[str]) -> None:
    """Recompute the scored pairs of these questions (call inside the write's transaction)."""
    ids = sorted(set(question_ids))
    if not ids:
        return
    db.execute("CREATE TEMP TABLE IF NOT EXISTS _refresh_ids (id TEXT PRIMARY KEY)")
    db.execute("DELETE FROM _refresh_ids")
    db.conn.executemany("INSERT OR IGNORE INTO _refresh_ids (id) VALUES (?)", [(i,) for i in ids])
    db.execute("DELETE FROM pair_scores WHERE question_id IN (SELECT id FROM _refresh_ids)")
    sql = _PAIRS_SQL.format(question_filter="AND id IN (SELECT id FROM _refresh_ids)")
    db.execute(f"INSERT INTO pair_scores ({_COLUMNS}) {sql}")
    db.execute("DELETE FROM _refresh_ids")


def rebuild_pair_scores(db: Database) -> None:
    """Recompute every scored pair (after a bulk load or an import)."""
    db.execute("DELETE FROM pair_scores")
    db.execute(f"INSERT INTO pair_scores ({_COLUMNS}) {_PAIRS_SQL.format(question_filter='')}")
