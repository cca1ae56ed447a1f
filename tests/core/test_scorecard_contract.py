"""The scorecard's JSON is a contract: the same ledger gives byte-for-byte the same JSON.

The expected files in tests/data/scorecard_contract/ were written by the scorecard code as it stood before
the scorecard became typed (a dict read by string key), from the varied ledger of
`scorecard_contract_ledger`, once per filter set. Regenerate them only for a deliberate change of the
contract: `python -m tests.core.test_scorecard_contract` (and say so in the commit).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from forecastapp.core.report import to_json
from forecastapp.core.scorecard import build_scorecard
from forecastapp.core.store import open_ledger
from tests.conftest import NOW, TODAY
from tests.core.scorecard_contract_ledger import FILTER_SETS, build_contract_ledger, deterministic_ids

EXPECTED = Path(__file__).resolve().parent.parent / "data" / "scorecard_contract"


@pytest.fixture(scope="module")
def contract_ledger(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        deterministic_ids(patch)
        folder = tmp_path_factory.mktemp("contract")
        db = open_ledger(folder / "ledger.db", seed=False)
        build_contract_ledger(db, folder)
    yield db
    db.close()


def _json(db, filters: dict) -> str:
    return to_json(build_scorecard(db, **filters, today=TODAY, now=NOW))


@pytest.mark.parametrize("name", sorted(FILTER_SETS))
def test_the_scorecard_json_is_byte_for_byte_the_contract(contract_ledger, name):
    expected = (EXPECTED / f"scorecard-{name}.json").read_text(encoding="ascii")
    assert _json(contract_ledger, FILTER_SETS[name]) == expected


def test_the_contract_ledger_exercises_every_mark_and_every_count(contract_ledger):
    text = (EXPECTED / "scorecard-all.json").read_text(encoding="ascii")
    for needle in ('"backdated": true', '"reworded": true', '"imported_from": "claims.csv"',
                   '"relative_brier": -', '"condition_not_met": 1', '"due": 1', '"hindsight": 2'):
        assert needle in text


def _write_expected(folder: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        deterministic_ids(patch)
        db = open_ledger(Path(tmp) / "ledger.db", seed=False)
        build_contract_ledger(db, Path(tmp))
        for name, filters in FILTER_SETS.items():
            (folder / f"scorecard-{name}.json").write_text(_json(db, filters), encoding="ascii")
        db.close()


if __name__ == "__main__":
    _write_expected(Path(sys.argv[1]) if len(sys.argv) > 1 else EXPECTED)
