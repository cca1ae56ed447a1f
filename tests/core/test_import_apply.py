"""Writing import plans into a ledger: counts, idempotency, one transaction, origins, Fatebook round trips."""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from forecastapp.core import ledger as L
from forecastapp.core.formats import apply_plan, preview_plan, read_plan
from forecastapp.core.formats.fatebook import fatebook_csv, write_fatebook
from forecastapp.core.merge import Origin
from forecastapp.core.store import open_ledger

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
ORIGIN = Origin(action="import", format="fatebook", source="fatebook-forecasts.csv", sha256="ab" * 32, host="desk-7")

HEADER = (
    "Question title,Multiple choice option,Forecast created by,Forecast (scale = 0-1),Forecast created at,"
    "Question created by,Question created at,Question resolve by,Resolution,Resolved at,"
    "Your Brier score for this question,Your relative Brier score for this question,Question notes,"
    "Question shared with,Question shared publicly,Question comments,Question tags"
)


def _count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _snapshot(db) -> dict:
    """What a person sees of a ledger: questions with outcome and tags, live forecasts, scored pairs."""
    questions = sorted(db.execute(
        "SELECT q.statement, q.criteria, q.resolve_by, q.outcome, q.resolved_on,"
        " (SELECT group_concat(tag, ',') FROM (SELECT tag FROM question_tags t WHERE t.question_id = q.id ORDER BY tag))"
        " FROM questions q WHERE q.deleted = 0"
    ).fetchall())
    forecasts = sorted(db.execute(
        "SELECT q.statement, a.name, f.probability, f.made_on FROM forecasts f JOIN questions q ON q.id = f.question_id"
        " JOIN analysts a ON a.id = f.analyst_id WHERE q.deleted = 0"
        " AND NOT EXISTS (SELECT 1 FROM retractions r WHERE r.forecast_id = f.id)"
    ).fetchall())
    pairs = sorted(
        (s, a, p, o, round(b, 12), round(ta, 12), round(ls, 12))
        for s, a, p, o, b, ta, ls in db.execute(
            "SELECT q.statement, a.name, ps.final_probability, ps.outcome, ps.brier, ps.brier_time_averaged,"
            " ps.log_score FROM pair_scores ps JOIN questions q ON q.id = ps.question_id"
            " JOIN analysts a ON a.id = ps.analyst_id"
        ).fetchall()
    )
    return {"questions": questions, "forecasts": forecasts, "pairs": pairs}


def test_applying_a_plan_adds_what_the_preview_announced(ledger):
    plan = read_plan(DATA / "fatebook-forecasts.csv", today=TODAY)
    before = preview_plan(ledger, plan)
    assert before.added["questions"] == 5 and before.added["forecasts"] == 8 and before.added["resolutions"] == 3
    assert _count(ledger, "questions") == 0  # a preview writes nothing
    report = apply_plan(ledger, plan, origin=ORIGIN, now=NOW)
    assert report.added == before.added
    assert (_count(ledger, "questions"), _count(ledger, "forecasts"), _count(ledger, "resolutions")) == (5, 8, 3)
    assert sorted(r[0] for r in ledger.execute("SELECT name FROM analysts")) == ["Ann Lee", "Bo Chen", "Cy Diaz"]
    # The EU question resolved yes; Ann's final 0.85 scores (0.85 - 1)^2, Bo's clamped 0.999 scores 1e-6.
    briers = dict(ledger.execute(
        "SELECT a.name, ps.brier FROM pair_scores ps JOIN analysts a ON a.id = ps.analyst_id"
        " JOIN questions q ON q.id = ps.question_id WHERE q.statement LIKE 'Will the EU%'"
    ).fetchall())
    assert briers["Ann Lee"] == pytest.approx(0.15 ** 2)
    assert briers["Bo Chen"] == pytest.approx(0.001 ** 2)
    annulled = ledger.execute("SELECT outcome FROM questions WHERE statement LIKE 'Will it rain%' AND outcome IS NOT NULL")
    assert [r[0] for r in annulled] == ["annulled"]


