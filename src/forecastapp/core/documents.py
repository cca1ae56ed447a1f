"""Bring an assessment document into the ledger and turn its candidate forecasts into questions.

Reading. Plain text and Markdown are stored exactly as decoded (Markdown is not rendered or
stripped), so every offset a candidate or an excerpt carries points into the stored text. The
encoding is read from a byte-order mark (UTF-8, UTF-16, UTF-32), else the bytes must be valid
UTF-8, else Windows-1252 is tried and kept only if every byte decodes and the result has no
control characters. Anything else (binary data, UTF-16 without a mark, an empty file) is refused
with a message and nothing is stored. PDF text comes from a reader the caller passes in
(`forecastapp.render.pdf_text.pdf_text`, which needs Qt), so this module stays free of Qt. Word
files (.docx) are refused: no well-kept reader ships with the app (see the README).

Candidates are computed on demand from the stored text (`detect.detect_candidates`); accepting one
creates a question whose excerpt is the candidate's sentence, so a sentence that already has a
question (its excerpt lies in the sentence) is recognised by the offsets and not accepted twice.
"""

from __future__ import annotations

import codecs
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database

from forecastapp.core import ledger
from forecastapp.core.detect import DEFAULT_HORIZON_MONTHS, Candidate, detect_candidates
from forecastapp.core.errors import ImportFormatError, NotFoundError, ValidationError
from forecastapp.core.files import read_input
from forecastapp.core.model import DocumentRecord
from forecastapp.core.queries import get_document
from forecastapp.core.sentences import split_sentences
from forecastapp.core.store import writing

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ""})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
# Formats we recognise but cannot read; the message tells the user what to do instead.
UNREADABLE_SUFFIXES = {
    ".docx": "a Word document", ".doc": "a Word document", ".odt": "an OpenDocument text",
    ".rtf": "a rich-text file", ".pages": "a Pages document", ".epub": "an e-book", ".html": "a web page",
    ".htm": "a web page",
}  # fmt: skip
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters a text file may hold: tab, line feed, vertical tab, form feed, carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MARKDOWN_TITLE = re.compile(r"^#[ \t]+(\S.*?)[ \t#]*$", re.MULTILINE)

PdfReader = Callable[[Path], str]


@dataclass(frozen=True)
class DocumentFile:
    """The text of a file to import and how it was read."""

    text: str
    kind: str  # "text", "markdown" or "pdf"
    encoding: str | None  # None for PDF
    title: str  # a proposed title: the Markdown heading, else the file name


@dataclass(frozen=True)
class ImportResult:
    """What `import_document` did: the document's id, whether it is new, and its candidates."""

    document_id: str
    created: bool
    title: str
    sentences: int
    candidates: tuple[Candidate, ...]


def _shown(path: Path) -> str:
    return f"'{path.name}'"


