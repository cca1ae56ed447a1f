"""The README documents every command, so users learn about what exists."""

from __future__ import annotations

from pathlib import Path

from forecastapp.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    missing = [name for name in cli.commands if f"forecastapp {name}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_readme_test_command_is_what_ci_runs():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    assert command in README and command in ci
