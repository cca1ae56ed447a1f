"""The ledger's vocabulary: outcomes, statuses and the read-only records queries return."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from enum import StrEnum


class Outcome(StrEnum):
    """How a question resolved."""

    YES = "yes"
    NO = "no"
    ANNULLED = "annulled"


class Status(StrEnum):
    """Where a question stands today."""

    OPEN = "open"
    DUE = "due"  # still open, past its resolve-by date
    RESOLVED = "resolved"  # resolved yes or no
    ANNULLED = "annulled"


#: Reason recorded when a conditional question is annulled because its condition did not hold.
CONDITION_NOT_MET = "condition_not_met"


# Python turns bytes it could not decode (a terminal in another encoding, a JSON "\ud800" escape)
# into lone surrogates; SQLite cannot store them, so they are refused as text before any write.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def is_text(value: str) -> bool:
    """Whether a string is storable text: no lone surrogates (undecodable bytes) in it."""
    return _LONE_SURROGATE.search(value) is None


# C0 controls but tab, line feed and carriage return, DEL and the C1 controls: ESC starts a terminal escape
# sequence, and U+009B (CSI) is one on its own in some terminals. Printed, a carriage return is escaped too (it
# lets text overwrite the line shown); stored, it is a line break like any other.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_character(value: str) -> str | None:
    """The first control character in `value` (tab and line breaks are not), named for a message ("U+001B")."""
    found = CONTROL_CHARACTERS.search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def terminal_safe(text: str) -> str:
    """Text to print on a terminal: each control character shown as a visible escape (`\\x1b`), never sent."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def new_id() -> str:
    """A fresh, globally unique record id (ledgers from different machines merge on it)."""
    import uuid  # here, not at the top: `uuid` costs the desktop app's first paint a few ms

    return str(uuid.uuid4())


def utc_now() -> datetime:
    """The current moment in UTC (only the CLI/GUI edges call this; the core takes `now=`)."""
    return datetime.now(timezone.utc)


def moment_iso(moment: datetime) -> str:
    """Store a moment as ISO 8601 UTC text with microseconds, e.g. 2026-11-28T09:10:11.000123Z."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def short_id(record_id: str) -> str:
    """The first 8 characters of an id: what tables show and what users usually type."""
    return record_id[:8]


@dataclass(frozen=True)
class QuestionRow:
    """One question as the ledger table and `list` show it."""

    id: str
    statement: str
    criteria: str
    condition: str | None
    tags: tuple[str, ...]
    resolve_from: date | None
    resolve_by: date | None
    status: Status
    outcome: Outcome | None
    resolved_on: date | None
    latest_probability: float | None
    latest_analyst: str | None
    latest_made_on: date | None
    estimative_term: str | None
    document_id: str | None
    excerpt: str | None
    excerpt_start: int | None
    excerpt_end: int | None
    brier: float | None  # mean Brier over the question's scored pairs, once resolved
    deleted: bool = False
    latest: dict[str, float] = field(default_factory=dict)  # analyst name -> latest probability
    key: int | None = None  # the row key (seq) that list_question_keys/get_rows page by


#: Why the scores leave a forecast out (the reasons `unscored_forecasts` records), as `show` and the pane say it.
UNSCORED_REASONS = {
    "made_after": "made after the resolution day",
    "recorded_after": "recorded after the outcome was on the record",
}


@dataclass(frozen=True)
class RecordOrigin:
    """The import or merge a record came from (its `origins` row, linked in `record_origins`)."""

    id: str
    action: str  # 'import' or 'merge'
    format: str
    source: str  # the file's name
    imported_at: str  # when it entered this ledger (UTC, as recorded)

    def describe(self) -> str:
        """'imported from sheet.csv on 2026-03-01' (or 'merged from ...'): what a history shows beside the record."""
        verb = "merged" if self.action == "merge" else "imported"
        return f"{verb} from {self.source} on {self.imported_at[:10]}"


@dataclass(frozen=True)
class PairScore:
    """One scored (question, analyst) pair as a question's history shows it: whose, on which forecast, its Brier."""

    analyst: str
    final_forecast_id: str
    brier: float


