"""Table and column descriptions of the ledger, as Datasette metadata (`datasette forecasts.db -m metadata.json`).

A team publishes its track record read-only with Datasette; these descriptions tell a reader what
each table, view and column means without reading the code. `docs/metadata.json` is
`metadata("forecasts")` written out (a test keeps it current); `metadata(name)` gives the same for a
database file with another name (Datasette keys metadata by the file's name without `.db`).
"""

from __future__ import annotations

import json
from typing import Any

_BRIER = "Brier score of the final forecast, (p - o)^2, on the 0-1 scale (Fatebook and GJOpen show twice this); lower is better"
_BRIER_TA = ("time-averaged Brier: the daily Brier from the analyst's first forecast to the day before resolution, "
             "each day carrying the latest forecast; lower is better")
_LOG = "natural log of the probability given to what happened (always <= 0); higher is better"

DESCRIPTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "scored_pairs": (
        "One row per scored (question, analyst) pair: the analyst's final forecast on or before the resolution day, "
        "the outcome and the scores (see docs/SCORING.md). Annulled, open and deleted questions are not scored.",
        {
            "question": "the question's statement",
            "analyst": "who made the forecasts",
            "final_probability": "P(yes) of the analyst's last forecast on or before the resolution day",
            "estimative_term": "the ICD 203 term the final forecast was entered as, if any",
            "outcome": "yes or no",
            "first_made_on": "day of the analyst's first forecast on the question",
            "resolved_on": "day the outcome became known",
            "horizon_days": "days from the first forecast to resolution",
            "brier": _BRIER,
            "brier_time_averaged": _BRIER_TA,
            "log_score": _LOG,
            "disputed": "1 while a merge conflict on this question's resolution is open (the outcome may change)",
            "question_id": "the question's id (questions.id)",
            "analyst_id": "the analyst's id (analysts.id)",
            "final_forecast_id": "the final forecast's id (forecasts.id)",
        },
    ),
    "scorecard_by_analyst": (
        "Per analyst, the means over their scored pairs (docs/SCORING.md, 'The figures of a group').",
        {
            "analyst": "the analyst's name",
            "n": "number of scored pairs",
            "brier": "mean Brier of the final forecasts (0-1 scale; lower is better)",
            "brier_time_averaged": "mean time-averaged Brier (lower is better)",
            "log_score": "mean log score (higher is better)",
            "base_rate": "share of the analyst's scored questions that resolved yes",
            "brier_skill_vs_50": "1 - brier / 0.25: skill against always saying 50% (higher is better)",
            "analyst_id": "the analyst's id (analysts.id)",
        },
    ),
    "questions": (
        "What will be resolved. The latest-forecast and outcome columns are derived from the history tables; the "
        "wording (statement to excerpt_end) is a copy of the question's latest version in question_versions.",
        {
            "seq": "order of recording",
            "id": "stable id (a UUID), the same in every ledger that holds the question",
            "statement": "what will happen, as a yes/no question",
            "criteria": "what exactly counts as yes",
            "condition": "for a conditional forecast, what must hold first",
            "resolve_from": "start of the resolution window, if the question has one",
            "resolve_by": "day by which it resolves",
            "document_id": "the assessment the question comes from (documents.id)",
            "excerpt": "the assessment's words the question comes from",
            "excerpt_start": "character offset of the excerpt in the document",
            "excerpt_end": "character offset just after the excerpt",
            "recorded_at": "when the question was recorded (UTC)",
            "latest_seq": "derived: seq of the latest unretracted forecast",
            "latest_made_on": "derived: day of the latest forecast",
            "latest_probability": "derived: P(yes) of the latest forecast",
            "latest_analyst_id": "derived: who made the latest forecast",
            "outcome": "derived: yes, no or annulled from the resolution in force; empty while open",
            "resolved_on": "derived: day of the resolution in force",
            "deleted": "derived: 1 if soft-deleted (hidden from lists and scores)",
        },
    ),
    "forecasts": (
        "Every probability ever given (append-only: an update is a new row, an undo is a retraction).",
        {
            "seq": "order of recording",
            "id": "stable id",
            "question_id": "questions.id",
            "analyst_id": "analysts.id",
            "probability": "P(yes), between 0.001 and 0.999",
            "estimative_term": "the ICD 203 term it was entered as, if any",
            "made_on": "day the forecast was made",
            "recorded_at": "when it was recorded (UTC)",
            "rationale": "why this probability",
        },
    ),
    "resolutions": (
        "How questions resolved (append-only). The latest record of a question is the one in force; 'correct' "
        "replaces it, 'retract' withdraws it.",
        {
            "seq": "order of recording",
            "id": "stable id",
            "question_id": "questions.id",
            "kind": "resolve, correct or retract",
            "outcome": "yes, no or annulled (empty for a retraction)",
            "annul_reason": "why a question was annulled (condition_not_met: its condition did not hold)",
            "resolved_on": "day the outcome became known",
            "evidence": "source, link or what happened",
            "recorded_by": "who recorded it",
            "recorded_at": "when it was recorded (UTC)",
            "supersedes": "the record this one replaces or withdraws (resolutions.id)",
        },
    ),
    "retractions": (
        "Withdrawn forecasts (an undo): the forecast stays in the history and is not scored.",
        {"seq": "order", "id": "stable id", "forecast_id": "forecasts.id", "recorded_at": "when (UTC)",
         "reason": "why it was withdrawn"},
    ),
    "question_versions": (
        "Every version of a question's wording (append-only): 'create' as it was first recorded, then each edit, "
        "each a full snapshot with who changed it, when and why.",
        {
            "seq": "order of recording", "id": "stable id (a question's create version has the question's id)",
            "question_id": "questions.id", "action": "create or edit",
            "statement": "the statement after this version", "criteria": "the criteria after it",
            "condition": "the condition after it", "resolve_from": "the window's start after it",
            "resolve_by": "the deadline after it", "document_id": "documents.id", "excerpt": "the source excerpt",
            "excerpt_start": "its start offset", "excerpt_end": "its end offset",
            "tags_added": "JSON list of the tags this edit added", "tags_removed": "JSON list of the tags it removed",
            "meaning_changed": "1 if the edit changed the statement, criteria, condition or window: forecasts "
                               "made before it were made on earlier wording",
            "reason": "why the question was edited", "recorded_by": "who edited it", "recorded_at": "when (UTC)",
        },
    ),
    "question_log": (
        "Soft deletes and restores of questions (append-only).",
        {"seq": "order", "id": "stable id", "question_id": "questions.id", "action": "delete or restore",
         "recorded_at": "when (UTC)", "reason": "why"},
    ),
    "analysts": (
        "People who make forecasts (names are unique, case-insensitively).",
        {"id": "stable id", "name": "the analyst's name", "recorded_at": "when first recorded (UTC)"},
    ),
    "documents": (
        "Assessments that questions were drawn from, stored once by their text's SHA-256.",
        {"id": "stable id", "title": "title", "author": "author, if named", "published_on": "publication day",
         "text": "full text", "sha256": "SHA-256 of the text", "recorded_at": "when stored (UTC)"},
    ),
    "question_tags": (
        "Tags of questions (lower case).",
        {"question_id": "questions.id", "tag": "the tag"},
    ),
    "pair_scores": (
        "Derived: one row per scored (question, analyst) pair, rebuilt whenever its inputs change; scored_pairs "
        "shows it with names.",
        {
            "question_id": "questions.id", "analyst_id": "analysts.id", "outcome": "1 yes, 0 no",
            "resolved_on": "day the outcome became known", "first_made_on": "day of the first forecast",
            "final_forecast_id": "forecasts.id of the final forecast", "final_probability": "its P(yes)",
            "final_term": "its ICD 203 term, if any", "brier": _BRIER, "brier_time_averaged": _BRIER_TA,
            "log_score": _LOG, "horizon_days": "days from first forecast to resolution",
            "final_backdated": "1 if the final forecast was made on more than a day before it was recorded",
            "final_origin_id": "origins.id of the import or merge the final forecast came from (empty: made here)",
            "final_reworded": "1 if the final forecast was made on wording that meant something else than the "
                              "question's wording now",
        },
    ),
    "unscored_forecasts": (
        "Derived: forecasts the scores leave out as hindsight, made after the resolution day or recorded after "
        "a resolution of their question was.",
        {
            "forecast_id": "forecasts.id", "question_id": "questions.id", "analyst_id": "analysts.id",
            "reason": "made_after or recorded_after",
        },
    ),
    "origins": (
        "Each import or merge that added records: what file, in what format, on which machine.",
        {
            "seq": "order", "id": "stable id", "action": "import or merge",
            "format": "ledger, ledger-db, fatebook, predictionbook or metaculus",
            "source": "the file's (or folder's) name", "source_sha256": "SHA-256 of the file's bytes",
            "host": "the machine that ran the import", "recorded_at": "when (UTC)",
            "records": "how many records it brought in (record_origins links them)",
            "records_sha256": "SHA-256 over those records' tables and ids: the seal verify checks record_origins by",
        },
    ),
    "record_origins": (
        "Which import or merge added each record; records without a row were made in this ledger.",
        {"record_table": "the record's table", "record_id": "the record's id", "origin_id": "origins.id"},
    ),
    "conflicts": (
        "Questions a merge found resolved differently in the other ledger. The resolution here stays in force; "
        "the other ledger's record is kept here until a person settles it.",
        {
            "seq": "order", "id": "stable id", "question_id": "questions.id",
            "ours_resolution_id": "the latest resolution record here when the conflict was found",
            "theirs_resolution_id": "the other ledger's record in force (its id there)",
            "theirs_kind": "resolve, correct or retract", "theirs_outcome": "yes, no or annulled",
            "theirs_annul_reason": "their annulment reason", "theirs_resolved_on": "their resolution day",
            "theirs_evidence": "their evidence", "theirs_recorded_by": "who recorded theirs",
            "theirs_recorded_at": "when theirs was recorded (UTC)", "origin_id": "the merge (origins.id)",
            "recorded_at": "when the conflict was found (UTC)",
        },
    ),
    "conflict_settlements": (
        "How conflicts were settled (append-only).",
        {
            "seq": "order", "id": "stable id", "conflict_id": "conflicts.id", "kept": "ours or theirs",
            "resolution_id": "the correction recorded when theirs was kept", "recorded_by": "who settled it",
            "recorded_at": "when (UTC)", "note": "why",
        },
    ),
    "settings": (
        "Settings that change results (default analyst, date order).",
        {"key": "setting", "value": "its value"},
    ),
}
"""Table or view -> (description, column -> description)."""


def metadata(database: str = "forecasts") -> dict[str, Any]:
    """Datasette metadata for a ledger published under `database` (the file name without `.db`)."""
    return {
        "title": "Forecast track record",
        "description": (
            "A forecastapp ledger: questions, every forecast, how questions resolved, and the scores. "
            "Start with scorecard_by_analyst and scored_pairs. Brier is on the 0-1 scale."
        ),
        "source": "forecastapp",
        "databases": {
            database: {
                "tables": {
                    name: {"description": text, "columns": dict(columns)}
                    for name, (text, columns) in DESCRIPTIONS.items()
                }
            }
        },
    }


def metadata_json(database: str = "forecasts") -> str:
    """`metadata(database)` as the text of a metadata.json file."""
    return json.dumps(metadata(database), ensure_ascii=False, indent=2) + "\n"
