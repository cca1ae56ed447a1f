"""Open a ledger database: connection settings, schema migrations, and the write transaction.

Every caller (CLI, GUI worker threads, bench scripts, tests) opens the ledger through
`open_ledger`, so the pragmas and the "made by a newer version" guard are applied everywhere.

sqlite-utils and the migrations are imported when a ledger is opened, not when this module is:
the desktop app reads its first screen through `open_reader` (plain sqlite3) and pays for
sqlite-utils (about a quarter of its start-up) after the window has painted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forecastapp.core.errors import StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database

#: How long a writer waits for another process's transaction before giving up (seconds).
BUSY_TIMEOUT_S = 30.0
ENV_VAR = "FORECASTAPP_DB"
APP_NAME = "forecastapp"
SQLITE_MAGIC = b"SQLite format 3\x00"
#: The file name of the per-user default database (in the platform's user data folder).
DEFAULT_DB_NAME = "forecasts.db"

#: The sqlite-utils migration set of the ledger (core/migrations.py) and its migrations, in order.
#: Kept here as plain data so the schema check of `open_reader` needs no sqlite-utils; a test
#: keeps it equal to the migrations module.
MIGRATION_SET = "forecastapp"
MIGRATION_NAMES = (
    "0001_initial", "0002_scorecard_indexes", "0003_hash_chain", "0005_merge_conflicts", "0006_backdated_pairs",
    "0008_question_record",
    "0009_hindsight_and_imports",
)


def default_db_path() -> Path:
    """The database used when neither --db nor FORECASTAPP_DB is given (per-user data directory)."""
    import platformdirs  # here: the desktop app opened with --db never needs it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DEFAULT_DB_NAME


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> Path:
    """Pick the database: an explicit path, else $FORECASTAPP_DB, else the per-user default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_db_path()