@dataclass(frozen=True)
class ForecastRecord:
    """One forecast in a question's history (retracted ones included, flagged)."""

    id: str
    analyst: str
    probability: float
    estimative_term: str | None
    made_on: date
    recorded_at: str
    rationale: str
    retracted_at: str | None
    retraction_reason: str | None
    #: made on more than a day before the day it was recorded (UTC): it could be hindsight.
    backdated: bool = False
    #: for a back-dated forecast taken from a dated document: what shows it was made then.
    backdate_evidence: str | None = None
    #: why the scores leave it out as hindsight ('made_after' or 'recorded_after', UNSCORED_REASONS), or None.
    unscored: str | None = None
    #: the import or merge it came from; None when it was recorded in this ledger.
    origin: RecordOrigin | None = None


@dataclass(frozen=True)
class ResolutionRecord:
    """One resolution record; `effective` marks the one in force, older ones are superseded."""

    id: str
    kind: str
    outcome: Outcome | None
    annul_reason: str | None
    resolved_on: date | None
    evidence: str
    recorded_by: str
    recorded_at: str
    supersedes: str | None
    effective: bool
    #: the import or merge it came from; None when it was recorded in this ledger.
    origin: RecordOrigin | None = None


@dataclass(frozen=True)
class FieldChange:
    """One defining field an edit changed: its name (`statement`, `resolve_by`, ...) and the text before and after."""

    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class QuestionVersion:
    """One version of a question's wording: 'create' (as first recorded) or an 'edit', with what it changed."""

    id: str
    action: str
    recorded_at: str
    recorded_by: str
    reason: str
    meaning_changed: bool
    changes: tuple[FieldChange, ...] = ()
    tags_added: tuple[str, ...] = ()
    tags_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentRecord:
    """A source document (an assessment) whose excerpts questions link to."""

    id: str
    title: str
    author: str | None
    published_on: date | None
    text: str
    recorded_at: str


@dataclass(frozen=True)
class QuestionDetail:
    """Everything about one question: the row, its forecast history and its resolution history."""

    question: QuestionRow
    forecasts: tuple[ForecastRecord, ...]
    resolutions: tuple[ResolutionRecord, ...]
    document_title: str | None
    log: tuple[tuple[str, str, str], ...]  # (action, recorded_at, reason) of soft deletes/restores
    #: The question's versions, oldest first: its 'create' version, then every edit.
    versions: tuple[QuestionVersion, ...] = ()
    #: Its scored pairs (one per analyst, by name), each with the final forecast its Brier comes from.
    scores: tuple[PairScore, ...] = ()

    @property
    def edits(self) -> tuple[QuestionVersion, ...]:
        """The edits only (every version after the first)."""
        return tuple(v for v in self.versions if v.action == "edit")

    def score_basis(self) -> list[tuple[PairScore, ForecastRecord | None, bool]]:
        """Each scored pair with the forecast its Brier comes from, and whether the pair's analyst has a later
        forecast that the scores leave out."""
        out = []
        for pair in self.scores:
            final = next((f for f in self.forecasts if f.id == pair.final_forecast_id), None)
            mine = [f for f in self.forecasts if f.analyst == pair.analyst and f.retracted_at is None]
            out.append((pair, final, bool(mine) and mine[-1].id != pair.final_forecast_id))
        return out

    def scored_from_latest(self) -> bool:
        """Whether the question's Brier is plainly its latest forecast's: one scored pair, on the latest unretracted
        forecast of the history. Otherwise a history names the forecast (or forecasts) the Brier comes from."""
        live = [f for f in self.forecasts if f.retracted_at is None]
        return len(self.scores) == 1 and bool(live) and live[-1].id == self.scores[0].final_forecast_id
