"""FleetTableModel: a thin Qt adapter over a FleetTable and a view-order array.

Rows are never materialised: ``data()`` formats the cell from the numpy arrays
when the view draws it.  Sorting and filtering happen in numpy
(core.fleet.query); the model only translates the resulting view order into
Qt's signals.

Live order policy (documented choice): when a cycle changes the values of the
sort column, or the status of rows under a status filter, the model does NOT
reorder or re-filter by default: rows jumping under the operator's mouse every
minute make the grid unusable.  Instead ``order_stale`` turns True (the widget
shows it) until the user sorts again or calls ``refresh()``.  Set
``live_resort = True`` to re-sort/re-filter after every cycle.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThread,
    Signal,
)

from hashinsight_desktop.core.fleet.columns import ALL_COLUMNS, FleetColumn
from hashinsight_desktop.core.fleet.query import FleetQuery, run_query, sort_rows
from hashinsight_desktop.core.fleet.records import ChangedCells, CycleUpdate, MinerRecord
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.fleet.cell_roles import SORT_ROLE, CellRoles
from hashinsight_desktop.ui.fleet.change_ranges import DEFAULT_MAX_RANGES, cell_ranges
from hashinsight_desktop.ui.fleet.headers import column_title, column_tooltip

_AnyIndex = QModelIndex | QPersistentModelIndex

#: Precomputed: OR-ing Python enums costs ~3 µs, and flags() runs for every painted cell.
_CELL_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)

__all__ = ["MINER_ID_ROLE", "SORT_ROLE", "FleetTableModel"]

#: The miner_id of the row (int), whatever the column.
MINER_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class FleetTableModel(QAbstractTableModel):
    """Table model over a FleetTable (see module docstring for the live order policy)."""

    #: True when live data changed the sort column or status-filter membership
    #: since the view order was last computed.
    order_stale_changed = Signal(bool)
    #: Emitted after every applied cycle with the ChangedCells (for count labels etc.).
    cycle_applied = Signal(object)

    def __init__(self, table: FleetTable, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table = table
        self._columns: tuple[FleetColumn, ...] = ALL_COLUMNS
        self._query = FleetQuery()
        self._order = np.arange(len(table), dtype=np.int64)
        self._view_pos = np.arange(len(table), dtype=np.int64)
        self._order_stale = False
        self.live_resort = False
        self.max_ranges_per_column = DEFAULT_MAX_RANGES
        self._cells = CellRoles(table, self._columns)

    # ------------------------------------------------------------ accessors
    @property
    def table(self) -> FleetTable:
        return self._table

    @property
    def query(self) -> FleetQuery:
        return self._query

    @property
    def columns(self) -> tuple[FleetColumn, ...]:
        return self._columns

    @property
    def view_order(self) -> np.ndarray:
        """Table rows in display order (read-only view)."""
        view = self._order.view()
        view.flags.writeable = False
        return view

    @property
    def order_stale(self) -> bool:
        return self._order_stale

    def column_index(self, column: FleetColumn) -> int:
        return self._columns.index(column)

    def miner_id_at(self, view_row: int) -> int:
        return int(self._table.arrays.miner_id[self._order[view_row]])

    def miner_ids_at(self, view_rows: Sequence[int] | np.ndarray) -> np.ndarray:
        rows = np.asarray(view_rows, dtype=np.int64)
        return self._table.arrays.miner_id[self._order[rows]]

    def view_rows_of(self, miner_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """View rows of the given miners that are currently shown (sorted)."""
        table_rows, _found = self._table.rows_for_ids(np.asarray(miner_ids, dtype=np.int64))
        pos = self._view_pos[table_rows]
        return np.sort(pos[pos >= 0])

    def view_row_of(self, miner_id: int) -> int | None:
        rows = self.view_rows_of([miner_id])
        return int(rows[0]) if len(rows) else None

    # ------------------------------------------------------ Qt model API
    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        handler = self._cells.handlers.get(role)
        if handler is None:
            if role == MINER_ID_ROLE and index.isValid():
                return self.miner_id_at(index.row())
            return None
        row = index.row()
        if row < 0 or row >= len(self._order):
            return None
        return handler(int(self._order[row]), index.column())

    def multiData(self, index: _AnyIndex, roleDataSpan: Any) -> None:
        """All roles of one cell in one Python call.

        The item delegate asks every painted cell for 7 roles at once; answering
        them here instead of through 7 ``data()`` calls roughly halves the cost
        of a repaint.
        """
        row = index.row()
        if row < 0 or row >= len(self._order):
            return
        table_row = int(self._order[row])
        column = index.column()
        handlers = self._cells.handlers
        if isinstance(roleDataSpan, QModelRoleData):  # the single-role overload
            roleDataSpan = [roleDataSpan]
        for role_data in roleDataSpan:
            handler = handlers.get(role_data.role())
            if handler is not None:
                value = handler(table_row, column)
                if value is not None:
                    role_data.setData(value)

    def paint_info(self, view_row: int, view_column: int) -> tuple[str, Any, bool]:
        """(text, foreground QColor or None, right-aligned) for the delegate's fast path."""
        table_row = int(self._order[view_row])
        cells = self._cells
        return (
            cells.display(table_row, view_column),
            cells.foreground(table_row, view_column),
            cells.right_aligned[view_column],
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column_tooltip(column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._cells.alignment(column)
        return None

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-sort the shown rows in numpy; persistent indexes (selection) follow their miner."""
        self._check_gui_thread()
        if not 0 <= column < len(self._columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self._query = _replace_sort(self._query, self._columns[column], descending)
        new_order = sort_rows(self._table, self._order, self._columns[column], descending)
        self._relayout(new_order)
        self._set_stale(False)

    def retranslate(self) -> None:
        """Call on QEvent.LanguageChange: headers and status names are translated text."""
        self._cells.retranslate()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if len(self._order):
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._order) - 1, len(self._columns) - 1))

    # ---------------------------------------------------------- mutation
    def set_query(self, query: FleetQuery) -> None:
        """Filter and sort anew (a model reset: the widget restores selection by miner_id)."""
        self._check_gui_thread()
        self._query = query
        self._reset_to(run_query(self._table, query))

    def refresh(self) -> None:
        """Re-run the current query on the current data (clears the stale flag)."""
        self._check_gui_thread()
        new_order = run_query(self._table, self._query)
        if len(new_order) == len(self._order) and np.array_equal(np.sort(new_order), np.sort(self._order)):
            self._relayout(new_order)  # same rows: a layout change keeps selection and scroll
        else:
            self._reset_to(new_order)
        self._set_stale(False)

    def apply_cycle(self, update: CycleUpdate) -> ChangedCells:
        """Apply one collector cycle in place and signal only the changed cells."""
        self._check_gui_thread()
        changes = self._table.apply_cycle(update)
        self._emit_changes(changes)
        if self._order_affected_by(changes):
            if self.live_resort:
                self.refresh()
            else:
                self._set_stale(True)
        self.cycle_applied.emit(changes)
        return changes

    def add_miners(self, records: Sequence[MinerRecord]) -> None:
        self._check_gui_thread()
        self.beginResetModel()
        self._table.add_miners(records)
        self._set_order(run_query(self._table, self._query))
        self.endResetModel()

    def remove_miners(self, miner_ids: Sequence[int]) -> None:
        self._check_gui_thread()
        self.beginResetModel()
        self._table.remove_miners(miner_ids)
        self._set_order(run_query(self._table, self._query))
        self.endResetModel()

    # ----------------------------------------------------------- helpers
    def _emit_changes(self, changes: ChangedCells) -> None:
        rows_by_view_column: dict[int, np.ndarray] = {}
        for column, table_rows in changes.by_column.items():
            pos = self._view_pos[table_rows]
            pos = pos[pos >= 0]
            if len(pos):
                rows_by_view_column[self._columns.index(column)] = pos
        # createIndex, not index(): index() validates through rowCount() (a Python call)
        emit, create = self.dataChanged.emit, self.createIndex
        for r in cell_ranges(rows_by_view_column, self.max_ranges_per_column):
            emit(create(r.first_row, r.first_column), create(r.last_row, r.last_column))

    def _order_affected_by(self, changes: ChangedCells) -> bool:
        if self._query.sort_column is not None and self._query.sort_column in changes.by_column:
            return True
        if self._query.statuses and FleetColumn.STATUS in changes.by_column:
            changed = changes.by_column[FleetColumn.STATUS]
            now_passing = np.isin(self._table.arrays.status[changed], list(self._query.statuses))
            shown = self._view_pos[changed] >= 0
            return bool(np.any(now_passing != shown))
        return False

    def _relayout(self, new_order: np.ndarray) -> None:
        """Same set of rows, new order: move persistent indexes to their miner's new row."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        table_rows = [int(self._order[p.row()]) for p in persistent]
        self._set_order(new_order)
        moved = [
            self.index(int(self._view_pos[t]), p.column()) for p, t in zip(persistent, table_rows, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _reset_to(self, new_order: np.ndarray) -> None:
        self.beginResetModel()
        self._set_order(new_order)
        self.endResetModel()

    def _set_order(self, order: np.ndarray) -> None:
        self._order = np.ascontiguousarray(order, dtype=np.int64)
        self._view_pos = np.full(len(self._table), -1, dtype=np.int64)
        self._view_pos[self._order] = np.arange(len(self._order), dtype=np.int64)

    def _set_stale(self, stale: bool) -> None:
        if stale != self._order_stale:
            self._order_stale = stale
            self.order_stale_changed.emit(stale)

    def _check_gui_thread(self) -> None:
        # Mutating the model from a worker thread corrupts views silently; fail loudly.
        if QThread.currentThread() != self.thread():
            raise RuntimeError(
                "FleetTableModel must be changed on the GUI thread; send the CycleUpdate "
                "through a queued signal"
            )


def _replace_sort(query: FleetQuery, column: FleetColumn, descending: bool) -> FleetQuery:
    return dataclasses.replace(query, sort_column=column, descending=descending)
