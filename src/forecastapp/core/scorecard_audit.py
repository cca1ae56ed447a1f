"""Checking a scorecard against its ledger: the chain head it states, then every figure it states.

`integrity.locate_scorecard_head` ties a scorecard to a ledger by its chain head, but the head alone
says nothing about the figures: a scorecard whose `overall.brier` was edited still names the right
head. `audit_scorecard` therefore recomputes the scorecard from the ledger *as it stood at that head*
and compares the two.

- **The ledger at the head.** The records of the chain up to the head's link (in chain order), the
  questions those records refer to, and every analyst and document, are imported into an empty
  ledger in memory; `scorecard.build_scorecard` then runs on it with the filters the scorecard states
  (`filters`: analyst, tag, since, until, exclude_backdated, and any later filter `build_scorecard`
  takes under the same name). When the head is the ledger's latest link the whole ledger is used (on
  a database, in place). Questions, tags, analysts and documents are not chained: they are taken as
  they are now.
- **The comparison** walks both JSON trees. Every number (and null where the other has a number)
  at the same path is compared, within a relative 1e-9 (the JSON holds full-precision floats; the
  tolerance only absorbs a different summation order); every flag and text (a pair's outcome,
  resolution day, statement, file, and its back-dated, imported and earlier-wording marks) exactly. List items are matched by what names them
  (`name`, `tag`, `id`, `question_id` and `analyst`, `term`, `horizon`, `bin`), else by position. A
  path of the stored scorecard that holds a number but is missing from the recomputation, or a
  group of the recomputation that the scorecard leaves out, is a difference too; keys the
  recomputation has and the scorecard does not (added by a later forecastapp) are not. Skipped:
  descriptive text, `generated_at`, `filters`, `scale`, the chain statements `ledger.chain_head` /
  `verified` / `verify`, and `excluded.due`, which counts questions past their resolve-by day on the
  day the scorecard was made (the clock, not the ledger).

The first difference comes back as one line naming the path, e.g. "the scorecard's overall.brier is
0.0001 but the ledger at record 57 gives 0.6400".
"""

from __future__ import annotations

import inspect
import math
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

from forecastapp.core.errors import ValidationError
from forecastapp.core.integrity import CHAINED_COLUMNS, HeadMatch, locate_scorecard_head, register_functions

if TYPE_CHECKING:
    from sqlite_utils import Database

    from forecastapp.core.scorecard_types import Scorecard

#: Paths never compared: when and how the scorecard was made, and what the chain check already covers.
SKIPPED_PATHS = frozenset({
    ("generated_at",), ("filters",), ("scale",),
    ("ledger", "chain_head"), ("ledger", "verified"), ("ledger", "verify"),
    ("excluded", "due"),  # depends on the day the scorecard was made, not on the ledger
})
#: Keys that name an item of a list (a group, a calibration bin, a scored pair), in the order shown.
IDENTITY_KEYS = ("name", "tag", "id", "question_id", "analyst", "term", "horizon", "bin")
#: build_scorecard's parameters that are not filters.
_NOT_FILTERS = frozenset({"db", "verify", "today", "now"})
#: Relative tolerance: the JSON stores full-precision floats, so only summation order can differ.
REL_TOL = 1e-9
ABS_TOL = 1e-12


@dataclass(frozen=True)
class ScorecardAudit:
    """The outcome of checking a scorecard: where its head sits, and the first figure that differs (if any)."""

    head: HeadMatch
    compared: int
    difference: str | None

    @property
    def ok(self) -> bool:
        """Whether every figure the scorecard states matches the recomputation."""
        return self.difference is None

    def summary(self) -> str:
        """One line: the head's place and that the figures match, or the first figure that differs."""
        if self.difference is not None:
            return self.difference
        if not self.compared:
            return f"{self.head.summary()}; the scorecard states no figures to recompute"
        return (f"{self.head.summary()}; its figures, recomputed from {self.head.source} as of record "
                f"{self.head.position}, match")


