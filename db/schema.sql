CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);

CREATE TABLE analysts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    recorded_at TEXT NOT NULL
);

CREATE TABLE "chain" (
    seq INTEGER PRIMARY KEY,
    record_table TEXT NOT NULL
        CHECK (record_table IN ('forecasts', 'retractions', 'resolutions', 'question_log', 'analysts',
                                'question_versions', 'origins')),
    record_id TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (record_table, record_id)
);

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

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    author TEXT,
    published_on TEXT CHECK (published_on IS NULL OR date(published_on) = published_on),
    text TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL
);

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

CREATE TABLE origins (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL CHECK (action IN ('import', 'merge')),
    format TEXT NOT NULL,
    source TEXT NOT NULL,
    source_sha256 TEXT,
    host TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
, records INTEGER, records_sha256 TEXT);

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
    horizon_days INTEGER NOT NULL, final_backdated INTEGER NOT NULL DEFAULT 0 CHECK (final_backdated IN (0, 1)), final_origin_id TEXT, final_reworded INTEGER NOT NULL DEFAULT 0 CHECK (final_reworded IN (0, 1)),
    PRIMARY KEY (question_id, analyst_id)
) WITHOUT ROWID;

CREATE TABLE question_log (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    question_id TEXT NOT NULL REFERENCES questions(id),
    action TEXT NOT NULL CHECK (action IN ('delete', 'restore')),
    recorded_at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);

CREATE TABLE question_tags (
    question_id TEXT NOT NULL REFERENCES questions(id),
    tag TEXT NOT NULL CHECK (length(tag) > 0 AND tag = lower(trim(tag))),
    PRIMARY KEY (question_id, tag)
) WITHOUT ROWID;

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

CREATE VIRTUAL TABLE questions_fts USING fts5(
    statement, criteria, excerpt, content='questions', content_rowid='seq'
);

CREATE TABLE record_origins (
    record_table TEXT NOT NULL,
    record_id TEXT NOT NULL,
    origin_id TEXT NOT NULL REFERENCES origins(id),
    PRIMARY KEY (record_table, record_id)
) WITHOUT ROWID;

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

CREATE TABLE retractions (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    forecast_id TEXT NOT NULL UNIQUE REFERENCES forecasts(id),
    recorded_at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE unscored_forecasts (
    forecast_id TEXT PRIMARY KEY,
    question_id TEXT NOT NULL,
    analyst_id TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('made_after', 'recorded_after'))
) WITHOUT ROWID;

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

CREATE INDEX conflicts_question ON conflicts (question_id);

CREATE INDEX forecasts_analyst ON forecasts (analyst_id);

CREATE INDEX forecasts_pair ON forecasts (question_id, analyst_id, made_on, recorded_at, seq);

CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");

CREATE INDEX pair_scores_analyst ON pair_scores (analyst_id);

CREATE INDEX pair_scores_resolved_on ON pair_scores (resolved_on);

CREATE INDEX question_log_question ON question_log (question_id, seq);

CREATE INDEX question_tags_tag ON question_tags (tag, question_id);

CREATE INDEX question_versions_question ON question_versions (question_id, seq);

CREATE INDEX questions_document ON questions (document_id);

CREATE INDEX questions_document_id ON questions (document_id, id);

CREATE INDEX questions_latest_made_on ON questions (latest_made_on);

CREATE INDEX questions_latest_probability ON questions (latest_probability);

CREATE INDEX questions_outcome ON questions (outcome, resolved_on);

CREATE INDEX questions_resolve_by ON questions (resolve_by);

CREATE INDEX record_origins_origin ON record_origins (origin_id);

CREATE INDEX resolutions_question ON resolutions (question_id, seq);

CREATE INDEX unscored_forecasts_question ON unscored_forecasts (question_id);

