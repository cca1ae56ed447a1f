"""Modal dialogs: add/update/edit a question, resolve/correct/withdraw, the import wizard, conflicts,
a document's details. Each has an `ask()` classmethod (or an `open_…` function) the window calls."""
