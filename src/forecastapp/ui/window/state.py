"""The window's layout kept between runs (QSettings): geometry, docks, the splitter, the table's columns
and sort order, and the last database. Settings that change results live in the ledger, not here."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt

from forecastapp.ui.settings import K_GEOMETRY, K_HEADER, K_LAST_DB, K_SORT_DESCENDING, K_SORT_KEY, K_SPLITTER, K_STATE


def restore_window(window, s: QSettings, *, first_page: bool) -> None:
    """Restore the saved layout, then load the table's first key list in the saved order.

    The first key list loads here, on this thread (prefetched at start-up when possible), so the
    first paint shows rows; enabling sorting afterwards finds the order already applied. With
    `first_page` (the app), only the first page is read before the first paint; the rest of the key
    list follows on the database thread.
    """
    geometry = s.value(K_GEOMETRY)
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(1280, 800)
    state = s.value(K_STATE)
    if isinstance(state, QByteArray):
        window.restoreState(state)
    splitter = s.value(K_SPLITTER)
    if isinstance(splitter, QByteArray) and not splitter.isEmpty():
        window.splitter.restoreState(splitter)
    else:
        window.splitter.setSizes([880, 400])  # the table first: its statements need the width
    header = window.table.horizontalHeader()
    saved = s.value(K_HEADER)
    if not (isinstance(saved, QByteArray) and header.restoreState(saved)):
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    window.model.prime(header.sortIndicatorSection(), header.sortIndicatorOrder(), first_page=first_page)
    window.table.setSortingEnabled(True)


def save_window(window, s: QSettings) -> None:
    """Save the layout, the sort order and the open database (on close)."""
    s.setValue(K_GEOMETRY, window.saveGeometry())
    s.setValue(K_STATE, window.saveState())
    s.setValue(K_SPLITTER, window.splitter.saveState())
    s.setValue(K_HEADER, window.table.horizontalHeader().saveState())
    sort, descending = window.model.sort_key
    s.setValue(K_SORT_KEY, sort)
    s.setValue(K_SORT_DESCENDING, descending)
    s.setValue(K_LAST_DB, str(window.service.path))
    s.sync()
