"""The neutral import plan every tracker format is read into, and the checks each record passes.

A parser turns a file into an `ImportPlan` and writes nothing. The plan holds questions with their
forecasts and resolution, plus the rows it skipped and why, so a person can read a preview before
anything is stored. `formats.apply_plan` writes a plan in one transaction.

Ids are deterministic: `record_id(format, kind, *fields)` is a UUID 5 over the source format and
the fields that identify the record in its source, so the same file always yields the same ids and
importing it twice adds nothing (the ledger skips ids it already has). Two analysts who import the
same tracker's shared question get the same question id, so their ledgers merge on it later.
"""

from __future__ import annotations

import hashlib
import math
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from forecastapp.core.errors import ImportFormatError
from forecastapp.core.ledger import MAX_TAG, MAX_TEXT
from forecastapp.core.model import control_character, moment_iso
from forecastapp.core.probability import MAX_P, MIN_P

#: Namespace of every id an import derives (fixed forever: changing it would re-import everything).
IMPORT_NAMESPACE = uuid.UUID("6f1c3e0a-52d4-4c8e-9a57-2f0b8d1e7c44")

_NAMESPACE_BYTES = IMPORT_NAMESPACE.bytes

#: The outcomes a plan may carry (the ledger's vocabulary).
OUTCOMES = ("yes", "no", "annulled")


def record_id(fmt: str, kind: str, *fields: object) -> str:
    """A stable UUID for one source record: the same format, kind and fields give the same id."""
    # The unit separator cannot occur in CSV text a person typed, so ("a b", "c") != ("a", "b c").
    key = "\x1f".join([fmt, kind, *("" if f is None else str(f) for f in fields)])
    # Exactly uuid.uuid5(IMPORT_NAMESPACE, key), without building UUID objects (a large import makes
    # hundreds of thousands of ids).
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + key.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class PlannedForecast:
    """One forecast to add: who, P(yes) in the scoring range, and when (made-on and the source moment)."""

    id: str
    analyst: str
    probability: float
    made_on: date
    recorded_at: str
    rationale: str = ""


@dataclass(frozen=True)
class PlannedResolution:
    """How a question resolved in the source (annulled covers Fatebook's AMBIGUOUS)."""

    id: str
    outcome: str
    resolved_on: date
    recorded_at: str
    recorded_by: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class PlannedQuestion:
    """One question with its forecasts (oldest first) and its resolution, if resolved."""

    id: str
    statement: str
    recorded_at: str
    forecasts: tuple[PlannedForecast, ...]
    resolution: PlannedResolution | None = None
    criteria: str = ""
    resolve_by: date | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkippedRow:
    """A row (or record) of the source that is not imported, and the reason a person can act on."""

    where: str
    reason: str


@dataclass(frozen=True)
class ImportPlan:
    """What a file would add: questions, forecasts and resolutions, plus skipped rows and notes."""

    format: str
    source: str
    questions: tuple[PlannedQuestion, ...]
    skipped: tuple[SkippedRow, ...] = ()
    notes: tuple[str, ...] = ()
    clamped: int = 0

    @property
    def forecast_count(self) -> int:
        """Forecasts in the plan."""
        return sum(len(q.forecasts) for q in self.questions)

    @property
    def resolution_count(self) -> int:
        """Resolutions in the plan."""
        return sum(1 for q in self.questions if q.resolution is not None)

    def counts(self) -> dict[str, int]:
        """Questions, forecasts, resolutions and skipped rows, as the preview shows them."""
        return {
            "questions": len(self.questions),
            "forecasts": self.forecast_count,
            "resolutions": self.resolution_count,
            "skipped": len(self.skipped),
        }

    def skipped_by_reason(self) -> list[tuple[str, int]]:
        """Skip reasons with how many rows each, most frequent first (ties in order of first sight)."""
        counts = Counter(s.reason for s in self.skipped)
        first = {}
        for i, s in enumerate(self.skipped):
            first.setdefault(s.reason, i)
        return sorted(counts.items(), key=lambda kv: (-kv[1], first[kv[0]]))


