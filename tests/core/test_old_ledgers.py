"""Opening ledgers made by earlier schemas, and files that are damaged: nothing is lost or changed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from forecastapp.core import store
from forecastapp.core.errors import StoreError
from forecastapp.core.integrity import verify_ledger
from forecastapp.core.migrations import migrations

DATA = Path(__file__).resolve().parents[1] / "data"
OLD_LEDGERS = {"0001_initial": DATA / "ledger-0001.db"}


def _contents(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY seq").fetchall()
                for t in ("questions", "forecasts", "retractions", "resolutions")}
    finally:
        conn.close()


@pytest.mark.parametrize("version", sorted(OLD_LEDGERS))
def test_an_old_ledger_is_backed_up_then_migrated_with_its_data_intact(tmp_path, version):
    path = tmp_path / "ledger.db"
    shutil.copyfile(OLD_LEDGERS[version], path)
    before = _contents(path)
    db = store.open_ledger(path, seed=True)  # seed=True: an existing ledger must not get the starting ledger
    names = [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == store.known_migration_names()
    # the fixture as built: 3 questions, 5 forecasts, 1 retraction, 2 resolution records
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("questions", "forecasts", "retractions", "resolutions")}
    assert counts == {"questions": 3, "forecasts": 5, "retractions": 1, "resolutions": 2}
    after_history = {t: db.execute(f"SELECT * FROM {t} ORDER BY seq").fetchall()
                     for t in ("forecasts", "retractions", "resolutions")}
    assert after_history == {t: before[t] for t in after_history}
    result = verify_ledger(db)
    # 8 history records, then (migration 0008) the 2 analysts and a create version per question
    assert result.ok and result.checked == 8 + 2 + 3
    versions = db.execute("SELECT question_id, action, statement FROM question_versions ORDER BY seq").fetchall()
    assert versions == [(q[1], "create", q[2]) for q in before["questions"]]
    db.close()
    backup = tmp_path / f"ledger.db.{version}.bak"
    assert backup.exists()
    conn = sqlite3.connect(backup)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == [version]
    conn.close()
    assert _contents(backup) == before


def test_a_failing_migration_leaves_the_file_byte_identical(tmp_path, monkeypatch):
    path = tmp_path / "ledger.db"
    shutil.copyfile(OLD_LEDGERS["0001_initial"], path)
    original = path.read_bytes()
    last = migrations._migrations[-1]

    def broken(db):
        raise sqlite3.OperationalError("simulated failure in the last migration")

    # The last migration fails after the earlier pending ones have run: all of them must roll back.
    monkeypatch.setattr(last, "fn", broken)
    with pytest.raises(StoreError, match="left as it was"):
        store.open_ledger(path, seed=False)
    assert path.read_bytes() == original
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == ["0001_initial"]
    conn.close()


def _damaged_files(tmp_path: Path, seeded_path: Path) -> dict[str, Path]:
    header_then_noise = tmp_path / "noise.db"
    rng = __import__("random").Random(7)
    header_then_noise.write_bytes(store.SQLITE_MAGIC + bytes(rng.randrange(256) for _ in range(8192)))
    truncated = tmp_path / "truncated.db"
    data = seeded_path.read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    return {"noise": header_then_noise, "truncated": truncated}


@pytest.mark.parametrize("kind", ["noise", "truncated"])
@pytest.mark.parametrize("command", [["list"], ["show", "eb0b7891"], ["verify"],
                                     ["add", "Will it hold?", "-p", "60%", "-a", "Ann"]])
def test_a_damaged_file_gets_one_clear_line_and_is_not_modified(run_cli, tmp_path, seeded_path, kind, command):
    path = _damaged_files(tmp_path, seeded_path)[kind]
    original = path.read_bytes()
    code, out, err = run_cli(*command, db=path)
    assert code == 2, (out, err)
    assert err.startswith("Error: ") and len(err.strip().splitlines()) == 1
    assert "damaged" in err or "cannot be used" in err or "not a forecastapp" in err
    assert path.read_bytes() == original
