"""`forecastapp verify`: one line, exit 0 when the chain holds, exit 1 naming the changed record."""

from __future__ import annotations

import sqlite3


def test_verify_a_seeded_ledger(run_cli, seeded_path):
    code, out, _ = run_cli("verify")
    conn = sqlite3.connect(seeded_path)
    # every forecast, analyst and question version is a link
    n = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("forecasts", "analysts", "question_versions"))
    head = conn.execute("SELECT hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()[0]
    conn.close()
    assert code == 0
    assert out == f"verified: {n} records, head {head}\n"


def test_verify_reports_a_tampered_forecast_and_exits_1(run_cli, seeded_path):
    conn = sqlite3.connect(seeded_path)
    third = conn.execute("SELECT record_id FROM chain ORDER BY seq LIMIT 1 OFFSET 2").fetchone()[0]
    conn.execute("DROP TRIGGER forecasts_no_update")
    conn.execute("UPDATE forecasts SET probability = 0.5 WHERE id = ?", [third])
    conn.commit()
    conn.close()
    code, out, _ = run_cli("verify")
    assert code == 1
    assert out.startswith(f"broken at record 3 (forecasts {third}): ")
    assert len(out.strip().splitlines()) == 1


def test_verify_never_creates_a_ledger(run_cli, tmp_path):
    missing = tmp_path / "nothing-here.db"
    code, _, err = run_cli("verify", db=missing)
    assert code == 2 and "no ledger" in err
    assert not missing.exists()
