"""RackMapWidget: site and metric selectors, the painted map and its legend.

Bind a fleet table with ``set_table``; after each collector cycle call
``refresh()`` (cheap: numpy re-bucketing, no relayout unless miners were added
or removed).  Clicking a cell emits ``miner_clicked(miner_id)``;
``select_miner`` highlights a miner, switching to its site if needed.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from hashinsight_desktop.core.fleet.arrays import FleetArrays
from hashinsight_desktop.core.fleet.codes import MISSING_CODE
from hashinsight_desktop.core.fleet.natural import natural_key
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.rackmap.canvas import RackMapCanvas
from hashinsight_desktop.ui.rackmap.legend import RackMapLegend
from hashinsight_desktop.ui.rackmap.metrics import RackMetric
from hashinsight_desktop.ui.rackmap.texts import metric_name, no_site_name


class RackMapWidget(QWidget):
    """Rack map panel (see module docstring)."""

    miner_clicked = Signal(int)

    def __init__(self, table: FleetTable | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table: FleetTable | None = None
        self._arrays: FleetArrays | None = None  # identity: replaced when rows change
        self.site_label = QLabel()
        self.site_combo = QComboBox()
        self.site_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.metric_label = QLabel()
        self.metric_combo = QComboBox()
        for metric in RackMetric:
            self.metric_combo.addItem("", metric.value)
        self.canvas = RackMapCanvas()
        self.legend = RackMapLegend()
        self._build_layout()
        self.retranslate()
        self.site_combo.currentIndexChanged.connect(self._on_site_changed)
        self.metric_combo.currentIndexChanged.connect(self._on_metric_changed)
        self.canvas.miner_clicked.connect(self.miner_clicked)
        if table is not None:
            self.set_table(table)

    # ----------------------------------------------------------------- API
    def set_table(self, table: FleetTable | None) -> None:
        """Show ``table`` (keeps the current site when the new table has it)."""
        self._table = table
        self._arrays = None if table is None else table.arrays
        self._reload_sites()

    def refresh(self) -> None:
        """Recolour after a collector cycle; re-lays out if miners were added or removed."""
        if self._table is None:
            return
        if self._table.arrays is not self._arrays:
            self._arrays = self._table.arrays
            selected = self.canvas.selected_miner()
            self._reload_sites()
            if selected is not None:
                self.canvas.select(selected)
            return
        self.canvas.recolor()
        self._update_legend()

    def select_miner(self, miner_id: int) -> bool:
        """Highlight ``miner_id``, switching site if needed; False when it is unknown."""
        table = self._table
        if table is not None and table.arrays is not self._arrays:
            self.refresh()  # miners were added since the last refresh: sites may be new
        row = None if table is None else table.row_of(int(miner_id))
        if table is None or row is None:
            self.canvas.select(None)
            return False
        site_code = int(table.arrays.site[row])
        if site_code != self.current_site_code():
            self.site_combo.setCurrentIndex(self.site_combo.findData(site_code))
        return self.canvas.select(int(miner_id))

    def current_site_code(self) -> int | None:
        data = self.site_combo.currentData()
        return None if data is None else int(data)

    def current_site(self) -> str | None:
        """Label of the site shown (None: no site, or miners without a site)."""
        code = self.current_site_code()
        if self._table is None or code is None:
            return None
        return self._table.sites.label(code)

    def set_site(self, label: str | None) -> bool:
        """Show the site named ``label`` (None: miners without a site); False if absent."""
        if self._table is None:
            return False
        if label is None:
            code = MISSING_CODE
        else:
            codes = self._table.sites.existing_codes([label])
            if len(codes) == 0:
                return False
            code = int(codes[0])
        index = self.site_combo.findData(code)
        if index < 0:
            return False
        self.site_combo.setCurrentIndex(index)
        return True

    def current_metric(self) -> RackMetric:
        return RackMetric(self.metric_combo.currentData())

    def set_metric(self, metric: RackMetric) -> None:
        self.metric_combo.setCurrentIndex(self.metric_combo.findData(RackMetric(metric).value))

    # ------------------------------------------------------------- events
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.site_label.setText(self.tr("Site"))
        self.metric_label.setText(self.tr("Colour by"))
        for i in range(self.metric_combo.count()):
            self.metric_combo.setItemText(i, metric_name(RackMetric(self.metric_combo.itemData(i))))
        index = self.site_combo.findData(MISSING_CODE)
        if index >= 0:
            self.site_combo.setItemText(index, no_site_name())
        self.canvas.setAccessibleName(self.tr("Rack map"))

    # ------------------------------------------------------------ helpers
    def _build_layout(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(self.site_label)
        controls.addWidget(self.site_combo)
        controls.addSpacing(12)
        controls.addWidget(self.metric_label)
        controls.addWidget(self.metric_combo)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.legend)

    def _reload_sites(self) -> None:
        """Refill the site combo with the sites that have miners, in natural order."""
        previous = self.current_site_code()
        self.site_combo.blockSignals(True)
        self.site_combo.clear()
        table = self._table
        if table is not None:
            present = np.unique(table.arrays.site).tolist()
            named = sorted((c for c in present if c != MISSING_CODE),
                           key=lambda c: natural_key(table.sites.label(c) or ""))
            for code in named:
                self.site_combo.addItem(table.sites.label(code) or "", code)
            if MISSING_CODE in present:
                self.site_combo.addItem(no_site_name(), MISSING_CODE)
        index = self.site_combo.findData(previous) if previous is not None else -1
        self.site_combo.setCurrentIndex(max(index, 0) if self.site_combo.count() else -1)
        self.site_combo.blockSignals(False)
        self._on_site_changed()

    def _on_site_changed(self, _index: int = -1) -> None:
        code = self.current_site_code()
        self.canvas.show_site(self._table if code is not None else None,
                              MISSING_CODE if code is None else code)
        self._update_legend()

    def _on_metric_changed(self, _index: int = -1) -> None:
        self.canvas.set_metric(self.current_metric())
        self._update_legend()

    def _update_legend(self) -> None:
        canvas = self.canvas
        self.legend.set_scale(canvas.scale, canvas.color_metric, canvas.cell_buckets())