def _existing(path: Path) -> os.stat_result | None:
    """What is at `path` (following links), found without opening it; None if nothing is there.

    Only a regular file can be a ledger. A named pipe would block every command that opened it
    until some program wrote to it, so it is refused here, before anything opens it.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read '{path}': {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(f"'{path}' is a folder, not a database file")
    if stat.S_ISFIFO(st.st_mode):
        raise StoreError(f"'{path}' is a named pipe (FIFO), not a database file; give the ledger's .db file")
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(f"'{path}' is a device or socket, not a database file; give the ledger's .db file")
    return st


def _sqlite_open(path: Path, *, read_only: bool) -> tuple[sqlite3.Connection, bool]:
    """A connection to an existing file, through SQLite only (never Python's open(): see `connect`).

    When the WAL index (`-shm`) cannot be created, as on a read-only file system, the file is opened
    immutable instead, read-only; unless a write-ahead log with content lies beside it, which such an
    open would not read (so its last writes would be missing): that is refused in one line.
    """
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(uri + ("?mode=ro" if read_only else "?mode=rw"), uri=True, timeout=BUSY_TIMEOUT_S,
                           check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn, False
    except sqlite3.OperationalError as exc:
        conn.close()
        if "unable to open" not in str(exc):
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(f"cannot open '{path}': its write-ahead log cannot be read here (a read-only disk?); "
                         "open it once where it can be written")
    conn = sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        conn.close()
        raise
    return conn, True


@dataclasses.dataclass(frozen=True)
class _Found:
    """What `inspect_file` found at a path, decided before anything in the file is changed."""

    new: bool  # nothing there, or an empty file
    applied: tuple[str, ...]  # the forecastapp migrations applied, in order
    has_tables: bool


def inspect_file(path: Path) -> _Found:
    """Decide what a file is (new, a ledger, a ledger of a newer version, another program's database, not
    SQLite at all) through a read-only connection, so that a file that is not ours is left byte-identical."""
    st = _existing(path)
    if st is None or st.st_size == 0:
        return _Found(new=True, applied=(), has_tables=False)
    try:
        conn, _immutable = _sqlite_open(path, read_only=True)
    except sqlite3.DatabaseError as exc:
        raise _unusable(path, exc) from None
    try:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        applied: tuple[str, ...] = ()
        if "_sqlite_migrations" in tables:
            applied = tuple(name for (name,) in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET]
            ))
    except sqlite3.DatabaseError as exc:
        raise _unusable(path, exc) from None
    finally:
        conn.close()
    found = _Found(new=False, applied=applied, has_tables=bool(tables))
    check_schema(path, found.applied)
    if not found.applied and found.has_tables:
        raise StoreError(f"'{path}' is an SQLite database but not a forecastapp ledger; it was left untouched")
    return found


def _unusable(path: Path, exc: sqlite3.Error) -> StoreError:
    if "not a database" in str(exc):
        return StoreError(f"'{path}' is not a forecastapp database (not an SQLite file); it was left untouched")
    return StoreError(f"'{path}' cannot be used as a database: {exc}")


def check_schema(path: Path, applied: Iterable[str]) -> None:
    """Refuse a ledger made by a newer forecastapp (a migration this version does not know)."""
    unknown = [name for name in applied if name not in MIGRATION_NAMES]
    if unknown:
        raise StoreError(
            f"'{path}' was made by a newer version of forecastapp (schema {unknown[-1]}); upgrade forecastapp to open it"
        )


def connect(path: Path) -> Database:
    """Open one connection with the ledger's pragmas, without migrating or checking the schema.

    The file is never opened with Python's own open() while this process may hold an SQLite
    connection to it: closing any descriptor of a file drops every POSIX lock the process holds on
    it, SQLite's included. Another program that then closed its connection would take itself for the
    last one, fold the write-ahead log in and delete it under this process's readers ("database disk
    image is malformed", and every later open in the process failing).
    """
    immutable = False
    try:
        if _existing(path) is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        else:
            conn, immutable = _sqlite_open(path, read_only=False)
    except sqlite3.DatabaseError as exc:
        raise _unusable(path, exc) from None
    except OSError as exc:
        raise StoreError(f"cannot open database '{path}': {exc.strerror or exc}") from None
    from sqlite_utils import Database

    from forecastapp.core.integrity import register_functions

    db = Database(conn, execute_plugins=False)
    # The hash chain's triggers call this function; a connection without it cannot write history.
    register_functions(conn)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # foreign_keys is a no-op inside a transaction, so it is set before anything else runs.
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" and not immutable and not _read_only(path):
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _unusable(path, exc) from None
    _remember_file(db, path)
    return db


def _read_only(path: Path) -> bool:
    return path.exists() and not os.access(path, os.W_OK)


def known_migration_names() -> list[str]:
    """Names of the migrations this version of forecastapp knows, in order."""
    from forecastapp.core.migrations import migrations

    return [m.name for m in migrations._migrations]


class Reader:
    """A plain sqlite3 connection that answers the read queries of `core.queries` (`execute`, `query`).

    `core.queries` asks a connection for two things only: `execute(sql, params)` and
    `query(sql, params)` yielding each row as a dict. This class gives both without sqlite-utils,
    so the desktop app can show its first screen before that library has loaded.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Any = None) -> sqlite3.Cursor:
        """Run one statement and return its cursor."""
        return self.conn.execute(sql, params if params is not None else ())

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        """Run a SELECT and yield each row as a dict keyed by column name."""
        cursor = self.execute(sql, params)
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row))

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def connect_reader(path: str | os.PathLike[str]) -> Reader:
    """A plain read connection to a ledger already opened with `open_ledger` (no schema check).

    For threads that only read (the GUI's key lists, rows and counts): it needs no sqlite-utils
    and no migrations. Raises StoreError when the file cannot be opened.
    """
    path = Path(path)
    try:
        # mode=rw: a file that has gone is an error here, never a new empty database.
        uri = path.resolve().as_uri() + "?mode=rw"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    except (OSError, ValueError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open database '{path}': {exc}") from None
    return Reader(conn)


def open_reader(path: str | os.PathLike[str]) -> Reader | None:
    """A read connection to an existing ledger whose schema is current, or None.

    None means `open_ledger` has work to do or something to refuse (a new or empty file, pending
    migrations, a newer schema, a file that is not a ledger, an unreadable file): the caller opens
    the ledger in full and gets its message. A ledger this returns a reader for opens with
    `open_ledger` without any change to the file.
    """
    path = Path(path)
    try:
        found = _existing(path)
        if found is None or found.st_size == 0:
            return None
        reader = connect_reader(path)
    except (OSError, StoreError):
        return None
    try:
        applied = tuple(
            name for (name,) in reader.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET]
            )
        )
        journal = reader.execute("PRAGMA journal_mode").fetchone()[0]
    except sqlite3.Error:
        reader.close()
        return None
    # A ledger not yet in WAL mode is switched by `open_ledger`; let it do that first.
    if applied != MIGRATION_NAMES or journal != "wal":
        reader.close()
        return None
    return reader


