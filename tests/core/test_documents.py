"""Document import (encodings, refusals, no duplicates) and accepting candidates as questions, without Qt."""

from __future__ import annotations

import codecs
import os
import re
import threading
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from forecastapp.core import documents
from forecastapp.core.documents import (
    accept_candidates,
    decode_text,
    document_candidates,
    import_document,
    read_document,
    resolve_document_id,
)
from forecastapp.core.errors import ImportFormatError, NotFoundError, ValidationError
from forecastapp.core.queries import get_document, question_detail

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
TEXT = (
    "Outlook for Veska\n\n"
    "Kim visited Moscow in 2023. The regime is likely to survive by 2030.\n"
    "If the talks fail, sanctions will almost certainly not be lifted.\n"
)


def _count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "data, text, encoding",
    [
        ("Café is likely.".encode("utf-8"), "Café is likely.", "utf-8"),
        (codecs.BOM_UTF8 + "Café is likely.".encode("utf-8"), "Café is likely.", "utf-8"),
        (codecs.BOM_UTF16_LE + "Kim’s plan.".encode("utf-16-le"), "Kim’s plan.", "utf-16"),
        (codecs.BOM_UTF16_BE + "Kim’s plan.".encode("utf-16-be"), "Kim’s plan.", "utf-16"),
        (codecs.BOM_UTF32_LE + "Kim’s plan.".encode("utf-32-le"), "Kim’s plan.", "utf-32"),
        # Windows-1252: 0xE9 is é and 0x92 the curly apostrophe; neither is valid UTF-8 on its own.
        (b"Caf\xe9 and Kim\x92s plan.", "Café and Kim’s plan.", "cp1252"),
    ],
)
def test_encodings_are_detected(data, text, encoding):
    assert decode_text(data) == (text, encoding)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "is empty"),
        (b"  \n\t\n", "is empty"),
        (codecs.BOM_UTF8, "is empty"),
        (b"abc\x00\x01\x02def", "binary file"),
        (bytes(range(256)) * 4, "binary file"),
        ("hello there".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
        (b"\x81\x8d\x90 abc", "cannot tell the encoding"),  # bytes Windows-1252 leaves undefined
        (b"Caf\xe9\x01\x02\x03", "cannot tell the encoding"),  # not UTF-8, and control codes are not text
        (b"text with \x1b[31m escape codes \x07\x07\x07 and \x08\x08", "binary file"),
        (codecs.BOM_UTF8 + b"\xff\xfe bad", "not valid UTF-8-SIG"),
    ],
)
def test_unreadable_bytes_are_refused_with_a_message(data, message):
    with pytest.raises(ImportFormatError, match=message):
        decode_text(data, name="'f.txt'")


def test_a_text_with_control_characters_is_binary_even_if_valid_utf8():
    with pytest.raises(ImportFormatError, match="binary file"):
        decode_text(b"ok\x01\x02\x03\x04 text")


# ---------------------------------------------------------------- reading files


def test_markdown_is_stored_raw_and_titled_by_its_heading(tmp_path: Path):
    raw = "# Chip outlook\n\n- Prices are **likely** to fall by 2027.\n"
    path = tmp_path / "notes.md"
    path.write_text(raw, encoding="utf-8")
    read = read_document(path)
    assert (read.text, read.kind, read.title) == (raw, "markdown", "Chip outlook")


def test_plain_text_keeps_crlf_and_takes_a_title_line(tmp_path: Path):
    raw = "Port outlook\r\n\r\nTraffic will probably fall.\r\n"
    path = tmp_path / "port.txt"
    path.write_bytes(raw.encode("utf-8"))
    read = read_document(path)
    assert (read.text, read.kind, read.title) == (raw, "text", "Port outlook")


