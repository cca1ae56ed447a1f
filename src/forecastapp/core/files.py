"""Files the user names: every output is written by `write_output`, every input read by `read_input`.

Output, by what the path names (RELIABILITY.md, "Files you name"):

- a regular file, or nothing yet: written whole or not at all, to a temporary file beside it that is
  then renamed over it; an existing file keeps its permissions;
- a symbolic link: its target is written that way, and the link stays a link;
- `-`: standard output;
- a named pipe or a character device (`/dev/stdout`, a terminal, `/dev/null`): written directly,
  since there is no file to replace (a pipe nobody reads is given up after `PIPE_WAIT_S`);
- a folder, a block device or a socket: refused in one line, nothing written.

Input (`read_input`): read once, never more than a stated limit, and never waiting forever on a pipe.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from forecastapp.core.errors import ImportFormatError, StoreError, ValidationError

#: How an output path names standard output.
STDOUT = "-"
#: How long a named pipe may stay without a reader (output) or a writer (input) before forecastapp gives up.
PIPE_WAIT_S = 10.0


def _shown(path: str | os.PathLike[str]) -> str:
    return "standard output" if str(path) == STDOUT else f"'{path}'"


def _kind(path: str | os.PathLike[str]) -> os.stat_result | None:
    """What the path names, following links; None when nothing is there (or a dangling link)."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot write {_shown(path)}: {exc.strerror or exc}; nothing was written") from None


def is_stream(path: str | os.PathLike[str]) -> bool:
    """Whether an output path is written directly (standard output, a named pipe, a character device)."""
    if str(path) == STDOUT:
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def write_output(
    path: str | os.PathLike[str], data: str | bytes, *, before_replace: Callable[[], None] | None = None
) -> None:
    """Write `data` (text is UTF-8, line ends as given) to the path the user named (module docstring).

    `before_replace` runs once the whole content is on disk and before it takes the target's place (a
    cancel check); an exception from it leaves the target as it was. Raises StoreError or
    ValidationError with one line.
    """
    if not str(path):
        raise ValidationError("no output file name given; name a file, or - for standard output")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if str(path) == STDOUT:
        if before_replace is not None:
            before_replace()
        _write_stdout(raw)
        return
    found = _kind(path)
    if found is not None:
        mode = found.st_mode
        if stat.S_ISDIR(mode):
            raise ValidationError(f"'{path}' is a folder; name a file to write")
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
            if before_replace is not None:
                before_replace()
            opener = (lambda: _open_pipe_for_writing(path)) if stat.S_ISFIFO(mode) else (
                lambda: os.open(path, os.O_WRONLY))
            _write_stream(path, opener, raw)
            return
        if not stat.S_ISREG(mode):
            raise ValidationError(f"'{path}' is a device or socket, not a file; name a file to write")
    _write_replacing(Path(path), raw, found, before_replace)


def _write_stdout(raw: bytes) -> None:
    out = getattr(sys.stdout, "buffer", None)
    try:
        sys.stdout.flush()
        if out is None:
            sys.stdout.write(raw.decode("utf-8"))
        else:
            out.write(raw)
            out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise StoreError(f"cannot write standard output: {exc.strerror or exc}") from None


def _open_pipe_for_writing(path: str | os.PathLike[str]) -> int:
    """A named pipe opened for writing once some program reads it; refused after PIPE_WAIT_S without one."""
    deadline = time.monotonic() + PIPE_WAIT_S
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: nobody has the pipe open for reading yet
                raise
            if time.monotonic() >= deadline:
                raise StoreError(f"no program is reading the named pipe '{path}' (waited {PIPE_WAIT_S:g} s); "
                                 "nothing was written") from None
            time.sleep(0.05)
            continue
        os.set_blocking(fd, True)
        return fd


def _write_stream(path: str | os.PathLike[str], opener: Callable[[], int], raw: bytes) -> None:
    try:
        fd = opener()
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise StoreError(f"cannot write {_shown(path)}: {exc.strerror or exc}") from None


