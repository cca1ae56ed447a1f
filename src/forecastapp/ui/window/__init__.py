"""The main window and its parts: filter bar, ledger table, status bar, actions, file actions, undo.

Kept empty of imports: the app imports `window.main_window` before its first paint.
"""
