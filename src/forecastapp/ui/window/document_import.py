"""File > Import document (Ctrl+I) and dropping a file on the window: read, ask, store, review.

The flow, each step off the GUI thread where it touches a file or the ledger:
1. read the file on the database thread (`read_file`): an empty, binary or unreadable
   file, or a Word document, is refused there with a one-line message and nothing is stored;
2. ask for the title, author and published date (`DocumentInfoDialog.ask`, prefilled: the title the
   core proposes, i.e. the Markdown heading or title line, else the file name);
3. store it on the database thread with its own connection (`store_file`); the same
   text imported again is not stored twice, and the existing document is opened instead;
4. open the review (`panels/review.DocumentReview`), whose accepted candidates refresh the window.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)

from forecastapp.core.documents import MARKDOWN_SUFFIXES, TEXT_SUFFIXES, UNREADABLE_SUFFIXES
from forecastapp.ui.dialogs.document_info import DocumentInfoDialog
from forecastapp.ui.operations.review import read_file, store_file

#: What a drop onto the window may hold: files the import reads, and the ones it explains it cannot.
DROPPABLE_SUFFIXES = (TEXT_SUFFIXES - {""}) | MARKDOWN_SUFFIXES | {".pdf"} | set(UNREADABLE_SUFFIXES)
FILE_FILTER = "Assessments (*.txt *.md *.markdown *.pdf);;All files (*)"


def dropped_file(mime: QMimeData | None, suffixes: Collection[str]) -> Path | None:
    """The one local file a drag carries, if its suffix (any case) is among `suffixes`; else None."""
    if mime is None or not mime.hasUrls():
        return None
    urls = [u for u in mime.urls() if u.isLocalFile()]
    if len(urls) != 1:
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in suffixes else None


def dropped_document(mime: QMimeData | None) -> Path | None:
    """The one local file a drag carries, if the document import can take (or explain) it; else None."""
    return dropped_file(mime, DROPPABLE_SUFFIXES)


class DocumentImporter(QObject):
    """Runs the import flow for one main window (one per window, found by `for_window`)."""

    #: A review was opened (the DocumentReview).
    review_opened = Signal(object)
    #: The import was refused or failed: the one-line message shown.
    failed = Signal(str)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("documentImporter")
        self._window = window
        self.task = None  # the running (or last) background step, for tests
        self.review = None  # the last review opened

    @classmethod
    def for_window(cls, window) -> DocumentImporter:
        """The window's importer, made on first use."""
        found = window.findChild(cls, "documentImporter", Qt.FindChildOption.FindDirectChildrenOnly)
        return found if found is not None else cls(window)

    def choose_and_import(self) -> None:
        """Ask for a file, then import it."""
        window = self._window
        path, _ = QFileDialog.getOpenFileName(window, "Import document", window.files.dialog_dir(), FILE_FILTER)
        if path:
            self.import_file(Path(path))

    def import_file(self, source: Path):
        """Start the flow for `source`: read it off the GUI thread; returns the background task."""
        from forecastapp.ui.operations.tasks import run_in_background

        self._status(f"Reading {source.name}…")
        self.task = run_in_background(
            lambda _ctx: read_file(source),
            on_done=lambda read: self._ask(source, read),
            on_error=lambda message: self._refuse(source, message),
            parent=self,
        )
        return self.task

    def _ask(self, source: Path, read) -> None:
        service = self._window.service
        info = DocumentInfoDialog.ask(self._window, title=read.title, today=service.today(), file_name=source.name)
        if info is None:
            self._status(f"Import of {source.name} cancelled; nothing was stored")
            return
        from forecastapp.ui.operations.tasks import run_in_background

        db_path, today, now = service.path, service.today(), service.now()
        self._status(f"Storing {source.name}…")
        self.task = run_in_background(
            lambda _ctx: store_file(db_path, source, title=info.title, author=info.author,
                                                published_on=info.published_on, today=today, now=now),
            on_done=lambda result: self._stored(source, result),
            on_error=lambda message: self._refuse(source, message),
            parent=self,
        )

    def _stored(self, source: Path, result) -> None:
        n = len(result.candidates)
        found = f"{n} candidate forecast{'' if n == 1 else 's'}"
        if result.created:
            self._status(f'Imported "{result.title}" from {source.name}: {found}', 10000)
            self._window.ledger_changed.emit()  # the document picker lists it now
        else:
            self._status(f'{source.name} is already in the ledger as "{result.title}" (same text); opened it', 10000)
        self.open_review(result.document_id)

    def open_review(self, document_id: str):
        """Open the review of a stored document (not modal: the window stays usable); returns it."""
        from forecastapp.ui.panels.review import DocumentReview

        review = DocumentReview(self._window.service, document_id, self._window)
        review.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        review.questions_added.connect(self._questions_added)
        self.review = review
        review.show()
        self.review_opened.emit(review)
        return review

    def _questions_added(self, document_id: str, question_ids: list) -> None:
        window = self._window
        window.refresh_after_change(question_ids[0] if question_ids else None)
        window.action_show_document.trigger()
        window.document_view.show_document(document_id)
        window.document_view.refresh()

    def _refuse(self, source: Path, message: str) -> None:
        self._status(f"{source.name} was not imported: {message}", 10000)
        self.failed.emit(message)
        QMessageBox.warning(self._window, "The document was not imported", message)

    def _status(self, text: str, timeout: int = 0) -> None:
        self._window.statusBar().showMessage(text, timeout)