def decode_text(data: bytes, *, name: str = "the file") -> tuple[str, str]:
    """Decode a text file's bytes: (text, encoding name); refuses binary or undecidable bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise ImportFormatError(
                    f"{name} starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}; "
                    f"save it again as UTF-8"
                ) from None
            return _checked(text, name), "utf-8" if encoding == "utf-8-sig" else encoding
    if b"\x00" in data:
        if len(data) > 3 and (data[1::2].count(0) > len(data) // 4 or data[0::2].count(0) > len(data) // 4):
            raise ImportFormatError(
                f"{name} looks like UTF-16 text without a byte-order mark; save it as UTF-8 and import it again"
            )
        raise ImportFormatError(f"{name} is a binary file, not text; import a .txt, .md or .pdf file")
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or _CONTROL.search(text):
        raise ImportFormatError(
            f"cannot tell the encoding of {name} (it is not UTF-8 or Windows-1252 text); save it as UTF-8"
        )
    return _checked(text, name), "cp1252"


def _checked(text: str, name: str) -> str:
    if not text.strip():
        raise ImportFormatError(f"{name} is empty; there is nothing to import")
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(2, len(text) // 1000):
        raise ImportFormatError(f"{name} is a binary file, not text; import a .txt, .md or .pdf file")
    return text


def read_document(path: Path, *, pdf_reader: PdfReader | None = None) -> DocumentFile:
    """Read a .txt, .md or (with `pdf_reader`) .pdf file for import; refuses what it cannot read."""
    path = Path(path)
    shown = _shown(path)
    if not path.exists():
        raise ImportFormatError(f"{shown} does not exist; check the path")
    if path.is_dir():
        raise ImportFormatError(f"{shown} is a folder; give a .txt, .md or .pdf file")
    suffix = path.suffix.lower()
    if suffix in UNREADABLE_SUFFIXES:
        raise ImportFormatError(
            f"{shown} is {UNREADABLE_SUFFIXES[suffix]}, which forecastapp cannot read; save it as PDF or "
            f"plain text (.txt) and import that"
        )
    limit_mb = MAX_DOCUMENT_BYTES // (1024 * 1024)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFormatError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if path.is_file() and size > MAX_DOCUMENT_BYTES:
        raise ImportFormatError(f"{shown} is {size // (1024 * 1024)} MB; the limit is {limit_mb} MB")
    # Bounded even so: a pipe or a device (/dev/zero) reports no size and may never end; and a pipe with
    # no writer is given up after a bounded wait instead of blocking the import for ever.
    data = read_input(path, limit=MAX_DOCUMENT_BYTES, advice="import a shorter text")
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        if path.is_file():
            return _read_pdf(path, pdf_reader)
        # The PDF reader opens the file itself: from a pipe it would find nothing left, so it gets what
        # was read, in a file of the same name that goes away afterwards.
        with tempfile.TemporaryDirectory(prefix="forecastapp-") as folder:
            copy = Path(folder) / (path.name or "input.pdf")
            copy.write_bytes(data)
            return _read_pdf(path, pdf_reader, readable=copy)
    if data.startswith(b"PK\x03\x04"):
        raise ImportFormatError(
            f"{shown} is a ZIP archive (a Word or OpenDocument file?); save it as PDF or plain text and import that"
        )
    text, encoding = decode_text(data, name=shown)
    kind = "markdown" if suffix in MARKDOWN_SUFFIXES else "text"
    return DocumentFile(text=text, kind=kind, encoding=encoding, title=_proposed_title(text, kind, path))


def _proposed_title(text: str, kind: str, path: Path) -> str:
    """The Markdown heading, else a short first line without a full stop (a title line), else the file name."""
    if kind == "markdown":
        heading = _MARKDOWN_TITLE.search(text)
        if heading:
            return heading.group(1).strip()
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if 0 < len(first) <= 120 and not first.endswith((".", "!", "?", ":", ";", ",")):
        return first.lstrip("# ").strip() or path.stem
    return path.stem


def _read_pdf(path: Path, pdf_reader: PdfReader | None, *, readable: Path | None = None) -> DocumentFile:
    """The PDF's text layer; `readable` is a regular file holding the bytes when `path` is a pipe."""
    if pdf_reader is None:
        raise ImportFormatError(f"{_shown(path)} is a PDF, and PDF import needs the desktop components (Qt)")
    text = pdf_reader(readable or path)
    if _CONTROL.search(text):
        # PDF text layers sometimes carry stray control codes; they are not part of the prose.
        text = _CONTROL.sub(" ", text)
    if not text.strip():
        raise ImportFormatError(
            f"{_shown(path)} has no text layer (a scanned image?); run it through OCR or import the text instead"
        )
    return DocumentFile(text=text, kind="pdf", encoding=None, title=path.stem)


def import_document(
    db: Database,
    path: Path,
    *,
    title: str | None = None,
    author: str | None = None,
    published_on: date | None = None,
    today: date,
    now: datetime,
    pdf_reader: PdfReader | None = None,
    default_horizon_months: int | None = DEFAULT_HORIZON_MONTHS,
) -> ImportResult:
    """Read a file and store it once (same text = same document); returns its id and candidates."""
    if published_on is not None and published_on > today:
        raise ValidationError(f"the published date {published_on.isoformat()} is in the future")
    read = read_document(path, pdf_reader=pdf_reader)
    author = " ".join((author or "").split()) or None
    doc_id, created = ledger.add_document(
        db, title=(title or "").strip() or read.title, text=read.text, author=author, published_on=published_on,
        now=now,
    )
    doc = get_document(db, doc_id)
    return ImportResult(
        document_id=doc_id,
        created=created,
        title=doc.title,
        sentences=_sentence_count(doc.text),
        candidates=tuple(document_candidates(db, doc_id, today=today, default_horizon_months=default_horizon_months)),
    )


