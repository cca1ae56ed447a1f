"""The ledger's schema, as named sqlite-utils migrations applied in order.

Never edit a migration that has shipped: add a new one. `db/schema.sql` is the schema after all
migrations (a test keeps it current).

Design notes:
- History tables (`forecasts`, `resolutions`, `retractions`, `question_log`, and since 0008
  `question_versions` and `analysts`) are append-only: triggers refuse UPDATE and DELETE on them,
  so a track record cannot be edited after the fact, not even by a buggy code path.
- `questions` keeps a few derived columns (latest forecast, effective resolution, deleted flag, and
  since 0008 its wording: a copy of its latest version) so the GUI can page and sort 100,000
  questions without scanning the forecast history. Triggers on the history tables maintain them;
  nothing else writes them.
- `pair_scores` holds one row per scored (question, analyst) pair, as SCORING.md defines it. It is
  derived data, rebuilt by the core whenever the inputs of a question's pairs change, so a
  scorecard aggregates pairs instead of re-reading every forecast.
- Dates are ISO `YYYY-MM-DD` text, moments are ISO 8601 UTC text: readable in any SQLite tool.
"""

from __future__ import annotations

import textwrap

from sqlite_utils import Database, Migrations

from forecastapp.core.store import MIGRATION_SET

migrations = Migrations(MIGRATION_SET)


def _run(db: Database, sql: str) -> None:
    """Run a block of DDL statements inside the migration's transaction."""
    # executescript() would COMMIT the migration's transaction; split on the statement terminator
    # used in this file instead (no statement here contains ';' inside a literal except triggers,
    # which are delimited by the END marker below).
    for statement in _statements(textwrap.dedent(sql)):
        db.execute(statement)


