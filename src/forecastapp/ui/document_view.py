"""DocumentView: the main window's Document tab (a placeholder until the document work lands).

The document-view engineer replaces this module. Keep the contract: `DocumentView(ledger_service,
parent)`, objectName `documentView`, and a `refresh()` slot the main window calls whenever the
ledger changed. To pre-fill the add dialog from a text selection, call
`AddForecastDialog.ask(parent, service, prefill=NewQuestion(...))` (document id, excerpt, offsets)
through `MainWindow.add_forecast(prefill=...)`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from forecastapp.ui.service import LedgerService


class DocumentView(QWidget):
    """Placeholder for the document tab."""

    def __init__(self, ledger_service: LedgerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentView")
        self.setAccessibleName("Document")
        self._service = ledger_service
        label = QLabel("The document view arrives with the document work.")
        label.setObjectName("documentPlaceholder")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)

    @Slot()
    def refresh(self) -> None:
        """Re-read the ledger (nothing to show yet)."""
