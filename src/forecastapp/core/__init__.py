"""The Qt-free core: ledger store, domain rules, parsing, scoring, import and export.

Nothing in this package may import PySide6 (a test enforces it).
"""
