"""What document import and the review view need from the core, as plain calls (Qt-free; no SQL here).

The same shape as `operations/documents.py`: `LedgerService` does not wrap the document functions of
`forecastapp.core.documents`, so this thin adapter reaches them through the service's open
database and clock. The worker functions (`read_file`, `store_file`) run on another thread and
open their own connection, because an sqlite connection belongs to the thread that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from forecastapp.core import documents, store
from forecastapp.core.detect import Candidate
from forecastapp.core.documents import AcceptedCandidate, DocumentFile, ImportResult
from forecastapp.core.model import DocumentRecord
from forecastapp.ui.operations.ledger import load_sqlite_utils

if TYPE_CHECKING:
    from sqlite_utils import Database


class _Service(Protocol):
    """The part of `LedgerService` this module uses."""

    @property
    def db(self) -> Database: ...

    def document(self, document_id: str) -> DocumentRecord: ...

    def today(self) -> date: ...

    def now(self) -> datetime: ...


@dataclass(frozen=True)
class ReviewData:
    """A stored document with its candidates and which of them are questions already."""

    document: DocumentRecord
    candidates: tuple[Candidate, ...]
    accepted: dict[str, str]  # candidate id -> question id
    made_on: date  # the date accepted forecasts carry (published date, else today)


def _pdf_reader():
    # Imported on use: it loads QtPdf, which only a PDF import needs.
    from forecastapp.render.pdf_text import pdf_text

    return pdf_text


def read_file(source: Path) -> DocumentFile:
    """Read a file for import (refusing empty, binary or unreadable files); touches no database."""
    return documents.read_document(source, pdf_reader=_pdf_reader())


def store_file(
    db_path: Path, source: Path, *, title: str, author: str, published_on: date | None, today: date, now: datetime
) -> ImportResult:
    """Store a document in the ledger at `db_path` on this thread's own connection (same text: no new row)."""
    load_sqlite_utils()
    db = store.open_ledger(db_path, seed=False)
    try:
        return documents.import_document(
            db, source, title=title, author=author, published_on=published_on, today=today, now=now,
            pdf_reader=_pdf_reader(),
        )
    finally:
        db.close()


def load_review(service: _Service, document_id: str) -> ReviewData:
    """The document, its candidate forecasts and the ones already accepted."""
    doc = service.document(document_id)
    today = service.today()
    return ReviewData(
        document=doc,
        candidates=tuple(documents.document_candidates(service.db, document_id, today=today)),
        accepted=documents.accepted_questions(service.db, document_id),
        made_on=doc.published_on or today,
    )


def accept_reviewed(service: _Service, document_id: str, items: list[AcceptedCandidate]) -> list[str]:
    """Record the reviewed candidates as questions forecast by the author, in one transaction."""
    return documents.accept_edited(service.db, document_id, items, today=service.today(), now=service.now())
