"""FleetGridWidget: search, filters, saved views, count label and the fleet grid.

Selection is kept by miner_id: sorting moves it with the rows (persistent
indexes), and after a filter change (a model reset) the widget selects the
same miners again and scrolls back to the current one.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hashinsight_desktop.core.fleet.codes import MinerStatus
from hashinsight_desktop.core.fleet.query import FleetQuery, all_tags
from hashinsight_desktop.core.fleet.saved_view import SavedView
from hashinsight_desktop.ui.fleet.filter_button import MultiSelectFilterButton
from hashinsight_desktop.ui.fleet.grid_view import FleetGridView
from hashinsight_desktop.ui.fleet.headers import status_title
from hashinsight_desktop.ui.fleet.model import FleetTableModel
from hashinsight_desktop.ui.fleet.saved_views import InMemorySavedViewStorage, SavedViewStorage

#: Typing pauses shorter than this do not re-filter (100,000 rows filter in ~10 ms,
#: but re-filtering on every keystroke resets the view needlessly).
SEARCH_DEBOUNCE_MS = 150


class FleetGridWidget(QWidget):
    """The fleet grid with its tool bar (see module docstring)."""

    selection_changed = Signal(list)  # list[int] miner_ids
    miner_activated = Signal(int)  # miner_id

    def __init__(
        self,
        model: FleetTableModel,
        storage: SavedViewStorage | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._storage: SavedViewStorage = storage or InMemorySavedViewStorage()
        self._selected_ids = np.empty(0, dtype=np.int64)
        self._current_id: int | None = None
        self._restoring = False
        self._build_ui()
        self._connect()
        self.refresh_filter_options()
        self._reload_saved_views()
        self._update_count()

    # ---------------------------------------------------------------- UI
    def _build_ui(self) -> None:
        self.search_box = QLineEdit(self)
        self.search_box.setClearButtonEnabled(True)
        self.status_filter = MultiSelectFilterButton("", self)
        self.site_filter = MultiSelectFilterButton("", self)
        self.model_filter = MultiSelectFilterButton("", self)
        self.client_filter = MultiSelectFilterButton("", self)
        self.tag_filter = MultiSelectFilterButton("", self)
        self.views_combo = QComboBox(self)
        self.views_combo.setMinimumContentsLength(12)
        self.save_view_button = QToolButton(self)
        self.delete_view_button = QToolButton(self)
        self.stale_button = QToolButton(self)
        self.stale_button.setVisible(False)
        self.count_label = QLabel(self)
        self.view = FleetGridView(self._model, self)
        self._retranslate_ui()

        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 3)
        for w in (self.status_filter, self.site_filter, self.model_filter,
                  self.client_filter, self.tag_filter):
            bar.addWidget(w)
        bar.addSpacing(12)
        for w in (self.views_combo, self.save_view_button, self.delete_view_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.stale_button)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view)

    def _retranslate_ui(self) -> None:
        self.search_box.setPlaceholderText(self.tr("Search name, IP, serial, client (Ctrl+F)"))
        for button, title in (
            (self.status_filter, self.tr("Status")), (self.site_filter, self.tr("Site")),
            (self.model_filter, self.tr("Model")), (self.client_filter, self.tr("Client")),
            (self.tag_filter, self.tr("Tag")),
        ):
            button.set_title(title)
        self.views_combo.setToolTip(self.tr("Saved views"))
        self.save_view_button.setText(self.tr("Save view…"))
        self.delete_view_button.setText(self.tr("Delete view"))
        self.stale_button.setText(self.tr("⟳ Order out of date"))
        self.stale_button.setToolTip(
            self.tr("New readings changed the sorted or filtered values; click to re-sort")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate_ui()
            self._model.retranslate()
            self.refresh_filter_options()
            self._reload_saved_views()
            self._update_count()
        super().changeEvent(event)

    def _connect(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self.apply_filters)
        for button in self._filter_buttons():
            button.selection_changed.connect(lambda _s: self.apply_filters())
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.activated.connect(self._on_activated)
        self._model.modelReset.connect(self._restore_selection)
        self._model.order_stale_changed.connect(self.stale_button.setVisible)
        self._model.cycle_applied.connect(lambda _c: self._update_count())
        self.stale_button.clicked.connect(self._model.refresh)
        self.save_view_button.clicked.connect(self._ask_and_save_view)
        self.delete_view_button.clicked.connect(self._delete_current_view)
        self.views_combo.activated.connect(self._on_view_chosen)

    def _filter_buttons(self) -> tuple[MultiSelectFilterButton, ...]:
        return (self.status_filter, self.site_filter, self.model_filter,
                self.client_filter, self.tag_filter)

    def refresh_filter_options(self) -> None:
        """Refill the drop-downs from the table (call after adding miners)."""
        table = self._model.table
        self.status_filter.set_options((s, status_title(s)) for s in MinerStatus)
        self.site_filter.set_options(_label_options(table.sites.labels))
        self.model_filter.set_options(_label_options(table.models.labels))
        self.client_filter.set_options(
            [*_label_options(table.clients.labels), (None, self.tr("(no client)"))]
        )
        self.tag_filter.set_options((t, t) for t in all_tags(table))

    # ----------------------------------------------------------- queries
    def current_query(self) -> FleetQuery:
        sort = self._model.query
        return FleetQuery(
            search_text=self.search_box.text(),
            statuses=self.status_filter.selected(),
            sites=self.site_filter.selected(),
            models=self.model_filter.selected(),
            clients=self.client_filter.selected(),
            tags=self.tag_filter.selected(),
            sort_column=sort.sort_column,
            descending=sort.descending,
        )

    def apply_filters(self) -> None:
        """Re-filter now from the search box and drop-downs (the sort stays)."""
        self._search_timer.stop()
        query = self.current_query()
        if query != self._model.query:
            self._model.set_query(query)
        self._update_count()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # --------------------------------------------------------- selection
    def selected_miner_ids(self) -> list[int]:
        return [int(x) for x in self._selected_ids]

    def select_miner(self, miner_id: int) -> bool:
        """Select one miner and scroll to it; False when it is not shown (filtered out)."""
        row = self._model.view_row_of(miner_id)
        if row is None:
            return False
        index = self._model.index(row, self._first_visible_column())
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def select_miners(self, miner_ids: Iterable[int]) -> None:
        """Select these miners (those filtered out are selected when shown again)."""
        self._selected_ids = np.unique(np.fromiter(miner_ids, dtype=np.int64))
        self._restore_selection()
        self.selection_changed.emit(self.selected_miner_ids())

    def _on_selection_changed(self, *_args: object) -> None:
        if self._restoring:
            return
        # Ranges, not selectedRows(): Ctrl+A on 100,000 rows is one range, not 100,000 indexes.
        ranges = [
            np.arange(r.top(), r.bottom() + 1, dtype=np.int64)
            for r in self.view.selectionModel().selection()
        ]
        rows = np.unique(np.concatenate(ranges)) if ranges else np.empty(0, dtype=np.int64)
        self._selected_ids = np.sort(self._model.miner_ids_at(rows))
        self.selection_changed.emit(self.selected_miner_ids())
        self._update_count()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._restoring and current.isValid():
            self._current_id = self._model.miner_id_at(current.row())

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.miner_activated.emit(self._model.miner_id_at(index.row()))

    def _restore_selection(self) -> None:
        """Select ``_selected_ids`` again after a reset; hidden miners stay remembered."""
        rows = self._model.view_rows_of(self._selected_ids)
        selection = QItemSelection()
        last_column = self._model.columnCount() - 1
        if len(rows):
            breaks = np.flatnonzero(np.diff(rows) > 1)
            starts = np.concatenate(([rows[0]], rows[breaks + 1]))
            ends = np.concatenate((rows[breaks], [rows[-1]]))
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                selection.select(self._model.index(start, 0), self._model.index(end, last_column))
        self._restoring = True
        try:
            model_sel = self.view.selectionModel()
            model_sel.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            current = None if self._current_id is None else self._model.view_row_of(self._current_id)
            if current is not None:
                index = self._model.index(current, self._first_visible_column())
                model_sel.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        finally:
            self._restoring = False
        self._update_count()

    def _first_visible_column(self) -> int:
        header = self.view.horizontalHeader()
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            if not header.isSectionHidden(logical):
                return logical
        return 0

    # ------------------------------------------------------- saved views
    def current_view(self, name: str) -> SavedView:
        return SavedView(
            name=name,
            query=self.current_query(),
            visible_columns=tuple(self.view.visible_columns()),
            column_order=tuple(self.view.column_order()),
        )

    def save_current_view(self, name: str) -> SavedView:
        view = self.current_view(name)
        self._storage.save(view)
        self._reload_saved_views(select=name)
        return view

    def apply_view(self, view: SavedView) -> None:
        q = view.query
        for button, values in (
            (self.status_filter, q.statuses), (self.site_filter, q.sites),
            (self.model_filter, q.models), (self.client_filter, q.clients),
            (self.tag_filter, q.tags),
        ):
            button.blockSignals(True)
            button.set_selected(values)
            button.blockSignals(False)
        self.search_box.blockSignals(True)
        self.search_box.setText(q.search_text)
        self.search_box.blockSignals(False)
        self.view.apply_columns(list(view.column_order), list(view.visible_columns))
        self._model.set_query(q)
        header = self.view.horizontalHeader()
        header.blockSignals(True)  # the model is sorted already; do not sort twice
        if q.sort_column is None:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        else:
            order = Qt.SortOrder.DescendingOrder if q.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(self._model.column_index(q.sort_column), order)
        header.blockSignals(False)
        header.viewport().update()
        self._update_count()

    def delete_view(self, name: str) -> None:
        self._storage.delete(name)
        self._reload_saved_views()

    def _reload_saved_views(self, select: str | None = None) -> None:
        self.views_combo.blockSignals(True)
        self.views_combo.clear()
        self.views_combo.addItem(self.tr("(views)"), None)
        for view in self._storage.list():
            self.views_combo.addItem(view.name, view.to_dict())
        index = self.views_combo.findText(select) if select else 0
        self.views_combo.setCurrentIndex(max(index, 0))
        self.views_combo.blockSignals(False)
        self.delete_view_button.setEnabled(self.views_combo.count() > 1)

    def _on_view_chosen(self, index: int) -> None:
        data = self.views_combo.itemData(index)
        if data:
            self.apply_view(SavedView.from_dict(data))

    def _ask_and_save_view(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save view"), self.tr("View name:"))
        if ok and name.strip():
            self.save_current_view(name.strip())

    def _delete_current_view(self) -> None:
        if self.views_combo.currentIndex() > 0:
            self.delete_view(self.views_combo.currentText())

    # -------------------------------------------------------------- misc
    def _update_count(self) -> None:
        total = len(self._model.table)
        shown = self._model.rowCount()
        selected = len(self._selected_ids)
        self.count_label.setText(
            self.tr("{total} miners, {shown} shown, {selected} selected").format(
                total=f"{total:,}", shown=f"{shown:,}", selected=f"{selected:,}"
            )
        )


def _label_options(labels: list[str]) -> list[tuple[str, str]]:
    return [(label, label) for label in sorted(labels, key=str.casefold)]

