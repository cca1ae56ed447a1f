"""What the document view needs from the ledger, as plain records (Qt-free; no SQL here).

`LedgerService` offers documents and their text but not the per-document question counts or the
excerpt offsets, so this thin adapter reaches `forecastapp.core.queries` through the service's
open database. The document view (`ui/panels/document.py`) is its only user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from forecastapp.core import queries
from forecastapp.core.model import DocumentRecord, QuestionDetail

if TYPE_CHECKING:
    from sqlite_utils import Database


class _Service(Protocol):
    """The part of `LedgerService` this module uses (so tests may pass a small stand-in)."""

    @property
    def db(self) -> Database: ...

    def document(self, document_id: str) -> DocumentRecord: ...

    def detail(self, question_id: str) -> QuestionDetail: ...


@dataclass(frozen=True)
class DocumentEntry:
    """One document as the picker lists it."""

    id: str
    title: str
    questions: int  # live questions linked to the document


@dataclass(frozen=True)
class Excerpt:
    """A question's source excerpt: Python str offsets into the stored document text."""

    question_id: str
    start: int
    end: int
    statement: str


def list_documents(service: _Service) -> list[DocumentEntry]:
    """Every stored document with its number of live questions, oldest first."""
    return [DocumentEntry(doc_id, title, n) for doc_id, title, n in queries.list_documents(service.db)]


def document_text(service: _Service, document_id: str) -> str:
    """The full stored text of a document (raises NotFoundError if it is gone)."""
    return service.document(document_id).text


def document_excerpts(service: _Service, document_id: str) -> list[Excerpt]:
    """The excerpts of every live question linked to the document, by start offset."""
    return [
        Excerpt(question_id=qid, start=start, end=end, statement=statement)
        for qid, start, end, statement in queries.document_excerpts(service.db, document_id)
        if start is not None and end is not None and start < end
    ]


def question_document(service: _Service, question_id: str) -> str | None:
    """The id of the document a question's excerpt comes from, or None."""
    return service.detail(question_id).question.document_id
