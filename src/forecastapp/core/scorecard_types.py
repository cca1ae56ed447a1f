"""The scorecard as typed, frozen values: what `scorecard.build_scorecard` returns and every renderer reads.

`Scorecard.to_json()` writes the scorecard's JSON, whose keys are a contract (tools read it and
`forecastapp verify --scorecard` recomputes it): the same ledger gives byte-for-byte the JSON the
scorecard has always given (tests/core/test_scorecard_contract.py). `to_dict()` is that JSON as Python
values, for code that compares JSON trees.

The marks a scored pair can carry (MARKS: back-dated, imported, reworded) are one table: it names each
group's `<mark>_pairs` count, each `exclude_<mark>` filter and each `excluded.<mark>` count, so the
types hold the counts per mark (`Figures.marked`, `Excluded.left_out`) rather than a field per mark.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, overload

#: What a scored pair can rest on that a reader may want to leave out, and the SQL (over `pair_scores ps`)
#: that is 1 for such a pair. Each has a `<mark>_pairs` count in every group, an `exclude_<mark>` filter
#: and an `excluded.<mark>` count of the pairs the filter left out (docs/RELIABILITY.md):
#: - backdated: the final forecast was made on more than a day before it was recorded;
#: - imported: the final forecast came into this ledger from a file (an import or a merge), whose dates
#:   are the file's word, not this ledger's record;
#: - reworded: the final forecast was made on wording that meant something else than the question's now
#:   (an edit since changed its statement, criteria, condition or window).
MARKS: dict[str, str] = {
    "backdated": "ps.final_backdated",
    "imported": "(ps.final_origin_id IS NOT NULL)",
    "reworded": "ps.final_reworded",
}

PAIR_KEYS = (
    "question_id", "statement", "analyst", "final_probability", "final_term", "outcome", "resolved_on",
    "brier", "brier_time_averaged", "log_score", "backdated", "imported_format", "imported_from", "imported_at",
    "reworded",
)
"""Keys of one scored pair in the scorecard's `pairs`, in order."""


