"""The scorecard: every group's figures from SCORING.md, aggregated in SQL over `pair_scores`.

`pair_scores` already holds one row per scored (question, analyst) pair, kept current by every
ledger write, so a scorecard never re-reads the forecast history. SQLite adds the pairs up per
(analyst, term, horizon, final probability, outcome) in one GROUP BY (overall, analyst, term and
horizon figures all roll up from it), per (document, ...) and per (tag, ...) in two more; Python
only rolls those few thousand rows up into each group's `GroupTotals` (counts, sums, per-bin sums,
counts of distinct Brier values) and hands them to `scoring.summarize`. No Python object per
forecast is ever built. The per-pair list is read in one pass that also collects, per question, the
analysts' Briers for the relative Brier; it is kept as one line of JSON per pair (`ScoredPairs`).

On a ledger stored in a file, the grouped SELECTs and the group summaries run on a second
connection in a worker thread while this thread reads the pairs (SQLite and numpy release the GIL),
both inside read transactions that are checked to see the same state of the ledger.

Filters, as the scorecard applies them:
- `analyst` keeps that analyst's pairs (name matched case-insensitively). Their `relative_brier`
  is still measured against the other analysts on the same questions, so the others' pairs are read
  for that figure only.
- `tag` keeps pairs on questions carrying the tag.
- `since` / `until` keep pairs whose question resolved on or between those days (inclusive).
- `exclude_backdated` drops the pairs whose final forecast was back-dated (made on more than a day
  before it was recorded: `pair_scores.final_backdated`, queries.BACKDATED_SQL), from every figure
  including the relative Brier. Without it every group states how many of its pairs rest on a
  back-dated final forecast (`backdated_pairs`), so a reader sees how much could be hindsight.
- `exclude_imported` likewise drops the pairs whose final forecast came from an imported or merged file
  (`pair_scores.final_origin_id`); every group states `imported_pairs`, and each pair names its file.
- `exclude_reworded` likewise drops the pairs whose final forecast was made on earlier wording: an edit
  since changed what the question asks (`pair_scores.final_reworded`); every group states `reworded_pairs`.
- `excluded` counts the questions the same filters select: annulled and condition-not-met questions
  and questions with no forecast before resolution by their resolution day; `due` questions (still
  open after their resolve-by day) by their resolve-by day, since they have no resolution day. With
  `analyst`, only questions that analyst forecast (an unretracted forecast) are counted. `backdated`,
  `imported` and `reworded` count *pairs*, not questions: those the exclude_* filters left out (0 without them).
  `hindsight` counts *forecasts*: those made or recorded after their question's outcome was on the
  record (`unscored_forecasts`, pairs.py), which no score ever includes.

Integrity: `ledger.chain_head` is the hash chain's head (core/integrity.py) read in the same read
transaction as the figures, so `forecastapp verify --scorecard` can tie the scorecard to the ledger
it came from. With `verify=True` the whole chain is also recomputed (seconds on a ledger of 100,000
records, several times the scoring itself) and the result stated in `ledger.verified` / `ledger.verify`;
without it `verified` is null (not checked), never true.

A filter that matches nothing is not an error: the scorecard says n = 0 with null figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from json.encoder import encode_basestring_ascii
from operator import itemgetter
from typing import Any

from sqlite_utils import Database

from forecastapp.core.errors import ValidationError
from forecastapp.core.estimative import SCALE_NAME, TERMS, EstimativeTerm
from forecastapp.core.integrity import chain_head, verify_ledger
from forecastapp.core.model import CONDITION_NOT_MET, is_text, moment_iso
from forecastapp.core.scorecard_types import (
    MARKS,
    PAIR_KEYS,
    AnalystFigures,
    DocumentFigures,
    Excluded,
    Figures,
    HorizonFigures,
    LedgerStatement,
    Scale,
    Scorecard,
    ScorecardFilters,
    ScoredPairs,
    TagFigures,
    TermFigures,
)
from forecastapp.core.scoring import (
    HORIZON_LONG_ABOVE,
    HORIZON_SHORT_BELOW,
    HORIZONS,
    GroupAccumulator,
    calibration_bin,
    relative_brier,
    summarize,
)
from forecastapp.core.snapshot import second_reader

__all__ = ["MARKS", "PAIR_KEYS", "SCALE", "ScoredPairs", "Scorecard", "build_scorecard"]

SCALE = {
    "brier": "0-1 (Good Judgment Open and Fatebook report 0-2: twice these)",
    "terms": SCALE_NAME,
}
"""What the numbers are measured on; reports print it next to the figures."""

# The horizon groups of scoring.horizon_group_of_days (SCORING.md "Groups"), as an index into HORIZONS.
_HORIZON_SQL = (
    f"CASE WHEN ps.horizon_days < {HORIZON_SHORT_BELOW} THEN 0 "
    f"WHEN ps.horizon_days <= {HORIZON_LONG_ABOVE} THEN 1 ELSE 2 END"
)

_TERM_BY_NAME: dict[str, EstimativeTerm] = {}
for _term in TERMS:
    _TERM_BY_NAME[_term.name] = _term
    for _alt in _term.alternatives:
        _TERM_BY_NAME.setdefault(_alt, _term)

# One pair as JSON text. Strings go through the json module's own escaping, floats through repr()
# exactly as json.dumps writes them; only the key names and punctuation are spelled out here.
_PAIR_JSON = (
    '{"question_id": %s, "statement": %s, "analyst": %s, "final_probability": %r, "final_term": %s, '
    '"outcome": "%s", "resolved_on": "%s", "brier": %r, "brier_time_averaged": %r, "log_score": %r, '
    '"backdated": %s, "imported_format": %s, "imported_from": %s, "imported_at": %s, "reworded": %s}'
)

_MARK_SUMS = ", ".join(f"sum({sql})" for sql in MARKS.values())


class _Sums(GroupAccumulator):
    """A group's sums, fed with rows already grouped by (final probability, outcome), and its marked pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.marked = [0] * len(MARKS)

    def add_rows(
        self, k: int, p: float, o: int, b: float, count: int, sum_ta: float, sum_log: float, *marked: int
    ) -> None:
        """Add `count` pairs that share final probability `p` (bin `k`), outcome `o` and Brier `b`.

        `marked` says how many of them carry each of MARKS, in its order.
        """
        for i, n in enumerate(marked):
            self.marked[i] += n
        self.add_alike(k, p, o, b, count, sum_ta, sum_log)

    def fields(self) -> dict[str, Any]:
        """The group's figures (scoring.summarize) and how many of its pairs carry each mark, as `Figures` fields."""
        return Figures.fields_from(summarize(self.totals()), self.marked)


