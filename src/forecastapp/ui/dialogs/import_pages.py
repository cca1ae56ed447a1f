"""The import wizard's first two pages, the source and the columns (`import_wizard.py` puts the wizard together).

Each page builds its own widgets and says through `isComplete` when the wizard may go on, and through
`validatePage` whether the choice made on it holds. Everything that reads a file or the ledger goes
through `ui/operations/imports.py` (Qt-free). The third page, the preview and the import, is in
`import_preview.py`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from forecastapp.ui.widgets.fields import ErrorLabel, HintLabel

PAGE_SOURCE, PAGE_MAPPING, PAGE_PREVIEW = 0, 1, 2
#: The combo entry for "no column" (optional roles) and "not chosen yet" (required roles).
NONE_TEXT = "(none)"
CHOOSE_TEXT = "(choose a column)"
#: Rows of the sheet shown on the column page.
PREVIEW_ROWS = 20
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with a byte-order mark", "utf-16": "UTF-16",
                   "cp1252": "Windows-1252"}


def page_title(text: str, name: str) -> QLabel:
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


class SourcePage(QWizardPage):
    """1. The file or Metaculus folder and its format; complete once a path is typed, valid once it can be read."""

    def __init__(self, flow) -> None:
        super().__init__(objectName="importSourcePage")
        self._flow = flow
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
        for fmt, text in flow.data.FORMAT_CHOICES:
            self.format_combo.addItem(text, fmt)
        self.format_combo.currentIndexChanged.connect(self._on_source_changed)
        self.source_error = ErrorLabel("importSourceError")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(choose_file)
        path_row.addWidget(choose_folder)
        form = QGridLayout()
        path_label = QLabel("&File:")
        path_label.setBuddy(self.path_edit)
        format_label = QLabel("F&ormat:")
        format_label.setBuddy(self.format_combo)
        form.addWidget(path_label, 0, 0)
        form.addLayout(path_row, 0, 1)
        form.addWidget(format_label, 1, 0)
        form.addWidget(self.format_combo, 1, 1)
        form.addWidget(self.source_error, 2, 1)
        form.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("1. Choose the file", "importSourceTitle"))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        """Next is enabled once something is typed; whether it can be read is `validatePage`'s question."""
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        """Check the source (showing why not beside the field); a spreadsheet's first rows go to the column page."""
        chosen = self._checked_source()
        if chosen is None:
            return False
        self._flow.source_path, self._flow.source_format = chosen
        if chosen[1] != "csv":
            return True
        from forecastapp.core.errors import ForecastError

        try:
            self._flow.mapping_page.load_sheet(chosen[0])
        except ForecastError as exc:
            self.source_error.show_error(str(exc))
            return False
        return True

    def nextId(self) -> int:  # noqa: N802 - Qt override
        """A spreadsheet goes on to its columns; a tracker's export or a ledger straight to the preview."""
        return PAGE_MAPPING if self._flow.source_format == "csv" else PAGE_PREVIEW

    def set_format(self, fmt: str) -> None:
        """Choose a format in the combo, as a user would."""
        self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def _dialog_dir(self) -> str:
        text = self.path_edit.text().strip()
        return str(Path(text).parent) if text else str(self._flow.service.path.parent)

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
        self.completeChanged.emit()

    def _checked_source(self) -> tuple[Path, str] | None:
        """(path, format to read it as) for the chosen source, or None after showing why not."""
        data = self._flow.data
        text = self.path_edit.text().strip()
        if not text:
            self.source_error.show_error("choose a file (or a Metaculus export folder) to import")
            return None
        path = Path(text).expanduser()
        if not path.exists():
            self.source_error.show_error(f"'{path}' does not exist; check the path")
            return None
        own = data.own_ledger_problem(path, self._flow.service.path)
        if own:
            self.source_error.show_error(own)
            return None
        fmt = self.format_combo.currentData()
        if fmt == "auto":
            detected = data.detect(path)
            if detected is None:
                if path.is_dir():
                    self.source_error.show_error(data.detection_problem(path))
                    return None
                detected = "csv"  # not a tracker's export: a spreadsheet kept by hand, to be mapped
            fmt = detected
        if fmt != "metaculus" and path.is_dir():
            self.source_error.show_error(f"'{path.name}' is a folder; choose a file (only Metaculus exports are "
                                         "folders)")
            return None
        return path, fmt


