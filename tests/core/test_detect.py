"""The candidate detector: which sentences it proposes, the term and probability, negation, conditions, dates."""

from __future__ import annotations

from datetime import date

import pytest

from forecastapp.core.detect import detect_candidates

PUBLISHED = date(2023, 11, 1)
TODAY = date(2026, 11, 28)


def one(sentence: str, **kwargs):
    """The single candidate of a one-sentence text (None if it proposes nothing)."""
    kwargs.setdefault("published_on", PUBLISHED)
    found = detect_candidates(sentence, today=TODAY, **kwargs)
    assert len(found) <= 1
    return found[0] if found else None


# (sentence, ICD 203 term proposed, probability = that term's midpoint from SCORING.md, negated)
TERMS = [
    ("The United States is likely to maintain a hardline attitude.", "likely", 0.675, False),
    ("The regime will almost certainly survive the winter.", "almost certain", 0.97, False),
    ("A deal is highly improbable.", "very unlikely", 0.125, False),
    ("Sanctions relief is a toss-up.", "roughly even chance", 0.5, False),
    ("There is little hope for the revival of cooperation.", "very unlikely", 0.125, False),
    ("We see no chance that exports recover.", "almost no chance", 0.03, False),
    ("It is more likely that these hints are meant as pressure.", "likely", 0.675, False),
    ("Prices will probably fall.", "likely", 0.675, False),
    ("The plant may well close.", "likely", 0.675, False),
    ("Output is expected to rise.", "likely", 0.675, False),
    ("The odds favour a hung parliament.", "likely", 0.675, False),
    ("It is doubtful that suppliers will agree.", "unlikely", 0.325, False),
    # hedges: could / may / might read as roughly even chance (documented in core/detect/__init__.py)
    ("These shipments could be significant.", "roughly even chance", 0.5, False),
    ("The plant may cover some of the shortfall.", "roughly even chance", 0.5, False),
    ("Carmakers might secure priority allocation.", "roughly even chance", 0.5, False),
    # unhedged predictions and lasting states read as very likely
    ("Even a liberal government would keep the sanctions.", "very likely", 0.875, False),
    ("North Korea remains largely self-isolated.", "very likely", 0.875, False),
    ("It will take 10 to 15 years before her anointment is possible.", "very likely", 0.875, False),
    ("The visit hints at deeper military cooperation.", "likely", 0.675, False),
    ("China and Russia are willing to sustain the country indefinitely.", "very likely", 0.875, False),
    # negation flips the term to its mirror around even chance
    ("Demand is not likely to fall.", "unlikely", 0.325, True),
    ("Demand isn't likely to fall.", "unlikely", 0.325, True),
    ("The talks will probably not resume.", "unlikely", 0.325, True),
    ("An agreement will almost certainly not be signed.", "almost no chance", 0.03, True),
    ("A liberal government would not violate the sanctions.", "very unlikely", 0.125, True),
    ("Port fees are not expected to change.", "unlikely", 0.325, True),
    ("We do not expect a recession.", "unlikely", 0.325, True),
    ("The economy won't recover.", "very unlikely", 0.125, True),
    # "unlikely to ever" is the term unlikely, not a double negative; "not only" negates nothing
    ("The plant is unlikely to ever deliver its planned output.", "unlikely", 0.325, False),
    ("The bank is not only likely to cut rates but also to end bond sales.", "likely", 0.675, False),
    ("A new fab is almost certain to open in 2027, though not at full capacity.", "almost certain", 0.97, False),
]


@pytest.mark.parametrize("sentence, term, probability, negated", TERMS)
def test_estimative_language_gives_the_term_and_its_midpoint(sentence, term, probability, negated):
    found = one(sentence)
    assert found is not None, sentence
    assert (found.term, found.probability, found.negated) == (term, probability, negated)


NOT_FORECASTS = [
    "North Korea reopened after nearly three years of quarantine.",
    "Russian Defence Minister Shoigu visited Pyongyang in July 2023.",
    "In 2023, North Korea continued its foreign policy line.",
    "Output fell by 3.5 million tonnes in 2021.",
    "The reopening is highly selective, with only half a dozen embassies.",
    "Will the authority raise tariffs before the election?",
    'The director said that "prices will not rise this year."',
    "Officials in the capital said the talks would restart in May.",
    "The court ruled in 2019 that elections may not be delayed.",
    "The talks broke down in May 2023.",
    "Political will to reform is weak.",
    "The military might of the army has grown.",
    "Engineers could not confirm whether the pumps had been repaired.",
    "Inflation would have been higher without subsidies.",
    "Whether the investigation would lead to duties is an open question.",
    "This report will examine three scenarios.",
    "We will discuss the budget in the next section.",
    "The outlook remains uncertain.",
    "Customs clearance now takes 3 days on average.",
    "Reports of potential shipments circulated.",
    "Lead times had returned to 14 weeks by Q4 2022.",
]


@pytest.mark.parametrize("sentence", NOT_FORECASTS)
def test_descriptions_questions_and_reported_words_are_not_proposed(sentence):
    assert one(sentence) is None


def test_words_inside_a_condition_do_not_make_a_forecast():
    assert one("If prices could fall, nobody noticed.") is None