def _write_replacing(
    path: Path, raw: bytes, found: os.stat_result | None, before_replace: Callable[[], None] | None
) -> None:
    """Write a temporary file beside the target (a link's target), then rename it over the target."""
    # realpath follows every link in a chain, a dangling one to where it points: the link itself stays.
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    tmp = target.with_name(f"{target.name}.{secrets.token_hex(4)}.part")
    try:
        # 0o666 less the umask for a new file, as any program creating it would; an existing one keeps its mode.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            if found is not None:
                os.chmod(fd, stat.S_IMODE(found.st_mode))
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write '{path}': {exc.strerror or exc}; nothing was written") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- input

#: The largest file forecastapp reads whole (a ledger export, another tracker's export, a spreadsheet, a JSON
#: file for verify). A ledger export of 200,000 forecasts is about 80 MB. Documents have their own, smaller
#: limit (documents.MAX_DOCUMENT_BYTES).
MAX_INPUT_BYTES = 256 * 1024 * 1024
#: How long a pipe that has started sending may then stay silent before forecastapp gives up on it.
PIPE_IDLE_S = 60.0
_CHUNK = 1024 * 1024


def _size_text(limit: int) -> str:
    mb = 1024 * 1024
    return f"{limit // mb} MB" if limit >= mb and limit % mb == 0 else f"{limit:,} bytes"


def read_input(path: str | os.PathLike[str], *, limit: int | None = None, advice: str = "") -> bytes:
    """The bytes of a file the user named, read once and never more than `limit` (+1 to tell it is over).

    A regular file is refused by its size before it is read. A named pipe, a process substitution or a
    device (which report no size and may never end) is read as it arrives: refused once it passes the
    limit, or when no program writes to it within `PIPE_WAIT_S`, or when it falls silent for `PIPE_IDLE_S`.
    Raises ImportFormatError with one line.
    """
    limit = MAX_INPUT_BYTES if limit is None else limit
    shown = f"'{Path(path).name or path}'"
    too_big = f"{shown} is over {_size_text(limit)}, the limit" + (f"; {advice}" if advice else "")
    try:
        found = os.stat(path)
    except FileNotFoundError:
        raise ImportFormatError(f"{shown} does not exist; check the path") from None
    except OSError as exc:
        raise ImportFormatError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(found.st_mode):
        raise ImportFormatError(f"{shown} is a folder; give a file")
    try:
        if stat.S_ISREG(found.st_mode):
            if found.st_size > limit:
                raise ImportFormatError(too_big)
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
        else:
            data = _read_stream(path, shown, limit)
    except OSError as exc:
        raise ImportFormatError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ImportFormatError(too_big)
    return data


def _read_stream(path: str | os.PathLike[str], shown: str, limit: int) -> bytes:
    """Read a pipe or device without ever blocking: poll, with the waits of `read_input`."""
    import select

    # Opening a pipe for reading without O_NONBLOCK waits until some program opens it for writing.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLHUP)
        chunks: list[bytes] = []
        total = 0
        started = False
        while total <= limit:
            wait = PIPE_IDLE_S if started else PIPE_WAIT_S
            if not poller.poll(wait * 1000):
                if started:
                    raise ImportFormatError(f"{shown} sent nothing more for {wait:g} s; nothing was imported")
                raise ImportFormatError(f"nothing is writing to {shown} (waited {wait:g} s); nothing was imported")
            try:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            except BlockingIOError:
                continue
            if not chunk:
                break  # the writer closed its end: that is all there is
            started = True
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


@contextlib.contextmanager
def spooled(path: str | os.PathLike[str], *, limit: int | None = None) -> Iterator[Path]:
    """The path itself for a regular file or a folder; for a pipe or a device, a regular file holding what it sent.

    Readers that look at a file twice (its head to recognise the format, then the whole) would get nothing
    the second time from a pipe (`import <(cat file.csv)`); this reads it once (`read_input`) into a file of
    the same name in a temporary folder, removed afterwards, so messages still name the input.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError:
        yield path  # the reader says what is wrong with it
        return
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        yield path
        return
    data = read_input(path, limit=limit)
    with tempfile.TemporaryDirectory(prefix="forecastapp-") as folder:
        copy = Path(folder) / (path.name or "input")
        copy.write_bytes(data)
        yield copy