class MappingPage(QWizardPage):
    """2. (spreadsheets only) Which column holds what; complete once every required role has a column."""

    def __init__(self, flow, default_analyst: str) -> None:
        super().__init__(objectName="importMappingPage")
        self._flow = flow
        self._sheet = None  # SheetPreview of the spreadsheet shown
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
        mapping_hint = HintLabel("mappingHint")
        mapping_hint.setText("* required. Probabilities may be 70%, 0.7, 70 or words such as \"likely\"; dates "
                             "2025-03-01 or 1 Mar 2025; outcomes yes, no or annulled (empty: still open). Rows "
                             "with the same statement are one question.")
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("2. Say which column holds what", "importMappingTitle"))
        layout.addWidget(self.sheet_label)
        layout.addWidget(self.mapping_table, 1)
        layout.addLayout(self._role_grid())
        layout.addLayout(self._defaults_row(default_analyst))
        layout.addWidget(mapping_hint)

    def _role_grid(self) -> QGridLayout:
        """One combo per role, three to a row, each with its label and the error shown under it."""
        roles, required, labels = _roles()
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
        return grid

    def _defaults_row(self, default_analyst: str) -> QHBoxLayout:
        """The analyst for rows that name none, and the character between two tags."""
        self.analyst_edit = QLineEdit(default_analyst, objectName="defaultAnalystEdit")
        self.analyst_edit.setAccessibleName("Analyst for rows that name none")
        self.analyst_edit.setPlaceholderText("who made forecasts where no column says")
        self.separator_edit = QLineEdit(",", objectName="tagSeparatorEdit")
        self.separator_edit.setAccessibleName("Character between two tags")
        self.separator_edit.setMaxLength(3)
        self.separator_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("MMMM") + 16)
        self.separator_edit.textChanged.connect(self._on_mapping_changed)
        row = QHBoxLayout()
        analyst_label = QLabel("Analyst where none is &named:")
        analyst_label.setBuddy(self.analyst_edit)
        separator_label = QLabel("Tags separated &by:")
        separator_label.setBuddy(self.separator_edit)
        row.addWidget(analyst_label)
        row.addWidget(self.analyst_edit, 1)
        row.addSpacing(16)
        row.addWidget(separator_label)
        row.addWidget(self.separator_edit)
        row.addStretch(1)
        return row

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        """Next is enabled once every required role has a column and no column is chosen twice."""
        return self._sheet is not None and not self.mapping().problems(self._sheet.header)

    def nextId(self) -> int:  # noqa: N802 - Qt override
        """Always the preview."""
        return PAGE_PREVIEW

    def mapping(self):
        """The ColumnMapping the page shows now."""
        from forecastapp.core.formats.spreadsheet import ColumnMapping

        chosen = {role: combo.currentData() for role, combo in self.role_combos.items()}
        return ColumnMapping(**chosen, default_analyst=" ".join(self.analyst_edit.text().split()),
                             tag_separator=self.separator_edit.text())

    def set_column(self, role: str, column: str | None) -> None:
        """Choose the column for a role (None: no column), as a user would in its combo."""
        combo = self.role_combos[role]
        combo.setCurrentIndex(combo.findData(column) if column is not None else 0)

    def load_sheet(self, path: Path) -> None:
        """Show the first rows of `path` and propose columns (kept when the header is the one shown before).

        Raises ForecastError when the file cannot be read as a spreadsheet.
        """
        sheet = self._flow.data.sniff(path, rows=PREVIEW_ROWS)
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
            self._propose_columns(sheet.header)
        self._on_mapping_changed()
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.mapping_table.resizeColumnsToContents()
        for column in range(len(sheet.header)):
            # A long statement column must not push every other column out of sight.
            header.resizeSection(column, min(header.sectionSize(column), 320))

    def _propose_columns(self, header: tuple[str, ...]) -> None:
        """Fill every role's combo with the sheet's columns and choose the one its name suggests."""
        mapping = self._flow.data.guess(header, default_analyst=self.analyst_edit.text(),
                                        tag_separator=self.separator_edit.text() or ",")
        _roles_, required, _labels = _roles()
        for role, combo in self.role_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(CHOOSE_TEXT if role in required else NONE_TEXT, None)
            for name in header:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(mapping.column(role))) if mapping.column(role) else 0)
            combo.blockSignals(False)

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
        self.completeChanged.emit()