def test_importing_the_same_file_twice_adds_nothing(ledger):
    plan = read_plan(DATA / "fatebook-forecasts.csv", today=TODAY)
    apply_plan(ledger, plan, origin=ORIGIN, now=NOW)
    snapshot = _snapshot(ledger)
    again = apply_plan(ledger, read_plan(DATA / "fatebook-forecasts.csv", today=TODAY), origin=ORIGIN, now=NOW)
    assert again.added_total() == 0 and again.origin_id is None and not again.conflicts
    assert again.present["forecasts"] == 8 and again.present["questions"] == 5
    assert _snapshot(ledger) == snapshot
    assert _count(ledger, "origins") == 1  # the second import added nothing, so it left no trace


@pytest.mark.parametrize("source", ["my_predictions.csv", "my_predictions.json", "metaculus"])
def test_every_format_is_idempotent(ledger, source):
    for _ in range(2):
        report = apply_plan(ledger, read_plan(DATA / source, today=TODAY), origin=ORIGIN, now=NOW)
    assert report.added_total() == 0


def test_every_added_record_carries_its_origin(ledger):
    L.create_forecast(ledger, L.NewQuestion("Made here"), analyst="Ann Lee", probability=0.5,
                      made_on=date(2026, 1, 1), today=TODAY, now=NOW)
    report = apply_plan(ledger, read_plan(DATA / "fatebook-forecasts.csv", today=TODAY), origin=ORIGIN, now=NOW)
    origin = ledger.execute("SELECT action, format, source, source_sha256, host FROM origins").fetchall()
    assert origin == [("import", "fatebook", "fatebook-forecasts.csv", "ab" * 32, "desk-7")]
    linked = dict(ledger.execute(
        "SELECT record_table, count(*) FROM record_origins WHERE origin_id = ? GROUP BY record_table",
        [report.origin_id],
    ).fetchall())
    # 5 questions with their versions, 8 forecasts, 3 resolutions, and Bo and Cy (Ann Lee already existed here).
    assert linked == {"questions": 5, "question_versions": 5, "forecasts": 8, "resolutions": 3, "analysts": 2}
    made_here = ledger.execute(
        "SELECT count(*) FROM record_origins o JOIN questions q ON q.id = o.record_id WHERE q.statement = 'Made here'"
    ).fetchone()[0]
    assert made_here == 0


def test_an_import_that_fails_midway_writes_nothing(ledger, monkeypatch):
    import forecastapp.core.merge as merge

    def boom(db, ids):
        raise RuntimeError("disk trouble")

    # The last step of the import's transaction: the scored pairs, once the records' origins are noted.
    monkeypatch.setattr(merge, "refresh_pair_scores", boom)
    with pytest.raises(RuntimeError):
        apply_plan(ledger, read_plan(DATA / "fatebook-forecasts.csv", today=TODAY), origin=ORIGIN, now=NOW)
    for table in ("questions", "forecasts", "resolutions", "analysts", "origins", "record_origins"):
        assert _count(ledger, table) == 0, table


def test_progress_is_reported_up_to_the_total(ledger):
    calls: list[tuple[int, int]] = []
    apply_plan(ledger, read_plan(DATA / "fatebook-forecasts.csv", today=TODAY), origin=ORIGIN, now=NOW,
               progress=lambda done, total: calls.append((done, total)))
    # 3 analysts + 5 questions + 8 forecasts + 3 resolutions.
    assert calls[-1] == (19, 19)


def test_a_question_resolved_here_and_differently_in_the_file_is_flagged_not_overwritten(ledger):
    plan = read_plan(DATA / "fatebook-forecasts.csv", today=TODAY)
    # First import the file as it was before the Fed question resolved...
    open_fed = plan.__class__(
        format=plan.format, source=plan.source, skipped=plan.skipped, notes=plan.notes,
        questions=tuple(q.__class__(**{**q.__dict__, "resolution": None}) if q.statement.startswith("Will the Fed")
                        else q for q in plan.questions),
    )
    apply_plan(ledger, open_fed, origin=ORIGIN, now=NOW)
    fed = ledger.execute("SELECT id FROM questions WHERE statement LIKE 'Will the Fed%'").fetchone()[0]
    L.resolve(ledger, question_id=fed, outcome="yes", resolved_on=date(2024, 3, 20), today=TODAY, now=NOW)
    # ...then the newer export, which says NO: ours stays in force and theirs is kept as a conflict.
    report = apply_plan(ledger, plan, origin=ORIGIN, now=NOW)
    assert len(report.conflicts) == 1
    assert ledger.execute("SELECT outcome FROM questions WHERE id = ?", [fed]).fetchone()[0] == "yes"
    kept = ledger.execute("SELECT theirs_outcome, theirs_resolved_on FROM conflicts").fetchall()
    assert kept == [("no", "2024-03-20")]


