"""ScorecardView: the main window's Scorecard tab (a placeholder until the scorecard work lands).

The scorecard engineer replaces this module. Keep the contract: `ScorecardView(ledger_service,
parent)`, objectName `scorecardView`, and a `refresh()` slot the main window calls whenever the
ledger changed. Import heavy modules (Qt Charts) inside the view, on first show, not at module
level: the main window builds this tab before its first paint.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from forecastapp.ui.service import LedgerService


class ScorecardView(QWidget):
    """Placeholder for the scorecard tab."""

    def __init__(self, ledger_service: LedgerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scorecardView")
        self.setAccessibleName("Scorecard")
        self._service = ledger_service
        label = QLabel("The scorecard arrives with the scoring and scorecard work.")
        label.setObjectName("scorecardPlaceholder")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)

    @Slot()
    def refresh(self) -> None:
        """Re-read the ledger (nothing to show yet)."""
