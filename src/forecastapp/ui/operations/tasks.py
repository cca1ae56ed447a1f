"""Run long ledger work (import, export, later scoring) off the GUI thread.

`run_in_background(work)` queues `work(context)` on a single-thread QThreadPool, so database
writes never run two at a time (Anki's taskman serialises them the same way); reads go to
`read_pool()`. The work function
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

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal

from forecastapp.core.errors import ForecastError

log = logging.getLogger(__name__)

_POOL: QThreadPool | None = None
_READ_POOL: QThreadPool | None = None
_LIVE: set[BackgroundTask] = set()  # tasks queued or running


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
        self._relay.finished.connect(self._on_finished, queued)
        self._relay.failed.connect(self._on_failed, queued)
        self._relay.cancelled.connect(self._on_cancelled, queued)
        self._runner = _Runner(work, self.context, self._relay)
        self._runner.setAutoDelete(False)  # Python keeps it alive; Qt must not delete it under us
        self.running = False

    # The outcome first, then `done`, then (on a later turn of the event loop) the task lets go of
    # itself: letting go inside these slots could delete the object while its signal is emitting.
    def _on_finished(self, result: object) -> None:
        self.running = False
        self.finished.emit(result)
        self._finish()

    def _on_failed(self, message: str) -> None:
        self.running = False
        self.failed.emit(message)
        self._finish()

    def _on_cancelled(self) -> None:
        self.running = False
        self.cancelled.emit()
        self._finish()

    def _finish(self) -> None:
        self.done.emit()
        QTimer.singleShot(0, lambda: _LIVE.discard(self))

    def start(self, pool: QThreadPool | None = None) -> BackgroundTask:
        """Queue the work; returns self for chaining."""
        self.running = True
        # Kept alive here, not by a Qt parent: a parent deleted mid-run (a closed window, a
        # collected model) must not take the task, its relay and its runnable with it.
        _LIVE.add(self)
        (pool or database_pool()).start(self._runner)
        return self

    def cancel(self) -> None:
        """Ask the work to stop (it rolls back whatever it had not committed)."""
        self.context.cancel()



def database_pool() -> QThreadPool:
    """The single-thread pool for database writes (one writer at a time, in submission order)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setObjectName("databasePool")
        _POOL.setMaxThreadCount(1)
    return _POOL


def read_pool() -> QThreadPool:
    """A small pool for reads (key lists, row blocks, counts): WAL lets readers run beside a writer,
    so a long import never holds up scrolling, and a slow count never holds up a row block."""
    global _READ_POOL
    if _READ_POOL is None:
        _READ_POOL = QThreadPool()
        _READ_POOL.setObjectName("readPool")
        _READ_POOL.setMaxThreadCount(3)
    return _READ_POOL


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
