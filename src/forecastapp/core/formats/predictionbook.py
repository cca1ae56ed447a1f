"""PredictionBook's exports: `my_predictions.csv` and the `my_predictions` JSON API pages.

CSV columns: created_at, creator_id, creator_label, deadline, description_with_group, description,
group_id, id, mean_confidence, outcome, prediction_group_id, last_judgement_at, updated_at, uuid,
version, visibility, withdrawn. The CSV has no per-response data, so each prediction becomes one
question with one forecast: its mean confidence, by its creator, on its creation day.

JSON: a page `{"user": {...}, "predictions": [...]}`, a list of such pages, or a bare list of
predictions; each prediction has `responses`, each with `confidence` (0-100), `comment`,
`created_at` and the responder's `user_label`. Every response with a confidence is a forecast (its
comment is the rationale); a comment without a confidence is not a forecast and is skipped.

Both: `outcome` true / false / empty is yes / no / open, resolved on the day of
`last_judgement_at` (else `updated_at`); withdrawn predictions are skipped and said so; the
question's id comes from the prediction's `uuid` (else its `id`), so the CSV and the JSON of the
same account name the same questions.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from forecastapp.core.errors import ImportFormatError
from forecastapp.core.formats.plan import (
    ImportPlan,
    PlanBuilder,
    PlannedForecast,
    PlannedResolution,
    clean_name,
    clean_text,
    iso_moment,
    read_fraction,
    read_moment,
    read_utf8,
    record_id,
)

FORMAT = "predictionbook"

CSV_COLUMNS = (
    "created_at", "creator_id", "creator_label", "deadline", "description_with_group", "description", "group_id",
    "id", "mean_confidence", "outcome", "prediction_group_id", "last_judgement_at", "updated_at", "uuid", "version",
    "visibility", "withdrawn",
)
"""The columns of PredictionBook's `my_predictions.csv`."""

REQUIRED_CSV = ("created_at", "description", "id", "mean_confidence", "outcome", "withdrawn")

_TRUE = {"true", "t", "1", "yes"}
_FALSE = {"false", "f", "0", "no"}


def looks_like_predictionbook_csv(header: list[str]) -> bool:
    """Whether a CSV header is PredictionBook's `my_predictions.csv`."""
    return all(col in header for col in REQUIRED_CSV)


def looks_like_predictionbook_json(data: object) -> bool:
    """Whether parsed JSON is one or more `my_predictions` pages (or a list of predictions)."""
    return bool(_predictions(data, strict=False))


def read_predictionbook(path: Path, *, today: date) -> ImportPlan:
    """Read a PredictionBook CSV or JSON export (chosen by content) into an import plan."""
    text = read_utf8(path)
    if text.lstrip()[:1] in ("{", "["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"'{path.name}' is not valid JSON (line {exc.lineno}: {exc.msg})") from None
        except (ValueError, RecursionError):  # a number too long to read, or nesting thousands deep
            raise ImportFormatError(f"'{path.name}' is not a PredictionBook export (it nests too deeply or "
                                    "holds a number too long to read)") from None
        return parse_predictionbook_json(data, source=path.name, today=today)
    return parse_predictionbook_csv(text, source=path.name, today=today)


# ---------------------------------------------------------------- shared


def _flag(value: object) -> bool | None:
    """PredictionBook's booleans: true/false in JSON, "true"/"false" in the CSV; None when empty."""
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _key(pred: dict[str, Any]) -> str:
    return _text(pred.get("uuid")).strip() or _text(pred.get("id")).strip()


def _question(b: PlanBuilder, pred: dict[str, Any], where: str) -> dict | None:
    """Start the question of one prediction, or record why the whole prediction is skipped."""
    if _flag(pred.get("withdrawn")):
        b.skip(where, "withdrawn on PredictionBook")
        return None
    key = _key(pred)
    if not key:
        b.skip(where, "the prediction has no id or uuid")
        return None
    try:
        statement = clean_text(_text(pred.get("description_with_group")) or _text(pred.get("description")),
                               "description", required=True)
        created = read_moment(_text(pred.get("created_at")))
    except ValueError as exc:
        b.skip(where, f"prediction: {exc}")
        return None
    resolve_by = None
    if _text(pred.get("deadline")).strip():
        try:
            resolve_by = read_moment(_text(pred.get("deadline"))).date()
        except ValueError:
            b.note("unreadable deadlines were left empty")
    qid = record_id(FORMAT, "question", key)
    if qid in b.questions:
        b.skip(where, "the same prediction appears twice in the file")
        return None
    q = b.question(qid, statement=statement, recorded_at=iso_moment(created), resolve_by=resolve_by)
    q["resolution"] = _resolution(b, pred, qid)
    return q


