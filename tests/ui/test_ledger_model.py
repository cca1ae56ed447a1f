"""The paging table model: Qt's model rules, what each cell shows, SQL-side sorting, bounded memory."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from forecastapp.core import ledger, store
from forecastapp.core.model import Outcome
from forecastapp.core.queries import QuestionFilter
from forecastapp.ui.models.ledger_table import (
    BLOCK_SIZE,
    COL_BRIER,
    COL_PROBABILITY,
    COL_RESOLVE_BY,
    COL_STATEMENT,
    COL_STATUS,
    MAX_CACHED_BLOCKS,
    IdRole,
    LedgerTableModel,
)
from forecastapp.ui.operations.ledger import LedgerService
from forecastapp.ui.widgets import look

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
LARGE = 20_000


def _service(db, path) -> LedgerService:
    return LedgerService(db, path, now=lambda: NOW, today=lambda: TODAY)


def _probability_of(i: int) -> float:
    """The generated ledger's probability for question i: 1%..98% in whole percents."""
    return round(0.01 + (i % 98) / 100, 2)


@pytest.fixture(scope="session")
def _large_template(tmp_path_factory):
    """A ledger of 20,000 questions made through the core's create_forecast, in one transaction."""
    path = tmp_path_factory.mktemp("large") / "large.db"
    db = store.open_ledger(path, seed=False)
    with store.writing(db):
        for i in range(LARGE):
            ledger.create_forecast(
                db,
                ledger.NewQuestion(statement=f"Generated question {i:05d}",
                                   resolve_by=date(2024, 1, 1) + timedelta(days=i % 1500), tags=(f"t{i % 7}",)),
                analyst=f"Analyst {i % 5}", probability=_probability_of(i), made_on=date(2023, 1, 1),
                today=TODAY, now=NOW,
            )
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def large(_large_template, tmp_path):
    path = tmp_path / "large.db"
    shutil.copyfile(_large_template, path)
    db = store.open_ledger(path, seed=False)
    yield _service(db, path)
    db.close()


@pytest.fixture
def seeded_service(seeded_ledger, seeded_path):
    return _service(seeded_ledger, seeded_path)


def test_seeded_model_passes_qt_model_checks(qtmodeltester, seeded_service):
    model = LedgerTableModel(seeded_service)
    qtmodeltester.check(model, force_py=True)
    model.sort(COL_PROBABILITY, Qt.SortOrder.DescendingOrder)
    model.set_filter(QuestionFilter(status="due"))
    model.reload()


def test_cells_show_percent_status_and_brier(seeded_service):
    model = LedgerTableModel(seeded_service)
    row = model.row_at(0)
    assert model.data(model.index(0, COL_PROBABILITY)) == "67.5%"
    assert model.data(model.index(0, COL_STATEMENT), Qt.ItemDataRole.ToolTipRole).count(row.statement[:40]) == 1
    assert model.data(model.index(0, 0), IdRole) == row.id
    # The seed's first question is due on the fixed today (deadline 2025-12-31): bold and orange.
    assert model.data(model.index(0, COL_STATUS)) == "due"
    assert model.data(model.index(0, COL_STATUS), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(0, COL_STATUS), Qt.ItemDataRole.ForegroundRole) == look.tone("due")
    assert model.data(model.index(0, COL_RESOLVE_BY), Qt.ItemDataRole.ForegroundRole) == look.tone("due")
    assert model.data(model.index(0, COL_BRIER)) == ""
    seeded_service.resolve(row.id, _resolution("no"))
    model.reload()
    assert model.data(model.index(0, COL_STATUS)) == "resolved no"
    assert model.data(model.index(0, COL_STATUS), Qt.ItemDataRole.ForegroundRole) == look.tone("no")
    # (0.675 - 0)^2 = 0.455625, shown to three decimals.
    assert model.data(model.index(0, COL_BRIER)) == "0.456"
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.data(model.index(0, COL_BRIER), Qt.ItemDataRole.TextAlignmentRole) == right


def _resolution(outcome: str):
    from forecastapp.ui.operations.ledger import ResolutionInput

    return ResolutionInput(outcome=Outcome(outcome), resolved_on=date(2025, 12, 31), evidence="test")


