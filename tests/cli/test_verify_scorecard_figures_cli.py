"""`verify --scorecard CARD.json [--ledger EXPORT.json]` recomputes the scorecard's figures at its chain head.

A scorecard whose figures were edited still names the right chain head; the figures themselves must
match the ledger as it stood at that head, or the command names the first one that does not (exit 1).
"""

from __future__ import annotations

import json
import sqlite3

import pytest

# Four scored pairs, Briers written out: (0.8-1)^2 = 0.04, (0.3-0)^2 = 0.09, (0.6-0)^2 = 0.36, (0.9-1)^2 = 0.01.
OVERALL_BRIER = (0.04 + 0.09 + 0.36 + 0.01) / 4  # 0.125


def _resolved(run_cli, statement, p, outcome, day, analyst="Ann", tag=None) -> str:
    args = ["add", statement, "-p", p, "-a", analyst, "--made-on", "2026-03-01"]
    if tag:
        args += ["--tag", tag]
    code, out, err = run_cli(*args)
    assert code == 0, err
    qid = out.strip()
    code, _, err = run_cli("resolve", qid, "-o", outcome, "--resolved-on", day)
    assert code == 0, err
    return qid


@pytest.fixture
def scored(run_cli):
    """Four resolved questions (two tagged asia), two analysts, on an empty ledger."""
    code, _, err = run_cli("init", "--empty")
    assert code == 0, err
    _resolved(run_cli, "Treaty signed?", "80%", "yes", "2026-04-01", tag="asia")
    _resolved(run_cli, "Rates cut?", "30%", "no", "2026-05-01", analyst="Bob")
    _resolved(run_cli, "Pipeline built?", "60%", "no", "2026-06-01", tag="asia")
    _resolved(run_cli, "Bridge opened?", "90%", "yes", "2026-07-01")
    return run_cli