@pytest.mark.parametrize(
    "sentence, condition, statement",
    [
        ("If Kim becomes incapacitated, his younger sister Kim Yo Jong is likely to succeed him.",
         "Kim becomes incapacitated", "His younger sister Kim Yo Jong will succeed him"),
        ("Unless the treaty talks resume, Dastan is expected to fill its reservoir.",
         "not (the treaty talks resume)", "Dastan will fill its reservoir"),
        ("Prices will rise if the drought continues.", "the drought continues", "Prices will rise"),
        ("Should the channel not be ready, the ships would keep calling at Varna.",
         "the channel not be ready", "The ships would keep calling at Varna"),
        ("Talks may resume, provided that both sides release prisoners.",
         "both sides release prisoners", "Talks may resume"),
        ("If talks fail then war is likely.", "talks fail", "War is likely"),
    ],
)
def test_conditionals_give_the_condition_and_a_statement_without_it(sentence, condition, statement):
    found = one(sentence)
    assert found is not None
    assert found.condition == condition
    assert found.statement == statement


def test_even_if_is_not_a_condition():
    found = one("Even if talks resume, fighting will continue.")
    assert found is not None and found.condition is None


def test_the_statement_drops_the_estimative_words_so_it_matches_the_probability():
    # 12.5% is the chance that the government WOULD violate the sanctions: the "not" moved into the number.
    found = one("Even a more liberal South Korean government would not violate the UN sanctions regime.")
    assert found.probability == 0.125
    assert found.statement == "Even a more liberal South Korean government would violate the UN sanctions regime"
    assert one("We judge that rationing is likely to start.").statement == "Rationing will start"


# Published 1 November 2023; expected dates worked out by hand from that day.
DATES = [
    ("It will take 10 to 15 years before her anointment is possible.", "2033-11-01", "2038-11-01"),
    ("Sanctions will stay in force by 2025.", None, "2025-12-31"),
    ("The regime will survive until the end of 2026.", None, "2026-12-31"),
    ("A deal is unlikely before 2030.", None, "2029-12-31"),
    ("A deal is unlikely within six months.", None, "2024-05-01"),
    ("Prices will fall over the next 18 months.", None, "2025-05-01"),
    ("The reservoir would fall below its minimum by August.", None, "2024-08-31"),
    ("An agreement is likely by 31 March 2025.", None, "2025-03-31"),
    ("Trade will grow next year.", None, "2024-12-31"),
    ("Prices will fall by Q3 2024.", None, "2024-09-30"),
    ("Dredging will finish by mid-2025.", None, "2025-06-30"),
    ("The plant may open in 2026.", None, "2026-12-31"),
    ("The ceasefire will hold through the winter.", None, "2024-02-29"),
    # vague phrases: indefinitely = 84 months, in the coming years = 36 months (VAGUE_HORIZONS)
    ("They will sustain the country indefinitely.", None, "2030-11-01"),
    ("In the coming years the basin will need water.", None, "2026-11-01"),
    # a date before the document is history: the default horizon (24 months) is used instead
    ("Lead times will probably stay low, as they did by 2022.", None, "2025-11-01"),
    ("Prices will fall.", None, "2025-11-01"),
]


@pytest.mark.parametrize("sentence, resolve_from, resolve_by", DATES)
def test_time_expressions_propose_a_resolve_by_date(sentence, resolve_from, resolve_by):
    found = one(sentence)
    assert found is not None
    assert (found.resolve_from, found.resolve_by) == (resolve_from, resolve_by)


def test_default_horizon_is_a_parameter_and_counts_from_today_without_a_published_date():
    assert one("Prices will fall.", default_horizon_months=6).resolve_by == "2024-05-01"
    assert one("Prices will fall.", default_horizon_months=None).resolve_by is None
    assert one("Prices will fall.", published_on=None).resolve_by == "2028-11-28"
    assert one("Trade will grow next year.", published_on=None).resolve_by == "2027-12-31"


def test_candidates_carry_offsets_ids_matched_words_and_a_reason():
    text = "Kim visited Moscow.\n\nThe talks will probably not resume. Trade fell."
    [found] = detect_candidates(text, published_on=PUBLISHED, today=TODAY)
    assert (found.start, found.end) == (21, 56)  # 19 + 2 newlines; the sentence is 35 characters
    assert text[found.start:found.end] == found.sentence == "The talks will probably not resume."
    assert found.id == "21-56"
    assert found.terms == ("will", "probably")
    assert '"probably"' in found.reason and "likely" in found.reason and "negated" in found.reason
    assert found.strength == 1.0 and found.strength_label == "strong"


def test_strength_follows_the_kind_of_cue():
    assert one("Prices are likely to fall.").strength_label == "strong"
    assert one("Prices could fall.").strength_label == "moderate"
    assert one("The visit hints at deeper cooperation.").strength_label == "weak"


def test_curly_apostrophes_and_quotes_are_read_like_straight_ones():
    assert one("The economy won\u2019t recover.").negated is True
    assert one("The director said \u201cprices will not rise.\u201d") is None


@pytest.mark.parametrize("sentence", ["The port will reopen in 0000.", "The port will reopen in Q1 0000."])
def test_a_year_zero_is_no_date_and_no_crash(sentence):
    found = one(sentence)
    assert found is not None and found.resolve_by == "2025-11-01"  # the default horizon