CREATE TRIGGER analysts_chain AFTER INSERT ON analysts
BEGIN
    INSERT INTO chain (record_table, record_id, prev_hash, hash)
    SELECT 'analysts', NEW.id, p.h, forecastapp_chain_hash(p.h, 'analysts', 'id', NEW.id, 'name', NEW.name, 'recorded_at', NEW.recorded_at)
    FROM (SELECT coalesce((SELECT hash FROM chain ORDER BY seq DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000') AS h) p;
END;

CREATE TRIGGER analysts_no_delete BEFORE DELETE ON analysts
BEGIN SELECT RAISE(ABORT, 'analysts are append-only'); END;

CREATE TRIGGER analysts_no_update BEFORE UPDATE ON analysts
BEGIN SELECT RAISE(ABORT, 'analysts are append-only'); END;

CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain
BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only'); END;

CREATE TRIGGER chain_no_update BEFORE UPDATE ON chain
BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only'); END;

CREATE TRIGGER conflict_settlements_no_delete BEFORE DELETE ON conflict_settlements
BEGIN SELECT RAISE(ABORT, 'settlements are append-only'); END;

CREATE TRIGGER conflict_settlements_no_update BEFORE UPDATE ON conflict_settlements
BEGIN SELECT RAISE(ABORT, 'settlements are append-only'); END;

CREATE TRIGGER conflicts_no_delete BEFORE DELETE ON conflicts
BEGIN SELECT RAISE(ABORT, 'conflicts are append-only: settle a conflict instead'); END;

CREATE TRIGGER conflicts_no_update BEFORE UPDATE ON conflicts
BEGIN SELECT RAISE(ABORT, 'conflicts are append-only: settle a conflict instead'); END;

CREATE TRIGGER forecasts_chain AFTER INSERT ON forecasts
BEGIN
    INSERT INTO chain (record_table, record_id, prev_hash, hash)
    SELECT 'forecasts', NEW.id, p.h, forecastapp_chain_hash(p.h, 'forecasts', 'id', NEW.id, 'question_id', NEW.question_id, 'analyst_id', NEW.analyst_id, 'probability', NEW.probability, 'estimative_term', NEW.estimative_term, 'made_on', NEW.made_on, 'recorded_at', NEW.recorded_at, 'rationale', NEW.rationale)
    FROM (SELECT coalesce((SELECT hash FROM chain ORDER BY seq DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000') AS h) p;
END;

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

CREATE TRIGGER forecasts_no_delete BEFORE DELETE ON forecasts
BEGIN SELECT RAISE(ABORT, 'forecasts are append-only: retract a forecast instead'); END;

CREATE TRIGGER forecasts_no_update BEFORE UPDATE ON forecasts
BEGIN SELECT RAISE(ABORT, 'forecasts are append-only: record a new forecast instead'); END;

CREATE TRIGGER origins_chain AFTER INSERT ON origins
BEGIN
    INSERT INTO chain (record_table, record_id, prev_hash, hash)
    SELECT 'origins', NEW.id, p.h, forecastapp_chain_hash(p.h, 'origins', 'id', NEW.id, 'action', NEW.action, 'format', NEW.format, 'source', NEW.source, 'source_sha256', NEW.source_sha256, 'host', NEW.host, 'recorded_at', NEW.recorded_at, 'records', NEW.records, 'records_sha256', NEW.records_sha256)
    FROM (SELECT coalesce((SELECT hash FROM chain ORDER BY seq DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000') AS h) p;
END;

CREATE TRIGGER origins_no_delete BEFORE DELETE ON origins
BEGIN SELECT RAISE(ABORT, 'origins are append-only'); END;

CREATE TRIGGER origins_no_update BEFORE UPDATE ON origins
BEGIN SELECT RAISE(ABORT, 'origins are append-only'); END;

CREATE TRIGGER question_log_chain AFTER INSERT ON question_log
BEGIN
    INSERT INTO chain (record_table, record_id, prev_hash, hash)
    SELECT 'question_log', NEW.id, p.h, forecastapp_chain_hash(p.h, 'question_log', 'id', NEW.id, 'question_id', NEW.question_id, 'action', NEW.action, 'recorded_at', NEW.recorded_at, 'reason', NEW.reason)
    FROM (SELECT coalesce((SELECT hash FROM chain ORDER BY seq DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000') AS h) p;
END;

CREATE TRIGGER question_log_deleted AFTER INSERT ON question_log
BEGIN
    UPDATE questions SET deleted = (NEW.action = 'delete') WHERE id = NEW.question_id;
END;

CREATE TRIGGER question_log_no_delete BEFORE DELETE ON question_log
BEGIN SELECT RAISE(ABORT, 'the question log is append-only'); END;

CREATE TRIGGER question_log_no_update BEFORE UPDATE ON question_log
BEGIN SELECT RAISE(ABORT, 'the question log is append-only'); END;

CREATE TRIGGER question_versions_apply_edit AFTER INSERT ON question_versions WHEN NEW.action = 'edit'
BEGIN
    UPDATE questions SET statement = NEW.statement, criteria = NEW.criteria, condition = NEW.condition, resolve_from = NEW.resolve_from, resolve_by = NEW.resolve_by, document_id = NEW.document_id, excerpt = NEW.excerpt, excerpt_start = NEW.excerpt_start, excerpt_end = NEW.excerpt_end WHERE id = NEW.question_id;
    DELETE FROM question_tags
    WHERE question_id = NEW.question_id AND tag IN (SELECT value FROM json_each(NEW.tags_removed));
    -- Not OR IGNORE, which would skip a tag the table's CHECK refuses instead of failing.
    INSERT INTO question_tags (question_id, tag)
    SELECT DISTINCT NEW.question_id, value FROM json_each(NEW.tags_added)
    WHERE value NOT IN (SELECT tag FROM question_tags WHERE question_id = NEW.question_id);
END;

CREATE TRIGGER question_versions_chain AFTER INSERT ON question_versions
BEGIN
    INSERT INTO chain (record_table, record_id, prev_hash, hash)
    SELECT 'question_versions', NEW.id, p.h, forecastapp_chain_hash(p.h, 'question_versions', 'id', NEW.id, 'question_id', NEW.question_id, 'action', NEW.action, 'statement', NEW.statement, 'criteria', NEW.criteria, 'condition', NEW.condition, 'resolve_from', NEW.resolve_from, 'resolve_by', NEW.resolve_by, 'document_id', NEW.document_id, 'excerpt', NEW.excerpt, 'excerpt_start', NEW.excerpt_start, 'excerpt_end', NEW.excerpt_end, 'tags_added', NEW.tags_added, 'tags_removed', NEW.tags_removed, 'meaning_changed', NEW.meaning_changed, 'reason', NEW.reason, 'recorded_by', NEW.recorded_by, 'recorded_at', NEW.recorded_at)
    FROM (SELECT coalesce((SELECT hash FROM chain ORDER BY seq DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000') AS h) p;
END;

CREATE TRIGGER question_versions_no_delete BEFORE DELETE ON question_versions
BEGIN SELECT RAISE(ABORT, 'question versions are append-only: record an edit instead'); END;

CREATE TRIGGER question_versions_no_update BEFORE UPDATE ON question_versions
BEGIN SELECT RAISE(ABORT, 'question versions are append-only: record an edit instead'); END;

CREATE TRIGGER questions_create_version AFTER INSERT ON questions
BEGIN
    INSERT INTO question_versions (id, question_id, action, statement, criteria, condition, resolve_from, resolve_by, document_id, excerpt, excerpt_start, excerpt_end, recorded_at)
    VALUES (NEW.id, NEW.id, 'create', NEW.statement, NEW.criteria, NEW.condition, NEW.resolve_from, NEW.resolve_by, NEW.document_id, NEW.excerpt, NEW.excerpt_start, NEW.excerpt_end, NEW.recorded_at);
END;

CREATE TRIGGER questions_no_delete BEFORE DELETE ON questions
BEGIN SELECT RAISE(ABORT, 'questions are never deleted: use a soft delete'); END;

CREATE TRIGGER questions_wording_no_update BEFORE UPDATE OF statement, criteria, condition, resolve_from, resolve_by, document_id, excerpt, excerpt_start, excerpt_end ON questions
WHEN EXISTS (
    SELECT 1 FROM question_versions v
    WHERE v.seq = (SELECT max(seq) FROM question_versions WHERE question_id = NEW.id) AND (NEW.statement IS NOT v.statement OR NEW.criteria IS NOT v.criteria OR NEW.condition IS NOT v.condition OR NEW.resolve_from IS NOT v.resolve_from OR NEW.resolve_by IS NOT v.resolve_by OR NEW.document_id IS NOT v.document_id OR NEW.excerpt IS NOT v.excerpt OR NEW.excerpt_start IS NOT v.excerpt_start OR NEW.excerpt_end IS NOT v.excerpt_end)
)
BEGIN SELECT RAISE(ABORT, 'a question''s wording changes only by an edit (forecastapp edit)'); END;

CREATE TRIGGER record_origins_no_delete BEFORE DELETE ON record_origins
BEGIN SELECT RAISE(ABORT, 'record origins are append-only'); END;

CREATE TRIGGER record_origins_no_update BEFORE UPDATE ON record_origins
BEGIN SELECT RAISE(ABORT, 'record origins are append-only'); END;

CREATE TRIGGER resolutions_chain AFTER INSERT ON resolutions
BEGIN
    INSERT INTO chain (record_table, record_id, prev_hash, hash)
    SELECT 'resolutions', NEW.id, p.h, forecastapp_chain_hash(p.h, 'resolutions', 'id', NEW.id, 'question_id', NEW.question_id, 'kind', NEW.kind, 'outcome', NEW.outcome, 'annul_reason', NEW.annul_reason, 'resolved_on', NEW.resolved_on, 'evidence', NEW.evidence, 'recorded_by', NEW.recorded_by, 'recorded_at', NEW.recorded_at, 'supersedes', NEW.supersedes)
    FROM (SELECT coalesce((SELECT hash FROM chain ORDER BY seq DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000') AS h) p;
END;

CREATE TRIGGER resolutions_effective AFTER INSERT ON resolutions
BEGIN
    UPDATE questions SET outcome = NEW.outcome, resolved_on = NEW.resolved_on
    WHERE id = NEW.question_id;
END;

CREATE TRIGGER resolutions_no_delete BEFORE DELETE ON resolutions
BEGIN SELECT RAISE(ABORT, 'resolutions are append-only: record a correction instead'); END;

CREATE TRIGGER resolutions_no_update BEFORE UPDATE ON resolutions
BEGIN SELECT RAISE(ABORT, 'resolutions are append-only: record a correction instead'); END;

CREATE TRIGGER retractions_chain AFTER INSERT ON retractions
BEGIN
    INSERT INTO chain (record_table, record_id, prev_hash, hash)
    SELECT 'retractions', NEW.id, p.h, forecastapp_chain_hash(p.h, 'retractions', 'id', NEW.id, 'forecast_id', NEW.forecast_id, 'recorded_at', NEW.recorded_at, 'reason', NEW.reason)
    FROM (SELECT coalesce((SELECT hash FROM chain ORDER BY seq DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000') AS h) p;
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

CREATE TRIGGER retractions_no_delete BEFORE DELETE ON retractions
BEGIN SELECT RAISE(ABORT, 'retractions are append-only'); END;

CREATE TRIGGER retractions_no_update BEFORE UPDATE ON retractions
BEGIN SELECT RAISE(ABORT, 'retractions are append-only'); END;