def open_ledger(path: str | os.PathLike[str], *, seed: bool = True, create: bool = False) -> Database:
    """Open (creating if needed) and migrate a ledger; a brand-new ledger gets the starting ledger.

    What the file is gets decided first, through a read-only connection (`inspect_file`): another
    program's database, a file that is not SQLite and a ledger of a newer version are refused before
    anything in them is changed (not even the journal mode).

    :param seed: load the document's starting ledger into a database created by this call.
    :param create: the user asked for a new ledger here (`init`, the app's New database). Without it,
        a missing ledger at a path where forecastapp made one before is refused, not silently
        started again (`was_ledger`).
    """
    path = Path(path)
    found = inspect_file(path)
    is_new = found.new
    if is_new and not create:
        gone = was_ledger(path)
        if gone:
            raise StoreError(
                f"the ledger '{path}' is gone ({gone}); forecastapp will not start a new one there without being "
                f"asked: restore the file, or run `forecastapp --db {path} init` to start a new ledger"
            )
    db = connect(path)
    from forecastapp.core.migrations import migrations

    try:
        applied = [m.name for m in migrations.applied(db)]
        # Checked again on this connection: the file may have changed since it was inspected.
        check_schema(path, applied)
        if not is_new and not applied and db.table_names():
            raise StoreError(f"'{path}' is an SQLite database but not a forecastapp ledger; it was left untouched")
    except sqlite3.DatabaseError as exc:
        db.close()
        raise StoreError(f"'{path}' cannot be used as a database: {exc}") from None
    except StoreError:
        db.close()
        raise
    pending = migrations.pending(db)
    if pending:
        if applied:
            _backup_before_migrating(path, applied[-1])
        try:
            # All pending migrations in one transaction: if any fails, the file keeps its old schema
            # and data exactly (the backup is a second line of defence, not the first).
            with writing(db):
                migrations.apply(db)
        except (sqlite3.Error, StoreError) as exc:
            db.close()
            raise StoreError(f"could not upgrade '{path}': {exc}; the database was left as it was") from None
        except BaseException:
            db.close()
            raise
    if is_new:
        _remember_file(db, path)
        remember_ledger(path)
        if seed:
            from forecastapp.core.seed import load_starting_ledger

            load_starting_ledger(db)
    return db


# ---------------------------------------------------------------- a ledger that disappears

#: The per-user list of ledgers forecastapp created (one absolute path a line), beside the default ledger.
KNOWN_LEDGERS_NAME = "known-ledgers.txt"


def known_ledgers_path() -> Path:
    """Where the list of ledgers this user's forecastapp created is kept."""
    return default_db_path().with_name(KNOWN_LEDGERS_NAME)


def _key(path: Path) -> str:
    return str(path.expanduser().resolve())


def remember_ledger(path: Path) -> None:
    """Note that forecastapp created a ledger at `path` (best effort: a list that cannot be written is skipped)."""
    key = _key(path)
    if "\n" in key or key in _known():
        return
    target = known_ledgers_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # One write with O_APPEND: two processes adding at once do not interleave their lines.
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (key + "\n").encode("utf-8", "surrogateescape"))
        finally:
            os.close(fd)
    except OSError:
        pass


def _known() -> set[str]:
    try:
        data = known_ledgers_path().read_bytes()
    except OSError:
        return set()
    return set(data.decode("utf-8", "surrogateescape").splitlines())


def was_ledger(path: Path) -> str | None:
    """Why a missing or empty file at `path` was a ledger a moment ago (None: nothing says so).

    Evidence: forecastapp created a ledger at this path (the per-user list), or SQLite's side files
    or a pre-migration backup of a ledger of that name still lie beside it.
    """
    if _key(path) in _known():
        return "forecastapp created a ledger at this path"
    for suffix in ("-wal", "-shm", "-journal"):
        if path.with_name(path.name + suffix).exists():
            return f"its {suffix[1:]} file is still beside it"
    if any(path.parent.glob(f"{glob_escape(path.name)}.*.bak")):
        return "a backup of it is beside it"
    return None


def glob_escape(name: str) -> str:
    """A file name with glob's special characters made literal."""
    import glob

    return glob.escape(name)


