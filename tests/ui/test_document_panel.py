"""The document view: highlights at the stored offsets, clicks that open questions, and new
forecasts from a selection whose offsets index the stored text (also after an emoji)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QComboBox, QTextEdit, QToolButton, QToolTip

from forecastapp.core import ledger as ops
from forecastapp.core.resources import read_text
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.panels.document import DocumentPanel, Utf16Offsets
from tests.conftest import NOW, TODAY


def _utf16(text: str) -> int:
    """How many UTF-16 code units `text` has (what Qt counts)."""
    return len(text.encode("utf-16-le")) // 2


def _seed() -> tuple[str, list[dict]]:
    """The seeded document text and its questions, read straight from the resource files."""
    data = json.loads(read_text("seed/north-korea-2023-outlook.json"))
    return read_text(data["document"]["source"]), data["questions"]


@pytest.fixture
def seeded_panel(qtbot, seeded_ledger, seeded_path):
    service = LedgerService(seeded_ledger, seeded_path, now=lambda: NOW, today=lambda: TODAY)
    panel = DocumentPanel(service)
    qtbot.addWidget(panel)
    panel.resize(1000, 800)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


# A document with a non-BMP character (two UTF-16 code units, one Python character) before the
# excerpt, curly quotes, and a Windows line break (which Qt would otherwise fold into one break).
EMOJI_TEXT = (
    "Weekly outlook \U0001F680 for the desk.\r\n"
    "The central bank will likely raise rates in March, say the \u2019hawks\u2019.\n"
    "Growth \U0001F4C9 slows; exports fall short of the target."
)


@pytest.fixture
def emoji_panel(qtbot, ledger, db_path):
    doc_id, _ = ops.add_document(ledger, title="Desk outlook", text=EMOJI_TEXT, now=NOW)
    excerpt = "will likely raise rates in March"
    start = EMOJI_TEXT.index(excerpt)
    qid, _ = ops.create_forecast(
        ledger,
        ops.NewQuestion(statement="The bank raises rates in March.", document_id=doc_id, excerpt=excerpt,
                        excerpt_start=start, excerpt_end=start + len(excerpt)),
        analyst="Ann", probability=0.7, made_on=date(2026, 1, 5), today=TODAY, now=NOW,
    )
    service = LedgerService(ledger, db_path, now=lambda: NOW, today=lambda: TODAY)
    panel = DocumentPanel(service)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, doc_id, qid


def _select(panel: DocumentPanel, qt_start: int, qt_end: int) -> None:
    view = panel.text_view()
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_start)
    cursor.setPosition(qt_end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def _point_inside(panel: DocumentPanel, qt_position: int) -> QPoint:
    """A viewport point on the character at `qt_position` (a little right of its left edge)."""
    view = panel.text_view()
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_position)
    rect = view.cursorRect(cursor)
    return QPoint(rect.x() + 3, rect.center().y())


def test_every_seeded_excerpt_is_highlighted_at_its_offsets(seeded_panel):
    text, questions = _seed()
    expected = sorted((q["excerpt_start"], q["excerpt_end"]) for q in questions)
    highlights = seeded_panel.text_view().extraSelections()
    spans = []
    for sel in highlights:
        qt_start, qt_end = sel.cursor.selectionStart(), sel.cursor.selectionEnd()
        # Back to Python offsets independently of the panel: count code points in the UTF-16 prefix.
        encoded = text.encode("utf-16-le")
        spans.append((len(encoded[: 2 * qt_start].decode("utf-16-le")), len(encoded[: 2 * qt_end].decode("utf-16-le"))))
    assert sorted(spans) == expected
    assert all(sel.format.background().color().alpha() > 0 for sel in highlights)


def test_picker_lists_the_document_with_its_question_count(seeded_panel):
    combo = seeded_panel.findChild(QComboBox, "documentCombo")
    assert combo.count() == 1
    assert combo.itemText(0) == "North Korea in 2023: outlook (19 questions)"


def test_clicking_a_highlight_selects_its_question(qtbot, seeded_panel):
    text, questions = _seed()
    q = next(q for q in questions if q["excerpt"] == "The United States is likely to maintain a hardline attitude")
    viewport = seeded_panel.text_view().viewport()
    point = _point_inside(seeded_panel, _utf16(text[: q["excerpt_start"] + 10]))
    with qtbot.waitSignal(seeded_panel.question_selected, timeout=1000) as blocker:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [q["id"]]


def test_clicking_plain_text_selects_nothing(qtbot, seeded_panel):
    viewport = seeded_panel.text_view().viewport()
    with qtbot.assertNotEmitted(seeded_panel.question_selected, wait=100):
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=_point_inside(seeded_panel, 5))  # "In 2023"


def test_click_where_excerpts_overlap_selects_the_innermost(qtbot, seeded_panel):
    text, questions = _seed()
    # Two questions quote from offset 1002: one to 1087 (sanctions), one to 1147 (sanctions and aid).
    shorter = next(q for q in questions if (q["excerpt_start"], q["excerpt_end"]) == (1002, 1087))
    point = _point_inside(seeded_panel, _utf16(text[:1020]))
    with qtbot.waitSignal(seeded_panel.question_selected, timeout=1000) as blocker:
        qtbot.mouseClick(seeded_panel.text_view().viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [shorter["id"]]


def test_tooltip_over_a_highlight_shows_the_statement(qtbot, seeded_panel):
    text, questions = _seed()
    q = next(q for q in questions if q["excerpt"].startswith("North Korea leaders view nuclear weapons"))
    viewport = seeded_panel.text_view().viewport()
    point = _point_inside(seeded_panel, _utf16(text[: q["excerpt_start"] + 4]))
    event = QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, event)
    assert q["statement"][:40] in QToolTip.text()
    QToolTip.hideText()


def test_enter_inside_a_highlight_selects_its_question(qtbot, seeded_panel):
    text, questions = _seed()
    q = next(q for q in questions if q["excerpt"].startswith("There is little hope"))
    view = seeded_panel.text_view()
    cursor = QTextCursor(view.document())
    cursor.setPosition(_utf16(text[: q["excerpt_start"] + 3]))
    view.setTextCursor(cursor)
    with qtbot.waitSignal(seeded_panel.question_selected, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [q["id"]]


def test_excerpt_after_an_emoji_is_highlighted_at_the_right_characters(emoji_panel):
    panel, _doc_id, _qid = emoji_panel
    (sel,) = panel.text_view().extraSelections()
    start = EMOJI_TEXT.index("will likely")
    assert sel.cursor.selectionStart() == _utf16(EMOJI_TEXT[:start])
    assert sel.cursor.selectedText() == "will likely raise rates in March"


def test_new_forecast_button_needs_a_selection(emoji_panel):
    panel, _doc_id, _qid = emoji_panel
    button = panel.findChild(QToolButton, "newForecastFromSelectionButton")
    assert not button.isEnabled()
    start = EMOJI_TEXT.index("Growth")
    _select(panel, _utf16(EMOJI_TEXT[:start]), _utf16(EMOJI_TEXT[: start + 6]))
    assert button.isEnabled()
    _select(panel, 0, 0)
    assert not button.isEnabled()


@pytest.mark.parametrize("wanted", [
    "exports fall short of the target",  # after two emoji and a \r\n
    "Growth \U0001F4C9 slows",  # the emoji itself inside the selection
    "\u2019hawks\u2019",  # curly quotes
])
def test_selection_gives_offsets_into_the_stored_text(qtbot, emoji_panel, wanted):
    panel, doc_id, _qid = emoji_panel
    start = EMOJI_TEXT.index(wanted)
    end = start + len(wanted)
    _select(panel, _utf16(EMOJI_TEXT[:start]), _utf16(EMOJI_TEXT[:end]))
    button = panel.findChild(QToolButton, "newForecastFromSelectionButton")
    with qtbot.waitSignal(panel.new_forecast_requested, timeout=1000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [doc_id, start, end, wanted]
    assert EMOJI_TEXT[blocker.args[1]:blocker.args[2]] == wanted


def test_selection_offsets_make_an_excerpt_the_ledger_accepts(qtbot, emoji_panel, ledger):
    panel, doc_id, _qid = emoji_panel
    wanted = "exports fall short"
    start = EMOJI_TEXT.index(wanted)
    # Drag one character too far on each side: surrounding white space is trimmed away.
    _select(panel, _utf16(EMOJI_TEXT[: start - 1]), _utf16(EMOJI_TEXT[: start + len(wanted) + 1]))
    with qtbot.waitSignal(panel.new_forecast_requested, timeout=1000) as blocker:
        panel.request_new_forecast()
    _doc, s, e, excerpt = blocker.args
    assert excerpt == wanted
    ops.create_forecast(
        ledger, ops.NewQuestion(statement="Exports miss.", document_id=doc_id, excerpt=excerpt, excerpt_start=s,
                                excerpt_end=e),
        analyst="Ann", probability=0.4, made_on=TODAY, today=TODAY, now=NOW,
    )
    panel.refresh()
    assert len(panel.text_view().extraSelections()) == 2


def test_context_menu_offers_new_forecast_from_selection(qtbot, emoji_panel):
    panel, _doc_id, _qid = emoji_panel
    start = EMOJI_TEXT.index("Growth")
    _select(panel, _utf16(EMOJI_TEXT[:start]), _utf16(EMOJI_TEXT[: start + 6]))
    shown: list[tuple[str, bool]] = []

    def read_and_close() -> None:
        menu = QApplication.activePopupWidget()
        shown.extend((act.text(), act.isEnabled()) for act in menu.actions())
        menu.close()

    QTimer.singleShot(50, read_and_close)
    panel.text_view().customContextMenuRequested.emit(QPoint(5, 5))  # returns once the menu closes
    assert ("New forecast from selection", True) in shown


def test_show_question_scrolls_to_and_flashes_its_excerpt(qtbot, seeded_panel):
    text, questions = _seed()
    last = max(questions, key=lambda q: q["excerpt_start"])
    view = seeded_panel.text_view()
    assert seeded_panel.show_question(last["id"])
    assert view.textCursor().position() == _utf16(text[: last["excerpt_start"]])
    assert view.viewport().rect().intersects(view.cursorRect())
    assert len(view.extraSelections()) == len(questions) + 1  # the flash on top of the highlights
    qtbot.waitUntil(lambda: len(view.extraSelections()) == len(questions), timeout=3000)


def test_show_question_without_excerpt_is_refused(seeded_panel, seeded_ledger):
    qid, _ = ops.create_forecast(seeded_ledger, ops.NewQuestion(statement="No source for this one."),
                                 analyst="Ann", probability=0.5, made_on=TODAY, today=TODAY, now=NOW)
    assert not seeded_panel.show_question(qid)


def test_refresh_picks_up_a_new_linked_question(seeded_panel, seeded_ledger):
    text, questions = _seed()
    doc_id = seeded_panel.document_id()
    excerpt = "In 2023, Russia has re-emerged as a major player in North Korea"
    start = text.index(excerpt)
    ops.create_forecast(
        seeded_ledger, ops.NewQuestion(statement="Russia stays a major player.", document_id=doc_id,
                                       excerpt=excerpt, excerpt_start=start, excerpt_end=start + len(excerpt)),
        analyst="Ann", probability=0.8, made_on=TODAY, today=TODAY, now=NOW,
    )
    seeded_panel.refresh()
    assert len(seeded_panel.text_view().extraSelections()) == len(questions) + 1
    assert seeded_panel.findChild(QComboBox, "documentCombo").itemText(0).endswith(f"({len(questions) + 1} questions)")


def test_empty_ledger_shows_no_documents(qtbot, ledger, db_path):
    panel = DocumentPanel(LedgerService(ledger, db_path, now=lambda: NOW, today=lambda: TODAY))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert not panel.findChild(QComboBox, "documentCombo").isEnabled()
    assert panel.document_id() is None
    assert "No documents" in panel.text_view().placeholderText()


def test_every_control_has_an_accessible_name(seeded_panel):
    for kind in (QComboBox, QTextEdit, QToolButton):
        for widget in seeded_panel.findChildren(kind):
            assert widget.accessibleName(), widget.objectName()


@given(st.text(alphabet=st.sampled_from(["a", " ", "\u2019", "\n", "\U0001F680", "\U0001F4C9", "\u00e9"]), max_size=40))
def test_offsets_round_trip(text):
    offsets = Utf16Offsets(text)
    for i in range(len(text) + 1):
        position = offsets.to_qt(i)
        assert position == _utf16(text[:i])
        assert offsets.to_python(position) == i
