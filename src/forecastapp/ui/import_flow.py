"""File > Import from another tracker or spreadsheet (Ctrl+Shift+I) and File > Import ledger…: preview, then import.

One dialog (`ImportDialog`) with three pages in a QStackedWidget:

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
   skipped list is hidden) and is written as `forecastapp merge` writes it. Import writes the
   plan in one transaction on the database thread, with a determinate `importProgress` bar fed by
   the core's progress callback; Cancel rolls it back. The same file imported again previews as
   "Nothing new", and Import stays disabled.

After an import that flagged conflicts, the result offers "Settle conflicts…" (ui/conflicts_view.py).
Everything that reads a file or the ledger goes through `ui/import_data.py` (Qt-free). The main
window's `actionImportOther` (File menu, Ctrl+Shift+I) opens the dialog with `open_import_dialog`;
its `actionImportLedger` asks for a ledger file first and opens the dialog on that file's preview.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

PAGE_SOURCE, PAGE_MAPPING, PAGE_PREVIEW = 0, 1, 2
#: The combo entry for "no column" (optional roles) and "not chosen yet" (required roles).
NONE_TEXT = "(none)"
CHOOSE_TEXT = "(choose a column)"
#: Rows of the sheet shown on the column page.
PREVIEW_ROWS = 20
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with a byte-order mark", "utf-16": "UTF-16",
                   "cp1252": "Windows-1252"}


def _title(text: str, name: str) -> QLabel:
    """A page's heading: bold, one step larger than the body text."""
    label = QLabel(text, objectName=name)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


def _roles():
    """(ROLES, REQUIRED_ROLES, ROLE_LABELS) from the core, imported on first use (not at window start-up)."""
    from forecastapp.core.formats import spreadsheet

    return spreadsheet.ROLES, spreadsheet.REQUIRED_ROLES, spreadsheet.ROLE_LABELS


