"""Cumulative profit over N months: difficulty growth per epoch, halvings, price path.

The chart recomputes from the panel's last valid inputs (``set_inputs``) or when its
own controls change.  The hardware cost is a dashed line: where the curve crosses it
the miners have paid for themselves.  Halvings inside the horizon are marked.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.inputs import DAYS_PER_MONTH, ProfitInputs
from hashinsight_desktop.core.economics.price_path import PricePath
from hashinsight_desktop.core.economics.projection import Projection, project
from hashinsight_desktop.core.economics.subsidy import BLOCKS_PER_DAY
from hashinsight_desktop.ui.telemetry.chart_style import colours_from

HALVING_INTERVAL = 210_000


def halving_months(block_height: int, months: int) -> list[float]:
    """Months from now (fractional) at which a halving falls within ``months``."""
    out = []
    next_halving = (block_height // HALVING_INTERVAL + 1) * HALVING_INTERVAL
    while True:
        month = (next_halving - block_height) / BLOCKS_PER_DAY / DAYS_PER_MONTH
        if month > months:
            return out
        out.append(month)
        next_halving += HALVING_INTERVAL


class ProjectionChart(QWidget):
    """Emits ``projected(Projection)`` after each redraw (tests wait on it)."""

    projected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._inputs: ProfitInputs | None = None
        self.last: Projection | None = None
        self.months = QSpinBox(minimum=1, maximum=120, value=36, suffix=self.tr(" months"))
        self.growth = QDoubleSpinBox(minimum=-20.0, maximum=50.0, value=2.0, decimals=1,
                                     singleStep=0.5, suffix=self.tr(" % / epoch"))
        self.growth.setToolTip(self.tr("Difficulty change at every 2016-block adjustment"))
        self.price_mode = QComboBox()
        self.price_mode.addItem(self.tr("Flat BTC price"), "flat")
        self.price_mode.addItem(self.tr("BTC price growth"), "growth")
        self.price_growth = QDoubleSpinBox(minimum=-20.0, maximum=50.0, value=2.0, decimals=1,
                                           singleStep=0.5, suffix=self.tr(" % / month"))
        self.price_growth.setEnabled(False)
        self.summary = QLabel(self.tr("The projection appears once the inputs are valid."))
        self.summary.setStyleSheet("color: #8a90a8;")

        controls = QHBoxLayout()
        for label, widget in ((self.tr("Horizon"), self.months),
                              (self.tr("Difficulty"), self.growth),
                              (self.tr("Price"), self.price_mode)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addWidget(self.price_growth)
        controls.addStretch(1)

        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setLabel("bottom", self.tr("months"))
        self.plot.setLabel("left", self.tr("cumulative profit"), units="USD")
        self.curve = self.plot.plot()
        self.hardware_line = pg.InfiniteLine(angle=0, movable=False)
        self.hardware_line.setVisible(False)
        self.plot.addItem(self.hardware_line)
        self._halving_lines: list[pg.InfiniteLine] = []
        self._style()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)

        self.months.valueChanged.connect(self.redraw)
        self.growth.valueChanged.connect(self.redraw)
        self.price_growth.valueChanged.connect(self.redraw)
        self.price_mode.currentIndexChanged.connect(self._on_price_mode)

    def _style(self) -> None:
        colours = colours_from(self.palette())
        self.plot.setBackground(colours.background)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(colours.grid(0.35)))
            axis.setTextPen(pg.mkPen(colours.foreground))
        self.curve.setPen(pg.mkPen(colours.accent, width=2))
        self.hardware_line.setPen(pg.mkPen(colours.series(1), style=Qt.PenStyle.DashLine))
        self._muted = colours.muted

    def _on_price_mode(self) -> None:
        self.price_growth.setEnabled(self.price_mode.currentData() == "growth")
        self.redraw()

    def set_inputs(self, inputs: ProfitInputs | None) -> None:
        self._inputs = inputs
        self.redraw()

    def price_path(self, inputs: ProfitInputs) -> PricePath:
        price = inputs.market.btc_price_usd
        if self.price_mode.currentData() == "growth":
            return PricePath.growth(price, self.price_growth.value())
        return PricePath.flat(price)

    def redraw(self) -> None:
        inputs = self._inputs
        if inputs is None:
            return
        months = self.months.value()
        try:
            result = project(inputs, months,
                             difficulty_growth_pct_per_epoch=self.growth.value(),
                             price_path=self.price_path(inputs))
        except InputError as exc:  # a control out of the core's range: say so, keep the curve
            self.summary.setText(str(exc))
            return
        x = np.arange(1, result.n_days + 1) / DAYS_PER_MONTH
        self.curve.setData(np.concatenate(([0.0], x)),
                           np.concatenate(([0.0], np.cumsum(result.profit_usd))))
        self.hardware_line.setPos(result.hardware_cost_usd)
        self.hardware_line.setVisible(result.hardware_cost_usd > 0)
        self._mark_halvings(halving_months(inputs.market.block_height, months))
        self.summary.setText(self._summary(result))
        self.last = result
        self.projected.emit(result)

    def _mark_halvings(self, months: list[float]) -> None:
        for line in self._halving_lines:
            self.plot.removeItem(line)
        self._halving_lines = []
        for month in months:
            line = pg.InfiniteLine(pos=month, angle=90, movable=False,
                                   pen=pg.mkPen(self._muted, style=Qt.PenStyle.DotLine),
                                   label=self.tr("halving"),
                                   labelOpts={"position": 0.92, "color": self._muted})
            self.plot.addItem(line)
            self._halving_lines.append(line)

    def _summary(self, result: Projection) -> str:
        total = f"${result.total_profit_usd:,.0f}"
        if result.hardware_cost_usd <= 0:
            return self.tr("Profit over the horizon: %s") % total
        if result.payback_day is None:
            return self.tr("Profit over the horizon: %s · hardware not paid back") % total
        return (self.tr("Profit over the horizon: %s · paid back after %.1f months")
                % (total, (result.payback_day + 1) / DAYS_PER_MONTH))