class _Filters:
    """The scorecard's filters turned into SQL fragments over `pair_scores ps` and `questions q`."""

    def __init__(
        self, analyst: str | None, tag: str | None, since: date | None, until: date | None,
        exclude_backdated: bool = False, exclude_imported: bool = False, exclude_reworded: bool = False,
    ) -> None:
        for what, value in (("analyst", analyst), ("tag", tag)):
            if value and not is_text(value):
                # Bytes the terminal could not decode: SQLite cannot even compare them (UnicodeEncodeError).
                raise ValidationError(f"the {what} filter contains bytes that are not valid text (check your "
                                      "terminal's encoding); type it again")
        self.analyst = " ".join(analyst.split()) if analyst and analyst.strip() else None
        self.tag = " ".join(tag.strip().lower().split()) if tag and tag.strip() else None
        if since and until and since > until:
            raise ValidationError(
                f"since {since.isoformat()} is after until {until.isoformat()}; swap the two days or widen the range"
            )
        self.since = since
        self.until = until
        self.exclude_backdated = bool(exclude_backdated)
        self.exclude_imported = bool(exclude_imported)
        self.exclude_reworded = bool(exclude_reworded)
        #: The marks whose pairs are left out, in MARKS order.
        self.excluded_marks = tuple(m for m in MARKS if getattr(self, f"exclude_{m}"))
        self.params: dict[str, Any] = {
            "analyst": self.analyst,
            "tag": self.tag,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
        }

    analysts_sql = "(SELECT id FROM analysts WHERE name = :analyst COLLATE NOCASE)"

    def question_clauses(self, alias: str = "ps", *, keep_marked: bool = False) -> list[str]:
        """Clauses over `pair_scores` that select questions (tag, resolution day) and drop the marked pairs
        the filters leave out (unless `keep_marked`)."""
        out: list[str] = []
        if not keep_marked:
            out += [f"NOT {MARKS[m].replace('ps.', f'{alias}.')}" for m in self.excluded_marks]
        if self.tag:
            out.append(f"{alias}.question_id IN (SELECT question_id FROM question_tags WHERE tag = :tag)")
        return out + self.day_clauses(f"{alias}.resolved_on")

    def day_clauses(self, column: str) -> list[str]:
        """Clauses keeping the rows whose day `column` lies between since and until (inclusive), as asked."""
        return [*([f"{column} >= :since"] if self.since else []), *([f"{column} <= :until"] if self.until else [])]

    def pair_clauses(self, *, keep_marked: bool = False) -> list[str]:
        """Clauses keeping the selected pairs of `pair_scores ps` (marked ones too if `keep_marked`)."""
        clauses = self.question_clauses(keep_marked=keep_marked)
        if self.analyst:
            clauses.append(f"ps.analyst_id IN {self.analysts_sql}")
        return clauses

    def pair_where(self, *, keep_marked: bool = False) -> str:
        """`pair_clauses` as a WHERE clause (empty when nothing is filtered)."""
        clauses = self.pair_clauses(keep_marked=keep_marked)
        return ("WHERE " + " AND ".join(clauses)) if clauses else ""

    def stated(self) -> ScorecardFilters:
        """The filters as the scorecard states them (None when not given)."""
        return ScorecardFilters(self.analyst, self.tag, self.since, self.until, self.excluded_marks)


