"""The dialog a document import asks before storing the file: its title, author and published date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from forecastapp.ui.widgets.fields import ErrorLabel, date_edit, field_with_messages, from_qdate, run_dialog


@dataclass(frozen=True)
class DocumentInfo:
    """What the import asks about a document before storing it."""

    title: str
    author: str
    published_on: date | None


class DocumentInfoDialog(QDialog):
    """Title, author and published date of a document about to be imported."""

    def __init__(self, *, title: str, author: str, published_on: date | None, today: date, file_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentInfoDialog")
        self.setWindowTitle("Import document")
        self.setAccessibleName("Import document")
        intro = QLabel(f"Import {file_name} and review its candidate forecasts. Forecasts accepted from it are "
                       "recorded under the author's name, dated on the published date.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.title_edit = QLineEdit(title, objectName="documentTitleEdit")
        self.title_edit.setAccessibleName("Title")
        self.title_error = ErrorLabel("documentTitleError")
        self.author_edit = QLineEdit(author, objectName="documentAuthorEdit")
        self.author_edit.setAccessibleName("Author")
        self.author_edit.setPlaceholderText("who wrote it (empty: recorded as the unnamed author)")
        self.published_known = QCheckBox("&Known", objectName="publishedKnownCheck")
        self.published_known.setChecked(published_on is not None)
        self.published_edit = date_edit("documentPublishedEdit", "Published on", published_on or today, maximum=today)
        self.published_edit.setEnabled(published_on is not None)
        self.published_known.toggled.connect(self.published_edit.setEnabled)
        published = QWidget()
        row = QHBoxLayout(published)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.published_known)
        row.addWidget(self.published_edit, 1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field, shown in (("&Title:", self.title_edit, field_with_messages(self.title_edit, self.title_error)),
                                   ("&Author:", self.author_edit, self.author_edit),
                                   ("&Published:", self.published_known, published)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, shown)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Import")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(box)
        self.title_edit.textChanged.connect(self._validate)
        self.resize(520, self.sizeHint().height())
        self._validate()

    def _validate(self) -> None:
        empty = not self.title_edit.text().strip()
        self.title_error.show_error("the title is empty; give the document a name" if empty else None)
        self.ok_button.setEnabled(not empty)

    def values(self) -> DocumentInfo:
        """The entered values."""
        return DocumentInfo(
            title=self.title_edit.text().strip(),
            author=" ".join(self.author_edit.text().split()),
            published_on=from_qdate(self.published_edit.date()) if self.published_known.isChecked() else None,
        )

    @classmethod
    def ask(cls, parent: QWidget | None, *, title: str, author: str = "", published_on: date | None = None,
            today: date, file_name: str) -> DocumentInfo | None:
        """Show the dialog modally; the entered values, or None if cancelled."""
        dialog = cls(title=title, author=author, published_on=published_on, today=today, file_name=file_name,
                     parent=parent)
        return run_dialog(dialog, dialog.values)
