"""The README's screenshots claim no outcome for a real event: only invented "Example:" questions are resolved."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from forecastapp.core.resources import read_text
from forecastapp.core.store import open_ledger

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "screenshots.py"


def test_only_example_questions_are_resolved_or_second_guessed(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))  # as `python docs/screenshots.py` has it, for docs/shots.py
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines functions only; Qt loads inside main()
    shown = module.build_ledger(tmp_path / "shots.db")
    db = open_ledger(tmp_path / "shots.db", seed=False)
    try:
        resolved = db.execute("SELECT DISTINCT q.statement FROM resolutions r JOIN questions q ON q.id = r.question_id"
                              ).fetchall()
        several = db.execute("SELECT q.statement FROM forecasts f JOIN questions q ON q.id = f.question_id"
                             " GROUP BY q.id HAVING count(*) > 1").fetchall()
        real = db.execute("SELECT count(*) FROM questions WHERE statement NOT LIKE 'Example:%'").fetchone()[0]
        shown_statement = db.execute("SELECT statement FROM questions WHERE id = ?", [shown]).fetchone()[0]
    finally:
        db.close()
    assert resolved and all(s.startswith("Example:") for (s,) in resolved)
    assert all(s.startswith("Example:") for (s,) in several)
    assert real == len(json.loads(read_text("seed/north-korea-2023-outlook.json"))["questions"])
    assert shown_statement.startswith("Example:")
