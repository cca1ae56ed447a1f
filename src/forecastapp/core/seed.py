"""The starting ledger: the forecasts of the North Korea 2023 outlook, loaded into a new database.

The data lives in `resources/seed/*.json` (format `forecastapp-seed/1`). Ids are deterministic, so
every installation starts with the same records and ledgers from two machines merge cleanly.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from sqlite_utils import Database

from forecastapp.core import ledger
from forecastapp.core.resources import read_text
from forecastapp.core.store import writing

SEED_FILES = ("seed/north-korea-2023-outlook.json",)
SEED_FORMAT = "forecastapp-seed/1"


def load_seed(name: str) -> dict:
    """The parsed seed file `name` (relative to resources/)."""
    data = json.loads(read_text(name))
    if data.get("format") != SEED_FORMAT:
        raise ValueError(f"{name}: unknown seed format {data.get('format')!r}")
    return data


def load_starting_ledger(db: Database, *, now: datetime | None = None) -> int:
    """Add the starting ledger's documents, questions and forecasts; returns questions added.

    Records already present (same ids) are skipped, so this is safe to run twice.
    """
    # The seed's own dates are historical facts; `now` only stamps when this copy was recorded.
    now = now or datetime.now(timezone.utc)
    added = 0
    with writing(db):
        for name in SEED_FILES:
            data = load_seed(name)
            doc = data["document"]
            text = read_text(doc["source"])
            doc_id, _ = ledger.add_document(
                db, title=doc["title"], text=text, author=doc.get("author"),
                published_on=date.fromisoformat(doc["published_on"]) if doc.get("published_on") else None,
                document_id=doc["id"], now=now,
            )
            for q in data["questions"]:
                if db.execute("SELECT 1 FROM questions WHERE id = ?", [q["id"]]).fetchone():
                    continue
                fc = q["forecast"]
                made_on = date.fromisoformat(fc["made_on"])
                ledger.create_forecast(
                    db,
                    ledger.NewQuestion(
                        statement=q["statement"], criteria=q.get("criteria", ""), condition=q.get("condition"),
                        resolve_by=date.fromisoformat(q["resolve_by"]) if q.get("resolve_by") else None,
                        resolve_from=date.fromisoformat(q["resolve_from"]) if q.get("resolve_from") else None,
                        tags=tuple(q.get("tags", ())), document_id=doc_id, excerpt=q.get("excerpt"),
                        excerpt_start=q.get("excerpt_start"), excerpt_end=q.get("excerpt_end"),
                    ),
                    analyst=data["analyst"], probability=fc["probability"], term=fc.get("estimative_term"),
                    made_on=made_on, rationale=fc.get("rationale", ""), today=max(made_on, now.date()), now=now,
                    question_id=q["id"], forecast_id=_forecast_id(q["id"]),
                )
                added += 1
    return added


def _forecast_id(question_id: str) -> str:
    """A deterministic id for a seed question's first forecast."""
    import uuid

    return str(uuid.uuid5(uuid.UUID(question_id), "forecast-1"))
