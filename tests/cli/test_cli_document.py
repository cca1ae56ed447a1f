"""`forecastapp document import / candidates / accept` end to end on a temporary database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TEXT = (
    "Outlook for Veska\n\n"
    "Kim visited Moscow in 2023. The regime is likely to survive by 2030.\n"
    "If the talks fail, sanctions will almost certainly not be lifted.\n"
)
KEYS = {"id", "sentence", "start", "end", "terms", "probability", "negated", "condition", "resolve_by", "reason"}


@pytest.fixture(autouse=True)
def _empty_ledger(run_cli):
    """Start without the starting ledger, so `list` shows only what these tests add."""
    assert run_cli("init", "--empty")[0] == 0


def _write(tmp_path: Path, text: str = TEXT, name: str = "veska.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_prints_the_id_alone_then_a_summary_and_twice_adds_nothing(run_cli, tmp_path):
    path = _write(tmp_path)
    code, out, err = run_cli("document", "import", str(path), "--author", "Ann Lee", "--published", "2024-01-15")
    assert code == 0, err
    lines = out.splitlines()
    doc_id = lines[0]
    assert len(doc_id) == 36 and doc_id.count("-") == 4
    assert lines[1] == 'Imported "Outlook for Veska": 4 sentences, 2 candidate forecasts (2 strong, 0 moderate, 0 weak).'

    code, out, err = run_cli("document", "import", str(path), "--title", "Again")
    assert code == 0, err
    assert out.splitlines()[0] == doc_id
    assert "Already in the ledger" in out and "nothing was added" in out
    assert len(json.loads(run_cli("document", "candidates", doc_id[:8], "--format", "json")[1])) == 2


def test_candidates_json_and_table(run_cli, tmp_path):
    doc_id = run_cli("document", "import", str(_write(tmp_path)), "--published", "2024-01-15")[1].splitlines()[0]
    code, out, err = run_cli("document", "candidates", doc_id, "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["47-87", "88-153"]
    assert all(KEYS <= set(r) for r in rows)
    first, second = rows
    assert first["sentence"] == TEXT[47:87] and (first["start"], first["end"]) == (47, 87)
    assert (first["terms"], first["probability"], first["negated"], first["resolve_by"]) == (
        ["likely"], 0.675, False, "2030-12-31")
    assert (second["probability"], second["negated"], second["condition"]) == (0.03, True, "the talks fail")
    assert '"almost certainly"' in second["reason"]
    # With no time words the default horizon (24 months from publication, or --horizon) applies.
    table = run_cli("document", "candidates", doc_id[:6], "--horizon", "6")[1]
    assert "47-87" in table and "88-153" in table and "2024-07-15" in table


def test_accept_turns_candidates_into_questions_by_the_author(run_cli, tmp_path):
    doc_id = run_cli("document", "import", str(_write(tmp_path)), "--author", "Ann Lee",
                     "--published", "2024-01-15")[1].splitlines()[0]
    code, out, err = run_cli("document", "accept", doc_id[:8], "47-87", "88-153")
    assert code == 0, err
    ids = out.split()
    assert len(ids) == 2 and all(len(i) == 36 for i in ids)
    rows = {r["id"]: r for r in json.loads(run_cli("list", "--format", "json")[1])}
    assert set(rows) == set(ids)
    first = rows[ids[0]]
    assert first["latest"] == {"Ann Lee": 0.675}
    assert first["estimative_term"] == "likely"
    assert (first["excerpt"], first["excerpt_start"], first["excerpt_end"]) == (TEXT[47:87], 47, 87)
    assert first["statement"] == "The regime will survive by 2030"
    assert rows[ids[1]]["condition"] == "the talks fail"
    detail = json.loads(run_cli("show", ids[0], "--format", "json")[1])
    assert detail["forecasts"][0]["made_on"] == "2024-01-15"
    assert detail["document_title"] == "Outlook for Veska"
    listed = json.loads(run_cli("document", "candidates", doc_id, "--format", "json")[1])
    assert [r["accepted_as"] for r in listed] == ids


def test_accept_refuses_twice_and_unknown_candidates_with_one_line(run_cli, tmp_path):
    doc_id = run_cli("document", "import", str(_write(tmp_path)))[1].splitlines()[0]
    assert run_cli("document", "accept", doc_id, "47-87")[0] == 0
    code, out, err = run_cli("document", "accept", doc_id, "47-87")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "already question" in err
    code, out, err = run_cli("document", "accept", doc_id, "88-153", "9-99")
    assert code == 2 and "'9-99' is not a candidate" in err
    assert len(json.loads(run_cli("list", "--format", "json")[1])) == 1
    code, _, err = run_cli("document", "accept", "0000", "47-87")
    assert code == 2 and "no document" in err


def test_unreadable_files_are_refused_and_nothing_is_stored(run_cli, tmp_path):
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"\x00\x01\x02\x03")
    word = tmp_path / "report.docx"
    word.write_bytes(b"PK\x03\x04")
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    for path, message in ((binary, "binary"), (word, "Word document"), (empty, "empty")):
        code, out, err = run_cli("document", "import", str(path))
        assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
    code, _, err = run_cli("document", "import", str(tmp_path / "missing.txt"))
    assert code == 2 and "does not exist" in err
    import sqlite3

    with sqlite3.connect(tmp_path / "ledger.db") as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_a_bad_published_date_is_refused(run_cli, tmp_path):
    code, out, err = run_cli("document", "import", str(_write(tmp_path)), "--published", "03/04/2024")
    assert code == 2 and "ambiguous" in err


def test_the_document_command_does_not_load_qt():
    import subprocess
    import sys

    code = (
        "import sys\nfrom forecastapp.cli import cli\n"
        "assert 'document' in cli.commands\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'forecastapp.core.detect'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_text_from_a_pipe_is_read_once_and_whole(run_cli, tmp_path):
    # `forecastapp document import <(curl ...)`: a pipe can be read once, so nothing may look at it first.
    import os
    import threading

    pipe = tmp_path / "stream"
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("w", encoding="utf-8") as fh:
            fh.write(TEXT)

    def knock() -> None:
        # Were the pipe opened a second time, that open would wait for a writer forever: give it one
        # that writes nothing, so the test fails instead of hanging.
        try:
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass  # no reader waiting: the import is over

    writer = threading.Thread(target=feed, daemon=True)
    rescue = threading.Timer(10, knock)
    writer.start()
    rescue.start()
    try:
        code, out, err = run_cli("document", "import", str(pipe), "--published", "2024-01-15")
    finally:
        rescue.cancel()
    writer.join(timeout=10)
    assert code == 0, err
    assert out.splitlines()[1] == (
        'Imported "Outlook for Veska": 4 sentences, 2 candidate forecasts (2 strong, 0 moderate, 0 weak).')


def test_a_pdf_without_qt_pdf_gets_one_line_and_stores_nothing(run_cli, tmp_path, monkeypatch):
    # A server with PySide6 but without the system libraries QtPdf needs fails to import it.
    import sqlite3
    import sys

    monkeypatch.setitem(sys.modules, "PySide6.QtPdf", None)
    path = tmp_path / "brief.txt"  # a PDF by its bytes, whatever its name says
    path.write_bytes(b"%PDF-1.7\n")
    code, out, err = run_cli("document", "import", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("Error: 'brief.txt' is a PDF, and reading a PDF needs Qt's PDF module")
    with sqlite3.connect(tmp_path / "ledger.db") as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
