"""core.imports: the one entry that brings a file in, for the command line and the desktop alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecastapp.core import ledger as ops
from forecastapp.core.errors import ImportFormatError
from forecastapp.core.imports import import_file, read_incoming
from forecastapp.core.store import open_ledger
from forecastapp.core.transfer import write_export
from tests.conftest import NOW, TODAY

SHEET = "Question,Forecast,Date,Outcome,Resolved on,Analyst\nWill it rain?,70%,2026-01-01,yes,2026-02-01,Ann\n"


def _origins(db) -> list[tuple]:
    return db.execute("SELECT action, format, source, source_sha256 IS NOT NULL FROM origins").fetchall()


def test_a_spreadsheet_is_read_then_brought_in_once_with_its_origin(ledger, tmp_path):
    sheet = tmp_path / "claims.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    dry = import_file(ledger, sheet, fmt="csv", dry_run=True, today=TODAY, now=NOW)
    assert dry.dry_run and dry.incoming.plan is not None and dry.report.added["questions"] == 1
    assert _origins(ledger) == []  # a dry run writes nothing
    done = import_file(ledger, sheet, fmt="csv", today=TODAY, now=NOW)
    assert done.incoming.format == "csv" and done.report.added["forecasts"] == 1
    assert _origins(ledger) == [("import", "csv", "claims.csv", 1)]
    assert import_file(ledger, sheet, fmt="csv", today=TODAY, now=NOW).report.added_total() == 0


def test_another_ledger_is_an_import_as_json_and_a_merge_as_a_database(ledger, tmp_path):
    other = open_ledger(tmp_path / "bo.db", seed=False)
    ops.create_forecast(other, ops.NewQuestion(statement="Bo's question?"), analyst="Bo", probability=0.4,
                        made_on=TODAY, today=TODAY, now=NOW)
    write_export(other, tmp_path / "bo.json", now=NOW)
    other.close()
    assert read_incoming(tmp_path / "bo.json", today=TODAY, now=NOW).action == "import"
    incoming = read_incoming(tmp_path / "bo.db", fmt="ledger", today=TODAY, now=NOW)
    assert (incoming.format, incoming.action, incoming.plan) == ("ledger-db", "merge", None)
    result = import_file(ledger, tmp_path / "bo.db", fmt="ledger", today=TODAY, now=NOW)
    assert result.report.added["questions"] == 1
    assert _origins(ledger) == [("merge", "ledger-db", "bo.db", 1)]


def test_a_folder_is_no_ledger_export(tmp_path):
    with pytest.raises(ImportFormatError, match="is a folder; a ledger export is one .json file"):
        read_incoming(Path(tmp_path), fmt="ledger", today=TODAY, now=NOW)