def build_scorecard(
    db: Database,
    *,
    analyst: str | None = None,
    tag: str | None = None,
    since: date | None = None,
    until: date | None = None,
    exclude_backdated: bool = False,
    exclude_imported: bool = False,
    exclude_reworded: bool = False,
    verify: bool = False,
    today: date,
    now: datetime,
) -> Scorecard:
    """The scorecard (see the module docstring for each filter and for `verify`); `to_json()` is its JSON."""
    flt = _Filters(analyst, tag, since, until, exclude_backdated, exclude_imported, exclude_reworded)
    with second_reader(db) as reader:
        names = dict(db.execute("SELECT id, name FROM analysts").fetchall())
        if reader is None:
            groups = _read_groups(db, flt, today, names)
            pairs, shared = _pair_rows(db, flt, names)
            integrity = _integrity(db, verify)
        else:
            # The grouped SELECTs and the bootstrap intervals spend their time in SQLite and numpy,
            # which let go of the GIL, while the pair list is mostly Python: on two cores they overlap.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="scorecard") as pool:
                pending = pool.submit(_read_groups, reader, flt, today, names)
                pairs, shared = _pair_rows(db, flt, names)
                # Inside the same read transaction as the figures: the head is the state they were drawn from.
                integrity = _integrity(db, verify)
                groups = pending.result()
        # Without an analyst filter the pair list already holds every analyst's pair on each question;
        # with one, the other analysts' pairs are read for the comparison.
        relative = relative_brier(shared) if not flt.analyst else _relative_briers(db, flt, names)
    analysts = []
    for analyst_id, fields in groups.analysts:
        rel = relative.get(analyst_id)
        analysts.append(AnalystFigures(
            **fields, name=names[analyst_id], relative_brier=rel[0] if rel else None,
            relative_brier_n=rel[1] if rel else 0,
        ))
    return Scorecard(
        generated_at=moment_iso(now),
        filters=flt.stated(),
        scale=Scale(**SCALE),
        ledger=LedgerStatement(questions=groups.live_questions, forecasts=groups.forecasts, **integrity),
        overall=groups.overall,
        analysts=tuple(analysts),
        tags=groups.tags,
        documents=groups.documents,
        terms=groups.terms,
        horizons=groups.horizons,
        excluded=groups.excluded,
        pairs=pairs,
    )


