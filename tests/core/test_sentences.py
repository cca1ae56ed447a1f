"""Sentence splitting: every span is a verbatim slice of the text, with the usual traps handled."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecastapp.core.sentences import sentence_texts, split_sentences

CASES = [
    pytest.param(
        "The U.S. Treasury and the U.N. met Dr. Kim on Jan. 5. Mr. Lee left.",
        ["The U.S. Treasury and the U.N. met Dr. Kim on Jan. 5.", "Mr. Lee left."],
        id="abbreviations inside a sentence",
    ),
    pytest.param(
        "Aid came from the U.S. The regime took it.",
        ["Aid came from the U.S.", "The regime took it."],
        id="U.S. ends a sentence before a sentence opener",
    ),
    pytest.param(
        "Some buyers (e.g. Iran, i.e. a neighbour) take oil, gas etc. and coal. Others do not.",
        ["Some buyers (e.g. Iran, i.e. a neighbour) take oil, gas etc. and coal.", "Others do not."],
        id="e.g. i.e. etc.",
    ),
    pytest.param("J. R. Smith wrote it. He left.", ["J. R. Smith wrote it.", "He left."], id="initials"),
    pytest.param(
        "Output fell by 3.5 million tonnes. Prices rose 2.1% in 2024.",
        ["Output fell by 3.5 million tonnes.", "Prices rose 2.1% in 2024."],
        id="decimals",
    ),
    pytest.param("Reservoir No. 5 is low. It is dry.", ["Reservoir No. 5 is low.", "It is dry."], id="No. 5"),
    pytest.param(
        'He said "it is over." Then he left.', ['He said "it is over."', "Then he left."], id="straight quote after stop"
    ),
    pytest.param(
        "She wrote \u201cno deal.\u201d Talks ended.", ["She wrote \u201cno deal.\u201d", "Talks ended."],
        id="curly quote after stop",
    ),
    pytest.param(
        "(The data are old.) New data come later.", ["(The data are old.)", "New data come later."],
        id="bracket after stop",
    ),
    pytest.param(
        "Talks stalled... Then they resumed. It went on\u2026 and on.",
        ["Talks stalled...", "Then they resumed.", "It went on\u2026 and on."],
        id="ellipses",
    ),
    pytest.param(
        "Will it hold? Nobody knows! We doubt it.", ["Will it hold?", "Nobody knows!", "We doubt it."], id="? and !"
    ),
    pytest.param(
        '"Will it hold?" she asked. Nobody knew.', ['"Will it hold?" she asked.', "Nobody knew."],
        id="question in quotes inside a sentence",
    ),
    pytest.param(
        "Kim\u2019s sister is likely to rule. It\u2019s late.", ["Kim\u2019s sister is likely to rule.", "It\u2019s late."],
        id="curly apostrophes",
    ),
    pytest.param(
        "First paragraph\n\nSecond paragraph.", ["First paragraph", "Second paragraph."],
        id="a blank line ends a sentence without a stop",
    ),
    pytest.param(
        "A long sentence that goes on and on\nacross a line break before it ends. Next one.",
        ["A long sentence that goes on and on\nacross a line break before it ends.", "Next one."],
        id="hard-wrapped lines",
    ),
    pytest.param("Outlook\nThe regime is stable.", ["Outlook", "The regime is stable."], id="title line"),
    pytest.param(
        "Key points:\n- Talks are unlikely\n- Trade will grow.\n* Aid stops\n\u2022 Bullets\n1. First\n2) Second",
        ["Key points:", "Talks are unlikely", "Trade will grow.", "Aid stops", "Bullets", "First", "Second"],
        id="bullet and numbered lists",
    ),
    pytest.param(
        "# Title\n## Sub heading\nText here.", ["Title", "Sub heading", "Text here."], id="markdown headings"
    ),
    pytest.param("One.\r\nTwo.\r\n\r\nThree.", ["One.", "Two.", "Three."], id="CRLF line ends"),
    pytest.param("No stop at the end", ["No stop at the end"], id="no final stop"),
    pytest.param("The plan costs approx. three billion. It is late.",
                 ["The plan costs approx. three billion.", "It is late."], id="lower case after an abbreviation"),
    pytest.param("", [], id="empty"),
    pytest.param("  \n\n \t ", [], id="blank"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_sentences(text, expected):
    assert sentence_texts(text) == expected


@pytest.mark.parametrize("text, expected", CASES)
def test_offsets_point_into_the_original_text(text, expected):
    spans = split_sentences(text)
    # Each expected sentence is found at or after the previous one's end, at exactly the span given.
    position = 0
    for (start, end), sentence in zip(spans, expected, strict=True):
        assert text.index(sentence, position) == start
        assert end == start + len(sentence)
        position = end


def test_bullet_marker_is_outside_the_span():
    text = "Intro:\n  - The deal will fail.\n"
    [_, (start, end)] = split_sentences(text)
    assert (start, end) == (11, 30)  # by hand: "Intro:\n" is 7 and "  - " is 4; the sentence is 19
    assert text[start:end] == "The deal will fail."


@given(st.text(alphabet="ab A.!?\n\"'()\u2019\u201d-#*1 ", max_size=80))
def test_spans_are_ordered_trimmed_and_inside_the_text(text):
    spans = split_sentences(text)
    last_end = 0
    for start, end in spans:
        assert last_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        last_end = end


def test_a_run_without_sentence_ends_is_cut_into_bounded_pieces():
    from forecastapp.core.sentences import MAX_SENTENCE_CHARS

    text = " ".join(["word"] * 1200)  # 5,999 characters and no stop
    spans = split_sentences(text)
    assert len(spans) >= 3
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    # Nothing is lost: the pieces, rejoined by the blanks between them, give the text back.
    assert " ".join(text[start:end] for start, end in spans) == text
