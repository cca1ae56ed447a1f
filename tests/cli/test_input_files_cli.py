"""Files given to import, merge, verify and document import: read once, never beyond a stated limit, and a
pipe nobody writes to is given up in one line instead of hanging the command."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from forecastapp.core import files

FORMATS = ["ledger", "fatebook", "predictionbook", "csv"]
FATEBOOK = Path(__file__).parents[1] / "data" / "formats"


def _one_line(code: int, err: str) -> None:
    assert code == 2 and err.startswith("Error: ") and err.count("\n") == 1, err


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 1024 * 1024)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_endless_device_is_refused_at_the_limit(run_cli, seeded_path, small_limit, fmt):
    before = seeded_path.read_bytes()
    code, _, err = run_cli("import", "/dev/zero", "--format", fmt, db=seeded_path)
    _one_line(code, err)
    assert err == "Error: 'zero' is over 1 MB, the limit\n"
    assert seeded_path.read_bytes() == before


@pytest.mark.parametrize("args", [["merge", "/dev/zero"], ["merge", "/dev/urandom"], ["verify", "--ledger", "/dev/zero"],
                                  ["verify", "--scorecard", "/dev/urandom"]])
def test_merge_and_verify_refuse_an_endless_device(run_cli, seeded_path, small_limit, args):
    code, _, err = run_cli(*args, db=seeded_path)
    _one_line(code, err)
    assert "is over 1 MB, the limit" in err


def test_the_real_limit_holds_against_dev_zero(run_cli, seeded_path):
    """No MemoryError: the read stops one byte past MAX_INPUT_BYTES."""
    code, _, err = run_cli("import", "/dev/zero", "--format", "ledger", db=seeded_path)
    assert err == f"Error: 'zero' is over {files.MAX_INPUT_BYTES // 2**20} MB, the limit\n" and code == 2


def test_a_regular_file_over_the_limit_is_refused_by_its_size(run_cli, seeded_path, small_limit, tmp_path):
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(2 * 1024 * 1024)
    code, _, err = run_cli("import", str(big), "--format", "ledger", db=seeded_path)
    assert code == 2 and err == "Error: 'big.json' is over 1 MB, the limit\n"


def _pipe_with(data: bytes) -> str:
    """A pipe already holding `data` (what `<(cat file)` gives a command): its /dev/fd path."""
    read_end, write_end = os.pipe()

    def feed():
        with os.fdopen(write_end, "wb") as fh:
            fh.write(data)

    threading.Thread(target=feed, daemon=True).start()
    return f"/dev/fd/{read_end}"


def test_a_spreadsheet_through_a_pipe_is_read_once(run_cli, seeded_path):
    sheet = b"statement,probability,date\nWill the pipe hold?,70%,2026-03-01\nWill it rain?,0.2,2026-03-02\n"
    code, out, err = run_cli("import", _pipe_with(sheet), "--format", "csv", "--analyst", "Ann", db=seeded_path)
    assert code == 0, err
    assert "2 questions, 2 forecasts" in out


def test_a_fatebook_export_through_a_pipe_is_read_once(run_cli, seeded_path, tmp_path):
    export = tmp_path / "fb.csv"
    assert run_cli("export", str(export), "--format", "fatebook", db=seeded_path)[0] == 0
    target = tmp_path / "target.db"
    assert run_cli("init", "--empty", db=target)[0] == 0
    code, out, err = run_cli("import", _pipe_with(export.read_bytes()), db=target)
    assert code == 0, err
    assert "19 questions" in out


def test_a_ledger_export_merged_through_a_pipe_is_read_once(run_cli, seeded_path, tmp_path):
    export = tmp_path / "e.json"
    assert run_cli("export", str(export), db=seeded_path)[0] == 0
    target = tmp_path / "target.db"
    assert run_cli("init", "--empty", db=target)[0] == 0
    code, out, err = run_cli("merge", _pipe_with(export.read_bytes()), db=target)
    assert code == 0, err
    code, out, _ = run_cli("list", "--format", "json", db=target)
    assert len(json.loads(out)) == 19


def test_a_ledger_database_merged_through_a_pipe_is_read_once(run_cli, seeded_path, tmp_path):
    target = tmp_path / "target.db"
    assert run_cli("init", "--empty", db=target)[0] == 0
    code, out, err = run_cli("merge", _pipe_with(seeded_path.read_bytes()), db=target)
    assert code == 0, err
    assert len(json.loads(run_cli("list", "--format", "json", db=target)[1])) == 19


@pytest.mark.parametrize("args", [["import", "{}"], ["import", "{}", "--format", "csv"], ["merge", "{}"],
                                  ["verify", "--ledger", "{}"], ["verify", "--scorecard", "{}"],
                                  ["document", "import", "{}"]])
def test_a_pipe_nobody_writes_to_is_given_up_in_one_line(run_cli, seeded_path, tmp_path, monkeypatch, args):
    monkeypatch.setattr(files, "PIPE_WAIT_S", 0.3)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    before = seeded_path.read_bytes()
    code, _, err = run_cli(*[a.replace("{}", str(fifo)) for a in args], db=seeded_path)
    assert code == 2 and err == "Error: nothing is writing to 'pipe' (waited 0.3 s); nothing was imported\n"
    assert seeded_path.read_bytes() == before
