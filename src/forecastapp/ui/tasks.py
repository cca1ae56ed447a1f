"""Run long ledger work (import, export, later scoring) off the GUI thread.

`run_in_background(work)` queues `work(context)` on a single-thread QThreadPool, so database
tasks never run two at a time (Anki's taskman serialises them the same way). The work function
must not touch widgets; it opens its own connection (`store.open_ledger(path, seed=False)`),
because an sqlite connection belongs to the thread that uses it. It reports progress and notices
cancellation through the `TaskContext` it receives. The returned `BackgroundTask` lives on the
GUI thread and re-emits the outcome there: `finished(result)`, `failed(message)`, `cancelled()`,
and `progress(done, total)` on the way.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from forecastapp.core.errors import ForecastError

log = logging.getLogger(__name__)

_POOL: QThreadPool | None = None


class Cancelled(Exception):
    """Raised inside a task when the user pressed Cancel; the task's transaction rolls back."""


class TaskContext:
    """What a background function gets: progress reporting and the cancel flag (no Qt needed)."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()

    def report(self, done: int, total: int) -> None:
        """Tell the GUI how far the work is; raises Cancelled if the user cancelled meanwhile."""
        self._relay.progress.emit(int(done), int(total))
        self.check()

    def check(self) -> None:
        """Raise Cancelled if the user cancelled."""
        if self._cancel.is_set():
            raise Cancelled()

    @property
    def cancelled(self) -> bool:
        """Whether the user asked to stop."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report or check."""
        self._cancel.set()


class _Relay(QObject):
    """Signals emitted from the worker thread; queued across to the BackgroundTask on the GUI thread."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Runner(QRunnable):
    def __init__(self, work: Callable[[TaskContext], Any], context: TaskContext, relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._context = context
        self._relay = relay

    def run(self) -> None:
        try:
            self._context.check()
            result = self._work(self._context)
            # A cancel that arrives after the last check is too late to undo; report success honestly.
        except Cancelled:
            self._relay.cancelled.emit()
        except ForecastError as exc:
            self._relay.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - a worker must always answer, or the GUI waits forever
            log.error("background task failed:\n%s", traceback.format_exc())
            self._relay.failed.emit(f"unexpected error: {type(exc).__name__}: {exc}")
        else:
            self._relay.finished.emit(result)


class BackgroundTask(QObject):
    """A handle on queued work; its signals arrive on the GUI thread."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    #: Emitted once after finished, failed or cancelled.
    done = Signal()

    def __init__(self, work: Callable[[TaskContext], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay()
        self.context = TaskContext(self._relay)
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.progress.connect(self.progress, queued)
        self._relay.finished.connect(self.finished, queued)
        self._relay.failed.connect(self.failed, queued)
        self._relay.cancelled.connect(self.cancelled, queued)
        for signal in (self.finished, self.failed, self.cancelled):
            signal.connect(self.done)
        self._runner = _Runner(work, self.context, self._relay)
        self._runner.setAutoDelete(False)  # Python keeps it alive; Qt must not delete it under us
        self.running = False
        self.done.connect(self._on_done)

    def start(self, pool: QThreadPool | None = None) -> BackgroundTask:
        """Queue the work; returns self for chaining."""
        self.running = True
        (pool or database_pool()).start(self._runner)
        return self

    def cancel(self) -> None:
        """Ask the work to stop (it rolls back whatever it had not committed)."""
        self.context.cancel()

    def _on_done(self) -> None:
        self.running = False


def database_pool() -> QThreadPool:
    """The single-thread pool for database work (one writer at a time, in submission order)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setObjectName("databasePool")
        _POOL.setMaxThreadCount(1)
    return _POOL


def run_in_background(
    work: Callable[[TaskContext], Any],
    *,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    parent: QObject | None = None,
) -> BackgroundTask:
    """Run `work(context)` off the GUI thread and call back on the GUI thread; returns the handle."""
    task = BackgroundTask(work, parent)
    if on_done:
        task.finished.connect(on_done)
    if on_error:
        task.failed.connect(on_error)
    if on_progress:
        task.progress.connect(on_progress)
    if on_cancelled:
        task.cancelled.connect(on_cancelled)
    return task.start()
