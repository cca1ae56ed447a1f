"""Import document (Ctrl+I and drag-and-drop): read, ask, store once, review candidates, accept edited ones."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from forecastapp.ui.dialogs.document_info import DocumentInfo, DocumentInfoDialog
from forecastapp.ui.operations.review import load_review
from forecastapp.ui.panels.review import DocumentReview
from forecastapp.ui.widgets.fields import ErrorLabel
from forecastapp.ui.widgets.look import tone
from forecastapp.ui.window.document_import import DocumentImporter

TEXT = (
    "Outlook for Veska\n\n"
    "Kim visited Moscow in 2023. The regime is likely to survive by 2030.\n"
    "If the talks fail, sanctions will almost certainly not be lifted.\n"
)
# The two candidate sentences' offsets, counted by hand: the title line and blank line are 19
# characters, "Kim visited Moscow in 2023. " 28 more; the regime sentence is 40 long, the next 65.
REGIME, SANCTIONS = (47, 87), (88, 153)
INFO = DocumentInfo(title="Outlook for Veska", author="Ann Lee", published_on=date(2024, 1, 15))


@pytest.fixture
def assessment(tmp_path: Path) -> Path:
    path = tmp_path / "veska.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def asked(monkeypatch) -> list[dict]:
    """Answer the title/author/date dialog with INFO, remembering what it was prefilled with."""
    calls: list[dict] = []

    def ask(parent, **kwargs):
        calls.append(kwargs)
        return INFO

    monkeypatch.setattr(DocumentInfoDialog, "ask", ask)
    return calls


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, message, *a: shown.append(message))
    return shown


def _import_through_menu(qtbot, window, monkeypatch, path: Path) -> DocumentReview:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.findChild(QAction, "actionImportDocument").trigger()
    importer = DocumentImporter.for_window(window)
    qtbot.waitUntil(lambda: importer.review is not None and importer.review.isVisible(), timeout=5000)
    return importer.review


def _document_count(window) -> int:
    return len(window.service.documents())


def test_ctrl_i_imports_and_accepting_edited_candidates_links_questions(qtbot, window, monkeypatch, assessment,
                                                                        asked):
    action = window.findChild(QAction, "actionImportDocument")
    assert action.shortcut().toString() == "Ctrl+I"
    before = _document_count(window)
    review = _import_through_menu(qtbot, window, monkeypatch, assessment)
    assert review.objectName() == "documentReview"
    assert asked[0]["title"] == "Outlook for Veska" and asked[0]["file_name"] == "veska.txt"
    assert _document_count(window) == before + 1
    assert [(c.start, c.end) for c in review.candidates()] == [REGIME, SANCTIONS]
    # Each candidate is highlighted in its strength's tone (the first one is current, so drawn as selected).
    selections = review.text_view().extraSelections()
    assert len(selections) == 2
    second = review.candidates()[1]
    assert selections[1].format.background().color() == tone(second.strength_label, review.palette())

    # Edit the first: statement and probability; the second: deadline and tags.
    review.list_widget().setCurrentRow(0)
    review.statement_edit.setPlainText("The Veska regime is still in power at the end of 2030")
    review.probability_spin.setValue(80)
    review.list_widget().setCurrentRow(1)
    review.resolve_edit.setText("end of 2027")
    review.tags_edit.setText("Veska, sanctions")
    review.list_widget().item(0).setCheckState(Qt.CheckState.Checked)
    review.list_widget().item(1).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(review.accept_button, Qt.MouseButton.LeftButton)

    edits = review.edits()
    assert all(e.accepted_as for e in edits)
    first = window.service.detail(edits[0].accepted_as)
    assert first.question.statement == "The Veska regime is still in power at the end of 2030"
    assert (first.question.excerpt, first.question.excerpt_start, first.question.excerpt_end) == (
        TEXT[47:87], *REGIME)
    assert first.question.resolve_by == date(2030, 12, 31)  # "by 2030", unedited
    [f1] = first.forecasts
    assert (f1.analyst, f1.probability, f1.made_on) == ("Ann Lee", 0.8, date(2024, 1, 15))
    second_q = window.service.detail(edits[1].accepted_as)
    assert second_q.question.statement == "Sanctions will be lifted"
    assert second_q.question.resolve_by == date(2027, 12, 31)
    assert set(second_q.question.tags) == {"veska", "sanctions"}
    assert second_q.question.condition == "the talks fail"
    assert second_q.forecasts[0].probability == 0.03  # "almost certainly not"
    # The Document tab now shows the document with the two new excerpts highlighted.
    view = window.document_view
    assert view.document_id() == review.document_id
    assert {(e.start, e.end) for e in view.excerpts()} == {REGIME, SANCTIONS}
    assert not review.accept_button.isEnabled()  # nothing left ticked
    review.close()


def test_an_invalid_edit_is_shown_and_blocks_accepting(qtbot, window, monkeypatch, assessment, asked):
    review = _import_through_menu(qtbot, window, monkeypatch, assessment)
    review.list_widget().setCurrentRow(0)
    review.resolve_edit.setText("soon")
    review.set_checked(0)
    review.set_checked(1)
    error = review.findChild(ErrorLabel, "resolveByError")
    assert error.isVisible() and "too vague" in error.text()
    review.list_widget().setCurrentRow(1)
    review.statement_edit.setPlainText("   ")
    assert review.findChild(ErrorLabel, "statementError").isVisible()
    assert review.accept_selected() == []
    assert "need fixing" in review.status_text()
    assert review.list_widget().currentRow() == 0  # the first ticked entry with a problem is shown
    assert not any(e.accepted_as for e in review.edits())
    assert load_review(window.service, review.document_id).accepted == {}  # no question was written
    review.close()


def test_list_and_text_follow_each_other(qtbot, window, monkeypatch, assessment, asked):
    review = _import_through_menu(qtbot, window, monkeypatch, assessment)
    review.list_widget().setCurrentRow(1)
    assert review.current_span() == (SANCTIONS[0], SANCTIONS[0])  # the caret sits at the sentence's start
    cursor = review.text_view().textCursor()
    cursor.setPosition(60)  # inside "The regime is likely ..."
    review.text_view().setTextCursor(cursor)
    assert review.list_widget().currentRow() == 0
    assert review.statement_edit.toPlainText() == review.candidates()[0].statement
    cursor.movePosition(QTextCursor.MoveOperation.Start)  # the title: no candidate, the entry stays
    review.text_view().setTextCursor(cursor)
    assert review.list_widget().currentRow() == 0
    review.close()


def test_importing_the_same_file_twice_opens_the_stored_document(qtbot, window, monkeypatch, assessment, asked):
    first = _import_through_menu(qtbot, window, monkeypatch, assessment)
    doc_id = first.document_id
    first.close()
    count = _document_count(window)
    DocumentImporter.for_window(window).review = None
    second = _import_through_menu(qtbot, window, monkeypatch, assessment)
    assert second.document_id == doc_id
    assert _document_count(window) == count
    assert "already in the ledger" in window.statusBar().currentMessage()
    second.close()


@pytest.mark.parametrize("name, data, words", [
    ("empty.txt", b"  \n", "empty"),
    ("report.docx", b"PK\x03\x04rest", "Word document"),
    ("blob.txt", b"\x00\x01\x02\x03binary", "binary"),
    # A Qt without its PDF module (system libraries missing): one line, not "unexpected error".
    ("brief.pdf", b"%PDF-1.7\n", "'brief.pdf' is a PDF, and reading a PDF needs Qt's PDF module"),
])
def test_a_refused_file_stores_nothing_and_says_why(qtbot, window, monkeypatch, tmp_path, warnings, name, data,
                                                    words):
    monkeypatch.setitem(sys.modules, "PySide6.QtPdf", None)  # only the PDF case reaches for it
    path = tmp_path / name
    path.write_bytes(data)
    monkeypatch.setattr(DocumentInfoDialog, "ask", lambda *a, **k: pytest.fail("asked about a refused file"))
    before = _document_count(window)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.findChild(QAction, "actionImportDocument").trigger()
    qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    [message] = warnings
    assert words in message and "\n" not in message
    assert "was not imported" in window.statusBar().currentMessage()
    assert _document_count(window) == before
    assert DocumentImporter.for_window(window).review is None


def test_dropping_a_file_on_the_window_imports_it(qtbot, window, assessment, asked):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(assessment))])
    enter = QDragEnterEvent(QPoint(40, 40), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(40, 40), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    importer = DocumentImporter.for_window(window)
    qtbot.waitUntil(lambda: importer.review is not None, timeout=5000)
    assert [(c.start, c.end) for c in importer.review.candidates()] == [REGIME, SANCTIONS]
    importer.review.close()


def test_a_drop_of_something_else_is_not_taken(window, tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "ledger.db"))])
    enter = QDragEnterEvent(QPoint(40, 40), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()