# ---------------------------------------------------------------- building a plan


@dataclass
class PlanBuilder:
    """Collects questions, skipped rows and notes while a parser walks a file, then freezes a plan."""

    format: str
    source: str
    today: date
    questions: dict[str, dict] = field(default_factory=dict)
    skipped: list[SkippedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    clamped: int = 0

    def skip(self, where: str, reason: str) -> None:
        """Record a row that is not imported."""
        self.skipped.append(SkippedRow(where, reason))

    def note(self, text: str) -> None:
        """Record something a person should know about the whole file (shown once)."""
        if text not in self.notes:
            self.notes.append(text)

    def probability(self, value: float) -> float:
        """A tracker's probability in [0, 1] moved into the scoring range; 0 and 1 are clamped and counted."""
        if value < MIN_P or value > MAX_P:
            # Trackers accept certainty; a certain forecast cannot be scored with a log score, so
            # it is kept at the nearest allowed value rather than dropped.
            self.clamped += 1
            return MIN_P if value < MIN_P else MAX_P
        return value

    def question(
        self, qid: str, *, statement: str, recorded_at: str, criteria: str = "", resolve_by: date | None = None,
        tags: tuple[str, ...] = (),
    ) -> dict:
        """The question being built under this id (created on first sight; later sightings keep it)."""
        q = self.questions.get(qid)
        if q is None:
            q = self.questions[qid] = {
                "id": qid, "statement": statement, "recorded_at": recorded_at, "criteria": criteria,
                "resolve_by": resolve_by, "tags": tags, "forecasts": [], "resolution": None,
            }
        return q

    def build(self) -> ImportPlan:
        """Freeze the plan: forecasts oldest first, hindsight and empty questions skipped with a reason."""
        out: list[PlannedQuestion] = []
        for q in self.questions.values():
            res: PlannedResolution | None = q["resolution"]
            forecasts: list[PlannedForecast] = []
            for where, f in sorted(q["forecasts"], key=lambda wf: (wf[1].made_on, wf[1].recorded_at)):
                if res is not None and f.made_on > res.resolved_on:
                    self.skip(where, "forecast dated after the question resolved (hindsight is never scored)")
                    continue
                forecasts.append(f)
            if not forecasts:
                self.skip(f"question '{_short(q['statement'])}'", "no forecast left to import")
                continue
            out.append(PlannedQuestion(
                id=q["id"], statement=q["statement"], recorded_at=q["recorded_at"], forecasts=tuple(forecasts),
                resolution=res, criteria=q["criteria"], resolve_by=q["resolve_by"], tags=q["tags"],
            ))
        notes = list(self.notes)
        if self.clamped:
            notes.insert(0, f"{self.clamped} probabilit{'y' if self.clamped == 1 else 'ies'} of 0 or 1 (or beyond "
                            "0.1%..99.9%) clamped to 0.1% / 99.9%, the scoring range")
        return ImportPlan(
            format=self.format, source=self.source, questions=tuple(out), skipped=tuple(self.skipped),
            notes=tuple(notes), clamped=self.clamped,
        )


def _short(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


# ---------------------------------------------------------------- reading a tracker's file


def read_utf8(path: Path, *, advice: str = "") -> str:
    """A tracker's export as text (UTF-8, a byte-order mark dropped); ImportFormatError if unreadable."""
    from forecastapp.core.files import read_input

    try:
        return read_input(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFormatError(f"'{path.name}' is not UTF-8 text" + (f"; {advice}" if advice else "")) from None


# ---------------------------------------------------------------- field readers (raise ValueError)


def clean_text(value: str | None, what: str, *, required: bool = False) -> str:
    """Trimmed text within the ledger's limits; ValueError with a reason otherwise."""
    text = (value or "").strip()
    if required and not text:
        raise ValueError(f"the {what} is empty")
    if len(text) > MAX_TEXT:
        raise ValueError(f"the {what} is longer than {MAX_TEXT:,} characters")
    if "\x00" in text:
        raise ValueError(f"the {what} contains a NUL character")
    control = control_character(text)
    if control is not None:
        raise ValueError(f"the {what} contains the control character {control}")
    return text


def clean_name(value: str | None, fallback: str) -> str:
    """An analyst name as the ledger stores it (spaces collapsed); the fallback when empty."""
    name = " ".join((value or "").split())[:200]
    return name or fallback


def split_tags(value: str | None, sep: str, builder: PlanBuilder) -> tuple[str, ...]:
    """Tags from a joined field, lower-cased like the ledger's; over-long tags dropped with a note."""
    out: list[str] = []
    for part in (value or "").split(sep):
        tag = " ".join(part.strip().lower().split())
        if not tag or tag in out:
            continue
        if len(tag) > MAX_TAG:
            builder.note(f"tags longer than {MAX_TAG} characters were left out")
            continue
        out.append(tag)
    return tuple(out)


def read_fraction(text: str | None, *, scale: float = 1.0) -> float:
    """A probability written as a number on a 0..scale scale, as a fraction; ValueError if not one."""
    raw = (text or "").strip()
    if not raw:
        raise ValueError("no probability given")
    try:
        value = float(raw.rstrip("%")) / scale
    except ValueError:
        raise ValueError(f"probability '{_short(raw, 20)}' is not a number") from None
    if math.isnan(value) or value < 0 or value > 1:
        raise ValueError(f"probability '{_short(raw, 20)}' is outside 0 to {scale:g}")
    return value


# Fatebook writes `2024-03-05 09:07:3` (seconds not zero-padded); other trackers write ISO 8601 with a
# `T` or a space, fractions of a second, `Z`, `+00:00` or ` UTC`. One pattern reads them all.
_MOMENT = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<h>\d{1,2}):(?P<mi>\d{1,2})(?::(?P<s>\d{1,2})(?:[.,](?P<frac>\d{1,9}))?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
)


def read_moment(text: str | None) -> datetime:
    """A timestamp as trackers export it, as an aware UTC datetime (no zone given: read as UTC)."""
    return _read_moment((text or "").strip())


def read_moment_iso(text: str | None) -> tuple[datetime, str]:
    """`read_moment` and the ledger's stored form of the same moment, together."""
    return _read_moment_iso((text or "").strip())


@lru_cache(maxsize=65536)
def _read_moment_iso(raw: str) -> tuple[datetime, str]:
    moment = _read_moment(raw)
    return moment, moment_iso(moment)


@lru_cache(maxsize=65536)
def _read_moment(raw: str) -> datetime:
    # Cached: an export repeats a question's moments on every one of its rows.
    m = _MOMENT.fullmatch(raw)
    if not m:
        raise ValueError(f"'{_short(raw, 30)}' is not a date and time" if raw else "the date is empty")
    frac = (m["frac"] or "0")[:6].ljust(6, "0")
    try:
        moment = datetime(
            int(m["y"]), int(m["mo"]), int(m["d"]), int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0),
            int(frac), tzinfo=timezone.utc,
        )
    except ValueError:
        raise ValueError(f"'{_short(raw, 30)}' is not a real date and time") from None
    tz = m["tz"]
    if tz and tz[0] in "+-":
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 60 + int(digits[2:]))
        try:
            moment -= timedelta(minutes=offset)
        except OverflowError:  # an offset that moves year 1 or 9999 past the calendar's edge
            raise ValueError(f"'{_short(raw, 30)}' is not a real date and time") from None
    return moment


def iso_moment(moment: datetime) -> str:
    """The ledger's stored form of a moment."""
    return moment_iso(moment)