def _statements(sql: str) -> list[str]:
    """Split DDL into statements, keeping CREATE TRIGGER ... END blocks whole."""
    out: list[str] = []
    buf: list[str] = []
    in_trigger = False
    for line in sql.splitlines():
        stripped = line.strip()
        if not buf and not stripped:
            continue
        buf.append(line)
        if stripped.upper().startswith("CREATE TRIGGER"):
            in_trigger = True
        if in_trigger:
            if stripped.upper().endswith("END;"):
                out.append("\n".join(buf).rstrip().rstrip(";"))
                buf, in_trigger = [], False
        elif stripped.endswith(";"):
            out.append("\n".join(buf).rstrip().rstrip(";"))
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf))
    return out


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    """Documents, analysts, questions, forecasts, resolutions and the append-only rules."""
    _run(
        db,
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            author TEXT,
            published_on TEXT CHECK (published_on IS NULL OR date(published_on) = published_on),
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            recorded_at TEXT NOT NULL
        );

        CREATE TABLE analysts (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
            recorded_at TEXT NOT NULL
        );

        CREATE TABLE questions (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            statement TEXT NOT NULL CHECK (length(trim(statement)) > 0),
            criteria TEXT NOT NULL DEFAULT '',
            condition TEXT,
            resolve_from TEXT CHECK (resolve_from IS NULL OR date(resolve_from) = resolve_from),
            resolve_by TEXT CHECK (resolve_by IS NULL OR date(resolve_by) = resolve_by),
            document_id TEXT REFERENCES documents(id),
            excerpt TEXT,
            excerpt_start INTEGER,
            excerpt_end INTEGER,
            recorded_at TEXT NOT NULL,
            -- derived, maintained by triggers only
            latest_seq INTEGER,
            latest_made_on TEXT,
            latest_probability REAL,
            latest_analyst_id TEXT,
            outcome TEXT CHECK (outcome IS NULL OR outcome IN ('yes', 'no', 'annulled')),
            resolved_on TEXT,
            deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
            CHECK (resolve_from IS NULL OR (resolve_by IS NOT NULL AND resolve_from <= resolve_by)),
            CHECK ((excerpt IS NULL) = (excerpt_start IS NULL) AND (excerpt IS NULL) = (excerpt_end IS NULL)),
            CHECK (excerpt_start IS NULL OR (excerpt_start >= 0 AND excerpt_end > excerpt_start)),
            CHECK (excerpt IS NULL OR document_id IS NOT NULL)
        );
        CREATE INDEX questions_resolve_by ON questions (resolve_by);
        CREATE INDEX questions_latest_probability ON questions (latest_probability);
        CREATE INDEX questions_latest_made_on ON questions (latest_made_on);
        CREATE INDEX questions_document ON questions (document_id);
        CREATE INDEX questions_outcome ON questions (outcome, resolved_on);

        CREATE TABLE question_tags (
            question_id TEXT NOT NULL REFERENCES questions(id),
            tag TEXT NOT NULL CHECK (length(tag) > 0 AND tag = lower(trim(tag))),
            PRIMARY KEY (question_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX question_tags_tag ON question_tags (tag, question_id);

        CREATE TABLE forecasts (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            question_id TEXT NOT NULL REFERENCES questions(id),
            analyst_id TEXT NOT NULL REFERENCES analysts(id),
            probability REAL NOT NULL CHECK (probability >= 0.001 AND probability <= 0.999),
            estimative_term TEXT,
            made_on TEXT NOT NULL CHECK (date(made_on) = made_on),
            recorded_at TEXT NOT NULL,
            rationale TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX forecasts_pair ON forecasts (question_id, analyst_id, made_on, recorded_at, seq);
        CREATE INDEX forecasts_analyst ON forecasts (analyst_id);

        -- A retraction withdraws one forecast (an undo). The forecast stays in the history.
        CREATE TABLE retractions (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            forecast_id TEXT NOT NULL UNIQUE REFERENCES forecasts(id),
            recorded_at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT ''
        );

        -- kind 'resolve' records an outcome; 'correct' replaces the effective record with a new
        -- outcome; 'retract' withdraws the effective record and reopens the question. The latest
        -- record (by seq) of a question is its effective resolution.
        CREATE TABLE resolutions (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            question_id TEXT NOT NULL REFERENCES questions(id),
            kind TEXT NOT NULL CHECK (kind IN ('resolve', 'correct', 'retract')),
            outcome TEXT CHECK (outcome IN ('yes', 'no', 'annulled')),
            annul_reason TEXT,
            resolved_on TEXT CHECK (resolved_on IS NULL OR date(resolved_on) = resolved_on),
            evidence TEXT NOT NULL DEFAULT '',
            recorded_by TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            supersedes TEXT REFERENCES resolutions(id),
            CHECK ((kind = 'retract') = (outcome IS NULL)),
            CHECK ((outcome IS NULL) = (resolved_on IS NULL)),
            CHECK (annul_reason IS NULL OR outcome = 'annulled'),
            CHECK ((kind = 'resolve') = (supersedes IS NULL))
        );
        CREATE INDEX resolutions_question ON resolutions (question_id, seq);

        -- Soft delete and restore of questions, as an append-only log.
        CREATE TABLE question_log (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            question_id TEXT NOT NULL REFERENCES questions(id),
            action TEXT NOT NULL CHECK (action IN ('delete', 'restore')),
            recorded_at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX question_log_question ON question_log (question_id, seq);

        -- Full-text search over what a user remembers of a question.
        CREATE VIRTUAL TABLE questions_fts USING fts5(
            statement, criteria, excerpt, content='questions', content_rowid='seq'
        );
        CREATE TRIGGER questions_fts_insert AFTER INSERT ON questions
        BEGIN
            INSERT INTO questions_fts (rowid, statement, criteria, excerpt)
            VALUES (NEW.seq, NEW.statement, NEW.criteria, coalesce(NEW.excerpt, ''));
        END;
        CREATE TRIGGER questions_fts_update AFTER UPDATE OF statement, criteria, excerpt ON questions
        BEGIN
            INSERT INTO questions_fts (questions_fts, rowid, statement, criteria, excerpt)
            VALUES ('delete', OLD.seq, OLD.statement, OLD.criteria, coalesce(OLD.excerpt, ''));
            INSERT INTO questions_fts (rowid, statement, criteria, excerpt)
            VALUES (NEW.seq, NEW.statement, NEW.criteria, coalesce(NEW.excerpt, ''));
        END;

        -- Settings that change results (default analyst, date order) live with the ledger.
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        -- One row per scored (question, analyst) pair; see SCORING.md. Derived data.
        CREATE TABLE pair_scores (
            question_id TEXT NOT NULL REFERENCES questions(id),
            analyst_id TEXT NOT NULL REFERENCES analysts(id),
            outcome INTEGER NOT NULL CHECK (outcome IN (0, 1)),
            resolved_on TEXT NOT NULL,
            first_made_on TEXT NOT NULL,
            final_forecast_id TEXT NOT NULL,
            final_probability REAL NOT NULL,
            final_term TEXT,
            brier REAL NOT NULL,
            brier_time_averaged REAL NOT NULL,
            log_score REAL NOT NULL,
            horizon_days INTEGER NOT NULL,
            PRIMARY KEY (question_id, analyst_id)
        ) WITHOUT ROWID;
        CREATE INDEX pair_scores_analyst ON pair_scores (analyst_id);
        CREATE INDEX pair_scores_resolved_on ON pair_scores (resolved_on);

        CREATE TRIGGER forecasts_no_update BEFORE UPDATE ON forecasts
        BEGIN SELECT RAISE(ABORT, 'forecasts are append-only: record a new forecast instead'); END;
        CREATE TRIGGER forecasts_no_delete BEFORE DELETE ON forecasts
        BEGIN SELECT RAISE(ABORT, 'forecasts are append-only: retract a forecast instead'); END;
        CREATE TRIGGER resolutions_no_update BEFORE UPDATE ON resolutions
        BEGIN SELECT RAISE(ABORT, 'resolutions are append-only: record a correction instead'); END;
        CREATE TRIGGER resolutions_no_delete BEFORE DELETE ON resolutions
        BEGIN SELECT RAISE(ABORT, 'resolutions are append-only: record a correction instead'); END;
        CREATE TRIGGER retractions_no_update BEFORE UPDATE ON retractions
        BEGIN SELECT RAISE(ABORT, 'retractions are append-only'); END;
        CREATE TRIGGER retractions_no_delete BEFORE DELETE ON retractions
        BEGIN SELECT RAISE(ABORT, 'retractions are append-only'); END;
        CREATE TRIGGER question_log_no_update BEFORE UPDATE ON question_log
        BEGIN SELECT RAISE(ABORT, 'the question log is append-only'); END;
        CREATE TRIGGER question_log_no_delete BEFORE DELETE ON question_log
        BEGIN SELECT RAISE(ABORT, 'the question log is append-only'); END;
        CREATE TRIGGER questions_no_delete BEFORE DELETE ON questions
        BEGIN SELECT RAISE(ABORT, 'questions are never deleted: use a soft delete'); END;

        -- Keep the derived "latest forecast" columns of questions current.
        CREATE TRIGGER forecasts_latest AFTER INSERT ON forecasts
        BEGIN
            UPDATE questions SET
                latest_seq = NEW.seq,
                latest_made_on = NEW.made_on,
                latest_probability = NEW.probability,
                latest_analyst_id = NEW.analyst_id
            WHERE id = NEW.question_id
              AND (latest_made_on IS NULL OR NEW.made_on >= latest_made_on);
        END;
        CREATE TRIGGER retractions_latest AFTER INSERT ON retractions
        BEGIN
            UPDATE questions SET
                (latest_seq, latest_made_on, latest_probability, latest_analyst_id) = (
                    SELECT f.seq, f.made_on, f.probability, f.analyst_id
                    FROM forecasts f
                    WHERE f.question_id = questions.id
                      AND NOT EXISTS (SELECT 1 FROM retractions r WHERE r.forecast_id = f.id)
                    ORDER BY f.made_on DESC, f.recorded_at DESC, f.seq DESC
                    LIMIT 1
                )
            WHERE id = (SELECT question_id FROM forecasts WHERE id = NEW.forecast_id);
        END;
        CREATE TRIGGER resolutions_effective AFTER INSERT ON resolutions
        BEGIN
            UPDATE questions SET outcome = NEW.outcome, resolved_on = NEW.resolved_on
            WHERE id = NEW.question_id;
        END;
        CREATE TRIGGER question_log_deleted AFTER INSERT ON question_log
        BEGIN
            UPDATE questions SET deleted = (NEW.action = 'delete') WHERE id = NEW.question_id;
        END;
        """,
    )


@migrations(name="0002_scorecard_indexes")
def m0002_scorecard_indexes(db: Database) -> None:
    """A covering index so the scorecard's per-document figures never read whole question rows."""
    # The per-document GROUP BY walks the questions of each document and needs only their ids;
    # with (document_id, id) in one index it stays inside the index (measured: 0.38 s -> 0.16 s
    # on 100,000 questions).
    _run(db, "CREATE INDEX questions_document_id ON questions (document_id, id);")


def _chain_trigger(table: str, columns: tuple[str, ...]) -> str:
    """An AFTER INSERT trigger that links a new history record to the chain (see core/integrity.py)."""
    pairs = ", ".join(f"'{c}', NEW.{c}" for c in columns)
    return f"""
        CREATE TRIGGER {table}_chain AFTER INSERT ON {table}
        BEGIN
            INSERT INTO chain (record_table, record_id, prev_hash, hash)
            SELECT '{table}', NEW.id, p.h, forecastapp_chain_hash(p.h, '{table}', {pairs})
            FROM (SELECT coalesce((SELECT hash FROM chain ORDER BY seq DESC LIMIT 1), '{"0" * 64}') AS h) p;
        END;
        """


@migrations(name="0003_hash_chain")
def m0003_hash_chain(db: Database) -> None:
    """Tamper evidence: a SHA-256 hash chain over every history record, kept by triggers."""
    # The column lists are spelled out here (not taken from core.integrity) so this migration
    # stays exactly as it shipped even if the code around it changes.
    _run(
        db,
        """
        -- One link per history record, in the order records were written; append-only.
        CREATE TABLE chain (
            seq INTEGER PRIMARY KEY,
            record_table TEXT NOT NULL
                CHECK (record_table IN ('forecasts', 'retractions', 'resolutions', 'question_log')),
            record_id TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (record_table, record_id)
        );
        CREATE TRIGGER chain_no_update BEFORE UPDATE ON chain
        BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only'); END;
        CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain
        BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only'); END;
        """
        + _chain_trigger(
            "forecasts",
            ("id", "question_id", "analyst_id", "probability", "estimative_term", "made_on", "recorded_at",
             "rationale"),
        )
        + _chain_trigger("retractions", ("id", "forecast_id", "recorded_at", "reason"))
        + _chain_trigger(
            "resolutions",
            ("id", "question_id", "kind", "outcome", "annul_reason", "resolved_on", "evidence", "recorded_by",
             "recorded_at", "supersedes"),
        )
        + _chain_trigger("question_log", ("id", "question_id", "action", "recorded_at", "reason")),
    )
    from forecastapp.core.integrity import build_chain

    build_chain(db)


@migrations(name="0005_merge_conflicts")
def m0005_merge_conflicts(db: Database) -> None:
    """Origins of imported records, resolution conflicts found by a merge, and views for Datasette."""
    # Design (see core/merge.py): a merge never lets another ledger's resolution silently replace the
    # one in force here. When both ledgers resolved a question differently, the incoming record is
    # kept whole in `conflicts` (not in `resolutions`, whose latest record is by definition the one
    # in force) and flagged until a person settles it; settling appends to `conflict_settlements`
    # and, when the incoming outcome wins, records an ordinary correction. Both tables are append-only.
    _run(
        db,
        """
        -- One row per import or merge that added something: which file, in which format, on which machine.
        CREATE TABLE origins (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            action TEXT NOT NULL CHECK (action IN ('import', 'merge')),
            format TEXT NOT NULL,
            source TEXT NOT NULL,
            source_sha256 TEXT,
            host TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        );

        -- The origin of each record an import or merge added; records without a row were made here.
        CREATE TABLE record_origins (
            record_table TEXT NOT NULL,
            record_id TEXT NOT NULL,
            origin_id TEXT NOT NULL REFERENCES origins(id),
            PRIMARY KEY (record_table, record_id)
        ) WITHOUT ROWID;
        CREATE INDEX record_origins_origin ON record_origins (origin_id);

        -- A question both ledgers resolved differently: ours stays in force, theirs is kept here whole.
        CREATE TABLE conflicts (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            question_id TEXT NOT NULL REFERENCES questions(id),
            ours_resolution_id TEXT NOT NULL REFERENCES resolutions(id),
            theirs_resolution_id TEXT NOT NULL UNIQUE,
            theirs_kind TEXT NOT NULL CHECK (theirs_kind IN ('resolve', 'correct', 'retract')),
            theirs_outcome TEXT CHECK (theirs_outcome IN ('yes', 'no', 'annulled')),
            theirs_annul_reason TEXT,
            theirs_resolved_on TEXT CHECK (theirs_resolved_on IS NULL OR date(theirs_resolved_on) = theirs_resolved_on),
            theirs_evidence TEXT NOT NULL DEFAULT '',
            theirs_recorded_by TEXT NOT NULL DEFAULT '',
            theirs_recorded_at TEXT NOT NULL,
            origin_id TEXT NOT NULL REFERENCES origins(id),
            recorded_at TEXT NOT NULL,
            CHECK ((theirs_kind = 'retract') = (theirs_outcome IS NULL))
        );
        CREATE INDEX conflicts_question ON conflicts (question_id);

        -- How a person settled a conflict; `resolution_id` is the correction written when theirs won.
        CREATE TABLE conflict_settlements (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            conflict_id TEXT NOT NULL UNIQUE REFERENCES conflicts(id),
            kept TEXT NOT NULL CHECK (kept IN ('ours', 'theirs')),
            resolution_id TEXT REFERENCES resolutions(id),
            recorded_by TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );

        CREATE TRIGGER origins_no_update BEFORE UPDATE ON origins
        BEGIN SELECT RAISE(ABORT, 'origins are append-only'); END;
        CREATE TRIGGER origins_no_delete BEFORE DELETE ON origins
        BEGIN SELECT RAISE(ABORT, 'origins are append-only'); END;
        CREATE TRIGGER record_origins_no_update BEFORE UPDATE ON record_origins
        BEGIN SELECT RAISE(ABORT, 'record origins are append-only'); END;
        CREATE TRIGGER record_origins_no_delete BEFORE DELETE ON record_origins
        BEGIN SELECT RAISE(ABORT, 'record origins are append-only'); END;
        CREATE TRIGGER conflicts_no_update BEFORE UPDATE ON conflicts
        BEGIN SELECT RAISE(ABORT, 'conflicts are append-only: settle a conflict instead'); END;
        CREATE TRIGGER conflicts_no_delete BEFORE DELETE ON conflicts
        BEGIN SELECT RAISE(ABORT, 'conflicts are append-only: settle a conflict instead'); END;
        CREATE TRIGGER conflict_settlements_no_update BEFORE UPDATE ON conflict_settlements
        BEGIN SELECT RAISE(ABORT, 'settlements are append-only'); END;
        CREATE TRIGGER conflict_settlements_no_delete BEFORE DELETE ON conflict_settlements
        BEGIN SELECT RAISE(ABORT, 'settlements are append-only'); END;

        -- For Datasette and any SQL reader: one row per scored pair, with readable names.
        CREATE VIEW scored_pairs AS
        SELECT
            q.statement AS question,
            a.name AS analyst,
            ps.final_probability,
            ps.final_term AS estimative_term,
            CASE ps.outcome WHEN 1 THEN 'yes' ELSE 'no' END AS outcome,
            ps.first_made_on,
            ps.resolved_on,
            ps.horizon_days,
            ps.brier,
            ps.brier_time_averaged,
            ps.log_score,
            EXISTS (
                SELECT 1 FROM conflicts c
                WHERE c.question_id = ps.question_id
                  AND NOT EXISTS (SELECT 1 FROM conflict_settlements s WHERE s.conflict_id = c.id)
            ) AS disputed,
            ps.question_id,
            ps.analyst_id,
            ps.final_forecast_id
        FROM pair_scores ps
        JOIN questions q ON q.id = ps.question_id
        JOIN analysts a ON a.id = ps.analyst_id;

        -- Per analyst, the SCORING.md means over their scored pairs.
        CREATE VIEW scorecard_by_analyst AS
        SELECT
            a.name AS analyst,
            count(*) AS n,
            avg(ps.brier) AS brier,
            avg(ps.brier_time_averaged) AS brier_time_averaged,
            avg(ps.log_score) AS log_score,
            avg(ps.outcome) AS base_rate,
            1.0 - avg(ps.brier) / 0.25 AS brier_skill_vs_50,
            ps.analyst_id
        FROM pair_scores ps
        JOIN analysts a ON a.id = ps.analyst_id
        GROUP BY ps.analyst_id
        ORDER BY a.name COLLATE NOCASE;
        """,
    )


@migrations(name="0006_backdated_pairs")
def m0006_backdated_pairs(db: Database) -> None:
    """Mark the scored pairs whose final forecast was back-dated, so a scorecard can count or drop them."""
    # Derived like the rest of pair_scores (pairs.refresh_pair_scores keeps it current). The test is
    # queries.BACKDATED_SQL's, spelled out here so this migration stays as it shipped: made on more than
    # a day before the UTC day it was recorded. A column, not a join to forecasts at scoring time: the
    # scorecard's GROUP BY then reads one more value per pair instead of looking each final forecast up.
    _run(
        db,
        """
        ALTER TABLE pair_scores ADD COLUMN final_backdated INTEGER NOT NULL DEFAULT 0 CHECK (final_backdated IN (0, 1));
        UPDATE pair_scores SET final_backdated = coalesce(
            (SELECT f.made_on < date(substr(f.recorded_at, 1, 10), '-1 day')
             FROM forecasts f WHERE f.id = pair_scores.final_forecast_id), 0);
        """,
    )


#: The defining columns of a question: what a forecast on it means. Spelled out (not imported) so
#: migration 0008 stays as it shipped.
_QUESTION_DEFINING = ("statement", "criteria", "condition", "resolve_from", "resolve_by", "document_id", "excerpt",
                      "excerpt_start", "excerpt_end")


@migrations(name="0008_question_record")
def m0008_question_record(db: Database) -> None:
    """Put a question's wording and the analysts on the record: versioned, append-only and chained."""
    # Design: `question_versions` holds a full snapshot of a question's defining columns per version.
    # The 'create' version is written by a trigger on `questions` (so the ledger, imports, merges, the
    # bulk loader and the seed are all covered without code of their own); an 'edit' version is
    # written by `ledger.edit_question` (or brought in by an import), and a trigger copies its snapshot
    # into the question row and applies its tag changes. The defining columns of `questions` are
    # thereby derived from the latest version, like outcome and latest_*; `questions_wording_no_update`
    # refuses any other change to them, and `verify` checks they still equal the latest version.
    # Both tables join the hash chain; the chain's CHECK on record_table is widened by rebuilding the
    # table (SQLite cannot alter a CHECK), keeping every link's seq and bytes.
    defining = ", ".join(_QUESTION_DEFINING)
    version_columns = ("id", "question_id", "action", *_QUESTION_DEFINING, "tags_added", "tags_removed",
                       "meaning_changed", "reason", "recorded_by", "recorded_at")
    # The chain triggers of the other history tables name `chain`; they are dropped while it is rebuilt
    # (a rename re-checks every trigger that names the table) and made again exactly as 0003 made them.
    old_chained = {
        "forecasts": ("id", "question_id", "analyst_id", "probability", "estimative_term", "made_on", "recorded_at",
                      "rationale"),
        "retractions": ("id", "forecast_id", "recorded_at", "reason"),
        "resolutions": ("id", "question_id", "kind", "outcome", "annul_reason", "resolved_on", "evidence",
                        "recorded_by", "recorded_at", "supersedes"),
        "question_log": ("id", "question_id", "action", "recorded_at", "reason"),
    }
    _run(db, "".join(f"DROP TRIGGER {table}_chain;\n" for table in old_chained))
    _run(
        db,
        """
        CREATE TABLE chain_0008 (
            seq INTEGER PRIMARY KEY,
            record_table TEXT NOT NULL
                CHECK (record_table IN ('forecasts', 'retractions', 'resolutions', 'question_log', 'analysts',
                                        'question_versions', 'origins')),
            record_id TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (record_table, record_id)
        );
        INSERT INTO chain_0008 (seq, record_table, record_id, prev_hash, hash)
        SELECT seq, record_table, record_id, prev_hash, hash FROM chain ORDER BY seq;
        DROP TABLE chain;
        ALTER TABLE chain_0008 RENAME TO chain;
        CREATE TRIGGER chain_no_update BEFORE UPDATE ON chain
        BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only'); END;
        CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain
        BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only'); END;
        """
        + "".join(_chain_trigger(table, columns) for table, columns in old_chained.items()),
    )
    _run(
        db,
        f"""
        -- One row per version of a question's defining fields: 'create' when the question was
        -- recorded, 'edit' for each change since; each holds the full snapshot after it. Append-only.
        CREATE TABLE question_versions (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            question_id TEXT NOT NULL REFERENCES questions(id),
            action TEXT NOT NULL CHECK (action IN ('create', 'edit')),
            statement TEXT NOT NULL,
            criteria TEXT NOT NULL DEFAULT '',
            condition TEXT,
            resolve_from TEXT,
            resolve_by TEXT,
            document_id TEXT REFERENCES documents(id),
            excerpt TEXT,
            excerpt_start INTEGER,
            excerpt_end INTEGER,
            tags_added TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags_added) AND json_type(tags_added) = 'array'),
            tags_removed TEXT NOT NULL DEFAULT '[]'
                CHECK (json_valid(tags_removed) AND json_type(tags_removed) = 'array'),
            -- 1 when the edit changed what the question asks: statement, criteria, condition or window.
            meaning_changed INTEGER NOT NULL DEFAULT 0 CHECK (meaning_changed IN (0, 1)),
            reason TEXT NOT NULL DEFAULT '',
            recorded_by TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX question_versions_question ON question_versions (question_id, seq);

        CREATE TRIGGER question_versions_no_update BEFORE UPDATE ON question_versions
        BEGIN SELECT RAISE(ABORT, 'question versions are append-only: record an edit instead'); END;
        CREATE TRIGGER question_versions_no_delete BEFORE DELETE ON question_versions
        BEGIN SELECT RAISE(ABORT, 'question versions are append-only: record an edit instead'); END;
        CREATE TRIGGER analysts_no_update BEFORE UPDATE ON analysts
        BEGIN SELECT RAISE(ABORT, 'analysts are append-only'); END;
        CREATE TRIGGER analysts_no_delete BEFORE DELETE ON analysts
        BEGIN SELECT RAISE(ABORT, 'analysts are append-only'); END;

        -- Every existing question's record as it stands, in the order questions were recorded.
        INSERT INTO question_versions (id, question_id, action, {defining}, recorded_at)
        SELECT id, id, 'create', {defining}, recorded_at FROM questions ORDER BY seq;
        """,
    )
    from forecastapp.core.integrity import build_chain

    # Existing analysts and versions join the chain after its head, in the order they were recorded.
    build_chain(db, {"analysts": ("id", "name", "recorded_at"), "question_versions": version_columns})
    new = ", ".join(f"NEW.{c}" for c in _QUESTION_DEFINING)
    copy = ", ".join(f"{c} = NEW.{c}" for c in _QUESTION_DEFINING)
    latest = " OR ".join(f"NEW.{c} IS NOT v.{c}" for c in _QUESTION_DEFINING)
    _run(
        db,
        _chain_trigger("analysts", ("id", "name", "recorded_at"))
        + _chain_trigger("question_versions", version_columns)
        + f"""
        -- Every way a question is recorded writes its 'create' version (its id is the question's).
        CREATE TRIGGER questions_create_version AFTER INSERT ON questions
        BEGIN
            INSERT INTO question_versions (id, question_id, action, {defining}, recorded_at)
            VALUES (NEW.id, NEW.id, 'create', {new}, NEW.recorded_at);
        END;
        -- An edit's snapshot becomes the question's wording (questions_fts follows through its own
        -- update trigger), and its tag changes apply to question_tags.
        CREATE TRIGGER question_versions_apply_edit AFTER INSERT ON question_versions WHEN NEW.action = 'edit'
        BEGIN
            UPDATE questions SET {copy} WHERE id = NEW.question_id;
            DELETE FROM question_tags
            WHERE question_id = NEW.question_id AND tag IN (SELECT value FROM json_each(NEW.tags_removed));
            -- Not OR IGNORE, which would skip a tag the table's CHECK refuses instead of failing.
            INSERT INTO question_tags (question_id, tag)
            SELECT DISTINCT NEW.question_id, value FROM json_each(NEW.tags_added)
            WHERE value NOT IN (SELECT tag FROM question_tags WHERE question_id = NEW.question_id);
        END;
        -- The defining columns change only through a version: anything else is refused.
        CREATE TRIGGER questions_wording_no_update BEFORE UPDATE OF {defining} ON questions
        WHEN EXISTS (
            SELECT 1 FROM question_versions v
            WHERE v.seq = (SELECT max(seq) FROM question_versions WHERE question_id = NEW.id) AND ({latest})
        )
        BEGIN SELECT RAISE(ABORT, 'a question''s wording changes only by an edit (forecastapp edit)'); END;
        """,
    )


@migrations(name="0009_hindsight_and_imports")
def m0009_hindsight_and_imports(db: Database) -> None:
    """Leave hindsight out of the scores and say which scored pairs rest on imported history."""
    # Both derived, kept by pairs.refresh_pair_scores and checked by `verify` against the history:
    # - unscored_forecasts lists each forecast the scores leave out as hindsight (made after the
    #   resolution day, or recorded after a resolution of its question was), so a scorecard can count them;
    # - pair_scores.final_origin_id names the import or merge a pair's final forecast came from;
    # - pair_scores.final_reworded marks a pair whose final forecast was made on wording (question_versions,
    #   0008) that meant something else than the question's wording now.
    # (0007 is left unused; gaps in the names are harmless.)
    _run(
        db,
        """
        ALTER TABLE pair_scores ADD COLUMN final_origin_id TEXT;
        ALTER TABLE pair_scores ADD COLUMN final_reworded INTEGER NOT NULL DEFAULT 0 CHECK (final_reworded IN (0, 1));
        CREATE TABLE unscored_forecasts (
            forecast_id TEXT PRIMARY KEY,
            question_id TEXT NOT NULL,
            analyst_id TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (reason IN ('made_after', 'recorded_after'))
        ) WITHOUT ROWID;
        CREATE INDEX unscored_forecasts_question ON unscored_forecasts (question_id);

        -- Each import's seal: how many records it brought in and a digest of which (integrity.origin_digest),
        -- so `verify` notices provenance dropped from record_origins. The rows are chained from here on.
        ALTER TABLE origins ADD COLUMN records INTEGER;
        ALTER TABLE origins ADD COLUMN records_sha256 TEXT;
        DROP TRIGGER origins_no_update;
        """,
    )
    from forecastapp.core.integrity import build_chain, origin_digest
    from forecastapp.core.pairs import rebuild_pair_scores

    links: dict[str, list[tuple[str, str]]] = {}
    for table, record_id, origin_id in db.execute("SELECT record_table, record_id, origin_id FROM record_origins"):
        links.setdefault(origin_id, []).append((table, record_id))
    for (origin_id,) in db.execute("SELECT id FROM origins").fetchall():
        n, digest = origin_digest(links.get(origin_id, ()))
        db.execute("UPDATE origins SET records = ?, records_sha256 = ? WHERE id = ?", [n, digest, origin_id])
    origin_columns = ("id", "action", "format", "source", "source_sha256", "host", "recorded_at", "records",
                      "records_sha256")
    build_chain(db, {"origins": origin_columns})
    _run(
        db,
        """
        CREATE TRIGGER origins_no_update BEFORE UPDATE ON origins
        BEGIN SELECT RAISE(ABORT, 'origins are append-only'); END;
        """
        + _chain_trigger("origins", origin_columns),
    )
    rebuild_pair_scores(db)