def _sentence_count(text: str) -> int:
    return len(split_sentences(text))


def resolve_document_id(db: Database, ref: str) -> str:
    """The full id of the document a user means by an id or a unique id prefix (at least 4 characters)."""
    ref = (ref or "").strip().lower()
    if not re.fullmatch(r"[0-9a-f-]{4,36}", ref):
        raise NotFoundError(f"'{ref}' is not a document id (give at least 4 characters of one)")
    rows = db.execute("SELECT id FROM documents WHERE id >= ? AND id < ? LIMIT 2", [ref, ref + "\uffff"]).fetchall()
    if not rows:
        raise NotFoundError(f"no document with id '{ref}'")
    if len(rows) > 1:
        raise NotFoundError(f"'{ref}' matches several documents; give more characters of the id")
    return rows[0][0]


def document_candidates(
    db: Database, document_id: str, *, today: date, default_horizon_months: int | None = DEFAULT_HORIZON_MONTHS
) -> list[Candidate]:
    """The candidate forecasts of a stored document, computed from its text."""
    doc = get_document(db, document_id)
    return detect_candidates(
        doc.text, published_on=doc.published_on, today=today, default_horizon_months=default_horizon_months
    )


def accepted_questions(db: Database, document_id: str) -> dict[str, str]:
    """Candidate id -> id of a live question whose excerpt lies in (or overlaps) that candidate's sentence."""
    rows = db.execute(
        "SELECT id, excerpt_start, excerpt_end FROM questions WHERE document_id = ? AND deleted = 0"
        " AND excerpt_start IS NOT NULL ORDER BY excerpt_start, seq",
        [document_id],
    ).fetchall()
    if not rows:
        return {}
    doc = get_document(db, document_id)
    out: dict[str, str] = {}
    for start, end in split_sentences(doc.text):
        for qid, q_start, q_end in rows:
            if q_start < end and q_end > start:
                out[f"{start}-{end}"] = qid
                break
    return out


def analyst_for(doc: DocumentRecord) -> str:
    """Who a document's forecasts belong to: its author, else a name that says the author is unknown."""
    return doc.author or f'Author of "{doc.title}" (unnamed)'


def _review_state(db: Database, document_id: str, *, today: date, default_horizon_months: int | None):
    """The document, its candidates by id, and what is already accepted: what an accept checks against."""
    doc = get_document(db, document_id)
    found = detect_candidates(
        doc.text, published_on=doc.published_on, today=today, default_horizon_months=default_horizon_months
    )
    return doc, {c.id: c for c in found}, accepted_questions(db, document_id)


def accept_candidates(
    db: Database,
    document_id: str,
    candidate_ids: Iterable[str],
    *,
    today: date,
    now: datetime,
    default_horizon_months: int | None = DEFAULT_HORIZON_MONTHS,
) -> list[str]:
    """Turn chosen candidates into questions with a first forecast by the author; returns the question ids.

    All or nothing: an unknown candidate, or one already accepted, refuses the whole call.
    """
    wanted = list(dict.fromkeys(c.strip() for c in candidate_ids if c.strip()))
    if not wanted:
        raise ValidationError("no candidate given; name at least one candidate id (e.g. 474-630)")
    doc, candidates, accepted = _review_state(
        db, document_id, today=today, default_horizon_months=default_horizon_months
    )
    chosen: list[Candidate] = []
    for cid in wanted:
        if cid not in candidates:
            raise NotFoundError(f"'{cid}' is not a candidate of document {document_id[:8]}; list its candidates")
        if cid in accepted:
            raise ValidationError(
                f"candidate {cid} is already question {accepted[cid][:8]}; nothing was added (add another question "
                f"from the same sentence by hand)"
            )
        chosen.append(candidates[cid])
    made_on = doc.published_on or today
    analyst = analyst_for(doc)
    ids: list[str] = []
    with writing(db):
        for c in chosen:
            question = ledger.NewQuestion(
                statement=c.statement,
                condition=c.condition,
                resolve_by=date.fromisoformat(c.resolve_by) if c.resolve_by else None,
                resolve_from=date.fromisoformat(c.resolve_from) if c.resolve_from else None,
                document_id=doc.id,
                excerpt=c.sentence,
                excerpt_start=c.start,
                excerpt_end=c.end,
            )
            qid, _ = ledger.create_forecast(
                db, question, analyst=analyst, probability=c.probability, term=c.term, made_on=made_on,
                rationale=f"Proposed from the document: {c.reason}.", today=today, now=now,
            )
            ids.append(qid)
    return ids