def _integrity(db: Database, verify: bool) -> dict[str, Any]:
    """The ledger's chain head, and with `verify` the outcome of recomputing the whole chain (LedgerStatement
    fields)."""
    if not verify:
        return {"chain_head": chain_head(db), "chain_records": None, "verified": None, "verify": None}
    result = verify_ledger(db)
    return {
        "chain_head": result.head,
        "chain_records": result.checked if result.ok else None,
        "verified": result.ok,
        "verify": result.summary(),
    }


@dataclass(frozen=True)
class _Groups:
    """Every group's figures (analysts still without their relative Brier), the counts and the ledger size."""

    overall: Figures
    analysts: list[tuple[str, dict[str, Any]]]  # (analyst id, `Figures` fields), by name
    tags: tuple[TagFigures, ...]
    documents: tuple[DocumentFigures, ...]
    terms: tuple[TermFigures, ...]
    horizons: tuple[HorizonFigures, ...]
    live_questions: int
    excluded: Excluded
    forecasts: int


def _read_groups(db: Database, flt: _Filters, today: date, names: dict[str, str]) -> _Groups:
    """Read every group's sums on one connection and summarize them."""
    overall, by_analyst, by_term, by_horizon = _main_groups(db, flt)
    titles = dict(db.execute("SELECT id, title FROM documents").fetchall())
    by_document = _document_groups(db, flt)
    live, excluded = _question_counts(db, flt, today)
    return _Groups(
        overall=Figures(**overall.fields()),
        analysts=[
            (analyst_id, sums.fields())
            for analyst_id, sums in sorted(by_analyst.items(), key=lambda kv: (names[kv[0]].casefold(), kv[0]))
        ],
        tags=tuple(TagFigures(**s.fields(), tag=t) for t, s in sorted(_tag_groups(db, flt).items())),
        documents=tuple(
            DocumentFigures(**sums.fields(), id=doc_id, title=titles.get(doc_id))
            for doc_id, sums in sorted(
                by_document.items(), key=lambda kv: ((titles.get(kv[0]) or "").casefold(), kv[0])
            )
        ),
        terms=_term_groups(by_term),
        horizons=tuple(HorizonFigures(**by_horizon[h].fields(), horizon=HORIZONS[h]) for h in range(len(HORIZONS))),
        live_questions=live,
        excluded=excluded,
        forecasts=_forecast_count(db),
    )


def _main_groups(db: Database, flt: _Filters) -> tuple[_Sums, dict[str, _Sums], dict[str, _Sums], list[_Sums]]:
    """Overall, per analyst, per term and per horizon sums from one GROUP BY over `pair_scores` alone."""
    overall = _Sums()
    by_analyst: dict[str, _Sums] = defaultdict(_Sums)
    by_term: dict[str, _Sums] = defaultdict(_Sums)
    by_horizon = [_Sums() for _ in HORIZONS]
    # The Brier of a pair is a function of (p, o), so min(brier) is the group's one shared value.
    # The unary + stops SQLite walking the analyst index for the grouping, which costs one table
    # lookup per pair; a plain scan and one sort is 1.5x faster.
    sql = f"""
        SELECT ps.analyst_id, ps.final_term, {_HORIZON_SQL} AS h, ps.final_probability, ps.outcome,
               min(ps.brier), count(*), sum(ps.brier_time_averaged), sum(ps.log_score), {_MARK_SUMS}
        FROM pair_scores ps
        {flt.pair_where()}
        GROUP BY +ps.analyst_id, ps.final_term, h, ps.final_probability, ps.outcome
    """
    bins: dict[float, int] = {}
    for analyst_id, term, h, p, o, b, count, sum_ta, sum_log, *marked in db.execute(sql, flt.params):
        k = bins.get(p)
        if k is None:
            k = bins[p] = calibration_bin(p)
        row = (k, p, o, b, count, sum_ta, sum_log, *marked)
        overall.add_rows(*row)
        by_analyst[analyst_id].add_rows(*row)
        by_horizon[h].add_rows(*row)
        if term is not None:
            by_term[term].add_rows(*row)
    return overall, by_analyst, by_term, by_horizon