def test_a_first_line_that_is_a_sentence_is_not_a_title(tmp_path: Path):
    path = tmp_path / "brief-7.txt"
    path.write_text("Traffic will probably fall.\n", encoding="utf-8")
    assert read_document(path).title == "brief-7"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("report.docx", b"PK\x03\x04rest", "is a Word document"),
        ("report.odt", b"PK\x03\x04rest", "OpenDocument"),
        ("zipped.txt", b"PK\x03\x04rest", "ZIP archive"),
        ("scan.pdf", b"%PDF-1.7 ...", "PDF import needs"),
        ("renamed.txt", b"%PDF-1.7 ...", "PDF import needs"),
    ],
)
def test_files_that_cannot_be_read_are_refused(tmp_path: Path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportFormatError, match=message):
        read_document(path)


def test_missing_file_and_folder_are_refused(tmp_path: Path):
    with pytest.raises(ImportFormatError, match="does not exist"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(ImportFormatError, match="is a folder"):
        read_document(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_that_runs_past_the_size_limit_is_refused_after_one_bounded_read(tmp_path: Path, monkeypatch):
    # A pipe (or /dev/zero) reports size 0, so only a bounded read keeps such a file from filling memory;
    # and a pipe can be read once, so opening it a second time would wait for a writer forever.
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 1000)
    pipe = tmp_path / "stream"
    os.mkfifo(pipe)
    outcome: list[BaseException] = []

    def feed() -> None:
        try:
            with pipe.open("wb") as fh:
                fh.write(b"It is likely. " * 400)  # 5,600 bytes of plain text
        except BrokenPipeError:
            pass  # the reader stopped after the limit and closed its end

    def read() -> None:
        try:
            read_document(pipe)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    threads = [threading.Thread(target=f, daemon=True) for f in (feed, read)]
    for t in threads:
        t.start()
    threads[1].join(timeout=10)
    assert not threads[1].is_alive(), "read_document is still waiting on the pipe"
    assert len(outcome) == 1 and isinstance(outcome[0], ImportFormatError)
    assert re.fullmatch(r"'stream' is over .*, the limit; import a shorter text", str(outcome[0]))


def test_pdf_text_comes_from_the_reader_given(tmp_path: Path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.7")
    read = read_document(path, pdf_reader=lambda p: "Page one is likely.\n\nPage two.")
    assert (read.text, read.kind, read.encoding, read.title) == ("Page one is likely.\n\nPage two.", "pdf", None, "a")
    with pytest.raises(ImportFormatError, match="no text layer"):
        read_document(path, pdf_reader=lambda p: " \n ")


# ---------------------------------------------------------------- importing


@pytest.fixture
def doc_file(tmp_path: Path) -> Path:
    path = tmp_path / "veska.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_import_stores_the_text_once(ledger, doc_file: Path):
    first = import_document(ledger, doc_file, author="Ann Lee", published_on=date(2024, 1, 15), today=TODAY, now=NOW)
    assert first.created and first.title == "Outlook for Veska"
    assert get_document(ledger, first.document_id).text == TEXT
    assert [c.id for c in first.candidates] == ["47-87", "88-153"]  # offsets counted by hand in TEXT
    again = import_document(ledger, doc_file, title="Other title", today=TODAY, now=NOW)
    assert (again.document_id, again.created, again.title) == (first.document_id, False, "Outlook for Veska")
    assert _count(ledger, "documents") == 1


def test_refused_files_store_nothing(ledger, tmp_path: Path):
    path = tmp_path / "bin.txt"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(ImportFormatError):
        import_document(ledger, path, today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match="in the future"):
        import_document(ledger, path, published_on=date(2027, 1, 1), today=TODAY, now=NOW)
    assert _count(ledger, "documents") == 0


def test_candidate_offsets_point_into_the_stored_text(ledger, tmp_path: Path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("Note\r\n\r\nTrade fell.\r\nPrices will probably rise.\r\n".encode("utf-8"))
    result = import_document(ledger, path, today=TODAY, now=NOW)
    stored = get_document(ledger, result.document_id).text
    [candidate] = result.candidates
    assert stored[candidate.start:candidate.end] == candidate.sentence == "Prices will probably rise."


def test_document_ids_can_be_shortened(ledger, doc_file: Path):
    doc_id = import_document(ledger, doc_file, today=TODAY, now=NOW).document_id
    assert resolve_document_id(ledger, doc_id[:6]) == doc_id
    with pytest.raises(NotFoundError):
        resolve_document_id(ledger, "abc")
    with pytest.raises(NotFoundError):
        resolve_document_id(ledger, "ffffffff")


# ---------------------------------------------------------------- accepting candidates


def test_accept_makes_questions_forecast_by_the_author(ledger, doc_file: Path):
    doc_id = import_document(ledger, doc_file, author="Ann Lee", published_on=date(2024, 1, 15), today=TODAY,
                             now=NOW).document_id
    [qid_a, qid_b] = accept_candidates(ledger, doc_id, ["47-87", "88-153"], today=TODAY, now=NOW)
    a = question_detail(ledger, qid_a, today=TODAY)
    assert a.question.statement == "The regime will survive by 2030"
    assert (a.question.excerpt, a.question.excerpt_start, a.question.excerpt_end) == (TEXT[47:87], 47, 87)
    assert a.question.resolve_by == date(2030, 12, 31)
    [forecast] = a.forecasts
    assert (forecast.analyst, forecast.probability, forecast.estimative_term, forecast.made_on) == (
        "Ann Lee", 0.675, "likely", date(2024, 1, 15))
    b = question_detail(ledger, qid_b, today=TODAY)
    assert b.question.condition == "the talks fail"
    assert b.question.statement == "Sanctions will be lifted"
    assert b.forecasts[0].probability == 0.03  # "almost certainly not": almost no chance that they are lifted


def test_accept_without_author_or_date_uses_an_unnamed_author_and_today(ledger, doc_file: Path):
    doc_id = import_document(ledger, doc_file, today=TODAY, now=NOW).document_id
    [qid] = accept_candidates(ledger, doc_id, ["47-87"], today=TODAY, now=NOW)
    [forecast] = question_detail(ledger, qid, today=TODAY).forecasts
    assert forecast.analyst == 'Author of "Outlook for Veska" (unnamed)'
    assert forecast.made_on == TODAY


def test_accept_is_all_or_nothing_and_never_twice(ledger, doc_file: Path):
    doc_id = import_document(ledger, doc_file, today=TODAY, now=NOW).document_id
    with pytest.raises(NotFoundError, match="'1-5' is not a candidate"):
        accept_candidates(ledger, doc_id, ["47-87", "1-5"], today=TODAY, now=NOW)
    assert _count(ledger, "questions") == 0
    [qid] = accept_candidates(ledger, doc_id, ["47-87", "47-87"], today=TODAY, now=NOW)
    with pytest.raises(ValidationError, match=f"already question {qid[:8]}"):
        accept_candidates(ledger, doc_id, ["88-153", "47-87"], today=TODAY, now=NOW)
    assert _count(ledger, "questions") == 1
    with pytest.raises(ValidationError, match="no candidate given"):
        accept_candidates(ledger, doc_id, [" "], today=TODAY, now=NOW)


def test_the_starting_ledger_sentences_count_as_accepted(seeded_ledger):
    from forecastapp.core.documents import accepted_questions

    seed_doc = "f35d162f-9f5b-5750-8f59-ec4a1c282e6f"
    found = document_candidates(seeded_ledger, seed_doc, today=TODAY)
    accepted = accepted_questions(seeded_ledger, seed_doc)
    # "The United States is likely to ..." (474-630) holds the seed question eb0b7891 (excerpt 474-533).
    assert accepted["474-630"].startswith("eb0b7891")
    assert {c.id for c in found} >= {"474-630", "1759-1845"}
