"""Where an export or a scorecard goes: a link's target (the link kept), a pipe, stdout or a device written
directly, a folder refused; whole or not at all, and every writer of the app goes through one function."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from forecastapp.core import files
from forecastapp.core.errors import StoreError, ValidationError

WRITERS = [["export"], ["export", "--format", "fatebook"], ["scorecard", "--format", "json", "--output"],
           ["scorecard", "--format", "md", "--output"]]


def _run(command: list[str], target: str, run_cli, seeded_path):
    args = [*command, target] if command[0] == "export" else [*command, target]
    if command[0] == "export" and len(command) > 1:
        args = ["export", target, *command[1:]]
    return run_cli(*args, db=seeded_path)


@pytest.mark.parametrize("command", WRITERS)
def test_a_symlinked_output_writes_its_target_and_stays_a_link(run_cli, seeded_path, tmp_path, command):
    real = tmp_path / "real" / "out.txt"
    real.parent.mkdir()
    real.write_text("old content")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    code, _, err = _run(command, str(link), run_cli, seeded_path)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() != "old content" and len(real.read_text()) > 100
    assert oct(real.stat().st_mode & 0o777) == oct(0o640)  # the file keeps its permissions
    assert not list(real.parent.glob("*.part")) and not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("command", WRITERS)
def test_a_dash_writes_to_standard_output(run_cli, seeded_path, tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(command, "-", run_cli, seeded_path)
    assert code == 0, err
    assert len(out) > 100 and not (tmp_path / "-").exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("ledger.db")] == []
    if command[0] == "export" and len(command) == 1:
        assert json.loads(out)["format"] == "forecastapp-ledger/1"
    if command[-2:] == ["md", "--output"]:
        assert "data:image/svg+xml" in out  # no folder for a chart file: the chart is inline


@pytest.mark.parametrize("command", WRITERS)
def test_a_named_pipe_is_written_not_replaced(run_cli, seeded_path, tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = _run(command, str(fifo), run_cli, seeded_path)
    reader.join(30)
    assert code == 0, err
    assert fifo.is_fifo() and len(got[0]) > 100
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "ledger.db") == ["pipe"]


def test_a_pipe_nobody_reads_is_given_up_in_one_line(run_cli, seeded_path, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "PIPE_WAIT_S", 0.3)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run_cli("export", str(fifo), db=seeded_path)
    assert code == 2 and err == f"Error: no program is reading the named pipe '{fifo}' (waited 0.3 s); nothing was written\n"


@pytest.mark.parametrize("command", WRITERS)
def test_a_directory_is_refused_in_one_line(run_cli, seeded_path, tmp_path, command):
    folder = tmp_path / "folder"
    folder.mkdir()
    code, out, err = _run(command, str(folder), run_cli, seeded_path)
    assert code == 2 and err == f"Error: '{folder}' is a folder; name a file to write\n"
    assert list(folder.iterdir()) == []


def _full_device(tmp_path: Path) -> Path:
    """A device that is always full. As root, a /dev/full twin made in the test's folder: code that replaced
    its output path would turn the machine's own /dev/full into a regular file (it did, before this fix)."""
    if os.geteuid() != 0:
        if not Path("/dev/full").is_char_device():
            pytest.skip("needs /dev/full")
        return Path("/dev/full")
    twin = tmp_path / "full"
    try:
        os.mknod(twin, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except OSError:
        pytest.skip("cannot make a device node here")
    return twin


@pytest.mark.parametrize("command", WRITERS)
def test_a_full_device_is_a_one_line_error_and_stays_a_device(command, seeded_path, tmp_path):
    full = _full_device(tmp_path)
    args = ["export", str(full), *command[1:]] if command[0] == "export" else [*command, str(full)]
    result = subprocess.run([sys.executable, "-m", "forecastapp.cli", "--db", str(seeded_path), *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.endswith(f"Error: cannot write '{full}': No space left on device\n")
    assert result.stderr.count("Error") == 1 and full.is_char_device()


def test_a_link_to_standard_output_is_written_directly(seeded_path, tmp_path):
    """What /dev/stdout is (a link to /proc/self/fd/1), made in the test's folder for the same reason."""
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("needs /proc")
    out = tmp_path / "stdout"
    out.symlink_to("/proc/self/fd/1")
    result = subprocess.run([sys.executable, "-m", "forecastapp.cli", "--db", str(seeded_path), "export", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["format"] == "forecastapp-ledger/1"
    assert out.is_symlink()


@pytest.mark.parametrize("args", [["export", ""], ["scorecard", "--output", ""]])
def test_an_empty_output_name_is_one_line(run_cli, seeded_path, args):
    code, _, err = run_cli(*args, db=seeded_path)
    assert code == 2
    assert err == "Error: no output file name given (an empty argument); name a file, or - for standard output\n"


def test_write_output_is_whole_or_nothing_and_a_cancel_leaves_the_old_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")

    def cancel():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files.write_output(target, "new", before_replace=cancel)
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]
    with pytest.raises(ValidationError):
        files.write_output("", "x")
    with pytest.raises(StoreError, match="nothing was written"):
        files.write_output(tmp_path / "missing" / "x.json", "x")


def test_every_file_writer_goes_through_write_output():
    """No other module renames a temporary file over an output (grep for the old pattern)."""
    src = Path(files.__file__).parent.parent
    offenders = []
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "files.py" and re.search(r"\.part\b|os\.replace\(|\.replace\(target\)|\.exporting", text):
            offenders.append(path.name)
    assert offenders == []
