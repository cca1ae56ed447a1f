"""How well the detector finds forecast sentences, measured on hand-labelled assessments.

The labels (tests/data/labels/*.json) say, sentence by sentence, whether a careful reader would take
it as a forecast; the rule is written in each file. Run with `-rA` (or `-s`) to see the figures that
README.md quotes under "Finding forecasts in a document".
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from forecastapp.core.detect import detect_candidates

ROOT = Path(__file__).resolve().parents[2]
LABELS = sorted((ROOT / "tests" / "data" / "labels").glob("*.json"))
TODAY = date(2026, 11, 28)


def _load(path: Path) -> tuple[dict, str]:
    labels = json.loads(path.read_text(encoding="utf-8"))
    text = (ROOT / labels["document"]).read_text(encoding="utf-8")
    return labels, text


def test_there_are_at_least_three_labelled_assessments():
    assert len(LABELS) >= 3


@pytest.mark.parametrize("path", LABELS, ids=[p.stem for p in LABELS])
def test_labels_describe_the_text_they_belong_to(path):
    labels, text = _load(path)
    for sentence in labels["sentences"]:
        assert text[sentence["start"]:sentence["end"]] == sentence["text"]


@pytest.mark.parametrize("path", LABELS, ids=[p.stem for p in LABELS])
def test_precision_and_recall_per_document(path):
    labels, text = _load(path)
    published = date.fromisoformat(labels["published_on"])
    proposed = {(c.start, c.end) for c in detect_candidates(text, published_on=published, today=TODAY)}
    wanted = {(s["start"], s["end"]) for s in labels["sentences"] if s["forecast"]}
    true_positives = len(proposed & wanted)
    precision = true_positives / len(proposed)
    recall = true_positives / len(wanted)
    missed = [s["text"] for s in labels["sentences"] if (s["start"], s["end"]) in wanted - proposed]
    extra = [s["text"] for s in labels["sentences"] if (s["start"], s["end"]) in proposed - wanted]
    figures = (
        f"{path.stem}: {len(labels['sentences'])} sentences, {len(wanted)} forecasts; proposed {len(proposed)}, "
        f"{true_positives} right: precision {precision:.2f}, recall {recall:.2f}"
    )
    print(figures)
    assert recall >= 0.9 and precision >= 0.8, f"{figures}\nmissed: {missed}\nproposed wrongly: {extra}"


def test_the_seed_ledger_sentences_that_use_estimative_words_are_all_proposed():
    """The starting ledger's questions with an explicit reading of the text all come from proposed sentences."""
    seed = json.loads((ROOT / "resources" / "seed" / "north-korea-2023-outlook.json").read_text(encoding="utf-8"))
    text = (ROOT / "resources" / "documents" / "north-korea-2023-outlook.txt").read_text(encoding="utf-8")
    proposed = detect_candidates(text, published_on=date(2023, 11, 1), today=TODAY)

    def covered(question: dict) -> bool:
        return any(c.start < question["excerpt_end"] and question["excerpt_start"] < c.end for c in proposed)

    # The seed's "Implicit:" questions are inferences from descriptive sentences; the others quote a judgment.
    explicit = [q for q in seed["questions"] if not q["forecast"]["rationale"].startswith("Implicit")]
    found = [q["slug"] for q in seed["questions"] if covered(q)]
    print(f"seed questions whose sentence is proposed: {len(found)} of {len(seed['questions'])}")
    assert [q["slug"] for q in explicit if not covered(q)] == []