def audit_scorecard(
    card: object, *, db: Database | None = None, export: dict | None = None, now: datetime | None = None
) -> ScorecardAudit:
    """Check a scorecard's chain head (as `integrity.check_scorecard`) and recompute its figures at that head.

    Raises ValidationError (one line) when the ledger is broken, the head is not in it, or the scorecard's
    filters cannot be applied; a figure that differs is a result (`ScorecardAudit.difference`), not an error.
    """
    from forecastapp.core.scorecard import build_scorecard
    from forecastapp.core.transfer import export_ledger

    head = locate_scorecard_head(card, db=db, export=export)
    assert isinstance(card, dict)  # locate_scorecard_head refuses anything else
    filters = scorecard_filters(card)
    today = _made_on(card)
    now = now or datetime.now(timezone.utc)
    if export is None and head.position == head.total:
        assert db is not None
        fresh = build_scorecard(db, **filters, today=today, now=now)
    else:
        data = export if export is not None else export_ledger(db, now=now)
        scratch = _memory_ledger()
        try:
            from forecastapp.core.pairs import rebuild_pair_scores
            from forecastapp.core.store import writing
            from forecastapp.core.transfer import import_ledger, note_origins

            # In the chain's order and with each record's provenance, as the ledger held them: what
            # counts as hindsight and which pairs rest on imported history depend on both.
            at = ledger_at(data, head.position)
            with writing(scratch):
                import_ledger(scratch, at, refresh=False)
                note_origins(scratch, at)
                rebuild_pair_scores(scratch)
            fresh = build_scorecard(scratch, **filters, today=today, now=now)
        finally:
            scratch.close()
    fresh = _as_json(fresh)
    # A verified scorecard states how many links it verified: the chain up to its head. An unverified
    # one states null there, which is no figure.
    stated = card.get("ledger") or {}
    fresh["ledger"]["chain_records"] = head.position if _is_number(stated.get("chain_records")) else None
    where = f"{head.source} at record {head.position}"
    counter = [0]
    try:
        difference = next(_differences(card, fresh, (), where, counter), None)
    except RecursionError:  # JSON nested hundreds deep: readable, but no scorecard forecastapp wrote
        raise ValidationError("the scorecard nests too deeply to be one forecastapp wrote, so its figures cannot "
                              "be compared") from None
    return ScorecardAudit(head=head, compared=counter[0], difference=difference)


def scorecard_filters(card: dict) -> dict[str, Any]:
    """The scorecard's `filters` as keyword arguments of `build_scorecard` (a filter not applied is left out)."""
    from forecastapp.core.scorecard import build_scorecard

    raw = card.get("filters")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValidationError("the scorecard's filters are not an object, so its figures cannot be recomputed")
    parameters = inspect.signature(build_scorecard).parameters
    known = set(parameters) - _NOT_FILTERS
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None or value is False:
            continue
        if key not in known:
            raise ValidationError(f"the scorecard was made with the filter {key} = {value!r}, which this forecastapp "
                                  "cannot apply, so its figures cannot be recomputed")
        if key in ("since", "until"):
            try:
                value = date.fromisoformat(value)
            except (TypeError, ValueError):
                raise ValidationError(f"the scorecard's filters.{key} {value!r} is not a day (YYYY-MM-DD)") from None
        elif not isinstance(value, bool if isinstance(parameters[key].default, bool) else str):
            # A flag takes true or false, any other filter text (the scorecard writes nothing else).
            raise ValidationError(f"the scorecard's filters.{key} {value!r} is malformed")
        out[key] = value
    return out


def _made_on(card: dict) -> date:
    """The day the scorecard was made (from `generated_at`); only `excluded.due` depends on it, and that is skipped."""
    stamp = card.get("generated_at")
    try:
        return date.fromisoformat(stamp[:10])  # type: ignore[index]
    except (TypeError, ValueError):
        return date.today()


def ledger_at(data: dict, position: int) -> dict:
    """A ledger export holding the state at link `position` of its chain: the chain's first `position` records,
    the questions they refer to, and every analyst and document (the whole export at its last link)."""
    order = data.get("chain") or []
    if position >= len(order):
        return data
    kept = {(t, i) for t, i in order[:position]}
    out = dict(data)
    for table in CHAINED_COLUMNS:
        out[table] = [r for r in data.get(table) or [] if isinstance(r, dict) and (table, r.get("id")) in kept]
    asked = {r.get("question_id") for table in ("forecasts", "resolutions", "question_log") for r in out[table]}
    out["questions"] = [q for q in data.get("questions") or [] if isinstance(q, dict) and q.get("id") in asked]
    out["chain"] = order[:position]
    out.pop("chain_hashes", None)
    out.pop("chain_head", None)
    return out


