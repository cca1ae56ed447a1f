"""Keep `pair_scores` (one row per scored question/analyst pair, SCORING.md) in step with the history.

The ledger calls `refresh_pair_scores` inside the same transaction as any write that changes a
pair's inputs (a resolution, a correction, a retraction, a forecast on a resolved question), so a
scorecard only aggregates pairs and never re-reads the forecast history.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from forecastapp.core.queries import BACKDATED_SQL

# Hindsight (docs/RELIABILITY.md): an unretracted forecast on a question resolved yes or no is left out
# of the scores, and listed in `unscored_forecasts`, when
# - it was made on a day after the resolution in force says the question resolved ("made_after"), or
# - it was recorded after a resolution of its question was first recorded, whatever its made-on day,
#   and whether that resolution is still in force, corrected or withdrawn ("recorded_after"). For a
#   record made in this ledger, "after" is its place in the hash chain, which nobody can reorder
#   without breaking the chain (a clock set back changes recorded_at, not the chain). For an imported
#   record it is the recorded_at its source states, compared with the earliest recorded resolution:
#   an import enters records in its own order, and the source's own chronology is all there is; such
#   pairs are marked imported instead (final_origin_id).
_CANDIDATES_SQL = """
WITH resolved AS MATERIALIZED (
    SELECT q.id AS question_id, CASE q.outcome WHEN 'yes' THEN 1 ELSE 0 END AS o, q.resolved_on,
           julianday(q.resolved_on) AS r_jd,
           -- Driven from the question's own resolutions (index resolutions_question), each link looked up:
           -- joined the other way SQLite walks every resolution link of the chain per question.
           (SELECT min((SELECT c.seq FROM chain c WHERE c.record_table = 'resolutions' AND c.record_id = r0.id))
            FROM resolutions r0 WHERE r0.question_id = q.id AND r0.outcome IS NOT NULL) AS first_res_seq,
           (SELECT min(r0.recorded_at) FROM resolutions r0
            WHERE r0.question_id = q.id AND r0.outcome IS NOT NULL) AS first_res_at,
           (SELECT min(julianday(r0.recorded_at)) FROM resolutions r0
            WHERE r0.question_id = q.id AND r0.outcome IS NOT NULL) AS first_res_jd
    FROM questions q
    WHERE q.outcome IN ('yes', 'no') AND q.deleted = 0 {question_filter}
),
linked AS (
    SELECT f.question_id, f.analyst_id, f.id, f.seq, f.probability AS p, f.estimative_term, f.made_on,
           f.recorded_at, ro.origin_id, r.o, r.resolved_on, r.r_jd, r.first_res_seq, r.first_res_at, r.first_res_jd,
           (SELECT c.seq FROM chain c WHERE c.record_table = 'forecasts' AND c.record_id = f.id) AS chain_seq
    FROM forecasts f JOIN resolved r ON r.question_id = f.question_id
    LEFT JOIN record_origins ro ON ro.record_table = 'forecasts' AND ro.record_id = f.id
    WHERE NOT EXISTS (SELECT 1 FROM retractions x WHERE x.forecast_id = f.id)
),
candidates AS (
    SELECT *,
           CASE
               WHEN made_on > resolved_on THEN 'made_after'
               WHEN origin_id IS NULL AND chain_seq > first_res_seq THEN 'recorded_after'
               WHEN origin_id IS NOT NULL
                    AND coalesce(julianday(recorded_at) > first_res_jd, recorded_at > first_res_at)
                    THEN 'recorded_after'
           END AS hindsight
    FROM linked
)"""

# Per pair, from the candidates that are not hindsight:
# - the last forecast recorded on each day stands for that day (rn_day = 1);
# - each day-forecast holds from its day until the next one, the last until R;
# - time-averaged Brier = sum(span * (p - o)^2) / (R - F), or the final Brier when R = F;
# - final_backdated: the final forecast was made on more than a day before it was recorded
#   (queries.BACKDATED_SQL), so the pair's score may rest on hindsight; 0 when an imported record's
#   recorded_at is not a moment SQLite can read (nothing shows it was back-dated);
# - final_origin_id: the import or merge the final forecast came from (NULL: made in this ledger);
# - final_reworded: the final forecast was made on wording that meant something else than the question's
#   wording now: the version in force when it was recorded (by chain order; for an imported forecast, by
#   its stated recorded_at) differs from the current one in statement, criteria, condition or window.
#   An edit undone by an edit back leaves nothing marked.
_PAIRS_SQL = _CANDIDATES_SQL + """,
f AS (
    SELECT question_id, analyst_id, id, p, estimative_term, made_on, origin_id, chain_seq, recorded_at,
           coalesce({backdated}, 0) AS backdated, o, resolved_on, r_jd,
           row_number() OVER (
               PARTITION BY question_id, analyst_id, made_on
               ORDER BY recorded_at DESC, seq DESC
           ) AS rn_day
    FROM candidates f
    WHERE hindsight IS NULL
),
d AS (
    SELECT question_id, analyst_id, id, p, estimative_term, backdated, origin_id, chain_seq, recorded_at, o,
           resolved_on, r_jd,
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
           max(CASE WHEN rn_last = 1 THEN origin_id END) AS final_origin_id,
           max(CASE WHEN rn_last = 1 THEN chain_seq END) AS final_chain_seq,
           max(CASE WHEN rn_last = 1 THEN recorded_at END) AS final_recorded_at,
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
       final_backdated,
       final_origin_id,
       CASE WHEN EXISTS (SELECT 1 FROM question_versions e
                         WHERE e.question_id = g.question_id AND e.action = 'edit' AND e.meaning_changed = 1)
            THEN {reworded} ELSE 0 END AS final_reworded
FROM g
""".replace("{backdated}", BACKDATED_SQL).replace("{reworded}", """coalesce((
    SELECT v.statement IS NOT q.statement OR v.criteria IS NOT q.criteria OR v.condition IS NOT q.condition
           OR v.resolve_from IS NOT q.resolve_from OR v.resolve_by IS NOT q.resolve_by
    FROM questions q JOIN question_versions v ON v.id = coalesce(
        CASE WHEN g.final_origin_id IS NULL THEN (
            SELECT v2.id FROM question_versions v2
            WHERE v2.question_id = g.question_id AND (
                SELECT c2.seq FROM chain c2 WHERE c2.record_table = 'question_versions' AND c2.record_id = v2.id
            ) < g.final_chain_seq
            ORDER BY v2.seq DESC LIMIT 1)
        ELSE (
            SELECT v2.id FROM question_versions v2
            WHERE v2.question_id = g.question_id AND v2.recorded_at <= g.final_recorded_at
            ORDER BY v2.recorded_at DESC, v2.seq DESC LIMIT 1)
        END, g.question_id)
    WHERE q.id = g.question_id), 0)""")

# The forecasts the scores leave out as hindsight, and why.
_UNSCORED_SQL = _CANDIDATES_SQL + """
SELECT id, question_id, analyst_id, hindsight FROM candidates WHERE hindsight IS NOT NULL
"""

_COLUMNS = (
    "question_id, analyst_id, outcome, resolved_on, first_made_on, final_forecast_id, "
    "final_probability, final_term, brier, brier_time_averaged, log_score, horizon_days, final_backdated, "
    "final_origin_id, final_reworded"
)
_UNSCORED_COLUMNS = "forecast_id, question_id, analyst_id, reason"


def refresh_pair_scores(db: Database, question_ids: Iterable[str]) -> None:
    """Recompute the scored pairs of these questions (call inside the write's transaction)."""
    ids = sorted(set(question_ids))
    if not ids:
        return
    db.execute("CREATE TEMP TABLE IF NOT EXISTS _refresh_ids (id TEXT PRIMARY KEY)")
    db.execute("DELETE FROM _refresh_ids")
    db.conn.executemany("INSERT OR IGNORE INTO _refresh_ids (id) VALUES (?)", [(i,) for i in ids])
    db.execute("DELETE FROM pair_scores WHERE question_id IN (SELECT id FROM _refresh_ids)")
    db.execute("DELETE FROM unscored_forecasts WHERE question_id IN (SELECT id FROM _refresh_ids)")
    only = "AND q.id IN (SELECT id FROM _refresh_ids)"
    db.execute(f"INSERT INTO pair_scores ({_COLUMNS}) {_PAIRS_SQL.format(question_filter=only)}")
    db.execute(f"INSERT INTO unscored_forecasts ({_UNSCORED_COLUMNS}) {_UNSCORED_SQL.format(question_filter=only)}")
    db.execute("DELETE FROM _refresh_ids")


def rebuild_pair_scores(db: Database) -> None:
    """Recompute every scored pair (after a bulk load or an import)."""
    db.execute("DELETE FROM pair_scores")
    db.execute("DELETE FROM unscored_forecasts")
    db.execute(f"INSERT INTO pair_scores ({_COLUMNS}) {_PAIRS_SQL.format(question_filter='')}")
    db.execute(f"INSERT INTO unscored_forecasts ({_UNSCORED_COLUMNS}) {_UNSCORED_SQL.format(question_filter='')}")


def derived_mismatch(db: Database) -> str | None:
    """Recompute `pair_scores` and `unscored_forecasts` from the history into temporary tables and
    compare: None when they agree, else one line naming the first pair or forecast that differs.

    `verify` calls this, so a scorecard's figures (all read from these two tables) are checked against
    the records they derive from, not trusted as stored. Scores are compared to 1e-9: a sum of floats
    may differ in its last bit with the order SQLite adds it up in, a forged score does not.
    """
    db.execute("DROP TABLE IF EXISTS temp._pairs_check")
    db.execute("DROP TABLE IF EXISTS temp._unscored_check")
    try:
        db.execute(f"CREATE TEMP TABLE _pairs_check AS SELECT {_COLUMNS} FROM pair_scores WHERE 0")
        db.execute(f"INSERT INTO _pairs_check ({_COLUMNS}) {_PAIRS_SQL.format(question_filter='')}")
        db.execute(f"CREATE TEMP TABLE _unscored_check AS SELECT {_UNSCORED_COLUMNS} FROM unscored_forecasts WHERE 0")
        db.execute(f"INSERT INTO _unscored_check ({_UNSCORED_COLUMNS}) {_UNSCORED_SQL.format(question_filter='')}")
        return _first_difference(db, "pair_scores", "temp._pairs_check", ("question_id", "analyst_id"),
                                 "scored pair") or _first_difference(
            db, "unscored_forecasts", "temp._unscored_check", ("forecast_id",), "unscored forecast")
    finally:
        db.execute("DROP TABLE IF EXISTS temp._pairs_check")
        db.execute("DROP TABLE IF EXISTS temp._unscored_check")


_REAL_COLUMNS = frozenset({"final_probability", "brier", "brier_time_averaged", "log_score"})


def _differs(column: str, a: str, b: str) -> str:
    if column in _REAL_COLUMNS:
        return f"(({a} IS NULL) <> ({b} IS NULL) OR abs({a} - {b}) > 1e-9)"
    return f"{a} IS NOT {b}"


def _first_difference(db: Database, stored: str, fresh: str, key: tuple[str, ...], what: str) -> str | None:
    """One line for the first row (in key order) that the stored table and the recomputed one disagree on."""
    columns = [c.strip() for c in (_COLUMNS if stored == "pair_scores" else _UNSCORED_COLUMNS).split(",")]
    on = " AND ".join(f"s.{k} = f.{k}" for k in key)
    differs = " OR ".join(_differs(c, f"s.{c}", f"f.{c}") for c in columns if c not in key)
    keys_s = ", ".join(f"s.{k}" for k in key)
    keys_f = ", ".join(f"f.{k}" for k in key)
    row = db.execute(
        f"SELECT {keys_s} FROM main.{stored} s LEFT JOIN {fresh} f ON {on} WHERE f.{key[0]} IS NULL OR {differs}"
        f" UNION ALL SELECT {keys_f} FROM {fresh} f LEFT JOIN main.{stored} s ON {on} WHERE s.{key[0]} IS NULL"
        f" ORDER BY 1{', 2' if len(key) > 1 else ''} LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    where = " AND ".join(f"{k} = ?" for k in key)
    label = ", ".join(f"{k.removesuffix('_id')} {str(v)[:8]}" for k, v in zip(key, row))
    have = db.execute(f"SELECT {', '.join(columns)} FROM main.{stored} WHERE {where}", list(row)).fetchone()
    want = db.execute(f"SELECT {', '.join(columns)} FROM {fresh} WHERE {where}", list(row)).fetchone()
    if have is None:
        return f"{stored}: the {what} ({label}) is missing, though the history gives it"
    if want is None:
        return f"{stored}: the {what} ({label}) is stored, but the history gives no such {what}"
    for name, a, b in zip(columns, have, want):
        if name in _REAL_COLUMNS and a is not None and b is not None and abs(a - b) <= 1e-9:
            continue
        if a != b:
            return f"{stored}: the {what} ({label}) has {name} {a!r}, the history gives {b!r}"
    return f"{stored}: the {what} ({label}) differs from the history"