def _grouped(db: Database, sql: str, params: dict[str, Any]) -> dict[str, _Sums]:
    """Sums per key from rows (key, p, o, brier, count, sum of time-averaged Brier, sum of log score,
    then the marked pairs of each of MARKS)."""
    out: dict[str, _Sums] = defaultdict(_Sums)
    for key, p, o, b, count, sum_ta, sum_log, *marked in db.execute(sql, params):
        out[key].add_rows(calibration_bin(p), p, o, b, count, sum_ta, sum_log, *marked)
    return out


def _document_groups(db: Database, flt: _Filters) -> dict[str, _Sums]:
    """Per-document sums, walking each document's questions (index questions_document_id) to their pairs."""
    # CROSS JOIN fixes that order; left to itself SQLite may scan every pair and look its question up.
    clauses = ["q.document_id IS NOT NULL", *flt.pair_clauses()]
    return _grouped(db, f"""
        SELECT q.document_id, ps.final_probability, ps.outcome, min(ps.brier), count(*),
               sum(ps.brier_time_averaged), sum(ps.log_score), {_MARK_SUMS}
        FROM questions q CROSS JOIN pair_scores ps ON ps.question_id = q.id
        WHERE {" AND ".join(clauses)}
        GROUP BY q.document_id, ps.final_probability, ps.outcome
    """, flt.params)


def _tag_groups(db: Database, flt: _Filters) -> dict[str, _Sums]:
    """Per-tag sums: a pair counts once under each tag of its question."""
    # Walking the pairs in key order and looking their tags up in key order reads both tables
    # front to back (20% cheaper than SQLite's own choice of walking the tag index).
    clauses = ["ps.question_id >= ''", *flt.pair_clauses()]
    return _grouped(db, f"""
        SELECT t.tag, ps.final_probability, ps.outcome, min(ps.brier), count(*),
               sum(ps.brier_time_averaged), sum(ps.log_score), {_MARK_SUMS}
        FROM pair_scores ps CROSS JOIN question_tags t ON t.question_id = ps.question_id
        WHERE {" AND ".join(clauses)}
        GROUP BY +t.tag, ps.final_probability, ps.outcome
    """, flt.params)


def _term_groups(by_term: dict[str, _Sums]) -> tuple[TermFigures, ...]:
    """Per estimative term, in the ICD 203 order, with the term's range and "happened k of n"."""
    order = {term.name: i for i, term in enumerate(TERMS)}

    def key(name: str) -> tuple[int, str]:
        known = _TERM_BY_NAME.get(name.casefold())
        return (order[known.name] if known else len(order), name)

    out = []
    for name in sorted(by_term, key=key):
        sums = by_term[name]
        totals = sums.totals()
        known = _TERM_BY_NAME.get(name.casefold())
        out.append(TermFigures(
            **sums.fields(),
            term=name,
            range=known.range_label if known else None,
            low=known.low if known else None,
            high=known.high if known else None,
            happened=totals.sum_outcome,
            of=totals.n,
        ))
    return tuple(out)


