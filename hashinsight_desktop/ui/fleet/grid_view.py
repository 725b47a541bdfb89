"""The QTableView of the fleet grid, set up for 100,000 rows.

Speed settings: fixed row height (no per-row size hints), no word wrap, no
resize-to-contents (it would call data() for every row), per-pixel scrolling,
and cells painted by grid_painter in one Python call per repaint instead of one
delegate call per cell (``fast_paint = False`` falls back to the lean
FleetCellDelegate, e.g. to compare).  The header's context menu is the column
chooser.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from hashinsight_desktop.core.fleet.columns import HIDDEN_BY_DEFAULT, FleetColumn
from hashinsight_desktop.ui.fleet.delegates import FleetCellDelegate
from hashinsight_desktop.ui.fleet.grid_painter import paint_visible_cells
from hashinsight_desktop.ui.fleet.headers import column_title
from hashinsight_desktop.ui.fleet.model import FleetTableModel
from hashinsight_desktop.ui.fleet.static_text_cache import StaticTextCache

#: Default widths in pixels, sized for the compact formats of formatters.py.
DEFAULT_WIDTHS: dict[FleetColumn, int] = {
    FleetColumn.NAME: 120, FleetColumn.IP: 105, FleetColumn.SITE: 70,
    FleetColumn.RACK_POSITION: 75, FleetColumn.MODEL: 130, FleetColumn.FIRMWARE: 118,
    FleetColumn.STATUS: 78, FleetColumn.HASHRATE: 88, FleetColumn.PCT_NOMINAL: 70,
    FleetColumn.TEMP_MAX: 84, FleetColumn.FANS: 78, FleetColumn.POWER: 72,
    FleetColumn.J_PER_TH: 52, FleetColumn.UPTIME: 70, FleetColumn.POOL: 185,
    FleetColumn.CLIENT: 140, FleetColumn.LAST_SEEN: 84, FleetColumn.ALERTS: 60,
    FleetColumn.SERIAL: 110, FleetColumn.TAGS: 120,
}


class FleetGridView(QTableView):
    """Table view tuned for the fleet model (see module docstring)."""

    def __init__(self, model: FleetTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._delegate = FleetCellDelegate(model, self)
        self.setItemDelegate(self._delegate)
        self._texts = StaticTextCache()
        self.fast_paint = True
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        columns = self.horizontalHeader()
        columns.setSectionsMovable(True)
        columns.setHighlightSections(False)
        columns.setStretchLastSection(False)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        columns.customContextMenuRequested.connect(self._show_column_chooser)
        for i, column in enumerate(model.columns):
            self.setColumnWidth(i, DEFAULT_WIDTHS.get(column, 90))
            self.setColumnHidden(i, column in HIDDEN_BY_DEFAULT)
        # No initial sort: keep table order until the user clicks a header.
        columns.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

    def fleet_model(self) -> FleetTableModel:
        model = self.model()
        assert isinstance(model, FleetTableModel)
        return model

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self._delegate.clear_cache()
            self._texts.clear()
            self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self.fleet_model()
        if not self.fast_paint or model.rowCount() == 0:
            super().paintEvent(event)
            return
        painter = QPainter(self.viewport())
        try:
            paint_visible_cells(self, model, self._texts, painter, event.rect())
        finally:
            painter.end()

    # ------------------------------------------------------ column chooser
    def column_menu(self) -> QMenu:
        """Checkable list of columns; unchecking hides (at least one stays visible)."""
        menu = QMenu(self)
        model = self.fleet_model()
        visible = [i for i in range(model.columnCount()) if not self.isColumnHidden(i)]
        for i, column in enumerate(model.columns):
            action = menu.addAction(column_title(column))
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(i))
            action.setEnabled(not (len(visible) == 1 and i in visible))
            action.toggled.connect(lambda on, col=i: self.setColumnHidden(col, not on))
        return menu

    def _show_column_chooser(self, pos: QPoint) -> None:
        self.column_menu().popup(self.horizontalHeader().mapToGlobal(pos))

    # ------------------------------------------------------ layout state
    def visible_columns(self) -> list[FleetColumn]:
        """Shown columns, in on-screen order."""
        return [c for c in self.column_order() if not self.isColumnHidden(self.fleet_model().column_index(c))]

    def column_order(self) -> list[FleetColumn]:
        header = self.horizontalHeader()
        model = self.fleet_model()
        return [model.columns[header.logicalIndex(v)] for v in range(header.count())]

    def apply_columns(self, order: list[FleetColumn], visible: list[FleetColumn]) -> None:
        header = self.horizontalHeader()
        model = self.fleet_model()
        for visual, column in enumerate(c for c in order if c in model.columns):
            header.moveSection(header.visualIndex(model.column_index(column)), visual)
        shown = set(visible) or {model.columns[0]}
        for i, column in enumerate(model.columns):
            self.setColumnHidden(i, column not in shown)
