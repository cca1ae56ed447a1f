"""The `forecastapp` command line: the same ledger operations as the desktop app, for scripting.

Commands call the core only. A user error prints one line on stderr and exits with status 2,
with the database unchanged.

The package: `group` (the click group and its error handling), `session` (the typed state each
command reads, and the options every family shares), `output` (tables, terminal-safe text, UserError),
and one module per command family: `start` (init, gui), `writes`, `reading`, `transfer`, `scoring`
and `documents`. Everything heavy (sqlite-utils, Qt) is imported inside the commands, so
`forecastapp list` starts fast.
"""

from __future__ import annotations

import sys

from forecastapp.cli import documents, reading, scoring, start, transfer, writes
from forecastapp.cli.group import cli
from forecastapp.cli.output import UserError

__all__ = ["UserError", "cli", "main"]

for _command in (
    start.init, start.gui,
    writes.add, writes.update, writes.resolve, writes.correct, writes.unresolve, writes.retract, writes.delete,
    writes.restore, writes.edit,
    reading.list_, reading.show,
    transfer.export_, transfer.import_, transfer.merge, transfer.conflicts, transfer.settle,
    scoring.verify, scoring.scorecard,
    documents.document,
):
    cli.add_command(_command)
del _command


def main() -> None:
    """Console entry point."""
    try:
        cli()
    except BrokenPipeError:
        # `forecastapp list | head`: the reader left; that is not an error worth a message.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