class ScoredPairs(Sequence[dict[str, Any]]):
    """The scorecard's per-pair detail: a read-only sequence of dicts with PAIR_KEYS, oldest resolution first.

    Held as one line of JSON text per pair rather than as dicts: a ledger with 150,000 scored pairs
    then costs a third of the memory, and the JSON export is a join instead of an encoding pass (what
    keeps `forecastapp scorecard` within 3x of a bare SQL aggregate). Items are decoded when read.
    """

    __slots__ = ("_rows",)

    def __init__(self, json_rows: list[str]) -> None:
        self._rows = json_rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [json.loads(row) for row in self._rows[index]]
        return json.loads(self._rows[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (json.loads(row) for row in self._rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ScoredPairs):
            return self._rows == other._rows
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking and compared by content

    def __repr__(self) -> str:
        return f"<ScoredPairs: {len(self._rows)} pairs>"

    def json_rows(self) -> list[str]:
        """Each pair as one JSON object, already encoded (what `Scorecard.to_json` writes)."""
        return self._rows


@dataclass(frozen=True)
class CalibrationBin:
    """One tenth of the probability scale: its pairs, their mean forecast, how often they happened."""

    bin: int
    lower: float
    upper: float
    n: int
    mean_forecast: float | None  # None when the bin is empty, as are the three below
    observed: float | None
    ci_low: float | None  # Wilson 95% interval of `observed`
    ci_high: float | None

    def to_json(self) -> dict[str, Any]:
        return {"bin": self.bin, "lower": self.lower, "upper": self.upper, "n": self.n,
                "mean_forecast": self.mean_forecast, "observed": self.observed, "ci_low": self.ci_low,
                "ci_high": self.ci_high}


@dataclass(frozen=True)
class Murphy:
    """The Murphy decomposition of a group's Brier (None for an empty group)."""

    reliability: float | None
    resolution: float | None
    uncertainty: float | None

    def to_json(self) -> dict[str, Any]:
        return {"reliability": self.reliability, "resolution": self.resolution, "uncertainty": self.uncertainty}


@dataclass(frozen=True)
class Figures:
    """One group's figures (SCORING.md; every figure None when the group has no pairs) and its marked pairs."""

    n: int
    brier: float | None
    brier_time_averaged: float | None
    log_score: float | None
    base_rate: float | None
    brier_skill_vs_50: float | None
    brier_skill_vs_base_rate: float | None
    murphy: Murphy
    calibration: tuple[CalibrationBin, ...]
    brier_ci90: tuple[float, float] | None
    marked: Mapping[str, int]  # per name of MARKS: how many of the group's pairs carry it

    @staticmethod
    def fields_from(summary: Mapping[str, Any], marked: Sequence[int]) -> dict[str, Any]:
        """A `scoring.summarize` dict and the marked-pair counts (in MARKS order) as this class's fields."""
        ci = summary["brier_ci90"]
        return {
            "n": summary["n"], "brier": summary["brier"], "brier_time_averaged": summary["brier_time_averaged"],
            "log_score": summary["log_score"], "base_rate": summary["base_rate"],
            "brier_skill_vs_50": summary["brier_skill_vs_50"],
            "brier_skill_vs_base_rate": summary["brier_skill_vs_base_rate"],
            "murphy": Murphy(**summary["murphy"]),
            "calibration": tuple(CalibrationBin(**b) for b in summary["calibration"]),
            "brier_ci90": None if ci is None else (ci[0], ci[1]),
            "marked": dict(zip(MARKS, marked)),
        }

    def marked_pairs(self, mark: str) -> int:
        """How many of the group's pairs carry `mark` (a name of MARKS)."""
        return self.marked.get(mark, 0)

    @property
    def label(self) -> str | None:
        """What names the group in a table (None for the overall figures)."""
        return None

    def figures_json(self) -> dict[str, Any]:
        """The figures as the scorecard's JSON states them, in its order."""
        return {
            "n": self.n, "brier": self.brier, "brier_time_averaged": self.brier_time_averaged,
            "log_score": self.log_score, "base_rate": self.base_rate, "brier_skill_vs_50": self.brier_skill_vs_50,
            "brier_skill_vs_base_rate": self.brier_skill_vs_base_rate, "murphy": self.murphy.to_json(),
            "calibration": [b.to_json() for b in self.calibration],
            "brier_ci90": None if self.brier_ci90 is None else list(self.brier_ci90),
            **{f"{mark}_pairs": self.marked_pairs(mark) for mark in MARKS},
        }

    def to_json(self) -> dict[str, Any]:
        return self.figures_json()


@dataclass(frozen=True)
class AnalystFigures(Figures):
    """One analyst's figures, with the relative Brier against the other analysts on the same questions."""

    name: str
    relative_brier: float | None
    relative_brier_n: int  # questions the relative Brier is measured over

    @property
    def label(self) -> str | None:
        return self.name

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, **self.figures_json(), "relative_brier": self.relative_brier,
                "relative_brier_n": self.relative_brier_n}


@dataclass(frozen=True)
class TagFigures(Figures):
    """The figures of the pairs on questions carrying one tag."""

    tag: str

    @property
    def label(self) -> str | None:
        return self.tag

    def to_json(self) -> dict[str, Any]:
        return {"tag": self.tag, **self.figures_json()}


@dataclass(frozen=True)
class DocumentFigures(Figures):
    """The figures of the pairs on one document's questions."""

    id: str
    title: str | None

    @property
    def label(self) -> str | None:
        return self.title

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, **self.figures_json()}


@dataclass(frozen=True)
class TermFigures(Figures):
    """The figures of the pairs whose final forecast was one estimative term, with its ICD 203 range."""

    term: str
    range: str | None  # e.g. "55-80%"; None for a term outside the scale
    low: float | None
    high: float | None
    happened: int  # pairs that resolved yes ...
    of: int  # ... of this many

    @property
    def label(self) -> str | None:
        return self.term

    def to_json(self) -> dict[str, Any]:
        return {"term": self.term, "range": self.range, "low": self.low, "high": self.high, **self.figures_json(),
                "happened": self.happened, "of": self.of}


@dataclass(frozen=True)
class HorizonFigures(Figures):
    """The figures of the pairs whose time from first forecast to resolution falls in one horizon."""

    horizon: str

    @property
    def label(self) -> str | None:
        return self.horizon

    def to_json(self) -> dict[str, Any]:
        return {"horizon": self.horizon, **self.figures_json()}


@dataclass(frozen=True)
class ScorecardFilters:
    """The filters the scorecard applied (None, or no mark excluded, when not given)."""

    analyst: str | None
    tag: str | None
    since: date | None
    until: date | None
    excluded_marks: tuple[str, ...] = ()  # names of MARKS whose pairs were left out, in MARKS order

    def excludes(self, mark: str) -> bool:
        """Whether the pairs carrying `mark` were left out."""
        return mark in self.excluded_marks

    def to_json(self) -> dict[str, Any]:
        return {
            "analyst": self.analyst, "tag": self.tag,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            **{f"exclude_{mark}": self.excludes(mark) for mark in MARKS},
        }


