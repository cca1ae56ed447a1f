"""Shared fixtures. Every test gets its own temporary database; nothing touches the user's files."""

from __future__ import annotations

import os

# Qt tests run without a display; setdefault lets a developer unset it to watch the windows.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
from datetime import date, datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session", autouse=True)
def _isolate_session(tmp_path_factory):
    """The same for session- and module-wide fixtures (the template ledgers), which run before any test's own:
    a ledger they create must not be noted in the user's list of known ledgers (store.remember_ledger)."""
    home = tmp_path_factory.mktemp("session-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(home / "data"))
        patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
        yield


@pytest.fixture(autouse=True)
def _isolate_environment(tmp_path_factory, monkeypatch):
    """Keep tests away from the user's ledger and settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("FORECASTAPP_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where this test's ledger file lives (a file: WAL and the real pragmas need one)."""
    return tmp_path / "ledger.db"


@pytest.fixture
def ledger(db_path: Path):
    """An empty, migrated ledger (no starting ledger)."""
    from forecastapp.core.store import open_ledger

    db = open_ledger(db_path, seed=False)
    yield db
    db.close()


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory) -> Path:
    from forecastapp.core.store import open_ledger

    path = tmp_path_factory.mktemp("template") / "seeded.db"
    db = open_ledger(path, seed=True)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def seeded_path(_seeded_template: Path, db_path: Path) -> Path:
    """A copy of a once-built ledger holding the starting ledger."""
    shutil.copyfile(_seeded_template, db_path)
    return db_path


@pytest.fixture
def seeded_ledger(seeded_path: Path):
    """An open ledger holding the starting ledger (a fresh copy per test)."""
    from forecastapp.core.store import open_ledger

    db = open_ledger(seeded_path)
    yield db
    db.close()


@pytest.fixture
def run_cli(db_path: Path):
    """Run the CLI in-process against this test's database: returns (exit_code, stdout, stderr)."""
    from forecastapp.cli import cli

    def run(*args: str, db: Path | None = None, input: str | None = None):
        runner = CliRunner()
        result = runner.invoke(cli, ["--db", str(db or db_path), *args], obj={}, input=input,
                               catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return run