@dataclass(frozen=True)
class AcceptedCandidate:
    """A candidate as the user reviewed it: the values to record instead of the proposed ones."""

    candidate_id: str
    statement: str
    probability: float
    resolve_by: date | None
    resolve_from: date | None = None
    tags: tuple[str, ...] = ()


def accept_edited(
    db: Database,
    document_id: str,
    items: Iterable[AcceptedCandidate],
    *,
    today: date,
    now: datetime,
    default_horizon_months: int | None = DEFAULT_HORIZON_MONTHS,
) -> list[str]:
    """Like `accept_candidates`, but with the reviewed statement, probability, deadline and tags.

    Every item is checked before anything is written (unknown or already accepted candidates, an
    empty statement, a probability out of range, a deadline before the forecast date, bad tags),
    and the questions are written in one transaction, so a refusal leaves the ledger unchanged.
    """
    items = list(items)
    if not items:
        raise ValidationError("no candidate given; tick at least one candidate to accept")
    doc, candidates, accepted = _review_state(
        db, document_id, today=today, default_horizon_months=default_horizon_months
    )
    made_on = doc.published_on or today
    seen: set[str] = set()
    planned: list[tuple[ledger.NewQuestion, float, str | None, str]] = []
    for item in items:
        cid = item.candidate_id
        if cid in seen:
            raise ValidationError(f"candidate {cid} is given twice; accept it once")
        seen.add(cid)
        if cid not in candidates:
            raise NotFoundError(f"'{cid}' is not a candidate of document {document_id[:8]}; list its candidates")
        if cid in accepted:
            raise ValidationError(f"candidate {cid} is already question {accepted[cid][:8]}; nothing was added")
        c = candidates[cid]
        try:
            probability = ledger.check_probability(item.probability)
            tags = ledger.normalize_tags(item.tags)
            _check_reviewed(item, made_on)
        except ValidationError as exc:
            raise ValidationError(f"candidate {cid}: {exc}") from None
        question = ledger.NewQuestion(
            statement=item.statement.strip(), condition=c.condition, resolve_by=item.resolve_by,
            resolve_from=item.resolve_from, tags=tags, document_id=doc.id, excerpt=c.sentence,
            excerpt_start=c.start, excerpt_end=c.end,
        )
        # The detector's term describes its own number; an edited probability has no term of the author's.
        term = c.term if abs(probability - c.probability) < 1e-9 else None
        edited = (item.statement.strip() != c.statement or term is None
                  or item.resolve_by != (date.fromisoformat(c.resolve_by) if c.resolve_by else None) or item.tags)
        rationale = f"Proposed from the document: {c.reason}." + (" Edited on review." if edited else "")
        planned.append((question, probability, term, rationale))
    analyst = analyst_for(doc)
    ids: list[str] = []
    with writing(db):
        for question, probability, term, rationale in planned:
            try:
                qid, _ = ledger.create_forecast(
                    db, question, analyst=analyst, probability=probability, term=term, made_on=made_on,
                    rationale=rationale, today=today, now=now,
                )
            except ValidationError as exc:
                # The ledger's own checks (text limits) still apply; the transaction rolls back every item.
                raise ValidationError(f"candidate {question.excerpt_start}-{question.excerpt_end}: {exc}") from None
            ids.append(qid)
    return ids


def _check_reviewed(item: AcceptedCandidate, made_on: date) -> None:
    """The checks on reviewed values that need no database, with messages a review form can show."""
    if not item.statement.strip():
        raise ValidationError("the statement is empty; write what will be resolved")
    if item.resolve_by is not None and item.resolve_by < made_on:
        raise ValidationError(
            f"resolve-by {item.resolve_by.isoformat()} is before the forecast date {made_on.isoformat()}"
        )
    if item.resolve_from is not None and (item.resolve_by is None or item.resolve_from > item.resolve_by):
        raise ValidationError("the resolution window starts after it ends")
