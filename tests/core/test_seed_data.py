"""The starting ledger's data: the seed JSON must point exactly into the shipped document and follow ICD 203.

These tests read the files themselves (not the loader), so a bad edit to the data is caught even
before any code touches it. Expected values (term midpoints, ids, the forecast-bearing sentences)
are written out here by hand.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import date
from pathlib import Path

import pytest

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SEED = RESOURCES / "seed" / "north-korea-2023-outlook.json"
DOCUMENT = RESOURCES / "documents" / "north-korea-2023-outlook.txt"

# SHA-256 of the document as the user supplied it; every excerpt offset depends on these exact bytes.
DOCUMENT_SHA256 = "caeecb8b6b0234f4e098788da2b203b45f1058d4a1df4e1a4ce0dac75cec492a"

ID_PREFIX = "forecastapp:seed:north-korea-2023-outlook"

# ICD 203 words of estimative probability, value used = midpoint of the range (SCORING.md).
ICD_203 = {
    "almost no chance": 0.03,
    "very unlikely": 0.125,
    "unlikely": 0.325,
    "roughly even chance": 0.5,
    "likely": 0.675,
    "very likely": 0.875,
    "almost certain": 0.97,
}

TAG_VOCABULARY = {
    "succession", "russia", "china", "united-states", "sanctions", "inter-korean", "economy", "nuclear",
    "diplomacy", "military", "isolation", "south-korea",
}

# Opening words of every sentence of the document that makes a forecast, explicit or implied.
FORECAST_SENTENCES = [
    "The country’s domestic policy was shaped",  # China's aid as a strategic buffer continues
    "The United States is likely to maintain",  # US hardline; UN sanctions keep biting
    "North Korea leaders view nuclear weapons",  # the weapons are not given up
    "There is little hope for the revival",  # inter-Korean cooperation
    "The right-wing government in Seoul",  # even a liberal Seoul: no breach, no meaningful aid
    "With access to Chinese support",  # no return to the 2012-2019 reforms
    "The government’s efforts are now focused",  # central planning continues
    "North Korean Supreme Leader Kim Jong Un is preparing",  # Kim Ju Ae as the heir
    "This could be due to Kim’s track record",  # 10 to 15 years before her anointment
    "If Kim becomes incapacitated",  # Kim Yo Jong
    "These shipments could be significant",  # ammunition to Russia
    "Kim Jong-un’s visit to Russia",  # deeper military cooperation
    "Rumors suggest transfers of Russian military technology",  # transfers unlikely
    "It is more likely that these hints",  # the hints are leverage
    "Moscow suggests that potential South Korean arms shipments",  # conditional transfers
    "However, this reopening is highly selective",  # reopening stays selective
    "North Korea remains largely self-isolated",  # isolation; reforms renounced
    "However, it can now rely on the support",  # sustained indefinitely
]

# Opening words of the sentences that only describe what happened or how things stand.
DESCRIPTIVE_SENTENCES = [
    "In 2023, North Korea continued its foreign policy line",
    "North Korea, despite its long-standing mistrust",
    "In 2023, Russia has re-emerged",
    "The interactions between Russia and North Korea",
    "North Korea reopened after nearly three years",
    "Since then, a significant number",
]

TOP_KEYS = {"format", "document", "analyst", "questions"}
DOCUMENT_KEYS = {"id", "title", "author", "published_on", "published_note", "source"}
QUESTION_KEYS = {
    "id", "slug", "statement", "criteria", "condition", "tags", "excerpt", "excerpt_start", "excerpt_end",
    "resolve_by", "resolve_from", "forecast",
}
FORECAST_KEYS = {"probability", "estimative_term", "made_on", "rationale"}

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@pytest.fixture(scope="module")
def seed() -> dict:
    """The parsed seed ledger."""
    return json.loads(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def text() -> str:
    """The shipped document, decoded exactly (offsets are Python str indices into this)."""
    return DOCUMENT.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def questions(seed: dict) -> list[dict]:
    """The seed's questions."""
    return seed["questions"]


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; the document has no abbreviations, so a full stop ends one."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S[^.]*\.", text)]
    # Apart from whitespace the spans must tile the text, or the split above missed something.
    assert re.sub(r"\s", "", "".join(text[s:e] for s, e in spans)) == re.sub(r"\s", "", text)
    return spans


def _iso(value: object) -> date:
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return date.fromisoformat(value)


def test_shipped_document_is_the_supplied_file_unchanged() -> None:
    """Editing the document would silently move every excerpt, so its bytes are pinned."""
    assert hashlib.sha256(DOCUMENT.read_bytes()).hexdigest() == DOCUMENT_SHA256


def test_top_level_and_document_structure(seed: dict) -> None:
    """The loader's keys are all there, and no others."""
    assert set(seed) == TOP_KEYS
    assert seed["format"] == "forecastapp-seed/1"
    doc = seed["document"]
    assert set(doc) == DOCUMENT_KEYS
    assert doc["title"] == "North Korea in 2023: outlook"
    assert doc["author"] is None  # the text names no author; none is invented
    assert doc["published_note"].strip()
    assert (RESOURCES / doc["source"]).resolve() == DOCUMENT.resolve()
    assert isinstance(seed["analyst"], str) and seed["analyst"].strip()
    assert isinstance(seed["questions"], list)