# ---------------------------------------------------------------- Fatebook export and round trips


def _hand_built(db) -> None:
    """A small ledger touching every column the Fatebook format carries."""
    q1, f1 = L.create_forecast(
        db, L.NewQuestion("Will A happen?", criteria="A is announced officially.", resolve_by=date(2026, 6, 30),
                          tags=("alpha", "Policy")),
        analyst="Ann", probability=0.6, made_on=date(2026, 1, 5), today=TODAY, now=NOW,
    )
    L.add_forecast(db, question_id=q1, analyst="Bo", probability=0.3, made_on=date(2026, 1, 6), rationale="doubtful",
                   today=TODAY, now=NOW)
    mistaken = L.add_forecast(db, question_id=q1, analyst="Ann", probability=0.99, made_on=date(2026, 1, 7),
                              today=TODAY, now=NOW)
    L.retract_forecast(db, forecast_id=mistaken, reason="typo", now=NOW)
    L.add_forecast(db, question_id=q1, analyst="Ann", probability=0.75, made_on=date(2026, 2, 1), today=TODAY, now=NOW)
    L.resolve(db, question_id=q1, outcome="yes", resolved_on=date(2026, 3, 1), evidence="press release",
              today=TODAY, now=NOW)
    q2, _ = L.create_forecast(db, L.NewQuestion("Will B happen?"), analyst="Bo", probability=0.2,
                              made_on=date(2026, 2, 2), today=TODAY, now=NOW)
    L.resolve(db, question_id=q2, outcome="no", resolved_on=date(2026, 4, 1), today=TODAY, now=NOW)
    L.correct_resolution(db, question_id=q2, outcome="annulled", resolved_on=date(2026, 4, 2), evidence="voided",
                         today=TODAY, now=NOW)
    L.create_forecast(db, L.NewQuestion("=Will C happen, or not?"), analyst="Cy", probability=0.001,
                      made_on=date(2026, 3, 3), today=TODAY, now=NOW)
    q4, _ = L.create_forecast(db, L.NewQuestion("Deleted one"), analyst="Ann", probability=0.5,
                              made_on=date(2026, 3, 3), today=TODAY, now=NOW)
    L.delete_question(db, question_id=q4, now=NOW)


def test_fatebook_export_has_fatebooks_exact_header_and_formats(ledger):
    _hand_built(ledger)
    text = fatebook_csv(ledger)
    lines = text.split("\n")
    assert lines[0] == HEADER
    assert not text.endswith("\n")  # Fatebook ends its file without a newline
    rows = list(csv.reader(io.StringIO(text)))[1:]
    # 3 live forecasts on A (the retracted one and the deleted question's are left out), 1 on B, 1 on C.
    assert len(rows) == 5
    a_rows = [r for r in rows if r[0] == "Will A happen?"]
    assert [(r[2], r[3]) for r in a_rows] == [("Ann", "0.6"), ("Bo", "0.3"), ("Ann", "0.75")]
    # Forecasts were recorded on a later day than made, so they are dated at midnight of their day.
    assert a_rows[0][4] == "2026-01-05 00:00:0"
    assert a_rows[0][8:10] == ["YES", "2026-03-01 00:00:0"]
    assert a_rows[0][12] == "A is announced officially."
    assert a_rows[0][15] == "Bo: doubtful"
    assert a_rows[0][16] == "alpha; policy"
    assert a_rows[0][7] == "2026-06-30 00:00:0"
    # Ann's Brier column: twice her time-averaged Brier. 0.6 held 5 Jan-31 Jan (27 days), 0.75 from 1 Feb
    # to 28 Feb (28 days): ((27 * 0.16) + (28 * 0.0625)) / 55 = 0.110364, doubled = 0.220727.
    assert float(a_rows[0][10]) == pytest.approx(2 * (27 * 0.16 + 28 * 0.0625) / 55, abs=1e-6)
    b_row = next(r for r in rows if r[0] == "Will B happen?")
    assert b_row[8:10] == ["AMBIGUOUS", "2026-04-02 00:00:0"] and b_row[10] == ""
    c_row = next(r for r in rows if r[0].endswith("C happen, or not?"))
    assert c_row[0] == "'=Will C happen, or not?"  # a spreadsheet must not run it as a formula
    assert c_row[8] == "" and c_row[9] == ""


