"""The File menu's work: open, create and reopen ledgers; import and export; files dropped on the window.

Imports and exports run through `operations/` on a worker thread with a cancellable progress dialog
(`_start_task`); one runs at a time. Opening another ledger goes through `open_database`, after which
the window resets what belonged to the old one (`MainWindow.database_opened`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Slot
from PySide6.QtWidgets import QMenu
from shiboken6 import isValid

from forecastapp.core.errors import ForecastError
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.settings import K_LAST_DB, K_LAST_DIR, K_RECENT, K_SCORECARD_FORMAT, MAX_RECENT, settings_list

#: The scorecard export's save-dialog filters: (format, filter text, file extensions it accepts).
# The reports people send first, the files for tools after (issue 14, item 7).
SCORECARD_EXPORTS = (
    ("pdf", "PDF (*.pdf)", (".pdf",)),
    ("html", "HTML (*.html)", (".html", ".htm")),
    ("md", "Markdown (*.md)", (".md", ".markdown")),
    ("csv", "CSV (*.csv)", (".csv",)),
    ("json", "JSON (*.json)", (".json",)),
)
SCORECARD_FILTERS = ";;".join(text for _fmt, text, _ext in SCORECARD_EXPORTS)
FORMAT_NAMES = {"json": "JSON", "csv": "CSV", "md": "Markdown", "html": "HTML", "pdf": "PDF"}
#: Files a drop on the window opens in the import dialog. A ledger database (.db) is not among them:
#: dropped, it could as well mean "open this one", so merging one stays an explicit menu choice.
IMPORT_DROP_SUFFIXES = (".csv", ".json")


def scorecard_target(path: str, selected_filter: str) -> tuple[Path, str]:
    """The file and format a scorecard save dialog's answer means.

    A known extension picks the format; otherwise the chosen filter does, and its extension is added.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    for fmt, _text, extensions in SCORECARD_EXPORTS:
        if suffix in extensions:
            return target, fmt
    json_export = next(e for e in SCORECARD_EXPORTS if e[0] == "json")  # an unknown filter: the lossless one
    chosen = next((e for e in SCORECARD_EXPORTS if e[1] == selected_filter), json_export)
    fmt, _text, extensions = chosen
    return target.with_name(target.name + extensions[0]), fmt