def test_light_and_dark_tones_differ_for_readability():
    from PySide6.QtGui import QColor, QPalette

    light, dark = QPalette(), QPalette()
    light.setColor(QPalette.ColorRole.Base, QColor("white"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    for name in ("due", "yes", "no", "annulled"):
        on_light, on_dark = look.tone(name, light), look.tone(name, dark)
        assert on_light != on_dark
        # Darker text on a light base, lighter text on a dark base.
        assert on_light.lightness() < on_dark.lightness()


def test_large_ledger_passes_model_checks_and_reads_only_a_block(qtmodeltester, large):
    model = LedgerTableModel(large)
    assert model.rowCount() == LARGE
    qtmodeltester.check(model, force_py=True)
    assert model.rows_fetched <= BLOCK_SIZE
    assert model.data(model.index(LARGE - 1, COL_STATEMENT)) == f"Generated question {LARGE - 1:05d}"


def test_scrolling_a_large_ledger_keeps_a_bounded_number_of_rows(qtbot, large):
    model = LedgerTableModel(large)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.verticalHeader().setDefaultSectionSize(20)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    bar = view.verticalScrollBar()
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 0.05):
        bar.setValue(int(bar.maximum() * fraction))
        qtbot.wait(5)
        view.viewport().repaint()
    assert model.rows_fetched > 3 * BLOCK_SIZE  # the view really asked for rows far down the table
    assert model.cached_row_count() <= MAX_CACHED_BLOCKS * BLOCK_SIZE
    # Seven screens visited: each needed one or two blocks, never the whole ledger.
    assert model.rows_fetched <= 14 * BLOCK_SIZE
    assert model.rows_fetched < LARGE / 5


def test_sorting_a_large_ledger_is_done_by_sqlite(large):
    model = LedgerTableModel(large)
    model.sort(COL_PROBABILITY, Qt.SortOrder.DescendingOrder)
    top = max(_probability_of(i) for i in range(LARGE))
    assert model.data(model.index(0, COL_PROBABILITY)) == f"{round(top * 100)}%"
    bottom = min(_probability_of(i) for i in range(LARGE))
    assert model.data(model.index(LARGE - 1, COL_PROBABILITY)) == f"{round(bottom * 100)}%"
    assert model.rows_fetched <= 2 * BLOCK_SIZE


def test_filtering_a_large_ledger_requeries_the_keys(large):
    model = LedgerTableModel(large)
    model.set_filter(QuestionFilter(search="Generated question 01234"))
    assert model.rowCount() == 1
    assert model.data(model.index(0, COL_STATEMENT)) == "Generated question 01234"
    model.set_filter(QuestionFilter(tag="t3"))
    assert model.rowCount() == sum(1 for i in range(LARGE) if i % 7 == 3)


def test_in_the_app_a_missing_block_is_read_off_the_gui_thread(qtbot, large):
    model = LedgerTableModel(large, background=True)
    far = LARGE // 2 + 7
    index = model.index(far, COL_STATEMENT)
    with qtbot.waitSignal(model.dataChanged, timeout=10_000) as changed:
        assert model.data(index) == "…"  # nothing read on this thread: a placeholder, and a request
    first, last = changed.args[0].row(), changed.args[1].row()
    assert first <= far <= last and last - first + 1 == BLOCK_SIZE
    assert model.data(index) == f"Generated question {far:05d}"
    assert model.rows_fetched == BLOCK_SIZE


def test_in_the_app_a_new_order_arrives_with_its_first_rows(qtbot, large):
    model = LedgerTableModel(large, background=True)
    with qtbot.waitSignal(model.keys_reloaded, timeout=10_000):
        model.sort(COL_PROBABILITY, Qt.SortOrder.DescendingOrder)
        assert model.loading
    assert not model.loading
    top = max(_probability_of(i) for i in range(LARGE))
    assert model.data(model.index(0, COL_PROBABILITY)) == f"{round(top * 100)}%"  # no placeholder


def test_at_start_up_the_first_page_shows_and_the_rest_is_appended_below_it(qtbot, large):
    model = LedgerTableModel(large, load=False, background=True)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.prime(-1, first_page=True)
    assert model.partial and model.rowCount() == BLOCK_SIZE  # a LIMIT query, not all 20,000 keys
    assert model.data(model.index(0, COL_STATEMENT)) == "Generated question 00000"
    view.selectRow(7)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(model.loading_changed, timeout=10_000, check_params_cb=lambda loading: not loading):
        model.load_rest()
    assert not model.partial and model.rowCount() == LARGE
    assert model.row_at(LARGE - 1).statement == f"Generated question {LARGE - 1:05d}"
    assert resets == [] and view.currentIndex().row() == 7  # appended: the user's selection stays
