"""Measure the desktop app on a large ledger: launch time against a bare PySide6 window, the worst
event-loop stall while scrolling and searching, and peak memory.

    python bench/bench_gui.py --db PATH      # a ledger from bench/make_ledger.py

Prints the figures; the last line is `ratio: X` (app first paint / bare window first paint).
Stalls are the longest gaps of a 5 ms heartbeat timer on the GUI thread; the same heartbeat over an
idle bare window, measured just before, gives the machine's own noise floor (on a busy or virtual
machine the process is sometimes not run for tens of milliseconds, whatever it does).
Runs under the offscreen platform unless a display is set.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BARE_WINDOW = r"""
import sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"first-paint-ms: {(time.perf_counter() - t0) * 1000:.0f}", flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False

app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1200, 800)
painted = Painted()
window.installEventFilter(painted)
window.show()
app.exec()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _launch_ms(cmd: list[str]) -> float:
    """Wall time from spawning the process to its first-paint line (includes interpreter start)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=_env())
    assert proc.stdout is not None
    for line in proc.stdout:
        if re.match(r"first-paint-ms: \d+", line):
            elapsed = (time.perf_counter() - start) * 1000
            proc.wait(timeout=60)
            return elapsed
    proc.wait(timeout=60)
    raise SystemExit(f"no first-paint-ms line from: {' '.join(cmd)} (exit {proc.returncode})")


def compile_package() -> None:
    """Write forecastapp's bytecode caches first, as `pip install` does for an installed app.

    In an editable checkout with PYTHONDONTWRITEBYTECODE set (as on some CI machines), every
    launch would otherwise compile the edited modules from source, which no user's launch does.
    """
    import compileall

    import forecastapp

    compileall.compile_dir(str(Path(forecastapp.__file__).parent), quiet=1)


def measure_launch(db: Path, runs: int) -> tuple[float, float]:
    """Median launch time of the bare window and of `forecastapp gui --exit-after-paint`.

    The two kinds alternate, so a burst of load on the machine slows both alike instead of
    landing on one of them.
    """
    bare: list[float] = []
    app: list[float] = []
    for _ in range(runs):
        bare.append(_launch_ms([sys.executable, "-c", BARE_WINDOW]))
        app.append(_launch_ms([sys.executable, "-m", "forecastapp", "--db", str(db), "gui", "--exit-after-paint"]))
    return statistics.median(bare), statistics.median(app)


class Heartbeat:
    """A 5 ms timer on the GUI thread; the longest gap between two beats, less the period, is the worst stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.worst = 0.0
        #: The GUI thread's own CPU time during the worst gap: the rest of the gap it was waiting
        #: (for the GIL, for a core, or for the host of a virtual machine).
        self.worst_cpu = 0.0
        self.gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = self._clock.elapsed()
        self._last_cpu = time.thread_time()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = self._clock.elapsed()
        cpu = time.thread_time()
        gap = max(0.0, now - self._last - 5)  # the timer's own 5 ms period is not a stall
        self.gaps.append(gap)
        if gap > self.worst:
            self.worst = gap
            self.worst_cpu = (cpu - self._last_cpu) * 1000
        self._last = now
        self._last_cpu = cpu

    def start(self) -> None:
        """Begin measuring now."""
        self._last = self._clock.elapsed()
        self._last_cpu = time.thread_time()
        self._timer.start()

    def stop(self) -> None:
        """Stop measuring."""
        self._timer.stop()

    def percentile(self, q: float) -> float:
        """The q-th percentile of the gaps (0 when nothing was measured)."""
        if not self.gaps:
            return 0.0
        ordered = sorted(self.gaps)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def _run_steps(app, steps: list, *, step_ms: int = 30) -> None:
    """Run each step `step_ms` apart on the event loop, then quit it."""
    from PySide6.QtCore import QTimer

    def run_step() -> None:
        if steps:
            steps.pop(0)()
            QTimer.singleShot(step_ms, run_step)
        else:
            QTimer.singleShot(300, app.quit)

    QTimer.singleShot(200, run_step)
    app.exec()


def measure_idle(n_steps: int) -> float:
    """Worst stall of an idle bare window over as long as the interaction takes: this machine's noise floor.

    A heartbeat also stalls when the operating system (or, on a virtual machine, the host) does not
    run the process for a moment, whatever the app does. Measured in the same process, just before
    the interaction, with the same timer, it says how much of a stall is the machine's.
    """
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1200, 800)
    window.show()
    app.processEvents()
    beat = Heartbeat()
    beat.start()
    _run_steps(app, [lambda: None] * n_steps)
    beat.stop()
    window.close()
    return beat.worst


#: How many steps `interaction_steps` scripts (60 scrolls down, 8 searches with 10 pauses each, 60 up).
INTERACTION_STEPS = 60 + 8 * 11 + 60


def interaction_steps(table, search) -> list:
    """The scripted session: scroll down the table, type and clear searches, scroll back up."""
    steps: list = []
    bar = table.verticalScrollBar()
    for i in range(60):
        steps.append(lambda i=i: bar.setValue(int(bar.maximum() * i / 59)))
    for word in ("k", "ki", "kim", "kim j", "", "russ", "russia", ""):
        steps.append(lambda w=word: search.setText(w))
        steps.extend([lambda: None] * 10)  # let the debounce fire and the query run
    for i in range(60):
        steps.append(lambda i=i: bar.setValue(int(bar.maximum() * (59 - i) / 59)))
    return steps


def measure_interaction(db: Path) -> tuple[Heartbeat, float]:
    """The heartbeat over scripted scrolling and searching (its stalls in ms), and the peak RSS in MB."""
    os.environ.update({k: v for k, v in _env().items() if k == "QT_QPA_PLATFORM"})
    from PySide6.QtWidgets import QApplication, QLineEdit, QTableView

    from forecastapp.app import create_main_window

    app = QApplication.instance() or QApplication(sys.argv)
    window = create_main_window(db)
    window.show()
    app.processEvents()
    table = window.findChild(QTableView, "forecastTable")
    search = window.findChild(QLineEdit, "searchField")
    if table is None or search is None:
        raise SystemExit("forecastTable or searchField not found")
    steps = interaction_steps(table, search)
    beat = Heartbeat()
    beat.start()
    _run_steps(app, steps)
    beat.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    return beat, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path, help="ledger database (from bench/make_ledger.py)")
    parser.add_argument("--runs", type=int, default=3, help="launches of each kind (median is reported)")
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(f"no database at {args.db}")
    compile_package()
    bare_ms, app_ms = measure_launch(args.db, args.runs)
    print(f"bare window first paint: {bare_ms:.0f} ms (median of {args.runs}, process start included)")
    print(f"forecastapp first paint: {app_ms:.0f} ms (median of {args.runs}, process start included)")
    os.environ.update({k: v for k, v in _env().items() if k == "QT_QPA_PLATFORM"})
    idle_ms = measure_idle(INTERACTION_STEPS)
    beat, peak_mb = measure_interaction(args.db)
    print(f"worst event-loop stall while scrolling and searching: {beat.worst:.0f} ms "
          f"(the GUI thread on a core for {beat.worst_cpu:.0f} ms of it; 99th percentile of all gaps "
          f"{beat.percentile(99):.0f} ms)")
    print(f"worst stall of an idle bare window over the same time (this machine's noise floor): {idle_ms:.0f} ms")
    print(f"peak resident memory (interaction run): {peak_mb:.0f} MB")
    print(f"ratio: {app_ms / bare_ms:.2f}")


if __name__ == "__main__":
    main()
