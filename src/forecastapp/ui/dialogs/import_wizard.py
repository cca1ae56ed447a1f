"""File > Import from another tracker or spreadsheet (Ctrl+Shift+I) and File > Import ledger…: preview, then import.

One wizard (`ImportDialog`, a QWizard) with three pages (`import_pages.py`, `import_preview.py`):

1. *Source*: a file, or a Metaculus export folder, and its format (`formatCombo`). "Recognise it"
   asks `core.formats.detect_format` (and takes an SQLite file for another analyst's ledger); a
   file it does not recognise is read as a spreadsheet, as is anything when "Spreadsheet (CSV)" is
   chosen. The open ledger itself is refused here, beside the file field.
2. *Columns* (spreadsheets only): the first rows in a table (`mappingTable`) and one combo per role
   (`map_statement`, `map_probability`, ...), pre-filled by `guess_mapping`; a required role without
   a column says so under its combo and Next stays disabled.
3. *Preview*: counts of what is new, skipped rows with their reasons, and conflicts that would be
   flagged (`importPreview`), computed on a worker thread while a busy bar runs. Another forecastapp
   ledger (a JSON export, or a ledger database to merge) is read whole, has no rows to skip (the
   skipped list is hidden) and is written as `forecastapp merge` writes it. Import (the wizard's
   Finish button) writes the plan in one transaction on the database thread, with a determinate
   `importProgress` bar fed by the core's progress callback, and the result shows on the same page;
   Cancel rolls it back. The same file imported again previews as "Nothing new", and Import stays
   disabled.

Each page's `isComplete` enables Next or Import, its `validatePage` checks the choice made on it
(showing why not beside the field), and Back returns along the pages visited. The wizard's Cancel
button reads Close, and Cancel while an import runs. After an import that flagged conflicts, the
result offers "Settle conflicts…" (ui/dialogs/conflicts.py). Everything that reads a file or the ledger
goes through `ui/operations/imports.py` (Qt-free). The main window's `actionImportOther` (File menu,
Ctrl+Shift+I) opens the dialog with `open_import_dialog`; its `actionImportLedger` asks for a ledger
file first and opens the dialog on that file's preview, as does a file dropped on the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtWidgets import QPushButton, QWidget, QWizard

from forecastapp.ui.dialogs.import_pages import PAGE_MAPPING, PAGE_PREVIEW, PAGE_SOURCE

__all__ = ["PAGE_MAPPING", "PAGE_PREVIEW", "PAGE_SOURCE", "ImportDialog", "open_import_dialog"]

_Button = QWizard.WizardButton
#: (button, objectName, accessible name) of the wizard's own buttons, which the tests and screen readers use.
_BUTTONS = (
    (_Button.BackButton, "backButton", "Back"),
    (_Button.NextButton, "nextButton", "Next"),
    (_Button.CommitButton, "commitButton", "Commit"),
    (_Button.FinishButton, "importButton", "Import"),
    (_Button.CancelButton, "closeButton", "Close or cancel"),
)


class ImportDialog(QWizard):
    """Import another tracker's export or a hand-kept spreadsheet: source, columns, preview, import."""

    #: Emitted after an import wrote something: the core's MergeReport.
    imported = Signal(object)
    #: The user asked to settle the conflicts the import flagged.
    settle_requested = Signal()

    def __init__(self, service, parent: QWidget | None = None, *, path: Path | None = None,
                 default_analyst: str = "") -> None:
        super().__init__(parent)
        from forecastapp.ui.dialogs.import_pages import MappingPage, SourcePage
        from forecastapp.ui.dialogs.import_preview import PreviewPage
        from forecastapp.ui.operations import imports

        self.data = imports
        self.service = service
        self.source_path: Path | None = None  # the file or folder the columns and preview are for
        self.source_format = "auto"  # the format it is read as
        self.setObjectName("ImportDialog")
        self.setWindowTitle("Import into the ledger")
        self.setAccessibleName("Import into the ledger")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        # ClassicStyle, Qt's own default under Fusion and the other Linux styles: the page sits on the window's
        # background like every other dialog here, and heads itself. ModernStyle paints the page white under a
        # banner made for Windows-style titles and logos, which looks foreign on Linux.
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, False)  # shown, disabled, as before
        self.setButtonText(_Button.FinishButton, "&Import")
        self.setButtonText(_Button.CancelButton, "Close")
        for which, name, accessible in _BUTTONS:
            button = self.button(which)
            button.setObjectName(name)
            button.setAccessibleName(accessible)
        self.source_page = SourcePage(self)
        self.mapping_page = MappingPage(self, default_analyst)
        self.preview_page = PreviewPage(self)
        for page_id, page in ((PAGE_SOURCE, self.source_page), (PAGE_MAPPING, self.mapping_page),
                              (PAGE_PREVIEW, self.preview_page)):
            self.setPage(page_id, page)
            # After the wizard's own update (connected in setPage), so these overrides win.
            page.completeChanged.connect(self._after_button_update)
        self.currentIdChanged.connect(self._after_button_update)
        self._alias_widgets()
        self.resize(940, 640)
        if path is not None:
            self.path_edit.setText(str(path))
        self.restart()

    def _alias_widgets(self) -> None:
        """The pages' widgets as the dialog's attributes, where the window, the tests and the docs reach them."""
        source, mapping, preview = self.source_page, self.mapping_page, self.preview_page
        self.path_edit, self.format_combo = source.path_edit, source.format_combo
        self.source_error = source.source_error
        self.sheet_label, self.mapping_table = mapping.sheet_label, mapping.mapping_table
        self.role_combos, self.role_errors = mapping.role_combos, mapping.role_errors
        self.analyst_edit, self.separator_edit = mapping.analyst_edit, mapping.separator_edit
        for name in ("preview_label", "busy_bar", "skipped_label", "skipped_list", "notes_label", "progress_bar",
                     "result_label", "result_error", "settle_button"):
            setattr(self, name, getattr(preview, name))

    # ------------------------------------------------------------ the wizard's buttons

    @property
    def back_button(self) -> QPushButton:
        """The wizard's Back button."""
        return self.button(_Button.BackButton)

    @property
    def next_button(self) -> QPushButton:
        """The wizard's Next button (shown on the source and column pages)."""
        return self.button(_Button.NextButton)

    @property
    def import_button(self) -> QPushButton:
        """The wizard's Finish button, which reads Import (shown on the preview page)."""
        return self.button(_Button.FinishButton)

    @property
    def close_button(self) -> QPushButton:
        """The wizard's Cancel button, which reads Close, and Cancel while an import runs."""
        return self.button(_Button.CancelButton)

    @Slot()
    def _after_button_update(self) -> None:
        """While an import runs, Back stays disabled and Close reads Cancel (the wizard has no such rule)."""
        importing = self.preview_page.importing()
        if importing:
            self.back_button.setEnabled(False)
        self.setButtonText(_Button.CancelButton, "Cancel" if importing else "Close")

    # ------------------------------------------------------------ public (tests, the window, the docs)

    def page(self, page_id: int | None = None):
        """The page shown: PAGE_SOURCE, PAGE_MAPPING or PAGE_PREVIEW; with an id, QWizard's page(id)."""
        return self.currentId() if page_id is None else super().page(page_id)

    def set_format(self, fmt: str) -> None:
        """Choose a format in the combo, as a user would."""
        self.source_page.set_format(fmt)

    def set_column(self, role: str, column: str | None) -> None:
        """Choose the column for a role (None: no column), as a user would in its combo."""
        self.mapping_page.set_column(role, column)

    def mapping(self):
        """The ColumnMapping the column page shows now."""
        return self.mapping_page.mapping()

    @property
    def preview(self):
        """The last ImportPreview (None before one was computed)."""
        return self.preview_page.preview

    def is_busy(self) -> bool:
        """Whether a preview or an import is running."""
        return self.preview_page.is_busy()

    def skipped_texts(self) -> list[str]:
        """The lines of the skipped-rows list."""
        return self.preview_page.skipped_texts()

    def choose_file(self) -> None:
        """Ask for a file to import."""
        self.source_page.choose_file()

    def choose_folder(self) -> None:
        """Ask for a Metaculus export folder."""
        self.source_page.choose_folder()

    @Slot()
    def go_next(self) -> None:
        """Next, as the button does: from the source to the columns (a spreadsheet) or the preview."""
        self.next()

    @Slot()
    def go_back(self) -> None:
        """Back one page (a running preview is abandoned; its result is ignored); not while importing."""
        if not self.preview_page.importing():
            self.back()

    @Slot()
    def start_import(self) -> None:
        """Import, as the button does: write the previewed plan on the database thread."""
        self.preview_page.start_import()

    def start_with(self, path: Path, fmt: str = "auto") -> None:
        """Fill in `path` and `fmt` and go on from the first page, as a user pressing Next would."""
        if self.preview_page.importing():
            return
        self.restart()  # back to the source page; a running preview is abandoned
        self.path_edit.setText(str(path))
        self.set_format(fmt)
        self.next()

    def reject(self) -> None:  # noqa: D102 - Qt override: Close, Escape or the title bar's close
        if self.preview_page.cancel_import():
            return  # it rolls back; the dialog stays open to say so
        self.preview_page.abandon_preview()
        super().reject()


# ---------------------------------------------------------------- the main window's side


def open_import_dialog(window, path: Path | None = None, *, fmt: str | None = None) -> ImportDialog:
    """Show the import dialog for a main window (the one already open, if any); returns it.

    With `fmt` (e.g. "ledger", from File > Import ledger…) the dialog goes on from `path` at once,
    to its preview, or to the first page's error beside the file field.
    """
    existing = window.findChild(ImportDialog, "ImportDialog")
    if existing is not None and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        if path is not None and fmt is not None:
            existing.start_with(path, fmt)
        return existing
    from forecastapp.ui.operations.ledger import login_name
    from forecastapp.ui.settings import K_LAST_ANALYST

    analyst = str(QSettings().value(K_LAST_ANALYST) or "") or login_name()
    dialog = ImportDialog(window.service, window, path=path, default_analyst=analyst)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.imported.connect(lambda _report: window.reload())

    def settle() -> None:
        from forecastapp.ui.dialogs.conflicts import open_conflicts_dialog

        open_conflicts_dialog(window)

    dialog.settle_requested.connect(settle)
    dialog.show()
    if path is not None and fmt is not None:
        dialog.start_with(path, fmt)
    return dialog