def _relative_briers(db: Database, flt: _Filters, names: dict[str, str]) -> dict[str, tuple[float, int]]:
    """Relative Brier per analyst id over the questions the filters select (all analysts' pairs)."""
    clauses = flt.question_clauses()
    if flt.analyst:
        # Only the chosen analyst's figure is reported, so only their questions need reading.
        clauses.append(
            f"ps.question_id IN (SELECT question_id FROM pair_scores WHERE analyst_id IN {flt.analysts_sql})"
        )
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = db.execute(
        f"SELECT ps.question_id, ps.analyst_id, ps.brier FROM pair_scores ps {where} ORDER BY ps.question_id",
        flt.params,
    )

    def per_question() -> Iterator[tuple[str, dict[str, float]]]:
        for question_id, group in groupby(rows, key=itemgetter(0)):
            briers = {analyst_id: b for _, analyst_id, b in group}
            if len(briers) > 1:
                yield question_id, briers

    result = relative_brier(per_question())
    if flt.analyst:
        wanted = {i for i, n in names.items() if n.casefold() == flt.analyst.casefold()}
        result = {a: v for a, v in result.items() if a in wanted}
    return result


def _pair_rows(
    db: Database, flt: _Filters, names: dict[str, str]
) -> tuple[ScoredPairs, list[tuple[str, dict[str, float]]]]:
    """The selected pairs (by resolution day, question id, analyst id), and for each question with two
    or more of them the analysts' Briers (what `relative_brier` reads), from one pass over the pairs."""
    enc = encode_basestring_ascii
    # Statements come from one scan of the questions rather than a lookup per pair (3x cheaper on
    # 150,000 pairs; a scan of 100,000 questions takes 0.1 s even when the filters keep few pairs).
    statements = dict(db.execute("SELECT id, statement FROM questions").fetchall())
    analysts = {analyst_id: enc(name) for analyst_id, name in names.items()}
    # Key order needs no sort in SQLite and keeps each question's pairs together (for `shared`); the
    # lines are put in resolution order at the end by a stable sort on the day, 2x cheaper than SQL's.
    rows = db.execute(
        f"""
        SELECT ps.question_id, ps.analyst_id, ps.final_probability, ps.final_term,
               CASE ps.outcome WHEN 1 THEN 'yes' ELSE 'no' END, ps.resolved_on,
               ps.brier, ps.brier_time_averaged, ps.log_score, ps.final_backdated, ps.final_origin_id,
               ps.final_reworded
        FROM pair_scores ps {flt.pair_where()}
        ORDER BY ps.question_id, ps.analyst_id
        """,
        flt.params,
    )
    lines: list[str] = []
    days: list[str] = []
    shared: list[tuple[str, dict[str, float]]] = []
    current_id = ""
    current: dict[str, float] = {}
    qid_json = statement_json = ""
    origins = {
        origin_id: (enc(fmt), enc(source), enc(at))
        for origin_id, fmt, source, at in db.execute("SELECT id, format, source, recorded_at FROM origins")
    }
    not_imported = ("null", "null", "null")
    for qid, analyst_id, p, term, outcome, resolved_on, b, ta, ls, backdated, origin_id, reworded in rows:
        if qid != current_id:
            if len(current) > 1:
                shared.append((current_id, current))
            current_id, current = qid, {}
            qid_json, statement_json = enc(qid), enc(statements[qid])  # once per question
        current[analyst_id] = b
        # resolved_on is a checked ISO date and outcome a literal from the SQL: nothing to escape.
        lines.append(_PAIR_JSON % (
            qid_json, statement_json, analysts[analyst_id], p, "null" if term is None else enc(term), outcome,
            resolved_on, b, ta, ls, "true" if backdated else "false",
            *(origins.get(origin_id, not_imported) if origin_id else not_imported),
            "true" if reworded else "false",
        ))
        days.append(resolved_on)
    if len(current) > 1:
        shared.append((current_id, current))
    order = sorted(range(len(lines)), key=days.__getitem__)
    lines = [lines[i] for i in order]
    return ScoredPairs(lines), shared


