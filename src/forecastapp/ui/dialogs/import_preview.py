"""The import wizard's third page: what the import would add, then the import itself, with progress and Cancel.

The preview is computed on a worker thread and the import runs on the database thread, both through
`ui/operations/tasks.py`; what they read and write goes through `ui/operations/imports.py` (Qt-free).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QProgressBar, QPushButton, QVBoxLayout, QWizardPage
from shiboken6 import isValid

from forecastapp.ui.dialogs.import_pages import page_title
from forecastapp.ui.widgets.fields import ErrorLabel, HintLabel


class PreviewPage(QWizardPage):
    """3. What the import would add, computed on a worker thread; Import (the wizard's Finish) writes it.

    Complete (Import enabled) once a preview found something new and nothing runs. `validatePage`
    starts the import and keeps the wizard open: the page then shows the progress and the result.
    """

    def __init__(self, flow) -> None:
        super().__init__(objectName="importPreviewPage")
        self._flow = flow
        self._preview = None  # the last ImportPreview
        self._preview_task = None
        self._import_task = None
        self._generation = 0  # results of a preview the user has since moved away from are dropped
        self._imported = False  # set once this preview's plan was written
        self.preview_label = QLabel(objectName="importPreview")
        self.preview_label.setAccessibleName("What the import would add")
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy_bar = QProgressBar(objectName="previewBusy")
        self.busy_bar.setAccessibleName("Reading the file")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.skipped_label = QLabel("&Skipped rows and why:")
        self.skipped_list = QListWidget(objectName="skippedList")
        self.skipped_list.setAccessibleName("Skipped rows and why")
        self.skipped_list.setWordWrap(True)
        self.skipped_label.setBuddy(self.skipped_list)
        self.notes_label = HintLabel("importNotes")
        self.notes_label.setAccessibleName("Notes about the file")
        self.progress_bar = QProgressBar(objectName="importProgress")
        self.progress_bar.setAccessibleName("Import progress")
        self.progress_bar.setFormat("%v of %m records")
        self.progress_bar.hide()
        self.result_label = QLabel(objectName="importResult")
        self.result_label.setAccessibleName("What the import did")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_error = ErrorLabel("importError")
        self.settle_button = QPushButton("Settle &conflicts…", objectName="openConflictsButton")
        self.settle_button.setAccessibleName("Settle the conflicts this import flagged")
        self.settle_button.clicked.connect(flow.settle_requested)
        self.settle_button.hide()
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.settle_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("3. Preview, then import (nothing is written before Import)", "importPreviewTitle"))
        for widget in (self.preview_label, self.busy_bar, self.skipped_label):
            layout.addWidget(widget)
        layout.addWidget(self.skipped_list, 1)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.progress_bar)
        layout.addLayout(result_row)
        layout.addWidget(self.result_error)
        # Takes the skipped list's room when a ledger (which has no rows to skip) hides it.
        layout.addStretch(0)
        self._layout = layout

    # ------------------------------------------------------------ the wizard's questions

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Coming from the source or the columns: read the file and compare it with the ledger."""
        flow = self._flow
        mapping = flow.mapping_page.mapping() if flow.source_format == "csv" else None
        self._start_preview(flow.source_path, flow.source_format, mapping)

    def cleanupPage(self) -> None:  # noqa: N802 - Qt override
        """Going back (or closing): a running preview is abandoned, its result ignored."""
        self.abandon_preview()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        """Import is enabled when the preview found something new, nothing runs and nothing was imported yet."""
        preview = self._preview
        return preview is not None and not preview.nothing_new and not self.is_busy() and not self._imported

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        """Import: start writing the plan; the wizard stays open to show the progress and what was done."""
        self.start_import()
        return False

    # ------------------------------------------------------------ state

    @property
    def preview(self):
        """The last ImportPreview (None before one was computed)."""
        return self._preview

    def is_busy(self) -> bool:
        """Whether a preview or an import is running."""
        return any(t is not None and t.running for t in (self._preview_task, self._import_task))

    def importing(self) -> bool:
        """Whether an import is running (Back is disabled and Close reads Cancel meanwhile)."""
        return self._import_task is not None and self._import_task.running

    def cancel_import(self) -> bool:
        """Cancel a running import (it rolls back); whether one was running."""
        if not self.importing():
            return False
        self._import_task.cancel()
        return True

    def skipped_texts(self) -> list[str]:
        """The lines of the skipped-rows list."""
        return [self.skipped_list.item(i).text() for i in range(self.skipped_list.count())]

    def abandon_preview(self) -> None:
        """Stop waiting for a running preview; its result, when it comes, is ignored."""
        self._generation += 1
        if self._preview_task is not None and self._preview_task.running:
            self._preview_task.cancel()
        self.busy_bar.hide()

    def _alive(self) -> bool:
        return isValid(self)

    # ------------------------------------------------------------ preview (worker thread)

    def _start_preview(self, path: Path, fmt: str, mapping) -> None:
        from forecastapp.ui.operations.tasks import run_in_background

        data = self._flow.data
        self._preview = None
        self._imported = False
        self._generation += 1
        generation = self._generation
        source = data.ImportSource(path=path, format=fmt, mapping=mapping)
        service = self._flow.service
        db_path, today, now = service.path, service.today(), service.now()
        self.preview_label.setText(f"Reading {path.name} and comparing it with the ledger…")
        self._show_skipped(fmt not in data.LEDGER_FORMATS)
        self.skipped_list.clear()
        self.notes_label.clear()
        self.result_label.clear()
        self.result_error.show_error(None)
        self.settle_button.hide()
        self.progress_bar.hide()
        self.busy_bar.show()

        def work(ctx):
            if fmt in data.LEDGER_FORMATS:
                return data.prepare_ledger_import(db_path, source, now=now, progress=ctx)
            return data.prepare_import(db_path, source, today=today, progress=ctx)

        self._preview_task = run_in_background(
            work,
            on_done=lambda preview: self._alive() and self._show_preview(generation, preview),
            on_error=lambda message: self._alive() and self._preview_failed(generation, message),
        )
        self.completeChanged.emit()

    def _show_skipped(self, shown: bool) -> None:
        """Show the skipped-rows list, or hide it (a ledger has no rows) and let the stretch below take its room."""
        self.skipped_label.setVisible(shown)
        self.skipped_list.setVisible(shown)
        self._layout.setStretch(self._layout.count() - 1, 0 if shown else 1)

    def _show_preview(self, generation: int, preview) -> None:
        if generation != self._generation:
            return
        self.busy_bar.hide()
        self._preview = preview
        self.preview_label.setText(preview.summary())
        self._show_skipped(not preview.is_ledger)
        self.skipped_list.clear()
        self.skipped_list.addItems(preview.skipped_lines() or ["(none)"])
        self.notes_label.setText("\n".join(f"Note: {n}" for n in preview.notes()))
        self.completeChanged.emit()

    def _preview_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.busy_bar.hide()
        self.preview_label.setText("The file could not be read; nothing was written.")
        self.result_error.show_error(message)
        self.completeChanged.emit()

    # ------------------------------------------------------------ import (database thread)

    @Slot()
    def start_import(self) -> None:
        """Write the previewed plan in one transaction on the database thread, with progress and Cancel."""
        from forecastapp.ui.operations.tasks import run_in_background

        preview = self._preview
        if preview is None or self.is_busy() or preview.nothing_new:
            return
        data, service, path = self._flow.data, self._flow.service, preview.source.path
        db_path, now = service.path, service.now()
        self.result_label.setText(f"Importing {path.name}…")
        self.result_error.show_error(None)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()

        def work(ctx):
            if preview.is_ledger:
                return data.run_ledger_import(db_path, preview.ledger, source=path, fmt=preview.source.format,
                                              now=now, progress=ctx.report)
            return data.run_import(db_path, preview.plan, source=path, now=now, progress=ctx.report)

        self._import_task = run_in_background(
            work,
            on_done=lambda report: self._alive() and self._imported_ok(path, report),
            on_error=lambda message: self._alive() and self._import_failed(message),
            on_progress=lambda done, total: self._alive() and self._on_progress(done, total),
            on_cancelled=lambda: self._alive() and self._import_cancelled(),
        )
        self.completeChanged.emit()

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))

    def _imported_ok(self, path: Path, report) -> None:
        self._imported = True
        self.progress_bar.setValue(self.progress_bar.maximum())
        self.result_label.setText(self._flow.data.import_summary(path, report))
        self.settle_button.setVisible(bool(report.conflicts))
        self.completeChanged.emit()
        if report.added_total() or report.conflicts:
            self._flow.imported.emit(report)

    def _import_failed(self, message: str) -> None:
        self.progress_bar.hide()
        self.result_label.setText("The import failed; nothing was written.")
        self.result_error.show_error(message)
        self.completeChanged.emit()

    def _import_cancelled(self) -> None:
        self.progress_bar.hide()
        self.result_label.setText("Import cancelled; nothing was written.")
        self.completeChanged.emit()
