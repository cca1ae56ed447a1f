"""The status bar's permanent figures: question counts, the mean Brier, and the ledger's integrity state.

The integrity check re-computes the hash chain in a child process (`operations/integrity.py` says why)
right after the first paint and after every reload; its state also tells the Scorecard tab whether
to warn, through `integrity_changed`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QLabel, QMainWindow
from shiboken6 import isValid

from forecastapp.core.numbers import format_score
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.widgets import look

if TYPE_CHECKING:
    from forecastapp.ui.operations.integrity import IntegrityState


def _label(name: str, accessible: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setAccessibleName(accessible)
    return label


class StatusBar(QObject):
    """Fills the window's status bar and runs the integrity check behind its last figure."""

    #: The integrity state the window shows changed (an IntegrityState, or None while unknown).
    integrity_changed = Signal(object)

    def __init__(self, window: QMainWindow, service: LedgerService, *, background: bool) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._background = background
        self._mean_brier: float | None = None
        self._integrity: IntegrityState | None = None
        self._task = None
        bar = window.statusBar()
        bar.setObjectName("statusBar")
        self.counts_label = _label("statusCounts", "Question counts")
        self.brier_label = _label("statusBrier", "Mean Brier score")
        self.integrity_label = _label("statusIntegrity", "Ledger integrity")
        for label in (self.brier_label, self.integrity_label):
            label.setContentsMargins(10, 0, 4, 0)  # apart from the counts, which end without a separator
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.brier_label)
        bar.addPermanentWidget(self.integrity_label)
        self.set_mean_brier(None)
        self._show_integrity("Integrity: not checked yet", "The hash chain is checked right after start-up.")

    # ------------------------------------------------------------ counts and the mean Brier

    def show_counts(self, counts: dict[str, int]) -> None:
        """Show how many live questions are open, due, resolved and annulled."""
        self.counts_label.setText(
            f"Open {counts.get('open', 0):,}  ·  Due {counts.get('due', 0):,}  ·  "
            f"Resolved {counts.get('resolved', 0):,}  ·  Annulled {counts.get('annulled', 0):,}"
        )
        due = counts.get("due", 0)
        self.counts_label.setToolTip(
            f"{due:,} open question{'s are' if due != 1 else ' is'} past the resolve-by date" if due
            else "No question is past its resolve-by date"
        )

    def set_mean_brier(self, value: float | None) -> None:
        """Show the scorecard's overall (unfiltered) mean Brier; None shows a dash."""
        self._mean_brier = value
        self.brier_label.setText(f"Mean Brier {format_score(value)}")
        self.brier_label.setToolTip(
            "Mean Brier score over every scored question-analyst pair, 0-1 scale, lower is better "
            "(the Scorecard tab's overall figure without filters)" if value is not None
            else "No resolved question is scored yet"
        )

    @property
    def mean_brier(self) -> float | None:
        """The mean Brier shown (None while unknown or when nothing is scored)."""
        return self._mean_brier

    # ------------------------------------------------------------ integrity (the hash chain)

    @property
    def integrity(self) -> IntegrityState | None:
        """The last integrity check's state, or None while it runs or before it ran."""
        return self._integrity

    def forget_integrity(self) -> None:
        """Another ledger is open: the last state was the old one's."""
        self._integrity = None
        self.integrity_changed.emit(None)

    def _show_integrity(self, text: str, tip: str, *, broken: bool = False) -> None:
        self.integrity_label.setText(text)
        self.integrity_label.setToolTip(tip)
        self.integrity_label.setAccessibleDescription(tip)
        colour = look.tone("error", self._window.palette()).name() if broken else ""
        self.integrity_label.setStyleSheet(f"color: {colour}; font-weight: bold" if broken else "")

    def check_integrity(self):
        """Re-compute the ledger's hash chain off the GUI thread (a child process); returns the task or None."""
        from forecastapp.ui.operations import integrity

        if self._task is not None and self._task.running:
            self._task.cancel()
        self._integrity = None
        path = self._service.path
        self._show_integrity("Integrity: verifying…", "Re-computing the ledger's hash chain (forecastapp verify).")
        if not self._background:
            self._apply_integrity(path, integrity.verify_file(path))
            return None
        from forecastapp.ui.operations.tasks import BackgroundTask, read_pool

        task = BackgroundTask(lambda ctx: integrity.verify_in_child(path, ctx))
        task.finished.connect(lambda state: isValid(self) and self._apply_integrity(path, state))
        task.failed.connect(lambda message: isValid(self) and path == self._service.path and self._show_integrity(
            "Integrity: not checked", f"The check could not run: {message}"))
        task.done.connect(task.deleteLater)
        self._task = task
        return task.start(read_pool())

    @Slot()
    def stop_integrity_check(self) -> None:
        """Cancel a running integrity check (its child process is killed within a 0.1 s poll)."""
        if self._task is not None and self._task.running:
            self._task.cancel()

    def restyle(self) -> None:
        """Show the integrity state again in the palette's colours."""
        if self._integrity is not None:
            self._apply_integrity(self._service.path, self._integrity)

    def _apply_integrity(self, path: Path, state: IntegrityState) -> None:
        if path != self._service.path:
            return  # answered for a database the window has left
        self._integrity = state
        self.integrity_changed.emit(state)
        if state.ok:
            self._show_integrity(
                "Integrity: verified",
                f"Every history record matches the hash chain ({state.checked:,} records).\n{state.summary}")
        else:
            # No record position: the chain holds but a stored score or state does not follow from it.
            headline = (f"Integrity: broken at record {state.broken_at:,}" if state.broken_at is not None
                        else "Integrity: stored scores do not match the history")
            self._show_integrity(
                headline,
                f"{state.summary}\nRun \u201cforecastapp verify\u201d for details; docs/RELIABILITY.md explains the "
                "chain.", broken=True)