def test_fatebook_moments_keep_time_of_day_with_unpadded_seconds(ledger):
    moment = datetime(2026, 1, 5, 8, 4, 7, tzinfo=timezone.utc)
    L.create_forecast(ledger, L.NewQuestion("Same-day entry"), analyst="Ann", probability=0.4,
                      made_on=date(2026, 1, 5), today=TODAY, now=moment)
    row = next(csv.reader(io.StringIO(fatebook_csv(ledger).split("\n")[1])))
    assert row[4] == "2026-01-05 08:04:7"


def test_our_fatebook_export_imports_into_an_empty_ledger_as_the_same_track_record(ledger, tmp_path):
    _hand_built(ledger)
    exported = tmp_path / "fatebook-forecasts.csv"
    assert write_fatebook(ledger, exported) == 5
    other = open_ledger(tmp_path / "other.db", seed=False)
    try:
        apply_plan(other, read_plan(exported, today=TODAY), origin=ORIGIN, now=NOW)
        assert _snapshot(other) == _snapshot(ledger)
    finally:
        other.close()


def test_a_fatebook_file_survives_import_export_import(ledger, tmp_path):
    apply_plan(ledger, read_plan(DATA / "fatebook-forecasts.csv", today=TODAY), origin=ORIGIN, now=NOW)
    exported = tmp_path / "again.csv"
    write_fatebook(ledger, exported)
    other = open_ledger(tmp_path / "other.db", seed=False)
    try:
        apply_plan(other, read_plan(exported, today=TODAY), origin=ORIGIN, now=NOW)
        assert _snapshot(other) == _snapshot(ledger)
        # Questions are keyed by title and created time, so the re-export names the same questions.
        ids = lambda db: sorted(r[0] for r in db.execute("SELECT id FROM questions"))
        assert ids(other) == ids(ledger)
    finally:
        other.close()


def test_scores_survive_the_round_trip_to_the_last_digit(ledger, tmp_path):
    _hand_built(ledger)
    exported = tmp_path / "f.csv"
    write_fatebook(ledger, exported)
    other = open_ledger(tmp_path / "other.db", seed=False)
    try:
        apply_plan(other, read_plan(exported, today=TODAY), origin=ORIGIN, now=NOW)
        mean = lambda db: db.execute("SELECT avg(brier), avg(log_score), count(*) FROM pair_scores").fetchone()
        got, want = mean(other), mean(ledger)
        assert got[2] == want[2] == 2  # Ann and Bo on question A; B is annulled, C is open
        assert math.isclose(got[0], want[0], rel_tol=1e-12) and math.isclose(got[1], want[1], rel_tol=1e-12)
    finally:
        other.close()


def test_a_large_import_puts_the_page_cache_back(ledger, monkeypatch):
    import forecastapp.core.merge as merge

    monkeypatch.setattr(merge, "LARGE_IMPORT", 0)  # treat the fixture as a large file
    before = ledger.execute("PRAGMA cache_size").fetchone()[0]
    apply_plan(ledger, read_plan(DATA / "fatebook-forecasts.csv", today=TODAY), origin=ORIGIN, now=NOW)
    assert ledger.execute("PRAGMA cache_size").fetchone()[0] == before
