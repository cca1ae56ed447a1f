"""DetailPane: everything about the selected question, beside the table in the main window.

Statement, criteria, condition and tags; the source excerpt inside a few sentences of its
document (highlighted); the forecast history as a step chart and a list, each forecast marked where
the scores leave it out, where its Brier is the one shown, where it came from a file and where it was
back-dated; the resolution records with their evidence (and the file an imported one came from),
superseded ones struck through; the question's edits (who, when, why, and
each changed field, the earlier text struck through). The buttons at the bottom are the main
window's actions, so they enable and disable with them.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QColor, QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from forecastapp.core.model import UNSCORED_REASONS, ForecastRecord, QuestionDetail
from forecastapp.core.numbers import format_score
from forecastapp.core.probability import format_probability
from forecastapp.ui.panels.history_chart import ChartData, HistoryChart
from forecastapp.ui.text import ExcerptContext, describe_resolution, status_text
from forecastapp.ui.widgets import look

_URL = re.compile(r"https?://[^\s<>\"']+")
#: How the Edits section names a changed field.
_FIELD_NAMES = {"statement": "statement", "criteria": "criteria", "condition": "condition",
                "resolve_from": "window opens", "resolve_by": "resolve by"}
#: The link under the source excerpt that opens the excerpt in the document view.
SHOW_IN_DOCUMENT_URL = "forecastapp:show-in-document"


def _para(text: str) -> str:
    """Escaped text with line breaks kept and web links made clickable."""
    escaped = html.escape(text)
    escaped = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    return escaped.replace("\n", "<br>")


def _opaque(colour: QColor, background: QColor) -> str:
    """`colour` as drawn over `background`, as #rrggbb: rich text drops the alpha, and Fusion's light
    placeholder colour is black at half opacity, which would print as plain black.

    At least 60% opacity, so quiet text keeps WCAG AA contrast (#666 on white is 5.7:1; half is 3.9:1).
    """
    a = max(colour.alphaF(), 0.6)
    mixed = [round(c * a + b * (1 - a)) for c, b in ((colour.red(), background.red()),
                                                      (colour.green(), background.green()),
                                                      (colour.blue(), background.blue()))]
    return QColor(*mixed).name()


class DetailPane(QWidget):
    """The selected question in full; `show_question(None)` shows the empty state."""

    #: The "Show in document" link under the source excerpt was followed.
    show_in_document_requested = Signal()

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setAccessibleName("Question details")
        self._detail: QuestionDetail | None = None

        self._stack = QStackedWidget()
        empty = QLabel(look.DETAIL_EMPTY_TEXT)
        empty.setObjectName("detailEmpty")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._stack.addWidget(empty)

        page = QWidget()
        self.statement_label = QLabel()
        self.statement_label.setObjectName("detailStatement")
        self.statement_label.setAccessibleName("Statement")
        self.statement_label.setWordWrap(True)
        self.statement_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statement_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.statement_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.statement_label.setFont(font)
        self.statement_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        self.meta_label = QLabel()
        self.meta_label.setObjectName("detailMeta")
        self.meta_label.setAccessibleName("Status")
        self.meta_label.setWordWrap(True)
        self.meta_label.setTextFormat(Qt.TextFormat.RichText)

        self.chart = HistoryChart()

        self.text = QTextBrowser()
        self.text.setObjectName("detailText")
        self.text.setAccessibleName("Question details")
        # Links are handled here: web links open in the browser, our own link asks for the document view.
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._on_link)
        self.text.setFrameShape(QTextBrowser.Shape.NoFrame)

        # Two buttons per row keep the pane narrow enough to leave the table room at 200% scaling.
        buttons = QGridLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QToolButton] = {}
        for i, action in enumerate(actions):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            name = action.objectName().removeprefix("action")
            button.setObjectName(name[0].lower() + name[1:] + "Button")
            button.setAccessibleName(action.text().replace("&", "").rstrip("…."))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            buttons.addWidget(button, i // 2, i % 2)
            self.buttons[action.objectName()] = button

        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.statement_label)
        layout.addWidget(self.meta_label)
        layout.addWidget(self.chart)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self._stack.addWidget(page)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

    @property
    def detail(self) -> QuestionDetail | None:
        """The question shown, or None."""
        return self._detail

    def show_question(self, detail: QuestionDetail | None, context: ExcerptContext | None = None, *,
                      today=None) -> None:
        """Show one question (None: the empty state)."""
        self._detail = detail
        if detail is None:
            self._stack.setCurrentIndex(0)
            self.chart.set_data(None)
            self.text.clear()
            return
        q = detail.question
        self.statement_label.setText(q.statement)
        self.meta_label.setText(self._meta_html(detail))
        effective = next((r for r in detail.resolutions if r.effective), None)
        self.chart.set_data(ChartData(
            forecasts=detail.forecasts, today=today or q.resolve_by or q.latest_made_on,
            resolve_by=q.resolve_by, resolved_on=effective.resolved_on if effective else None,
            outcome=effective.outcome.value if effective and effective.outcome else None,
        ))
        self.text.setHtml(self._body_html(detail, context))
        self._stack.setCurrentIndex(1)

    # ------------------------------------------------------------ HTML

    def _meta_html(self, detail: QuestionDetail) -> str:
        q = detail.question
        key = look.status_key(q.status.value, q.outcome.value if q.outcome else None)
        colour = look.tone(key, self.palette()).name()
        parts = [f'<b style="color:{colour}">{html.escape(status_text(q))}</b>']
        if q.resolve_by:
            window = f"between {q.resolve_from.isoformat()} and " if q.resolve_from else "by "
            parts.append(f"resolves {window}{q.resolve_by.isoformat()}")
        if q.latest_probability is not None:
            term = f" ({html.escape(q.estimative_term)})" if q.estimative_term else ""
            parts.append(f"latest {format_probability(q.latest_probability)}{term}")
        if q.brier is not None:
            parts.append(f"Brier {format_score(q.brier)}{html.escape(self._brier_basis(detail))}")
        if q.deleted:
            parts.append(f'<b style="color:{look.tone("no", self.palette()).name()}">deleted</b>')
        return " · ".join(parts)

    @staticmethod
    def _brier_basis(detail: QuestionDetail) -> str:
        """What the Brier is computed from, where that is not plainly the latest forecast ("" where it is)."""
        if detail.scored_from_latest() or not detail.scores:
            return ""
        if len(detail.scores) > 1:
            return f" (mean of {len(detail.scores)} analysts' final forecasts, marked below)"
        pair, final, _later = detail.score_basis()[0]
        if final is None:
            return f" (on {pair.analyst}'s forecast {pair.final_forecast_id[:8]})"
        return f" (on {pair.analyst}'s {format_probability(final.probability)} of {final.made_on.isoformat()})"

    @staticmethod
    def _forecast_notes(detail: QuestionDetail, f: ForecastRecord) -> list[str]:
        """The plain-text marks under a forecast: left out of the scores, the Brier it gives, imported, back-dated."""
        notes = []
        if f.unscored:
            q = detail.question
            day = f" ({q.resolved_on.isoformat()})" if f.unscored == "made_after" and q.resolved_on else ""
            notes.append(f"not scored: {UNSCORED_REASONS.get(f.unscored, f.unscored)}{day}")
        if not detail.scored_from_latest():
            notes += [f"scored: Brier {format_score(pair.brier)}" for pair in detail.scores
                      if pair.final_forecast_id == f.id]
        if f.origin:
            notes.append(f"{f.origin.describe()}; its dates are the file's")
        if f.backdated:
            notes.append(f"back-dated: recorded {f.recorded_at[:10]}; evidence: {f.backdate_evidence}"
                         if f.backdate_evidence else
                         f"back-dated: recorded {f.recorded_at[:10]}, with no evidence it was made on "
                         f"{f.made_on.isoformat()}")
        return notes

    def _body_html(self, detail: QuestionDetail, context: ExcerptContext | None) -> str:
        q = detail.question
        pal = self.palette()
        quiet = _opaque(pal.color(QPalette.ColorRole.PlaceholderText), pal.color(QPalette.ColorRole.Base))
        out: list[str] = []

        def section(title: str) -> None:
            out.append(f'<h4 style="margin-top:10px; margin-bottom:2px">{html.escape(title)}</h4>')

        if q.criteria:
            section("Resolution criteria")
            out.append(f"<p>{_para(q.criteria)}</p>")
        if q.condition:
            section("Condition")
            out.append(f"<p>Only if: {_para(q.condition)}</p>")
        if q.tags:
            section("Tags")
            out.append(f"<p>{html.escape(', '.join(q.tags))}</p>")
        if q.excerpt:
            section(f"Source: {detail.document_title or 'document'}")
            if context is not None:
                mark_bg = look.tone("highlight", pal).name()
                mark_fg = pal.color(QPalette.ColorRole.Text).name()
                before = ("… " if context.clipped_before else "") + html.escape(context.before)
                after = html.escape(context.after) + (" …" if context.clipped_after else "")
                out.append(
                    f'<p>{before}<span style="background-color:{mark_bg}; color:{mark_fg}; font-weight:600">'
                    f"{html.escape(context.excerpt)}</span>{after}</p>"
                )
            else:
                out.append(f"<p>\u201c{html.escape(q.excerpt)}\u201d</p>")
            if q.document_id and q.excerpt_start is not None:
                out.append(f'<p style="margin-top:0px"><a href="{SHOW_IN_DOCUMENT_URL}">Show in document</a>'
                           f'<span style="color:{quiet}"> (Ctrl+Shift+D)</span></p>')

        section("Forecasts")
        if detail.forecasts:
            for f in reversed(detail.forecasts):  # newest first: what changed last matters most
                term = f" ({html.escape(f.estimative_term)})" if f.estimative_term else ""
                head = (f"{f.made_on.isoformat()}&nbsp;&nbsp;<b>{format_probability(f.probability)}</b>{term}"
                        f" &nbsp;by {html.escape(f.analyst)}")
                if f.retracted_at:
                    reason = f": {html.escape(f.retraction_reason)}" if f.retraction_reason else ""
                    head = f"<s>{head}</s>"
                    note = f'<br><span style="color:{quiet}">retracted {f.retracted_at[:10]}{reason}</span>'
                else:
                    marks = "".join(f'<br><i style="color:{quiet}">{html.escape(n)}</i>'
                                    for n in self._forecast_notes(detail, f))
                    why = f'<br><span style="color:{quiet}">{_para(f.rationale)}</span>' if f.rationale else ""
                    note = marks + why
                out.append(f'<p style="margin-top:2px; margin-bottom:4px">{head}{note}</p>')
        else:
            out.append(f'<p style="color:{quiet}">No forecasts.</p>')

        if detail.resolutions:
            section("Resolutions")
            out.extend(_resolution_lines(detail, quiet))

        if detail.edits:
            section("Edits")
            out.extend(_edit_lines(detail, quiet, pal))

        if detail.log:
            section("Log")
            for action, recorded_at, reason in detail.log:
                why = f": {html.escape(reason)}" if reason else ""
                out.append(f'<p style="color:{quiet}">{html.escape(action)}d {recorded_at[:10]}{why}</p>')
        out.append(f'<p style="color:{quiet}">id {q.id}</p>')
        return "".join(out)

    @Slot(QUrl)
    def _on_link(self, url: QUrl) -> None:
        if url.toString() == SHOW_IN_DOCUMENT_URL:
            self.show_in_document_requested.emit()
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)


def _resolution_lines(detail: QuestionDetail, quiet: str) -> list[str]:
    """The Resolutions section's paragraphs, newest first; superseded ones struck through."""
    out: list[str] = []
    for r in reversed(detail.resolutions):
        if r.kind == "retract":
            head = f"withdrawn on {r.recorded_at[:10]}"
        else:
            head = f"{'corrected to' if r.kind == 'correct' else 'resolved'} {describe_resolution(r)}"
        by = f" by {html.escape(r.recorded_by)}" if r.recorded_by else ""
        state = "in force" if r.effective else ("superseded" if r.kind != "retract" else "")
        line = f"{html.escape(head)}{by}"
        evidence = f"<br>{_para(r.evidence)}" if r.evidence else ""
        if not r.effective and r.kind != "retract":
            line, evidence = f"<s>{line}</s>", f"<s>{evidence}</s>" if evidence else ""
        tag = f' <span style="color:{quiet}">[{state}, recorded {r.recorded_at[:10]}]</span>' if state else ""
        origin = (f'<br><i style="color:{quiet}">{html.escape(r.origin.describe())}; its dates are the '
                  "file's</i>" if r.origin else "")
        out.append(f"<p>{line}{tag}{origin}{evidence}</p>")
    return out


def _edit_lines(detail: QuestionDetail, quiet: str, pal: QPalette) -> list[str]:
    """The Edits section's paragraphs, newest first: who, when, why and what changed."""
    out: list[str] = []
    for v in reversed(detail.edits):  # newest first, like the forecasts
        by = f" by {html.escape(v.recorded_by)}" if v.recorded_by else ""
        meaning = (f' <b style="color:{look.tone("due", pal).name()}">changed what it asks</b>'
                   if v.meaning_changed else "")
        lines = [f'{v.recorded_at[:10]}{by}{meaning}<br><span style="color:{quiet}">why:</span> '
                 f"{_para(v.reason)}"]
        for c in v.changes:
            before = f"<s>{_para(c.before)}</s> → " if c.before else ""
            after = _para(c.after) if c.after else f'<span style="color:{quiet}">(none)</span>'
            lines.append(f'<span style="color:{quiet}">{_FIELD_NAMES[c.field]}:</span> {before}{after}')
        if v.tags_added:
            lines.append(f'<span style="color:{quiet}">tags added:</span> '
                         f"{html.escape(', '.join(v.tags_added))}")
        if v.tags_removed:
            lines.append(f'<span style="color:{quiet}">tags removed:</span> '
                         f"<s>{html.escape(', '.join(v.tags_removed))}</s>")
        out.append(f'<p style="margin-top:2px; margin-bottom:4px">{"<br>".join(lines)}</p>')
    return out
