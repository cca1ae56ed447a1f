"""LedgerTableModel: the questions of the ledger for the main window's `forecastTable`.

The model holds only the ordered list of row keys that `queries.list_question_keys` returns for
the current filter and sort, and fetches the rows themselves in blocks through
`queries.get_row_values` when the view first asks for them (the id-list plus lazy row cache of
Anki's browser table). A block arrives as SQLite's raw values; a row becomes a `QuestionRow` only
when it is painted or asked for, so the database thread does almost no Python work that would
compete with painting for the interpreter. A bounded LRU of blocks keeps memory flat however far
the user scrolls. Sorting and filtering re-query the key list in SQLite; there is no
QSortFilterProxyModel, which would need every row.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from shiboken6 import isValid

from forecastapp.core.model import QuestionRow
from forecastapp.core.queries import QuestionFilter, RowValues
from forecastapp.ui.models.cells import (
    COL_ANALYST,
    COL_BRIER,
    COL_MADE_ON,
    COL_PROBABILITY,
    COL_RESOLVE_BY,
    COL_STATEMENT,
    COL_STATUS,
    COL_TAGS,
    COLUMN_COUNT,
    display_text,
    sort_value,
    tooltip,
)
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.operations.rows import BLOCK_SIZE, DEFAULT_SORT
from forecastapp.ui.widgets import look

#: The question's full id (str).
IdRole = Qt.ItemDataRole.UserRole
#: A value that sorts like the column (None where the cell is empty).
SortRole = Qt.ItemDataRole.UserRole + 1
#: The whole QuestionRow behind the cell.
RowRole = Qt.ItemDataRole.UserRole + 2

HEADERS = {
    COL_STATEMENT: "Statement",
    COL_TAGS: "Tags",
    COL_PROBABILITY: "Latest",
    COL_ANALYST: "Analyst",
    COL_MADE_ON: "Made on",
    COL_RESOLVE_BY: "Resolve by",
    COL_STATUS: "Status",
    COL_BRIER: "Brier",
}
HEADER_TIPS = {
    COL_PROBABILITY: "Latest forecast probability that the statement comes true",
    COL_ANALYST: "Who made the latest forecast",
    COL_MADE_ON: "When the latest forecast was made",
    COL_STATUS: "Open, due (past its resolve-by date), resolved yes/no, or annulled",
    COL_BRIER: ("Brier score of the final forecasts once resolved (0 is perfect, lower is better): green at 0.09 or "
                "less, red above 0.25 (worse than always saying 50%)"),
}

#: Which `queries.SORT_KEYS` entry each column sorts by.
SORT_KEY_OF_COLUMN = {
    COL_STATEMENT: "statement",
    COL_TAGS: "tags",
    COL_PROBABILITY: "probability",
    COL_ANALYST: "analyst",
    COL_MADE_ON: "made_on",
    COL_RESOLVE_BY: "resolve_by",
    COL_STATUS: "status",
    COL_BRIER: "brier",
}

MAX_CACHED_BLOCKS = 12  # at most 2,400 rows in memory, several screens either way
MAX_PENDING_BLOCKS = 4  # block reads queued while scrolling; older ones are dropped


class _Block:
    """One block of rows: SQLite's raw values, each built into a QuestionRow the first time it is asked for."""

    __slots__ = ("_values", "_rows")

    def __init__(self, values: RowValues) -> None:
        self._values = values
        self._rows: dict[int, QuestionRow] = {}

    def get(self, key: int) -> QuestionRow | None:
        """The row for `key` (None if it was not read: it vanished meanwhile)."""
        row = self._rows.get(key)
        if row is None:
            row = self._values.row(key)
            if row is not None:
                self._rows[key] = row
        return row

    def keys(self):
        """The keys this block holds."""
        return self._values.values.keys()

    def key_of(self, question_id: str) -> int | None:
        """The key of the question with this id, if it is in this block."""
        return self._values.key_of(question_id)

    def __len__(self) -> int:
        return len(self._values.values)