def _links(db_path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM chain").fetchone()[0]
    finally:
        conn.close()


def _card(run_cli, tmp_path, *args, name="card.json") -> tuple:
    path = tmp_path / name
    code, _, err = run_cli("scorecard", "--output", str(path), *args)
    assert code == 0, err
    return path, json.loads(path.read_text(encoding="utf-8"))


def _export(run_cli, tmp_path, name="ledger.json"):
    path = tmp_path / name
    code, _, err = run_cli("export", str(path))
    assert code == 0, err
    return path


def _edit(path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _set(data, dotted, value):
    *parents, last = dotted.split(".")
    for key in parents:
        data = data[int(key)] if key.isdigit() else data[key]
    data[last] = value


def test_a_real_scorecard_is_recomputed_and_matches(scored, db_path, tmp_path):
    card, stated = _card(scored, tmp_path)
    assert stated["overall"]["brier"] == pytest.approx(OVERALL_BRIER)
    n = _links(db_path)
    code, out, err = scored("verify", "--scorecard", str(card))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (f"scorecard matches the ledger at record {n} of {n}; its figures, recomputed "
                                    f"from the ledger as of record {n}, match")
    code, out, _ = scored("verify", "--scorecard", str(card), "--ledger", str(_export(scored, tmp_path)))
    assert code == 0
    assert out.splitlines()[-1] == (f"scorecard matches the ledger export at record {n} of {n}; its figures, "
                                    f"recomputed from the ledger export as of record {n}, match")


@pytest.mark.parametrize("with_export", [False, True], ids=["database", "export"])
def test_an_edited_overall_brier_is_named_with_exit_1(scored, db_path, tmp_path, with_export):
    card, _ = _card(scored, tmp_path)
    _edit(card, lambda d: _set(d, "overall.brier", 0.0001))
    n = _links(db_path)
    args = ["--ledger", str(_export(scored, tmp_path))] if with_export else []
    code, out, err = scored("verify", "--scorecard", str(card), *args)
    source = "the ledger export" if with_export else "the ledger"
    assert (code, err) == (1, "")
    assert out.splitlines()[-1] == f"the scorecard's overall.brier is 0.0001 but {source} at record {n} gives 0.1250"


@pytest.mark.parametrize("dotted, expected", [
    ("overall.n", "the scorecard's overall.n is 40 but the ledger at record {n} gives 4"),
    ("overall.calibration.8.n", ("the scorecard's overall.calibration[bin=8].n is 40 but the ledger at record {n} "
                                 "gives 1")),
    ("excluded.annulled", "the scorecard's excluded.annulled is 40 but the ledger at record {n} gives 0"),
    ("ledger.forecasts", "the scorecard's ledger.forecasts is 40 but the ledger at record {n} gives 4"),
    ("ledger.chain_records", "the scorecard's ledger.chain_records is 40 but the ledger at record {n} gives {n}"),
])
def test_any_edited_count_is_named_by_its_path(scored, db_path, tmp_path, dotted, expected):
    card, _ = _card(scored, tmp_path)
    _edit(card, lambda d: _set(d, dotted, 40))
    code, out, _ = scored("verify", "--scorecard", str(card))
    assert code == 1 and out.splitlines()[-1] == expected.format(n=_links(db_path))


def test_groups_and_pairs_are_matched_by_name_not_position(scored, db_path, tmp_path):
    card, stated = _card(scored, tmp_path)
    n = _links(db_path)
    assert [a["name"] for a in stated["analysts"]] == ["Ann", "Bob"]

    def flatter(d):
        bob = next(a for a in d["analysts"] if a["name"] == "Bob")
        bob["brier"] = 0.0
    _edit(card, flatter)
    code, out, _ = scored("verify", "--scorecard", str(card))
    assert code == 1 and out.splitlines()[-1] == (
        f"the scorecard's analysts[name=Bob].brier is 0.0000 but the ledger at record {n} gives 0.0900")

    card, _ = _card(scored, tmp_path)
    _edit(card, lambda d: d.update(analysts=[a for a in d["analysts"] if a["name"] != "Bob"]))
    code, out, _ = scored("verify", "--scorecard", str(card))
    assert code == 1 and out.splitlines()[-1] == (
        f"the ledger at record {n} gives analysts[name=Bob], which the scorecard leaves out")

    card, stated = _card(scored, tmp_path)
    worst = max(stated["pairs"], key=lambda p: p["brier"])
    _edit(card, lambda d: d.update(pairs=[{**p, "brier": 0.01} if p == worst else p for p in d["pairs"]]))
    code, out, _ = scored("verify", "--scorecard", str(card))
    assert code == 1 and out.splitlines()[-1] == (
        f"the scorecard's pairs[question_id={worst['question_id']}, analyst=Ann].brier is 0.0100 but the ledger at "
        f"record {n} gives 0.3600")


def test_a_figure_the_recomputation_does_not_have_is_named(scored, tmp_path):
    card, _ = _card(scored, tmp_path)
    _edit(card, lambda d: d["overall"].update(flattering_pairs=0))
    code, out, _ = scored("verify", "--scorecard", str(card))
    assert code == 1 and out.splitlines()[-1].startswith(
        "the scorecard's overall.flattering_pairs is not in the scorecard recomputed from the ledger at record ")


def test_what_depends_on_the_clock_or_only_describes_is_not_compared(scored, tmp_path):
    card, _ = _card(scored, tmp_path)

    def change(d):
        d["generated_at"] = "2031-01-01T00:00:00.000000Z"
        d["excluded"]["due"] = 12
        d["scale"]["brier"] = "something else"
        d["analysts"][0]["name"] = d["analysts"][0]["name"]  # unchanged: it names the group
        del d["overall"]["backdated_pairs"]  # a key an older scorecard lacks is no difference
    _edit(card, change)
    code, out, _ = scored("verify", "--scorecard", str(card))
    assert code == 0 and out.splitlines()[-1].endswith("match")


def test_a_scorecard_from_an_earlier_state_is_recomputed_as_of_its_head(scored, db_path, tmp_path):
    card, stated = _card(scored, tmp_path)
    n = _links(db_path)
    # The ledger goes on: a new resolved question, a resolved one reopened, updated and resolved again, a
    # resolution corrected, a question removed. Every later record would change the figures if it were counted.
    _resolved(scored, "Dam finished?", "10%", "yes", "2026-08-01")
    first = stated["pairs"][0]["question_id"]
    assert scored("unresolve", first)[0] == 0
    assert scored("update", first, "-p", "20%", "-a", "Bo", "--made-on", "2026-03-02")[0] == 0
    assert scored("resolve", first, "-o", "yes", "--resolved-on", "2026-04-01")[0] == 0
    assert scored("correct", first, "-o", "no", "--resolved-on", "2026-04-01", "--evidence", "misread")[0] == 0
    assert scored("delete", stated["pairs"][-1]["question_id"])[0] == 0
    later = _links(db_path)
    assert later > n
    _, now_card = _card(scored, tmp_path, name="now.json")
    assert now_card["overall"]["brier"] != pytest.approx(stated["overall"]["brier"])
    expected = (f"scorecard matches the ledger at record {n} of {later}; {later - n} records added since; its "
                f"figures, recomputed from the ledger as of record {n}, match")
    code, out, err = scored("verify", "--scorecard", str(card))
    assert (code, err, out.splitlines()[-1]) == (0, "", expected)
    code, out, _ = scored("verify", "--scorecard", str(card), "--ledger", str(_export(scored, tmp_path)))
    assert code == 0 and out.splitlines()[-1] == expected.replace("the ledger", "the ledger export")
    # Edited, the earlier scorecard is still caught against what the ledger said then.
    _edit(card, lambda d: _set(d, "overall.brier", 0.0001))
    code, out, _ = scored("verify", "--scorecard", str(card))
    assert code == 1 and out.splitlines()[-1] == (
        f"the scorecard's overall.brier is 0.0001 but the ledger at record {n} gives 0.1250")


@pytest.mark.parametrize("args", [
    ("--analyst", "ann"), ("--tag", "asia"), ("--since", "2026-05-01", "--until", "2026-06-30"),
    ("--exclude-backdated",),
])
def test_a_filtered_scorecard_is_recomputed_with_its_filters(scored, tmp_path, args):
    card, stated = _card(scored, tmp_path, *args)
    code, out, _ = scored("verify", "--scorecard", str(card), "--ledger", str(_export(scored, tmp_path)))
    assert code == 0 and out.splitlines()[-1].endswith("match")
    # Dropping the filter is caught: the figures no longer fit what the card says it selected.
    if stated["overall"]["n"] != 4:
        _edit(card, lambda d: d.update(filters={**d["filters"], "analyst": None, "tag": None, "since": None,
                                                "until": None, "exclude_backdated": False}))
        code, out, _ = scored("verify", "--scorecard", str(card))
        assert code == 1 and "is " in out.splitlines()[-1]


@pytest.mark.parametrize("filters, message", [
    ({"since": "last spring"}, "the scorecard's filters.since 'last spring' is not a day (YYYY-MM-DD)"),
    ({"analyst": 5}, "the scorecard's filters.analyst 5 is malformed"),
    ({"tag": True}, "the scorecard's filters.tag True is malformed"),
    ({"exclude_backdated": "yes"}, "the scorecard's filters.exclude_backdated 'yes' is malformed"),
    ({"colour": "blue"}, ("the scorecard was made with the filter colour = 'blue', which this forecastapp cannot "
                          "apply, so its figures cannot be recomputed")),
    ("all", "the scorecard's filters are not an object, so its figures cannot be recomputed"),
])
def test_filters_that_cannot_be_applied_get_one_line_and_exit_2(scored, tmp_path, filters, message):
    card, _ = _card(scored, tmp_path)
    _edit(card, lambda d: d.update(filters=filters))
    code, _, err = scored("verify", "--scorecard", str(card))
    assert (code, err) == (2, f"Error: {message}\n")


@pytest.mark.parametrize("key, value", [
    ("outcome", "flip"), ("resolved_on", "2020-01-01"), ("statement", "Something else?"), ("backdated", "flip"),
    ("reworded", "flip"), ("imported_from", "elsewhere.csv"),
])
def test_a_pairs_outcome_day_wording_or_marks_cannot_be_edited(scored, tmp_path, key, value):
    card, stated = _card(scored, tmp_path)
    pair = stated["pairs"][0]
    if value == "flip":
        value = {"yes": "no", "no": "yes"}[pair[key]] if key == "outcome" else not pair[key]
    _edit(card, lambda d: d["pairs"][0].update({key: value}))
    code, out, _ = scored("verify", "--scorecard", str(card))
    assert code == 1, out
    line = out.splitlines()[-1]
    assert line.startswith(f"the scorecard's pairs[question_id={pair['question_id']}, analyst=") and f"].{key} is " in line