def test_question_structure(questions: list[dict]) -> None:
    """Every question has exactly the documented fields with the right types, and no resolution."""
    for q in questions:
        assert set(q) == QUESTION_KEYS, q.get("slug")
        assert set(q["forecast"]) == FORECAST_KEYS, q["slug"]
        for field in ("statement", "criteria", "excerpt"):
            assert isinstance(q[field], str) and q[field].strip(), (q["slug"], field)
        assert q["condition"] is None or (isinstance(q["condition"], str) and q["condition"].strip())
        assert type(q["excerpt_start"]) is int and type(q["excerpt_end"]) is int, q["slug"]
        assert isinstance(q["forecast"]["rationale"], str) and q["forecast"]["rationale"].strip()


def test_at_least_twelve_questions(questions: list[dict]) -> None:
    """The starting ledger is big enough to make a scorecard worth reading."""
    assert len(questions) >= 12


def test_ids_are_deterministic_uuid5(seed: dict, questions: list[dict]) -> None:
    """Every installation gets the same ids, so two ledgers merge instead of duplicating the seed."""
    assert seed["document"]["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, ID_PREFIX + ":document"))
    for q in questions:
        assert q["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ID_PREFIX}:{q['slug']}")), q["slug"]
    ids = [seed["document"]["id"]] + [q["id"] for q in questions]
    for value in ids:
        assert str(uuid.UUID(value)) == value  # canonical lower-case form
    assert len(set(ids)) == len(ids)


def test_slugs_are_unique_lower_case(questions: list[dict]) -> None:
    """Slugs name the ids, so a duplicate slug would be a duplicate id."""
    slugs = [q["slug"] for q in questions]
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert SLUG.fullmatch(slug), slug


def test_excerpts_are_verbatim_at_their_offsets(text: str, questions: list[dict]) -> None:
    """Each excerpt is exactly the document text between its offsets (code points, curly ’ included)."""
    for q in questions:
        start, end = q["excerpt_start"], q["excerpt_end"]
        assert 0 <= start < end <= len(text), q["slug"]
        assert text[start:end] == q["excerpt"], q["slug"]
        assert q["excerpt"] == q["excerpt"].strip(), q["slug"]


def test_probabilities_follow_icd_203(questions: list[dict]) -> None:
    """Probabilities are scorable, and a named term carries exactly its ICD 203 midpoint."""
    for q in questions:
        fc = q["forecast"]
        p = fc["probability"]
        assert isinstance(p, (int, float)) and 0.001 <= p <= 0.999, q["slug"]
        term = fc["estimative_term"]
        if term is not None:
            assert term in ICD_203, (q["slug"], term)
            assert p == pytest.approx(ICD_203[term], abs=1e-12), q["slug"]


def test_dates_are_iso_and_in_order(seed: dict, questions: list[dict]) -> None:
    """Forecasts are dated on the document's date and every deadline lies after it."""
    published = _iso(seed["document"]["published_on"])
    for q in questions:
        made_on = _iso(q["forecast"]["made_on"])
        assert made_on == published, q["slug"]
        resolve_by = _iso(q["resolve_by"])
        assert resolve_by > made_on, q["slug"]
        if q["resolve_from"] is not None:
            resolve_from = _iso(q["resolve_from"])
            assert made_on <= resolve_from < resolve_by, q["slug"]


def test_tags_are_known_lower_case_slugs(questions: list[dict]) -> None:
    """Tags group the scorecard, so a misspelt tag would split a group in two."""
    for q in questions:
        tags = q["tags"]
        assert isinstance(tags, list) and tags, q["slug"]
        assert len(set(tags)) == len(tags), q["slug"]
        for tag in tags:
            assert SLUG.fullmatch(tag), (q["slug"], tag)
            assert tag in TAG_VOCABULARY, (q["slug"], tag)


def test_conditional_questions_say_so_in_the_statement(questions: list[dict]) -> None:
    """A reader of the statement alone sees that the question can be annulled by its condition."""
    conditional = [q for q in questions if q["condition"] is not None]
    assert conditional
    for q in conditional:
        assert q["statement"].startswith("If "), q["slug"]


def test_every_sentence_is_classified(text: str) -> None:
    """The two hand-written lists together name each sentence of the document exactly once."""
    spans = _sentences(text)
    openings = FORECAST_SENTENCES + DESCRIPTIVE_SENTENCES
    assert len(spans) == len(openings)
    for start, end in spans:
        sentence = text[start:end]
        assert sum(sentence.startswith(opening) for opening in openings) == 1, sentence[:60]


def test_every_forecast_sentence_is_covered_by_an_excerpt(text: str, questions: list[dict]) -> None:
    """No forecast in the document is left out of the ledger."""
    spans = _sentences(text)
    for opening in FORECAST_SENTENCES:
        assert text.count(opening) == 1, opening
        at = text.index(opening)
        start, end = next(span for span in spans if span[0] == at)
        covering = [q["slug"] for q in questions if q["excerpt_start"] < end and start < q["excerpt_end"]]
        assert covering, f"no question covers the sentence starting {opening!r}"


def test_statements_and_criteria_are_in_own_words(text: str, questions: list[dict]) -> None:
    """Only the excerpt quotes the document: no run of eight document words elsewhere."""

    def words(s: str) -> list[str]:
        return re.findall(r"[\w’'-]+", s.lower())

    doc_words = words(text)
    runs = {tuple(doc_words[i:i + 8]) for i in range(len(doc_words) - 7)}
    for q in questions:
        for field in ("statement", "criteria", "condition"):
            w = words(q[field] or "")
            copied = [" ".join(w[i:i + 8]) for i in range(len(w) - 7) if tuple(w[i:i + 8]) in runs]
            assert not copied, (q["slug"], field, copied[:1])