@dataclass(frozen=True)
class Scale:
    """What the numbers are measured on; reports print it next to the figures."""

    brier: str
    terms: str

    def to_json(self) -> dict[str, Any]:
        return {"brier": self.brier, "terms": self.terms}


@dataclass(frozen=True)
class LedgerStatement:
    """The ledger the scorecard was drawn from: its size, its hash chain's head, and whether it verified."""

    questions: int
    forecasts: int
    chain_head: str
    chain_records: int | None  # links verified; None when not verified
    verified: bool | None  # None: not checked (never true without a check)
    verify: str | None  # the check's one-line summary

    def to_json(self) -> dict[str, Any]:
        return {"questions": self.questions, "forecasts": self.forecasts, "chain_head": self.chain_head,
                "chain_records": self.chain_records, "verified": self.verified, "verify": self.verify}


@dataclass(frozen=True)
class Excluded:
    """What the scores leave out: questions by reason, marked pairs the filters dropped, hindsight forecasts."""

    annulled: int
    condition_not_met: int
    no_forecast_before_resolution: int
    due: int
    left_out: Mapping[str, int]  # per name of MARKS: pairs the exclude_<mark> filter left out (0 without it)
    hindsight: int

    def left_out_for(self, mark: str) -> int:
        """Pairs left out because they carry `mark`."""
        return self.left_out.get(mark, 0)

    def to_json(self) -> dict[str, Any]:
        return {"annulled": self.annulled, "condition_not_met": self.condition_not_met,
                "no_forecast_before_resolution": self.no_forecast_before_resolution, "due": self.due,
                **{mark: self.left_out_for(mark) for mark in MARKS}, "hindsight": self.hindsight}


@dataclass(frozen=True)
class Scorecard:
    """Every group's figures, the counts of what is not scored, the filters, the ledger, and the scored pairs."""

    generated_at: str  # ISO moment, UTC
    filters: ScorecardFilters
    scale: Scale
    ledger: LedgerStatement
    overall: Figures
    analysts: tuple[AnalystFigures, ...]  # by name
    tags: tuple[TagFigures, ...]  # by tag
    documents: tuple[DocumentFigures, ...]  # by title
    terms: tuple[TermFigures, ...]  # in the ICD 203 order
    horizons: tuple[HorizonFigures, ...]  # shortest first
    excluded: Excluded
    pairs: Sequence[dict[str, Any]]  # usually ScoredPairs; dicts with PAIR_KEYS, oldest resolution first

    def head_json(self) -> dict[str, Any]:
        """Everything but the pairs, as the scorecard's JSON states it."""
        return {
            "generated_at": self.generated_at,
            "filters": self.filters.to_json(),
            "scale": self.scale.to_json(),
            "ledger": self.ledger.to_json(),
            "overall": self.overall.to_json(),
            "analysts": [a.to_json() for a in self.analysts],
            "tags": [t.to_json() for t in self.tags],
            "documents": [d.to_json() for d in self.documents],
            "terms": [t.to_json() for t in self.terms],
            "horizons": [h.to_json() for h in self.horizons],
            "excluded": self.excluded.to_json(),
        }

    def to_dict(self) -> dict[str, Any]:
        """The scorecard's JSON as Python values; the pairs stay the sequence they are (decoded when read)."""
        return {**self.head_json(), "pairs": self.pairs}

    def to_json(self) -> str:
        """The scorecard as JSON text: sections indented, then one scored pair per line; ASCII only.

        Non-ASCII text is written as \\u escapes: the file is the same on every console and code page,
        and json's ASCII encoder is the faster one.
        """
        text = json.dumps(self.head_json(), indent=1)
        if isinstance(self.pairs, ScoredPairs):
            rows = self.pairs.json_rows()
        else:
            encode = json.JSONEncoder(separators=(", ", ": ")).encode
            rows = [encode(p) for p in self.pairs]
        body = '"pairs": [\n  ' + ",\n  ".join(rows) + "\n ]" if rows else '"pairs": []'
        # The head ends with "\n}"; the pairs go in as its last key.
        return f"{text[:-2]},\n {body}\n}}\n"
