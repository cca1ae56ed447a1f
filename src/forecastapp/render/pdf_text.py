"""The text layer of a PDF, read with Qt's own PDF module (QtPdf), for document import.

This module imports PySide6 and is imported only when a .pdf file is imported, so the core and the
command line start without Qt. Pages are joined with a blank line, so a page break reads as a
paragraph break and no sentence runs across two pages by accident of layout.
"""

from __future__ import annotations

from pathlib import Path

from forecastapp.core.errors import ImportFormatError

PAGE_BREAK = "\n\n"


def pdf_text(path: Path) -> str:
    """All the text of the PDF at `path`, page by page; refuses files QtPdf cannot open, and says so in one
    line when QtPdf itself cannot load (PySide6 missing, or Qt's libraries missing on a server)."""
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError as exc:
        raise ImportFormatError(f"'{Path(path).name}' is a PDF, and reading a PDF needs Qt's PDF module ({exc}); "
                                "import its text as a .txt file instead") from None

    document = QPdfDocument()
    try:
        error = document.load(str(path))
        if error != QPdfDocument.Error.None_:
            raise ImportFormatError(_message(Path(path), error))
        pages = [document.getAllText(page).text() for page in range(document.pageCount())]
    finally:
        document.close()
    return PAGE_BREAK.join(page.strip() for page in pages)


def _message(path: Path, error) -> str:
    from PySide6.QtPdf import QPdfDocument

    shown = f"'{path.name}'"
    messages = {
        QPdfDocument.Error.FileNotFound: f"{shown} does not exist; check the path",
        QPdfDocument.Error.InvalidFileFormat: f"{shown} is not a readable PDF (damaged or not a PDF)",
        QPdfDocument.Error.IncorrectPassword: f"{shown} is protected by a password; save an unprotected copy",
        QPdfDocument.Error.UnsupportedSecurityScheme: f"{shown} uses an encryption forecastapp cannot open; "
        "save an unprotected copy",
    }
    return messages.get(error, f"cannot read the PDF {shown}; save it as plain text (.txt) and import that")
