"""The figures around the table: status counts, the filter lists and the mean Brier, read in one go
(`operations.rows.read_overview`, on the read pool in the running app) after every change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.operations.rows import Overview


class OverviewReader(QObject):
    """Re-reads the overview on request and says when a new one (for the open ledger) is in."""

    #: A new Overview was read.
    updated = Signal(object)

    def __init__(self, service: LedgerService, parent: QObject, *, background: bool) -> None:
        super().__init__(parent)
        self._service = service
        self._background = background
        self._task = None
        #: The last overview read, or None while unknown (and after another ledger was opened).
        self.overview: Overview | None = None

    def forget(self) -> None:
        """Another ledger is open: the last overview was the old one's."""
        self.overview = None

    def refresh(self) -> None:
        """Re-read the status counts and filter lists (on the read pool when in the background)."""
        service, path = self._service, self._service.path
        if not self._background:
            self._apply(Overview(
                counts=service.status_counts(), tags=service.tags(), analysts=service.analysts(),
                documents=service.documents(), mean_brier=service.mean_brier(),
            ), path)
            return
        from forecastapp.ui.operations.rows import read_overview
        from forecastapp.ui.operations.tasks import BackgroundTask, read_pool

        today = service.today()
        task = BackgroundTask(lambda _ctx: read_overview(path, today=today))
        task.finished.connect(lambda overview: isValid(self) and self._apply(overview, path))
        task.done.connect(task.deleteLater)
        self._task = task
        task.start(read_pool())

    def _apply(self, overview: Overview, path: Path) -> None:
        if path != self._service.path:
            return  # answered for a database the window has left
        self.overview = overview
        self.updated.emit(overview)