class FileActions(QObject):
    """Databases, imports, exports and drops for one main window."""

    def __init__(self, window, service: LedgerService, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._settings = settings
        self.task = None  # the running (or last) import or export
        self.progress = None  # its QProgressDialog

    def dialog_dir(self) -> str:
        """Where file dialogs open: the last folder used, else the user's documents folder (never the hidden
        application data folder the default ledger lives in), else the home folder."""
        last = self._settings.value(K_LAST_DIR)
        if last and Path(str(last)).is_dir():
            return str(last)
        from PySide6.QtCore import QStandardPaths

        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return documents if documents and Path(documents).is_dir() else str(Path.home())

    # ------------------------------------------------------------ databases

    @Slot()
    def open_database_dialog(self) -> None:
        """Ctrl+O: choose a ledger file and open it."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self._window, "Open database", self.dialog_dir(),
                                              "forecastapp ledgers (*.db *.sqlite *.sqlite3);;All files (*)")
        if path:
            self.open_database(Path(path))

    @Slot()
    def new_database_dialog(self) -> None:
        """Create an empty ledger at a chosen path and open it."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self._window, "New database", self.dialog_dir(),
                                              "forecastapp ledgers (*.db)")
        if not path:
            return
        target = Path(path)
        if target.suffix == "":
            target = target.with_suffix(".db")
        if target.exists() and target.stat().st_size > 0:
            self._window.show_error("Database exists", f"'{target}' already exists; use Open database to open it")
            return
        self.open_database(target, seed=False, create=True)

    def open_database(self, path: Path, *, seed: bool = True, create: bool = False) -> bool:
        """Switch the window to another ledger (the undo history belongs to the old one and is cleared)."""
        if path == self._service.path:
            return True
        if self.task is not None and self.task.running:
            self._window.show_error("Busy", "an import or export is running; wait for it or cancel it first")
            return False
        try:
            self._service.switch_to(path, seed=seed, create=create)
        except ForecastError as exc:
            self._window.show_error("Cannot open database", str(exc))
            return False
        self._settings.setValue(K_LAST_DIR, str(path.parent))
        self._window.database_opened()
        return True

    def remember_recent(self, path: Path) -> None:
        """Put `path` first in the recent-databases list."""
        recent = [p for p in settings_list(self._settings, K_RECENT) if Path(p) != path]
        recent.insert(0, str(path))
        self._settings.setValue(K_RECENT, recent[:MAX_RECENT])
        self._settings.setValue(K_LAST_DB, str(path))

    def recent_files(self) -> list[str]:
        """The recent-databases list, newest first."""
        return settings_list(self._settings, K_RECENT)

    def fill_recent_menu(self, menu: QMenu) -> None:
        """File > Open recent, as it opens: every recent database but the open one."""
        menu.clear()
        recent = [p for p in self.recent_files() if Path(p) != self._service.path]
        for i, path in enumerate(recent):
            action = menu.addAction(f"&{i + 1} {Path(path).name}  —  {Path(path).parent}")
            action.setObjectName(f"actionRecent{i + 1}")
            action.setData(path)
            action.triggered.connect(lambda _checked=False, p=path: self._open_recent(Path(p)))
        if not recent:
            empty = menu.addAction("(no other databases yet)")
            empty.setEnabled(False)

    def _open_recent(self, path: Path) -> bool:
        """Reopen a database from the recent list; one that has gone is reported and dropped, never made afresh."""
        if not path.is_file():
            # open_database would create (and seed) a new ledger at the old path.
            self._window.show_error(
                "Cannot open database", f"'{path}' is not there any more (moved or deleted?); use Open database to "
                "find it")
            recent = [p for p in self.recent_files() if Path(p) != path]
            self._settings.setValue(K_RECENT, recent)
            return False
        return self.open_database(path)

    # ------------------------------------------------------------ imports

    @Slot()
    def import_ledger_dialog(self):
        """Choose a ledger JSON export or another analyst's ledger database; the import dialog previews it."""
        from PySide6.QtWidgets import QFileDialog

        from forecastapp.ui.dialogs.import_wizard import open_import_dialog

        path, _ = QFileDialog.getOpenFileName(self._window, "Import ledger", self.dialog_dir(),
                                              "forecastapp ledgers (*.json *.db);;All files (*)")
        if not path:
            return None
        return open_import_dialog(self._window, Path(path), fmt="ledger")

    @Slot()
    def import_other_dialog(self):
        """Ctrl+Shift+I: another tracker's export or a hand-kept spreadsheet, mapped and previewed."""
        from forecastapp.ui.dialogs.import_wizard import open_import_dialog

        return open_import_dialog(self._window)

    @Slot()
    def settle_conflicts_dialog(self):
        """Forecast > Settle merge conflicts…: keep ours or take theirs (dialogs/conflicts.py)."""
        from forecastapp.ui.dialogs.conflicts import open_conflicts_dialog

        return open_conflicts_dialog(self._window)

    def import_ledger(self, source: Path):
        """Import the ledger export `source` on a worker thread with a cancellable progress dialog; returns the task.

        No preview: this is for scripts and tests. The menu goes through `import_ledger_dialog`.
        """
        from forecastapp.ui.operations import imports

        db_path, now = self._service.path, self._service.now()
        return self._start_task(
            lambda ctx: imports.import_ledger_file(db_path, source, ctx, now=now), f"Importing {source.name}…",
            done=lambda summary: self._after_import(source, summary),
        )

    def _after_import(self, source: Path, summary: str) -> None:
        # Undo entries refer to records the import may now sit between; they still hold, since
        # undo only appends, so the stack is kept.
        self._window.statusBar().showMessage(f"Imported {source.name}: {summary}", 10000)
        self._window.refresh_after_change(self._window.current_question_id)

    def import_document(self, path: Path | None = None):
        """Ctrl+I or a dropped file: import an assessment and open its review (window/document_import.py)."""
        from forecastapp.ui.window.document_import import DocumentImporter

        importer = DocumentImporter.for_window(self._window)
        return importer.choose_and_import() if path is None else importer.import_file(Path(path))

    def accepts_drop(self, mime) -> bool:
        """Whether a drag carries one assessment (.txt, .md, .pdf, or a format its import explains it cannot
        read) or one file to import (a tracker's export or a spreadsheet, .csv; a ledger export or a tracker's
        JSON)."""
        from forecastapp.ui.window.document_import import dropped_document, dropped_file

        return dropped_document(mime) is not None or dropped_file(mime, IMPORT_DROP_SUFFIXES) is not None

    def drop(self, mime) -> bool:
        """Import a dropped document, as File > Import document does; or preview a dropped export or sheet.
        False when the drop holds neither."""
        from forecastapp.ui.window.document_import import dropped_document, dropped_file

        path = dropped_document(mime)
        if path is not None:
            self.import_document(path)
            return True
        path = dropped_file(mime, IMPORT_DROP_SUFFIXES)
        if path is None:
            return False
        from forecastapp.ui.dialogs.import_wizard import open_import_dialog

        # Straight on from the file: a tracker's export or a ledger export to its preview, a sheet to
        # its columns. Nothing is written before the user presses Import.
        open_import_dialog(self._window, path, fmt="auto")
        return True

    # ------------------------------------------------------------ exports

    @Slot()
    def export_ledger_dialog(self) -> None:
        """Choose where to save the ledger JSON export and write it in the background."""
        from PySide6.QtWidgets import QFileDialog

        suggested = str(Path(self.dialog_dir()) / f"{self._service.path.stem}-export.json")
        path, _ = QFileDialog.getSaveFileName(self._window, "Export ledger", suggested, "Ledger export (*.json)")
        if path:
            self.export_ledger(Path(path))

    def export_ledger(self, target: Path):
        """Export the ledger to `target` on a worker thread with a cancellable progress dialog; returns the task."""
        from forecastapp.ui.operations import exports

        db_path, now = self._service.path, self._service.now()
        return self._start_task(
            lambda ctx: exports.export_ledger_file(db_path, target, ctx, now=now), f"Exporting to {target.name}…",
            done=lambda path: self._window.statusBar().showMessage(f"Exported the ledger to {path}", 8000),
        )

    @Slot()
    def export_scorecard_dialog(self) -> None:
        """Ctrl+E: choose a file; the filter (or the extension typed) picks the format; export in the background."""
        from PySide6.QtWidgets import QFileDialog

        if not self._confirm_export_unverified():
            return
        last = str(self._settings.value(K_SCORECARD_FORMAT) or "")
        _fmt, offered, extensions = next((e for e in SCORECARD_EXPORTS if e[0] == last), SCORECARD_EXPORTS[0])
        suggested = str(Path(self.dialog_dir()) / f"{self._service.path.stem}-scorecard{extensions[0]}")
        path, chosen = QFileDialog.getSaveFileName(self._window, "Export scorecard", suggested, SCORECARD_FILTERS,
                                                   offered)
        if not path:
            return
        target, fmt = scorecard_target(path, chosen)
        self._settings.setValue(K_SCORECARD_FORMAT, fmt)
        self._settings.setValue(K_LAST_DIR, str(target.parent))
        self.export_scorecard(target, fmt)

    def _confirm_export_unverified(self) -> bool:
        """When the integrity check found the ledger changed outside the app, say so before a scorecard leaves it;
        True to go on (the ledger verified, is not checked yet, or the user chose to export anyway)."""
        from PySide6.QtWidgets import QMessageBox

        state = self._window.status.integrity
        if state is None or state.ok:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, "Export scorecard",
                          "This ledger does not verify: its scores may have been changed after they were recorded.",
                          parent=self._window)
        box.setObjectName("exportUnverifiedWarning")
        box.setInformativeText(f"{state.summary}\n\nA JSON, Markdown, HTML or PDF scorecard states that the "
                               "ledger did not verify (a CSV one does not). Run \u201cforecastapp verify\u201d for "
                               "details before you share it.")
        export = box.addButton("Export anyway", QMessageBox.ButtonRole.AcceptRole)
        export.setObjectName("exportAnywayButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is export

    def export_scorecard(self, target: Path, fmt: str):
        """Write the scorecard, with the Scorecard tab's filters, to `target` as `fmt`; returns the task.

        The scorecard is built on a worker thread (its own connection) and the text formats are
        written there too. A PDF is painted on the GUI thread: render/pdf.py lays the report out with
        QTextDocument on a QPdfWriter and draws the chart with QSvgRenderer; Qt allows painting on a
        PDF device in another thread, but it documents no such promise for QTextDocument's layout and
        fonts, and the report lists at most 200 questions, so painting it here is short and safe (0.5 s
        for the 146,500 scored pairs of the 100,000-question bench ledger, whose scoring takes 5 s in the
        worker; the progress dialog stays up meanwhile).
        """
        from forecastapp.ui.operations import exports

        db_path, today, now = self._service.path, self._service.today(), self._service.now()
        filters = self._window.scorecard_view.filters()

        def work(ctx):
            return exports.scorecard_file(db_path, target, fmt, ctx, filters=filters, today=today, now=now)

        def done(result) -> None:
            written = result
            if fmt == "pdf":
                try:
                    written = exports.write_scorecard_pdf(result, target)
                except ForecastError as exc:
                    self._window.show_error("The scorecard was not exported", str(exc))
                    return
            also = f" (chart: {written[1].name})" if len(written) > 1 else ""
            self._window.statusBar().showMessage(
                f"Exported the scorecard ({FORMAT_NAMES[fmt]}) to {written[0]}{also}", 10000)

        return self._start_task(work, f"Exporting the scorecard to {target.name}…", done=done)

    # ------------------------------------------------------------ the background task

    def _start_task(self, work, label: str, *, done):
        from PySide6.QtWidgets import QProgressDialog

        from forecastapp.ui.operations.tasks import run_in_background

        window = self._window
        if self.task is not None and self.task.running:
            window.show_error("Busy", "an import or export is already running")
            return None
        progress = QProgressDialog(label, "Cancel", 0, 0, window)
        progress.setObjectName("progressDialog")
        progress.setAccessibleName(label)
        progress.setWindowTitle("forecastapp")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        # Its outcome signals are queued to this thread, so connecting them below, before control
        # returns to the event loop, cannot miss one.
        task = run_in_background(work)
        progress.canceled.connect(task.cancel)

        def alive() -> bool:
            return isValid(window) and isValid(progress)

        def on_progress(n: int, total: int) -> None:
            if alive():
                progress.setMaximum(total)
                progress.setValue(n)

        def on_done() -> None:
            if alive():
                progress.close()
                progress.deleteLater()
                self._set_busy(False)

        task.progress.connect(on_progress)
        task.finished.connect(lambda result: alive() and done(result))
        task.failed.connect(
            lambda message: alive() and window.show_error("The operation failed; nothing was changed", message))
        task.cancelled.connect(
            lambda: alive() and window.statusBar().showMessage("Cancelled; nothing was changed", 6000))
        task.done.connect(on_done)
        task.done.connect(task.deleteLater)
        self.task = task
        self.progress = progress
        self._set_busy(True)
        return task

    def _set_busy(self, busy: bool) -> None:
        w = self._window
        for action in (w.action_import, w.action_import_other, w.action_export, w.action_export_scorecard,
                       w.action_open_db, w.action_new_db):
            action.setEnabled(not busy)