def _memory_ledger() -> Database:
    """An empty, migrated ledger in memory, to recompute a scorecard in (nothing touches the disk)."""
    from sqlite_utils import Database

    from forecastapp.core.migrations import migrations
    from forecastapp.core.store import writing

    conn = sqlite3.connect(":memory:", check_same_thread=False)
    register_functions(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn, execute_plugins=False)
    with writing(db):
        migrations.apply(db)
    return db


def _as_json(card: Scorecard) -> dict:
    """A scorecard as the JSON a reader holds (its `to_json()` read back: the pairs decoded, tuples as lists)."""
    import json

    return json.loads(card.to_json())


# ---------------------------------------------------------------- comparing two JSON trees


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_scalar(value: object) -> bool:
    """A figure or a statement the scorecard makes about a pair or group: a number, a flag or a text."""
    return isinstance(value, (int, float, str, bool))


def _holds_number(value: object) -> bool:
    if _is_scalar(value):
        return True
    if isinstance(value, dict):
        return any(_holds_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_number(v) for v in value)
    return False


def _show(value: object, other: object = None) -> str:
    """A figure for the message: four decimals, more where four would make the two look equal."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float):
        text = f"{value:.4f}"
        if _is_number(other) and text == f"{float(other):.4f}":  # type: ignore[arg-type]
            return repr(value)
        return text
    return str(value)


def _dotted(path: tuple[str, ...]) -> str:
    out = ""
    for part in path:
        out += part if part.startswith("[") or not out else f".{part}"
    return out


def _labels(items: list) -> list[str]:
    """A name per list item, '[name=Ann]' from its identity keys, or '[3]' by position when they do not name
    every item once."""
    labels = []
    for item in items:
        keys = [k for k in IDENTITY_KEYS if isinstance(item, dict) and isinstance(item.get(k), (str, int))]
        labels.append("[" + ", ".join(f"{k}={item[k]}" for k in keys) + "]" if keys else "")
    if "" in labels or len(set(labels)) != len(labels):
        return [f"[{i}]" for i in range(len(items))]
    return labels


def _differences(stored: object, fresh: object, path: tuple[str, ...], where: str,
                 counter: list[int]) -> Iterator[str]:
    """Each difference between the stored scorecard and the recomputation, as one line, in the stored order."""
    if path in SKIPPED_PATHS:
        return
    name = _dotted(path)
    if isinstance(stored, dict):
        if not isinstance(fresh, dict):
            if _holds_number(stored):
                yield f"the scorecard's {name} is not in the scorecard recomputed from {where}"
            return
        for key, value in stored.items():
            if key not in fresh and (*path, key) not in SKIPPED_PATHS:
                if _holds_number(value):
                    yield f"the scorecard's {_dotted((*path, key))} is not in the scorecard recomputed from {where}"
                continue
            yield from _differences(value, fresh[key], (*path, key), where, counter)
    elif isinstance(stored, list):
        if not isinstance(fresh, list):
            if _holds_number(stored):
                yield f"the scorecard's {name} is not in the scorecard recomputed from {where}"
            return
        ours, theirs = _labels(stored), _labels(fresh)
        by_label = dict(zip(theirs, fresh))
        for label, item in zip(ours, stored):
            if label not in by_label:
                if _holds_number(item):
                    yield f"the scorecard's {name}{label} is not in the scorecard recomputed from {where}"
                continue
            yield from _differences(item, by_label[label], (*path, label), where, counter)
        stated = set(ours)
        for label, item in zip(theirs, fresh):
            if label not in stated and _holds_number(item):
                yield f"{where} gives {name}{label}, which the scorecard leaves out"
    elif _is_scalar(stored) or (stored is None and _is_scalar(fresh)):
        # Numbers within the tolerance; flags (a pair's back-dated, imported or earlier-wording marks) and
        # texts (its outcome, resolution day, file, statement) exactly: each is a claim about the record.
        counter[0] += 1
        if _is_number(stored) and _is_number(fresh):
            if math.isclose(stored, fresh, rel_tol=REL_TOL, abs_tol=ABS_TOL):  # type: ignore[arg-type]
                return
        elif type(stored) is type(fresh) and stored == fresh:
            return
        yield f"the scorecard's {name} is {_show(stored, fresh)} but {where} gives {_show(fresh, stored)}"
