"""`forecastapp` opens the desktop app without the command-line module only when that is all it is asked."""

from __future__ import annotations

import pytest

from forecastapp.launch import gui_request


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (None, False)),
        (["gui"], (None, False)),
        (["gui", "--exit-after-paint"], (None, True)),
        (["--db", "ledger.db", "gui"], ("ledger.db", False)),
        (["--db=ledger.db", "gui", "--exit-after-paint"], ("ledger.db", True)),
        (["--db", "ledger.db"], ("ledger.db", False)),
    ],
)
def test_plain_app_launches_skip_the_command_line(args, expected):
    assert gui_request(args) == expected


@pytest.mark.parametrize(
    "args",
    [["--help"], ["gui", "--help"], ["--version"], ["list"], ["--db", "x.db", "list"], ["--db"], ["--db", "--help"],
     ["--db=", "gui"], ["gui", "extra"]],
)
def test_anything_else_goes_through_click(args):
    assert gui_request(args) is None
