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