def _resolution(b: PlanBuilder, pred: dict[str, Any], qid: str) -> PlannedResolution | None:
    outcome = _flag(pred.get("outcome"))
    if outcome is None:
        if _text(pred.get("outcome")).strip():
            b.note("outcomes other than true/false were left open")
        return None
    when = _text(pred.get("last_judgement_at")).strip() or _text(pred.get("updated_at")).strip()
    try:
        moment = read_moment(when)
    except ValueError:
        b.note("judged predictions without a readable judgement time were left open")
        return None
    if moment.date() > b.today:
        b.note("judgements dated in the future were left open")
        return None
    word = "yes" if outcome else "no"
    return PlannedResolution(
        id=record_id(FORMAT, "resolution", qid, word, moment.date().isoformat()),
        outcome=word, resolved_on=moment.date(), recorded_at=iso_moment(moment), evidence="judged on PredictionBook",
    )


# ---------------------------------------------------------------- CSV


def parse_predictionbook_csv(text: str, *, source: str, today: date) -> ImportPlan:
    """Turn the text of `my_predictions.csv` into an import plan (one forecast per prediction)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in reader.fieldnames or []]
    except csv.Error as exc:
        raise ImportFormatError(f"'{source}' is not readable CSV ({exc})") from None
    missing = [c for c in REQUIRED_CSV if c not in header]
    if missing:
        raise ImportFormatError(f"'{source}' is not PredictionBook's my_predictions.csv: column {missing[0]!r} is missing")
    reader.fieldnames = header
    b = PlanBuilder(format=FORMAT, source=source, today=today)
    b.note("PredictionBook's CSV holds each prediction's mean confidence only; its JSON export holds every response")
    try:
        for i, row in enumerate(reader):
            where = f"row {i + 2}"
            q = _question(b, row, where)
            if q is None:
                continue
            try:
                p = read_fraction(row.get("mean_confidence"), scale=100)
            except ValueError as exc:
                b.skip(where, f"forecast: {exc}")
                continue
            created = read_moment(row["created_at"])
            if created.date() > today:
                b.skip(where, "forecast dated in the future")
                continue
            analyst = clean_name(row.get("creator_label"), f"PredictionBook user {_text(row.get('creator_id')).strip()}".strip())
            q["forecasts"].append((where, PlannedForecast(
                id=record_id(FORMAT, "mean-confidence", _key(row)), analyst=analyst, probability=b.probability(p),
                made_on=created.date(), recorded_at=iso_moment(created),
            )))
    except csv.Error as exc:
        raise ImportFormatError(f"'{source}' is not readable CSV (near row {reader.line_num}: {exc})") from None
    return b.build()


# ---------------------------------------------------------------- JSON


def _predictions(data: object, *, strict: bool) -> list[dict[str, Any]]:
    """The predictions of one page, of a list of pages, or of a bare list of predictions."""
    pages = data if isinstance(data, list) else [data]
    out: list[dict[str, Any]] = []
    for page in pages:
        if isinstance(page, dict) and isinstance(page.get("predictions"), list):
            user = page.get("user") if isinstance(page.get("user"), dict) else {}
            for pred in page["predictions"]:
                if isinstance(pred, dict):
                    out.append({**pred, "_user": user})
                elif strict:
                    raise ImportFormatError("a prediction in the file is not a JSON object")
        elif isinstance(page, dict) and isinstance(page.get("responses"), list):
            out.append({**page, "_user": {}})
        elif strict:
            raise ImportFormatError(
                "the JSON is not PredictionBook's my_predictions export (pages with 'predictions', "
                "each prediction with 'responses')"
            )
    return out


def parse_predictionbook_json(data: object, *, source: str, today: date) -> ImportPlan:
    """Turn parsed `my_predictions` JSON into an import plan (one forecast per response)."""
    predictions = _predictions(data, strict=True)
    b = PlanBuilder(format=FORMAT, source=source, today=today)
    for pred in predictions:
        where = f"prediction {_text(pred.get('id')).strip() or '?'}"
        q = _question(b, pred, where)
        if q is None:
            continue
        responses = pred.get("responses") or []
        if not isinstance(responses, list):
            b.skip(where, "its 'responses' is not a list")
            continue
        user = pred["_user"]
        fallback = clean_name(_text(user.get("name")) or _text(pred.get("creator_label")), "PredictionBook user")
        for n, resp in enumerate(responses):
            rwhere = f"{where} response {_text(resp.get('id')).strip() or n + 1}" if isinstance(resp, dict) else where
            if not isinstance(resp, dict):
                b.skip(rwhere, "a response is not a JSON object")
                continue
            if resp.get("confidence") is None:
                b.skip(rwhere, "a comment without a confidence (not a forecast)")
                continue
            try:
                p = read_fraction(_text(resp.get("confidence")), scale=100)
                moment = read_moment(_text(resp.get("created_at")))
                rationale = clean_text(_text(resp.get("comment")), "comment")
            except ValueError as exc:
                b.skip(rwhere, f"response: {exc}")
                continue
            if moment.date() > today:
                b.skip(rwhere, "forecast dated in the future")
                continue
            ident = _text(resp.get("id")).strip() or iso_moment(moment)
            q["forecasts"].append((rwhere, PlannedForecast(
                id=record_id(FORMAT, "response", _key(pred), ident),
                analyst=clean_name(_text(resp.get("user_label")), fallback), probability=b.probability(p),
                made_on=moment.date(), recorded_at=iso_moment(moment), rationale=rationale,
            )))
    return b.build()
