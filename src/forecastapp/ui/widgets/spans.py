"""Spans of a stored text shown in a QTextEdit: offsets in UTF-16, a highlighted span, scrolling to one.

The Document tab (`panels/document.py`) and the document review (`panels/review.py`) both show a stored
text whose excerpts are Python str offsets; these turn them into Qt positions and back.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit


class Utf16Offsets:
    """Convert between Python str indices and QTextDocument positions (UTF-16 code units)."""

    def __init__(self, text: str) -> None:
        # Only characters above U+FFFF differ (two code units), so remember just those.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral_qt = [index + rank for rank, index in enumerate(self._astral)]
        self.length = len(text)
        self.qt_length = len(text) + len(self._astral)

    def to_qt(self, index: int) -> int:
        """The Qt position of Python index `index` (0..len(text))."""
        index = max(0, min(index, self.length))
        return index + bisect_left(self._astral, index)

    def to_python(self, position: int, *, round_up: bool = False) -> int:
        """The Python index of Qt position `position`; a position inside a surrogate pair rounds down (or up)."""
        position = max(0, min(position, self.qt_length))
        before = bisect_right(self._astral_qt, position - 2)  # astral characters ending at or before `position`
        index = position - before
        inside_pair = before < len(self._astral_qt) and self._astral_qt[before] == position - 1
        if inside_pair and not round_up:
            index -= 1
        return index


def qt_text(text: str) -> str:
    """The text to hand Qt: same length in code units, but "\\r\\n" kept as two characters.

    QTextDocument turns "\\r\\n" into one paragraph break, which would shift every later offset by one;
    a space before the break is invisible and keeps positions aligned with the stored text.
    """
    return text.replace("\r\n", " \n")


def span_selection(view: QTextEdit, offsets: Utf16Offsets, start: int, end: int,
                   fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
    """An extra selection drawing text[start:end] (Python offsets) of `view` in `fmt`."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(offsets.to_qt(start))
    cursor.setPosition(offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    sel = QTextEdit.ExtraSelection()
    sel.cursor = cursor
    sel.format = fmt
    return sel


def scroll_to_span(view: QTextEdit, offsets: Utf16Offsets, start: int, end: int) -> None:
    """Scroll `view` to text[start:end] (Python offsets), leaving the caret at its start."""
    # The end first, then the start, so a long span is seen from its beginning.
    cursor = QTextCursor(view.document())
    for index in (end, start):
        cursor.setPosition(offsets.to_qt(index))
        view.setTextCursor(cursor)
        view.ensureCursorVisible()
