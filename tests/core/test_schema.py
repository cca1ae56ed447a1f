"""db/schema.sql is the schema after all migrations: a reviewer reads it instead of the migration chain."""

from __future__ import annotations

import os
from pathlib import Path

from forecastapp.core.store import schema_sql

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "db" / "schema.sql"


def test_schema_file_matches_a_freshly_migrated_ledger(ledger):
    actual = schema_sql(ledger)
    if os.environ.get("FORECASTAPP_UPDATE_SCHEMA") == "1":
        SCHEMA_FILE.write_text(actual, encoding="utf-8")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == actual, (
        "db/schema.sql is out of date: run FORECASTAPP_UPDATE_SCHEMA=1 python -m pytest tests/core/test_schema.py"
    )