class ImportDialog(QDialog):
    """Import another tracker's export or a hand-kept spreadsheet: source, columns, preview, import."""

    #: Emitted after an import wrote something: the core's MergeReport.
    imported = Signal(object)
    #: The user asked to settle the conflicts the import flagged.
    settle_requested = Signal()

    def __init__(self, service, parent: QWidget | None = None, *, path: Path | None = None,
                 default_analyst: str = "") -> None:
        super().__init__(parent)
        from forecastapp.ui import import_data
        from forecastapp.ui.widgets import ErrorLabel, HintLabel

        self._data = import_data
        self._service = service
        self._sheet = None  # SheetPreview of the spreadsheet on the column page
        self._format = "auto"  # the format the preview was (or is being) read as
        self._preview = None  # the last ImportPreview
        self._preview_task = None
        self._import_task = None
        self._generation = 0  # results of a preview the user has since moved away from are dropped
        self._path: Path | None = None  # the file or folder the columns and preview are for
        self._imported = False  # set once this dialog's import has written its plan
        self.setObjectName("ImportDialog")
        self.setWindowTitle("Import into the ledger")
        self.setAccessibleName("Import into the ledger")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        roles, required, labels = _roles()

        # ------------------------------------------------------------ page 1: source
        source = QWidget(objectName="importSourcePage")
        intro = QLabel(
            "Bring in forecasts kept elsewhere: Fatebook's or PredictionBook's export, a Metaculus export "
            "folder, a spreadsheet you kept by hand (saved as CSV), or a forecastapp ledger: its JSON export, "
            "or another analyst's ledger database (.db), whose records are merged into yours. Nothing is "
            "written until you press Import on the last page, and importing the same file again adds nothing."
        )
        intro.setWordWrap(True)
        self.path_edit = QLineEdit(objectName="importPath")
        self.path_edit.setAccessibleName("File or folder to import")
        self.path_edit.setPlaceholderText("a .csv, .json or .db file, or a Metaculus export folder")
        self.path_edit.textChanged.connect(self._on_source_changed)
        choose_file = QPushButton("Choose &file…", objectName="chooseFileButton")
        choose_file.setAccessibleName("Choose a file to import")
        choose_file.clicked.connect(self.choose_file)
        choose_folder = QPushButton("Choose f&older…", objectName="chooseFolderButton")
        choose_folder.setAccessibleName("Choose a Metaculus export folder")
        choose_folder.clicked.connect(self.choose_folder)
        self.format_combo = QComboBox(objectName="formatCombo")
        self.format_combo.setAccessibleName("Format of the file")
        for fmt, text in import_data.FORMAT_CHOICES:
            self.format_combo.addItem(text, fmt)
        self.format_combo.currentIndexChanged.connect(self._on_source_changed)
        self.source_error = ErrorLabel("importSourceError")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(choose_file)
        path_row.addWidget(choose_folder)
        source_form = QGridLayout()
        path_label = QLabel("&File:")
        path_label.setBuddy(self.path_edit)
        format_label = QLabel("F&ormat:")
        format_label.setBuddy(self.format_combo)
        source_form.addWidget(path_label, 0, 0)
        source_form.addLayout(path_row, 0, 1)
        source_form.addWidget(format_label, 1, 0)
        source_form.addWidget(self.format_combo, 1, 1)
        source_form.addWidget(self.source_error, 2, 1)
        source_form.setColumnStretch(1, 1)
        source_layout = QVBoxLayout(source)
        source_layout.addWidget(_title("1. Choose the file", "importSourceTitle"))
        source_layout.addWidget(intro)
        source_layout.addLayout(source_form)
        source_layout.addStretch(1)

        # ------------------------------------------------------------ page 2: columns
        mapping_page = QWidget(objectName="importMappingPage")
        self.sheet_label = QLabel(objectName="sheetSummary")
        self.sheet_label.setWordWrap(True)
        self.sheet_label.setTextFormat(Qt.TextFormat.PlainText)
        self._sheet_model = QStandardItemModel(self)
        self.mapping_table = QTableView(objectName="mappingTable")
        self.mapping_table.setAccessibleName("First rows of the spreadsheet")
        self.mapping_table.setModel(self._sheet_model)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping_table.setWordWrap(False)
        self.mapping_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a picture of the sheet, not a place to edit
        self.mapping_table.setAlternatingRowColors(True)
        self.mapping_table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft
                                                                  | Qt.AlignmentFlag.AlignVCenter)
        self.mapping_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.role_combos: dict[str, QComboBox] = {}
        self.role_errors: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        for i, role in enumerate(roles):
            combo = QComboBox(objectName=f"map_{role}")
            combo.setAccessibleName(f"Column holding the {labels[role]}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.currentIndexChanged.connect(self._on_mapping_changed)
            self.role_combos[role] = combo
            text = labels[role][0].upper() + labels[role][1:] + ("*" if role in required else "") + ":"
            label = QLabel(text)
            label.setBuddy(combo)
            # As tall as the combo, so the label lines up with it even while an error shows below.
            label.setMinimumHeight(combo.sizeHint().height())
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            error = ErrorLabel(f"map_{role}_error")
            self.role_errors[role] = error
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(combo)
            cell_layout.addWidget(error)
            row, col = divmod(i, 3)
            grid.addWidget(label, row, col * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(cell, row, col * 2 + 1, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(col * 2 + 1, 1)
        self.analyst_edit = QLineEdit(default_analyst, objectName="defaultAnalystEdit")
        self.analyst_edit.setAccessibleName("Analyst for rows that name none")
        self.analyst_edit.setPlaceholderText("who made forecasts where no column says")
        self.separator_edit = QLineEdit(",", objectName="tagSeparatorEdit")
        self.separator_edit.setAccessibleName("Character between two tags")
        self.separator_edit.setMaxLength(3)
        self.separator_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("MMMM") + 16)
        self.separator_edit.textChanged.connect(self._on_mapping_changed)
        defaults = QHBoxLayout()
        analyst_label = QLabel("Analyst where none is &named:")
        analyst_label.setBuddy(self.analyst_edit)
        separator_label = QLabel("Tags separated &by:")
        separator_label.setBuddy(self.separator_edit)
        defaults.addWidget(analyst_label)
        defaults.addWidget(self.analyst_edit, 1)
        defaults.addSpacing(16)
        defaults.addWidget(separator_label)
        defaults.addWidget(self.separator_edit)
        defaults.addStretch(1)
        mapping_hint = HintLabel("mappingHint")
        mapping_hint.setText("* required. Probabilities may be 70%, 0.7, 70 or words such as \"likely\"; dates "
                             "2025-03-01 or 1 Mar 2025; outcomes yes, no or annulled (empty: still open). Rows "
                             "with the same statement are one question.")
        mapping_layout = QVBoxLayout(mapping_page)
        mapping_layout.addWidget(_title("2. Say which column holds what", "importMappingTitle"))
        mapping_layout.addWidget(self.sheet_label)
        mapping_layout.addWidget(self.mapping_table, 1)
        mapping_layout.addLayout(grid)
        mapping_layout.addLayout(defaults)
        mapping_layout.addWidget(mapping_hint)

        # ------------------------------------------------------------ page 3: preview and import
        preview_page = QWidget(objectName="importPreviewPage")
        self.preview_label = QLabel(objectName="importPreview")
        self.preview_label.setAccessibleName("What the import would add")
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy_bar = QProgressBar(objectName="previewBusy")
        self.busy_bar.setAccessibleName("Reading the file")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.skipped_label = QLabel("&Skipped rows and why:")
        self.skipped_list = QListWidget(objectName="skippedList")
        self.skipped_list.setAccessibleName("Skipped rows and why")
        self.skipped_list.setWordWrap(True)
        self.skipped_label.setBuddy(self.skipped_list)
        self.notes_label = HintLabel("importNotes")
        self.notes_label.setAccessibleName("Notes about the file")
        self.progress_bar = QProgressBar(objectName="importProgress")
        self.progress_bar.setAccessibleName("Import progress")
        self.progress_bar.setFormat("%v of %m records")
        self.progress_bar.hide()
        self.result_label = QLabel(objectName="importResult")
        self.result_label.setAccessibleName("What the import did")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_error = ErrorLabel("importError")
        self.settle_button = QPushButton("Settle &conflicts…", objectName="openConflictsButton")
        self.settle_button.setAccessibleName("Settle the conflicts this import flagged")
        self.settle_button.clicked.connect(self._on_settle_clicked)
        self.settle_button.hide()
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.settle_button, 0, Qt.AlignmentFlag.AlignTop)
        preview_layout = QVBoxLayout(preview_page)
        preview_layout.addWidget(_title("3. Preview, then import (nothing is written before Import)",
                                        "importPreviewTitle"))
        preview_layout.addWidget(self.preview_label)
        preview_layout.addWidget(self.busy_bar)
        preview_layout.addWidget(self.skipped_label)
        preview_layout.addWidget(self.skipped_list, 1)
        preview_layout.addWidget(self.notes_label)
        preview_layout.addWidget(self.progress_bar)
        preview_layout.addLayout(result_row)
        preview_layout.addWidget(self.result_error)
        # Takes the skipped list's room when a ledger (which has no rows to skip) hides it.
        preview_layout.addStretch(0)
        self._preview_layout = preview_layout

        self.pages = QStackedWidget(objectName="importPages")
        for page in (source, mapping_page, preview_page):
            self.pages.addWidget(page)

        # ------------------------------------------------------------ buttons
        self.back_button = QPushButton("< &Back", objectName="backButton")
        self.back_button.setAccessibleName("Back")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton("&Next >", objectName="nextButton")
        self.next_button.setAccessibleName("Next")
        self.next_button.clicked.connect(self.go_next)
        self.import_button = QPushButton("&Import", objectName="importButton")
        self.import_button.setAccessibleName("Import")
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton("Close", objectName="closeButton")
        self.close_button.setAccessibleName("Close or cancel")
        self.close_button.clicked.connect(self._on_close_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.import_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.resize(940, 640)
        if path is not None:
            self.path_edit.setText(str(path))
        self._show_page(PAGE_SOURCE)

    # ------------------------------------------------------------ public (tests, the window)

    def page(self) -> int:
        """The page shown: PAGE_SOURCE, PAGE_MAPPING or PAGE_PREVIEW."""
        return self.pages.currentIndex()

    def set_format(self, fmt: str) -> None:
        """Choose a format in the combo, as a user would."""
        self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def set_column(self, role: str, column: str | None) -> None:
        """Choose the column for a role (None: no column), as a user would in its combo."""
        combo = self.role_combos[role]
        combo.setCurrentIndex(combo.findData(column) if column is not None else 0)

    def mapping(self):
        """The ColumnMapping the column page shows now."""
        from forecastapp.core.formats.spreadsheet import ColumnMapping

        chosen = {role: combo.currentData() for role, combo in self.role_combos.items()}
        return ColumnMapping(**chosen, default_analyst=" ".join(self.analyst_edit.text().split()),
                             tag_separator=self.separator_edit.text())

    @property
    def preview(self):
        """The last ImportPreview (None before one was computed)."""
        return self._preview

    def is_busy(self) -> bool:
        """Whether a preview or an import is running."""
        return any(t is not None and t.running for t in (self._preview_task, self._import_task))

    def skipped_texts(self) -> list[str]:
        """The lines of the skipped-rows list."""
        return [self.skipped_list.item(i).text() for i in range(self.skipped_list.count())]

    def start_with(self, path: Path, fmt: str = "auto") -> None:
        """Fill in `path` and `fmt` and go on from the first page, as a user pressing Next would."""
        if self._import_task is not None and self._import_task.running:
            return
        self._abandon_preview()
        self._show_page(PAGE_SOURCE)
        self.path_edit.setText(str(path))
        self.set_format(fmt)
        self.go_next()

    # ------------------------------------------------------------ source page

    def _dialog_dir(self) -> str:
        text = self.path_edit.text().strip()
        return str(Path(text).parent) if text else str(self._service.path.parent)

    @Slot()
    def choose_file(self) -> None:
        """Ask for a file to import."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a file", self._dialog_dir(),
            "Exports, spreadsheets and ledgers (*.csv *.tsv *.txt *.json *.db *.sqlite);;"
            "forecastapp ledgers (*.json *.db);;All files (*)")
        if path:
            self.path_edit.setText(path)

    @Slot()
    def choose_folder(self) -> None:
        """Ask for a Metaculus export folder."""
        path = QFileDialog.getExistingDirectory(self, "Import a Metaculus export folder", self._dialog_dir())
        if path:
            self.path_edit.setText(path)
            self.set_format("metaculus")

    @Slot()
    def _on_source_changed(self) -> None:
        self.source_error.show_error(None)
        self._update_buttons()

    def _source(self) -> tuple[Path, str] | None:
        """(path, format to read it as) for the chosen source, or None after showing why not."""
        text = self.path_edit.text().strip()
        if not text:
            self.source_error.show_error("choose a file (or a Metaculus export folder) to import")
            return None
        path = Path(text).expanduser()
        if not path.exists():
            self.source_error.show_error(f"'{path}' does not exist; check the path")
            return None
        own = self._data.own_ledger_problem(path, self._service.path)
        if own:
            self.source_error.show_error(own)
            return None
        fmt = self.format_combo.currentData()
        if fmt == "auto":
            detected = self._data.detect(path)
            if detected is None:
                if path.is_dir():
                    self.source_error.show_error(self._data.detection_problem(path))
                    return None
                detected = "csv"  # not a tracker's export: a spreadsheet kept by hand, to be mapped
            fmt = detected
        if fmt != "metaculus" and path.is_dir():
            self.source_error.show_error(f"'{path.name}' is a folder; choose a file (only Metaculus exports are "
                                         "folders)")
            return None
        return path, fmt

    # ------------------------------------------------------------ column page

    def _load_sheet(self, path: Path) -> bool:
        from forecastapp.core.errors import ForecastError

        try:
            sheet = self._data.sniff(path, rows=PREVIEW_ROWS)
        except ForecastError as exc:
            self.source_error.show_error(str(exc))
            return False
        same_header = self._sheet is not None and self._sheet.header == sheet.header
        self._sheet = sheet
        delimiter = _DELIMITER_NAMES.get(sheet.delimiter, repr(sheet.delimiter))
        encoding = _ENCODING_NAMES.get(sheet.encoding, sheet.encoding)
        shown = f"the first {len(sheet.rows)}" if len(sheet.rows) >= PREVIEW_ROWS else f"its {len(sheet.rows)}"
        self.sheet_label.setText(
            f"{sheet.source}: {len(sheet.header)} columns separated by {delimiter}, {encoding}; {shown} rows below. "
            "Say which column holds what; the proposals come from the column names.")
        self._sheet_model.clear()
        self._sheet_model.setColumnCount(len(sheet.header))
        for row in sheet.rows:
            items = []
            for value in row:
                item = QStandardItem(" ".join(value.split()))
                item.setToolTip(value)
                items.append(item)
            self._sheet_model.appendRow(items)
        # The rows are numbered as a spreadsheet program and the skip reasons number them (the
        # header is row 1; blank rows are counted, not shown).
        for i, number in enumerate(sheet.row_numbers):
            self._sheet_model.setVerticalHeaderItem(i, QStandardItem(str(number)))
        if not same_header:
            mapping = self._data.guess(sheet.header, default_analyst=self.analyst_edit.text(),
                                       tag_separator=self.separator_edit.text() or ",")
            _roles_, required, _labels = _roles()
            for role, combo in self.role_combos.items():
                combo.blockSignals(True)
                combo.clear()
                combo.addItem(CHOOSE_TEXT if role in required else NONE_TEXT, None)
                for name in sheet.header:
                    combo.addItem(name, name)
                combo.setCurrentIndex(max(0, combo.findData(mapping.column(role))) if mapping.column(role) else 0)
                combo.blockSignals(False)
        self._on_mapping_changed()
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.mapping_table.resizeColumnsToContents()
        for column in range(len(sheet.header)):
            # A long statement column must not push every other column out of sight.
            header.resizeSection(column, min(header.sectionSize(column), 320))
        return True

    @Slot()
    def _on_mapping_changed(self) -> None:
        if self._sheet is None:
            return
        mapping = self.mapping()
        problems = mapping.problems(self._sheet.header)
        for role, error in self.role_errors.items():
            error.show_error(problems.get(role))
        _roles_, _required, labels = _roles()
        by_column = {column: role for role, column in mapping.columns().items()}
        for i, name in enumerate(self._sheet.header):
            role = by_column.get(name)
            # The header says what each column will be read as, so the table and the combos agree.
            item = QStandardItem(f"{name}\n→ {labels[role]}" if role else f"{name}\n")
            self._sheet_model.setHorizontalHeaderItem(i, item)
        self._update_buttons()

    # ------------------------------------------------------------ navigation

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.pages.currentIndex()
        importing = self._import_task is not None and self._import_task.running
        self.back_button.setEnabled(page != PAGE_SOURCE and not importing)
        self.next_button.setVisible(page != PAGE_PREVIEW)
        self.import_button.setVisible(page == PAGE_PREVIEW)
        if page == PAGE_SOURCE:
            self.next_button.setEnabled(bool(self.path_edit.text().strip()))
        elif page == PAGE_MAPPING:
            self.next_button.setEnabled(self._sheet is not None
                                        and not self.mapping().problems(self._sheet.header))
        ready = (self._preview is not None and not self._preview.nothing_new and not self.is_busy()
                 and not self._imported)
        self.import_button.setEnabled(page == PAGE_PREVIEW and ready)
        self.import_button.setDefault(self.import_button.isEnabled())
        self.next_button.setDefault(page != PAGE_PREVIEW and self.next_button.isEnabled())
        self.close_button.setText("Cancel" if importing else "Close")

    @Slot()
    def go_next(self) -> None:
        """Next: from the source to the columns (a spreadsheet) or the preview; from the columns to the preview."""
        page = self.pages.currentIndex()
        if page == PAGE_SOURCE:
            chosen = self._source()
            if chosen is None:
                return
            path, fmt = chosen
            self._path = path
            if fmt == "csv":
                if self._load_sheet(path):
                    self._show_page(PAGE_MAPPING)
                return
            self._start_preview(path, fmt, None)
        elif page == PAGE_MAPPING:
            mapping = self.mapping()
            if self._sheet is None or mapping.problems(self._sheet.header):
                return
            self._start_preview(self._path, "csv", mapping)

    @Slot()
    def go_back(self) -> None:
        """Back one page (a running preview is abandoned; its result is ignored)."""
        if self._import_task is not None and self._import_task.running:
            return
        self._abandon_preview()
        page = self.pages.currentIndex()
        if page == PAGE_PREVIEW and self._format == "csv":
            self._show_page(PAGE_MAPPING)
        else:
            self._show_page(PAGE_SOURCE)

    def _abandon_preview(self) -> None:
        """Stop waiting for a running preview; its result, when it comes, is ignored."""
        self._generation += 1
        if self._preview_task is not None and self._preview_task.running:
            self._preview_task.cancel()
        self.busy_bar.hide()

    # ------------------------------------------------------------ preview (worker thread)

    def _start_preview(self, path: Path, fmt: str, mapping) -> None:
        from forecastapp.ui.tasks import run_in_background

        self._format = fmt
        self._preview = None
        self._imported = False
        self._generation += 1
        generation = self._generation
        source = self._data.ImportSource(path=path, format=fmt, mapping=mapping)
        db_path, today, now = self._service.path, self._service.today(), self._service.now()
        self.preview_label.setText(f"Reading {path.name} and comparing it with the ledger…")
        self._show_skipped(fmt not in self._data.LEDGER_FORMATS)
        self.skipped_list.clear()
        self.notes_label.clear()
        self.result_label.clear()
        self.result_error.show_error(None)
        self.settle_button.hide()
        self.progress_bar.hide()
        self.busy_bar.show()
        data = self._data

        def work(ctx):
            if fmt in data.LEDGER_FORMATS:
                return data.prepare_ledger_import(db_path, source, now=now, progress=ctx)
            return data.prepare_import(db_path, source, today=today, progress=ctx)

        self._preview_task = run_in_background(
            work,
            on_done=lambda preview: self._alive() and self._show_preview(generation, preview),
            on_error=lambda message: self._alive() and self._preview_failed(generation, message),
        )
        self._show_page(PAGE_PREVIEW)

    def _alive(self) -> bool:
        return isValid(self)

    def _show_skipped(self, shown: bool) -> None:
        """Show the skipped-rows list, or hide it (a ledger has no rows) and let the stretch below take its room."""
        self.skipped_label.setVisible(shown)
        self.skipped_list.setVisible(shown)
        self._preview_layout.setStretch(self._preview_layout.count() - 1, 0 if shown else 1)

    def _show_preview(self, generation: int, preview) -> None:
        if generation != self._generation:
            return
        self.busy_bar.hide()
        self._preview = preview
        self.preview_label.setText(preview.summary())
        self._show_skipped(not preview.is_ledger)
        self.skipped_list.clear()
        lines = preview.skipped_lines()
        self.skipped_list.addItems(lines or ["(none)"])
        self.notes_label.setText("\n".join(f"Note: {n}" for n in preview.notes()))
        self._update_buttons()

    def _preview_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.busy_bar.hide()
        self.preview_label.setText("The file could not be read; nothing was written.")
        self.result_error.show_error(message)
        self._update_buttons()

    # ------------------------------------------------------------ import (database thread)

    @Slot()
    def start_import(self) -> None:
        """Write the previewed plan in one transaction on the database thread, with progress and Cancel."""
        from forecastapp.ui.tasks import run_in_background

        preview = self._preview
        if preview is None or self.is_busy() or preview.nothing_new:
            return
        db_path, now, path, data = self._service.path, self._service.now(), preview.source.path, self._data
        self.result_label.setText(f"Importing {path.name}…")
        self.result_error.show_error(None)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()

        def work(ctx):
            if preview.is_ledger:
                return data.run_ledger_import(db_path, preview.ledger, source=path, fmt=preview.source.format,
                                              now=now, progress=ctx.report)
            return data.run_import(db_path, preview.plan, source=path, now=now, progress=ctx.report)

        self._import_task = run_in_background(
            work,
            on_done=lambda report: self._alive() and self._imported_ok(path, report),
            on_error=lambda message: self._alive() and self._import_failed(message),
            on_progress=lambda done, total: self._alive() and self._on_progress(done, total),
            on_cancelled=lambda: self._alive() and self._import_cancelled(),
        )
        self._update_buttons()

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))

    def _imported_ok(self, path: Path, report) -> None:
        self._imported = True
        self.progress_bar.setValue(self.progress_bar.maximum())
        self.result_label.setText(self._data.import_summary(path, report))
        self.settle_button.setVisible(bool(report.conflicts))
        self._update_buttons()
        if report.added_total() or report.conflicts:
            self.imported.emit(report)

    def _import_failed(self, message: str) -> None:
        self.progress_bar.hide()
        self.result_label.setText("The import failed; nothing was written.")
        self.result_error.show_error(message)
        self._update_buttons()

    def _import_cancelled(self) -> None:
        self.progress_bar.hide()
        self.result_label.setText("Import cancelled; nothing was written.")
        self._update_buttons()

    @Slot()
    def _on_settle_clicked(self) -> None:
        self.settle_requested.emit()

    @Slot()
    def _on_close_clicked(self) -> None:
        if self._import_task is not None and self._import_task.running:
            self._import_task.cancel()  # rolls back; the dialog stays open to say so
            return
        self.reject()

    def reject(self) -> None:  # noqa: D102 - Qt override: Escape or the title bar's close
        if self._import_task is not None and self._import_task.running:
            self._import_task.cancel()
            return
        if self._preview_task is not None and self._preview_task.running:
            self._preview_task.cancel()
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
    from forecastapp.ui.service import login_name
    from forecastapp.ui.ui_settings import K_LAST_ANALYST

    analyst = str(QSettings().value(K_LAST_ANALYST) or "") or login_name()
    dialog = ImportDialog(window.service, window, path=path, default_analyst=analyst)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.imported.connect(lambda _report: window.reload())

    def settle() -> None:
        from forecastapp.ui.conflicts_view import open_conflicts_dialog

        open_conflicts_dialog(window)

    dialog.settle_requested.connect(settle)
    dialog.show()
    if path is not None and fmt is not None:
        dialog.start_with(path, fmt)
    return dialog