class LedgerTableModel(QAbstractTableModel):
    """Questions matching a filter, in SQL order, with rows fetched in cached blocks."""

    #: Emitted after the key list was re-queried (filter, sort or a write changed it).
    keys_reloaded = Signal()
    #: Emitted when a background key query starts (True) or lands (False).
    loading_changed = Signal(bool)

    def __init__(self, service: LedgerService, parent=None, *, load: bool = True, background: bool = False) -> None:
        super().__init__(parent)
        self._service = service
        self._filter = QuestionFilter()
        self._sort = DEFAULT_SORT
        self._descending = False
        self._keys: list[int] = []
        self._blocks: OrderedDict[int, _Block] = OrderedDict()
        # Painted values per row key, built on first paint; dropped with their block.
        self._cells: dict[int, tuple] = {}
        #: How many rows were read from the database since the model was made (for tests and bench).
        self.rows_fetched = 0
        self._bold: QFont | None = None
        # With background=True, key queries after the first run on the database thread (ui/operations/tasks.py),
        # so typing a search on a 100,000-question ledger never stalls the GUI thread.
        self._background = background
        self._generation = 0
        self._pending_blocks: OrderedDict[int, object] = OrderedDict()
        self._loading = False
        # True while only the first page of keys is known (see `prime(first_page=True)`).
        self._partial = False
        if load:
            self._keys = service.keys(self._filter, sort=self._sort, descending=self._descending)

    # ------------------------------------------------------------ the query

    @property
    def filter(self) -> QuestionFilter:
        """The filter the rows match (or will match, once a background query lands)."""
        return self._filter

    @property
    def sort_key(self) -> tuple[str, bool]:
        """(sort key, descending) currently applied."""
        return self._sort, self._descending

    @property
    def loading(self) -> bool:
        """Whether a background key query is on its way."""
        return self._loading

    def set_filter(self, flt: QuestionFilter, then: Callable[[], None] | None = None) -> None:
        """Show the questions matching `flt` (re-queries the key list); `then` runs once they are shown."""
        self._filter = flt
        self.reload(then)

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Re-query keys and drop cached rows: call after any write or when the ledger changed."""
        self._request_keys(then)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column in SQLite (column -1 restores the order questions were recorded in)."""
        sort = SORT_KEY_OF_COLUMN.get(column, DEFAULT_SORT)
        descending = order == Qt.SortOrder.DescendingOrder and column in SORT_KEY_OF_COLUMN
        if (sort, descending) == (self._sort, self._descending) and self._keys:
            return
        self._sort, self._descending = sort, descending
        self._request_keys(None)

    def prime(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder, *,
              first_page: bool = False) -> None:
        """Load the first key list now, on this thread, in a column's order (before the first paint).

        With `first_page`, only the first block's keys are read (a LIMIT query, about 1 ms in the
        default order on a 100,000-question ledger, against 150 ms for every key); `load_rest()`
        then reads the whole list, on the database thread, and appends the rows below.
        """
        self._sort = SORT_KEY_OF_COLUMN.get(column, DEFAULT_SORT)
        self._descending = order == Qt.SortOrder.DescendingOrder and column in SORT_KEY_OF_COLUMN
        self._generation += 1
        limit = BLOCK_SIZE if first_page else None
        keys = self._service.keys(self._filter, sort=self._sort, descending=self._descending, limit=limit)
        self._apply_keys(keys)
        self._partial = first_page and len(keys) >= BLOCK_SIZE  # fewer keys than asked for: that is all of them
        self.row_at(0)  # the first screen's rows, read now (or taken from the start-up prefetch)

    @property
    def partial(self) -> bool:
        """Whether only the first page of keys is loaded yet (`load_rest()` reads the others)."""
        return self._partial

    def load_rest(self) -> None:
        """After `prime(first_page=True)`: read the whole key list and append the rows past the first page.

        The rows already shown stay as they are (selection and scroll position included); only if
        the ledger changed meanwhile, so that the first page no longer leads the list, is the table reset.
        """
        if not self._partial:
            return
        self._partial = False
        if not self._background:
            self._extend_keys(self._service.keys(self._filter, sort=self._sort, descending=self._descending))
            return
        from forecastapp.ui.operations.rows import read_keys
        from forecastapp.ui.operations.tasks import BackgroundTask, read_pool

        generation = self._generation
        query = self._service.key_query(self._filter, sort=self._sort, descending=self._descending)
        task = BackgroundTask(lambda _ctx: read_keys(query)[0])

        def landed(keys: list[int]) -> None:
            if isValid(self) and generation == self._generation and query.path == self._service.path:
                self._extend_keys(keys)
                self._set_loading(False)  # after the rows are in, so the count shown is the whole one

        def failed(_message: str) -> None:
            if isValid(self) and generation == self._generation:
                self._set_loading(False)
                self._request_keys(None)  # try again the ordinary way

        task.finished.connect(landed)
        task.failed.connect(failed)
        task.done.connect(task.deleteLater)
        self._set_loading(True)
        task.start(read_pool())

    def _extend_keys(self, keys: list[int]) -> None:
        shown = len(self._keys)
        if keys[:shown] != self._keys:
            self._apply_keys(keys)  # another program wrote meanwhile: start afresh
            return
        if len(keys) > shown:
            # Rows appended below, not a reset: the view keeps its selection and scroll position.
            self.beginInsertRows(QModelIndex(), shown, len(keys) - 1)
            self._keys = keys
            self.endInsertRows()

    def _request_keys(self, then: Callable[[], None] | None) -> None:
        self._generation += 1
        if not self._background:
            self._apply_keys(self._service.keys(self._filter, sort=self._sort, descending=self._descending))
            if then:
                then()
            return
        from forecastapp.ui.operations.rows import read_keys
        from forecastapp.ui.operations.tasks import BackgroundTask, read_pool

        generation = self._generation
        query = self._service.key_query(self._filter, sort=self._sort, descending=self._descending)
        task = BackgroundTask(lambda _ctx: read_keys(query, first_block=BLOCK_SIZE))

        def landed(result: tuple[list[int], RowValues]) -> None:
            if not isValid(self):
                return  # the model was deleted while the query ran
            # Only the answer to the latest request counts; earlier ones were overtaken by typing.
            if generation == self._generation and query.path == self._service.path:
                keys, first_rows = result
                self._set_loading(False)
                self._apply_keys(keys, first_rows)
                if then:
                    then()

        def failed(_message: str) -> None:
            if isValid(self) and generation == self._generation:
                self._set_loading(False)
                self._apply_keys(self._service.keys(self._filter, sort=self._sort, descending=self._descending))
                if then:
                    then()

        task.finished.connect(landed)
        task.failed.connect(failed)
        task.done.connect(task.deleteLater)
        self._set_loading(True)
        task.start(read_pool())

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _apply_keys(self, keys: list[int], first_rows: RowValues | None = None) -> None:
        self._partial = False
        self.beginResetModel()
        self._keys = keys
        self._blocks.clear()
        self._cells.clear()
        self._pending_blocks.clear()  # their answers are ignored: the generation moved on
        if first_rows is not None and keys:
            self._store_block(0, first_rows)
        self.endResetModel()
        self.keys_reloaded.emit()

    # ------------------------------------------------------------ keys and rows

    def key_at(self, row: int) -> int | None:
        """The row key (seq) of a table row, or None outside the table."""
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def keys(self) -> Sequence[int]:
        """The ordered keys currently shown."""
        return self._keys

    def row_of_key(self, key: int | None) -> int:
        """The table row showing `key`, or -1 (a C-speed list scan: about 1 ms per 100,000 rows)."""
        if key is None:
            return -1
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    def row_at(self, row: int) -> QuestionRow | None:
        """The question shown in a table row, fetched with its block (on this thread) if needed."""
        key = self.key_at(row)
        if key is None:
            return None
        block_no = row // BLOCK_SIZE
        block = self._blocks.get(block_no)
        if block is None:
            block_keys = self._keys[block_no * BLOCK_SIZE : (block_no + 1) * BLOCK_SIZE]
            block = self._store_block(block_no, self._service.row_values(block_keys))
        else:
            self._blocks.move_to_end(block_no)
        return block.get(key)

    def _row_for_view(self, row: int) -> QuestionRow | None:
        """Like `row_at`, but in background mode a missing block is requested and None returned now.

        Reading a block of 200 rows on a 100,000-question ledger takes a few milliseconds when its
        pages are cached and tens when they come from disk; fetching it while the view paints would
        stall scrolling, so the view shows empty cells for a moment instead and `dataChanged`
        repaints them when the block lands.
        """
        if self._background and self.key_at(row) is not None and row // BLOCK_SIZE not in self._blocks:
            self._request_block(row // BLOCK_SIZE)
            return None
        return self.row_at(row)

    def _store_block(self, block_no: int, values: RowValues) -> _Block:
        self.rows_fetched += len(values.values)
        block = self._blocks[block_no] = _Block(values)
        while len(self._blocks) > MAX_CACHED_BLOCKS:
            _no, evicted = self._blocks.popitem(last=False)
            for key in evicted.keys():
                self._cells.pop(key, None)
        return block

    def _request_block(self, block_no: int) -> None:
        if block_no in self._pending_blocks:
            return
        from forecastapp.ui.operations.rows import read_rows
        from forecastapp.ui.operations.tasks import BackgroundTask, read_pool

        generation = self._generation
        block_keys = list(self._keys[block_no * BLOCK_SIZE : (block_no + 1) * BLOCK_SIZE])
        path, today = self._service.path, self._service.today()
        task = BackgroundTask(lambda _ctx: read_rows(path, block_keys, today=today))
        self._pending_blocks[block_no] = task
        # Fast scrolling asks for blocks it has already left: drop the oldest requests not yet begun.
        while len(self._pending_blocks) > MAX_PENDING_BLOCKS:
            _old_no, old_task = next(iter(self._pending_blocks.items()))
            old_task.cancel()
            del self._pending_blocks[_old_no]

        def landed(rows: RowValues) -> None:
            if not isValid(self):
                return
            if self._pending_blocks.get(block_no) is task:
                del self._pending_blocks[block_no]
            if generation != self._generation or path != self._service.path:
                return  # the key list changed meanwhile; these rows may sit at other positions now
            self._store_block(block_no, rows)
            first = block_no * BLOCK_SIZE
            last = min(first + len(block_keys), len(self._keys)) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1))

        def dropped(*_args) -> None:
            if isValid(self) and self._pending_blocks.get(block_no) is task:
                del self._pending_blocks[block_no]

        task.finished.connect(landed)
        task.failed.connect(dropped)
        task.cancelled.connect(dropped)
        task.done.connect(task.deleteLater)
        task.start(read_pool())

    def find_cached_key(self, question_id: str) -> int | None:
        """The key of a question among the rows in memory (None if it was never fetched)."""
        for block in self._blocks.values():
            key = block.key_of(question_id)
            if key is not None:
                return key
        return None

    def cached_row_count(self) -> int:
        """How many rows are held in memory right now."""
        return sum(len(b) for b in self._blocks.values())

    def refresh_rows(self, keys: Sequence[int] | None = None) -> None:
        """Re-read cached rows (all, or those for `keys`) and repaint them, without re-querying keys."""
        if keys is None:
            self._blocks.clear()
            self._cells.clear()
            if self._keys:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, COLUMN_COUNT - 1))
            return
        for key in keys:
            r = self.row_of_key(key)
            if r < 0:
                continue
            block = self._blocks.pop(r // BLOCK_SIZE, None)
            for k in block.keys() if block is not None else ():
                self._cells.pop(k, None)
            self.dataChanged.emit(self.index(r, 0), self.index(r, COLUMN_COUNT - 1))

    def restyle(self) -> None:
        """Rebuild the painted colours and icons from the current palette (it switched between light and dark)."""
        self._cells.clear()
        if self._keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, COLUMN_COUNT - 1))

    def id_at(self, row: int) -> str | None:
        """The question id shown in a table row."""
        q = self.row_at(row)
        return q.id if q else None

    # ------------------------------------------------------------ QAbstractTableModel

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of matching questions (zero below the top level: this is a flat table)."""
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """The eight columns of COL_*."""
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        """Column titles and their tooltips."""
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """Rows are selectable, never editable in place (the ledger is changed through dialogs)."""
        if not index.isValid():
            return _NO_FLAGS
        return _ROW_FLAGS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        """Cell values per role: text, sort value, id, status colour/icon, tooltip, alignment."""
        # Hot path: Qt asks every visible cell for about ten roles on each paint, so the painted
        # roles come from a per-row tuple built once, compared as plain ints.
        role = int(role)
        if role not in _ROLES:
            return None
        r = index.row()
        if not 0 <= r < len(self._keys) or not index.isValid():
            return None
        cells = self._cells.get(self._keys[r])
        if cells is None:
            row = self._row_for_view(r)
            if row is None:
                if role == _DISPLAY and index.column() == COL_STATEMENT:
                    return "…"  # the row's block is on its way
                return None
            cells = self._cells[self._keys[r]] = self._make_cells(row)
        col = index.column()
        if role == _DISPLAY:
            return cells[0][col]
        if role == _FOREGROUND:
            return cells[1][col]
        if role == _FONT:
            return cells[2][col]
        if role == _ALIGNMENT:
            return _RIGHT if col in (COL_PROBABILITY, COL_BRIER) else _LEFT
        if role == _DECORATION:
            return cells[3] if col == COL_STATUS else None
        row = cells[4]
        if role == _ID:
            return row.id
        if role == _ROW:
            return row
        if role == _SORT:
            return sort_value(row, col)
        if role == _TOOLTIP:
            return tooltip(row, col)
        if role == _ACCESSIBLE:
            return f"{HEADERS[col]}: {cells[0][col] or 'none'}"
        return None

    def _make_cells(self, row: QuestionRow) -> tuple:
        """(texts, colours, fonts, status icon, row) for one question: what painting needs."""
        key = look.status_key(row.status.value, row.outcome.value if row.outcome else None)
        colour = look.tone(key)
        due = key == "due"
        texts = tuple(display_text(row, col) for col in range(COLUMN_COUNT))
        colours = tuple(
            colour if col == COL_STATUS or (col == COL_RESOLVE_BY and due)
            else brier_tone(row.brier) if col == COL_BRIER else None
            for col in range(COLUMN_COUNT)
        )
        if due and self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        fonts = tuple(self._bold if due and col in (COL_STATUS, COL_RESOLVE_BY, COL_STATEMENT) else None
                      for col in range(COLUMN_COUNT))
        return texts, colours, fonts, look.status_icon(key), row


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)

#: A Brier score is coloured by its quality, not by the outcome: green when the final forecasts were
#: within 30 points of what happened (0.09 or less), red when worse than always saying 50% (over 0.25).
GOOD_BRIER = 0.09
POOR_BRIER = 0.25


def brier_tone(brier: float | None) -> QColor | None:
    """The colour of a Brier score in the table: good, poor, or none for what lies between."""
    if brier is None:
        return None
    if brier <= GOOD_BRIER:
        return look.tone("yes")
    if brier > POOR_BRIER:
        return look.tone("no")
    return None
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_ID = int(IdRole.value) if hasattr(IdRole, "value") else int(IdRole)
_SORT = int(SortRole.value) if hasattr(SortRole, "value") else int(SortRole)
_ROW = int(RowRole.value) if hasattr(RowRole, "value") else int(RowRole)
_ROLES = frozenset({_DISPLAY, _FOREGROUND, _FONT, _ALIGNMENT, _DECORATION, _TOOLTIP, _ACCESSIBLE, _ID, _SORT, _ROW})
# Built once: combining Python enum flags costs microseconds, and Qt asks for flags on every paint.
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
