"""Panels the main window shows: the detail pane (with its history chart), the Scorecard and Document
tabs, and the review of an imported document. Each reaches the ledger through `operations` only."""
