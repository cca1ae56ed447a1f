"""The window's tabs: Forecasts (filter bar, table, detail pane), Scorecard and Document.

In the app (`defer=True`) the detail pane, the Scorecard and Document panels and their modules are
built after the first paint: the pane's place holds a placeholder saying what the pane shows with
nothing selected, and the panels are built when their tab is first shown or they are first used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.widgets import look

if TYPE_CHECKING:
    from forecastapp.ui.panels.detail import DetailPane
    from forecastapp.ui.panels.document import DocumentPanel
    from forecastapp.ui.panels.scorecard import ScorecardPanel


class MainTabs(QTabWidget):
    """The central tab widget; builds the detail pane and the two panels on first use."""

    def __init__(self, window: QWidget, service: LedgerService, filter_bar: QWidget, table: QWidget,
                 pane_actions: list[QAction], *, defer: bool, on_pane_built: Callable[[DetailPane], None],
                 on_panels_built: Callable[[ScorecardPanel, DocumentPanel], None]) -> None:
        super().__init__(window)
        self._window = window
        self.setObjectName("mainTabs")
        self.setAccessibleName("Views")
        self.setDocumentMode(True)
        self._service = service
        self._pane_actions = pane_actions
        self._on_pane_built = on_pane_built
        self._on_panels_built = on_panels_built
        self._detail_pane: DetailPane | None = None
        self._placeholder: QLabel | None = None
        self._scorecard: ScorecardPanel | None = None
        self._document: DocumentPanel | None = None
        self._document_page: QWidget | None = None

        page = QWidget()
        page.setObjectName("forecastsPage")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(table)
        if defer:
            self._placeholder = QLabel(look.DETAIL_EMPTY_TEXT)
            self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._placeholder.setWordWrap(True)
            self._placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.splitter.addWidget(self._placeholder)
        else:
            self.splitter.addWidget(self.detail_pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(filter_bar)
        layout.addWidget(self.splitter, 1)
        self.addTab(page, "&Forecasts")
        # The scorecard's filter row is wider than the rest of the window needs; in a scroll area it
        # scrolls sideways in a narrow window instead of setting the whole window's minimum width.
        self._scorecard_page = QScrollArea()
        self._scorecard_page.setObjectName("scorecardPage")
        self._scorecard_page.setAccessibleName("Scorecard")
        self._scorecard_page.setWidgetResizable(True)
        self._scorecard_page.setFrameShape(QFrame.Shape.NoFrame)
        self.addTab(self._scorecard_page, "&Scorecard")
        if defer:
            self._document_page = QWidget()
            self._document_page.setObjectName("documentPage")
            QVBoxLayout(self._document_page).setContentsMargins(0, 0, 0, 0)
            self.addTab(self._document_page, "&Document")
            self.currentChanged.connect(self.build_panels)
        else:
            self.build_panels()

    @property
    def pane_built(self) -> bool:
        """Whether the detail pane exists yet."""
        return self._detail_pane is not None

    @property
    def detail_pane(self) -> DetailPane:
        """The detail pane beside the table (built on first use)."""
        if self._detail_pane is None:
            from forecastapp.ui.panels.detail import DetailPane

            pane = self._detail_pane = DetailPane(self._pane_actions)
            self._on_pane_built(pane)
            if self._placeholder is not None:
                # It takes the placeholder's size, so the splitter's restored sizes stay.
                self.splitter.replaceWidget(1, pane)
                self._placeholder.deleteLater()
                self._placeholder = None
        return self._detail_pane

    @property
    def built_scorecard(self) -> ScorecardPanel | None:
        """The Scorecard panel if it was built, else None (without building it)."""
        return self._scorecard

    @property
    def scorecard_view(self) -> ScorecardPanel:
        """The Scorecard tab's panel (built on first use)."""
        self.build_panels()
        return self._scorecard  # type: ignore[return-value]

    @property
    def document_view(self) -> DocumentPanel:
        """The Document tab's panel (built on first use)."""
        self.build_panels()
        return self._document  # type: ignore[return-value]

    @Slot()
    def build_panels(self) -> None:
        """Build the Scorecard and Document panels, once."""
        if self._scorecard is not None:
            return
        from forecastapp.ui.panels.document import DocumentPanel
        from forecastapp.ui.panels.scorecard import ScorecardPanel

        # Both panels wait for their tab to be shown before they read or score anything (a refresh
        # while hidden only marks them stale), so building them costs no query.
        scorecard = self._scorecard = ScorecardPanel(self._service, self._window)
        document = self._document = DocumentPanel(self._service, self._window)
        self._on_panels_built(scorecard, document)
        self._scorecard_page.setWidget(scorecard)
        if self._document_page is None:
            self.addTab(document, "&Document")
        else:
            self._document_page.layout().addWidget(document)