def _question_counts(db: Database, flt: _Filters, today: date) -> tuple[int, Excluded]:
    """Live questions in the ledger, and the excluded counts under the filters (module docstring)."""
    selected = []
    if flt.tag:
        selected.append("q.id IN (SELECT question_id FROM question_tags WHERE tag = :tag)")
    if flt.analyst:
        selected.append(
            f"EXISTS (SELECT 1 FROM forecasts f WHERE f.question_id = q.id AND f.analyst_id IN {flt.analysts_sql}"
            " AND NOT EXISTS (SELECT 1 FROM retractions x WHERE x.forecast_id = f.id))"
        )
    resolved_in = flt.day_clauses("q.resolved_on")
    due_in = flt.day_clauses("q.resolve_by")

    def when(*conditions: str) -> str:
        # Cheap column tests first: SQLite stops at the first false term, so the subqueries in the
        # filters run only for questions that could count.
        return " AND ".join([*conditions, *selected])

    # The annulment reason lives on the effective resolution record: the question's latest one.
    reason = "(SELECT r.annul_reason FROM resolutions r WHERE r.question_id = q.id ORDER BY r.seq DESC LIMIT 1)"
    live, annulled, cnm, resolved, due = db.execute(
        f"""
        SELECT count(*),
               coalesce(sum(CASE WHEN {when("q.outcome = 'annulled'", *resolved_in)} THEN {reason} IS NOT :cnm END), 0),
               coalesce(sum(CASE WHEN {when("q.outcome = 'annulled'", *resolved_in)} THEN {reason} IS :cnm END), 0),
               coalesce(sum(CASE WHEN {when("q.outcome IN ('yes', 'no')", *resolved_in)} THEN 1 END), 0),
               coalesce(sum(CASE WHEN {when("q.outcome IS NULL", "q.resolve_by < :today", *due_in)} THEN 1 END), 0)
        FROM questions q WHERE +q.deleted = 0
        """,
        dict(flt.params, cnm=CONDITION_NOT_MET, today=today.isoformat()),
    ).fetchone()
    # Every scored pair belongs to a live question resolved yes or no that the same filters select,
    # so the resolved questions without one are the difference (no lookup per question needed).
    # Marked pairs left out by the exclude_* filters still count as forecasts before resolution here.
    keep_all = flt.pair_where(keep_marked=True)
    scored = db.execute(
        f"SELECT count(*) FROM (SELECT ps.question_id FROM pair_scores ps {keep_all} GROUP BY ps.question_id)",
        flt.params,
    ).fetchone()[0]
    left_out = dict.fromkeys(MARKS, 0)
    for mark in flt.excluded_marks:
        left_out[mark] = db.execute(
            f"SELECT count(*) FROM pair_scores ps {keep_all} {'AND' if keep_all else 'WHERE'} {MARKS[mark]}",
            flt.params,
        ).fetchone()[0]
    return live, Excluded(
        annulled=annulled,
        condition_not_met=cnm,
        no_forecast_before_resolution=resolved - scored,
        due=due,
        left_out=left_out,
        hindsight=_hindsight_count(db, flt),
    )


def _hindsight_count(db: Database, flt: _Filters) -> int:
    """Forecasts on the selected questions that the scores leave out as hindsight (`unscored_forecasts`)."""
    clauses = []
    if flt.tag:
        clauses.append("u.question_id IN (SELECT question_id FROM question_tags WHERE tag = :tag)")
    if flt.analyst:
        clauses.append(f"u.analyst_id IN {flt.analysts_sql}")
    days = flt.day_clauses("q.resolved_on")
    if days:
        clauses.append(f"u.question_id IN (SELECT q.id FROM questions q WHERE {' AND '.join(days)})")
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return db.execute(f"SELECT count(*) FROM unscored_forecasts u {where}", flt.params).fetchone()[0]


def _forecast_count(db: Database) -> int:
    """Unretracted forecasts on live questions, from three cheap counts instead of an anti-join."""
    return db.execute(
        """
        SELECT (SELECT count(*) FROM forecasts)
             - (SELECT count(*) FROM retractions)
             - (SELECT count(*) FROM forecasts f
                WHERE f.question_id IN (SELECT id FROM questions WHERE deleted = 1)
                  AND NOT EXISTS (SELECT 1 FROM retractions x WHERE x.forecast_id = f.id))
        """
    ).fetchone()[0]