def _remember_file(db: Database, path: Path) -> None:
    """Keep which file (device and inode) this connection writes, to notice it being deleted or replaced."""
    try:
        st = path.stat()
    except OSError:
        return
    db._forecastapp_file = (path, st.st_dev, st.st_ino)  # type: ignore[attr-defined]


def check_file_still_there(db: Database) -> None:
    """Raise StoreError if the ledger file this connection wrote to was deleted or replaced meanwhile.

    The committed records then live only in the old file, which this process still holds open: they
    are copied to a rescue file beside the path, and the message names it.
    """
    kept = getattr(db, "_forecastapp_file", None)
    if kept is None:
        return
    path, dev, ino = kept
    try:
        st = path.stat()
        if (st.st_dev, st.st_ino) == (dev, ino):
            return
        what = "replaced by another file"
    except FileNotFoundError:
        what = "deleted"
    except OSError:
        return
    rescue = _rescue(db, path)
    saved = f"what it held, this action included, was saved to '{rescue}'" if rescue else "what it held is lost"
    raise StoreError(f"the ledger '{path}' was {what} while this action was written; {saved}")


def _rescue(db: Database, path: Path) -> Path | None:
    from datetime import datetime

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    rescue = path.with_name(f"{path.name}.rescued-{stamp}-{os.getpid()}.db")
    try:
        target = sqlite3.connect(str(rescue))
        try:
            db.conn.backup(target)
        finally:
            target.close()
    except (sqlite3.Error, OSError):
        return None
    return rescue


def _backup_before_migrating(path: Path, version: str) -> Path:
    """Copy the database next to itself before changing its schema (Vorta's lesson)."""
    backup = path.with_name(f"{path.name}.{version}.bak")
    copy_database(path, backup)
    return backup


@contextlib.contextmanager
def writing(db: Database) -> Iterator[Database]:
    """One user action, one transaction: BEGIN IMMEDIATE so a second writer waits instead of failing.

    A deferred transaction that reads and then writes can fail at once with "database is locked"
    when another process got in first; taking the write lock up front lets the busy timeout work.
    Nested use becomes a savepoint.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise StoreError(explain_sqlite_error(exc)) from None
    try:
        yield db
    except sqlite3.OperationalError as exc:
        # Disk full, read-only file or a lock mid-action: roll the whole action back and say so in
        # one line, for the GUI as for the CLI.
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise StoreError(explain_sqlite_error(exc)) from None
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise StoreError(explain_sqlite_error(exc)) from None
    # A commit into a file that was deleted (or replaced) meanwhile succeeds, into a file nobody will
    # open again: say so instead of reporting success.
    check_file_still_there(db)


def explain_sqlite_error(exc: sqlite3.Error) -> str:
    """Turn SQLite's terse errors into a sentence a user can act on."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return "the database is busy in another program; nothing was changed, try again"
    if "readonly" in text or "read-only" in text:
        return "the database file is read-only; nothing was changed"
    if "full" in text:
        return "the disk is full; nothing was changed"
    return f"database error: {text}; nothing was changed"


def is_ledger_file(path: Path, ledger: Path) -> bool:
    """Whether `path` is the ledger file at `ledger` or one of its SQLite side files (-wal, -shm, -journal).

    Reading such a file as another ledger merges the ledger into itself; writing over one destroys
    the ledger. `samefile` also catches a hard link or another spelling on a case-insensitive disk. A
    path that cannot be looked at is not the ledger: opening it will say what is wrong.
    """
    own = [ledger, *(ledger.with_name(ledger.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]
    try:
        target = path.resolve()
        return any(target == p.resolve() or (path.exists() and p.exists() and path.samefile(p)) for p in own)
    except (OSError, RuntimeError):
        return False


def copy_database(src: Path, dst: Path) -> None:
    """Copy a ledger file consistently (through SQLite's backup API, WAL included)."""
    if dst.exists():
        os.remove(dst)
    s = sqlite3.connect(str(src))
    try:
        d = sqlite3.connect(str(dst))
        with d:
            s.backup(d)
        d.close()
    finally:
        s.close()


def schema_sql(db: Database) -> str:
    """The schema as SQL text (tables, indexes, triggers, views), in a stable order, for db/schema.sql."""
    rows = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'questions_fts_%' ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1"
        " WHEN 'index' THEN 2 ELSE 3 END, name"
    ).fetchall()
    return "".join(f"{sql.strip()};\n\n" for _, _, sql in rows).rstrip() + "\n"
