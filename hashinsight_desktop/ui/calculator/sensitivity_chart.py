"""Price x difficulty heatmap of daily profit with the break-even contour as a curve.

The grid spans 40 %..180 % of the current BTC price (widened to hold the break-even) and 60 %..160 % of the current
difficulty; a marker shows where the market is now.  Colours diverge around zero
(red loses money, green earns) with symmetric levels so white is break-even.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from hashinsight_desktop.core.economics.inputs import MAX_BTC_PRICE_USD, ProfitInputs
from hashinsight_desktop.core.economics.profitability import compute_profitability
from hashinsight_desktop.core.economics.sensitivity import SensitivityGrid, sensitivity_grid
from hashinsight_desktop.ui.telemetry.chart_style import colours_from

STEPS = 61
PRICE_SPAN = (0.4, 1.8)
DIFFICULTY_SPAN = (0.6, 1.6)
TERA = 1e12  # difficulty shown in T (e.g. 127 T)

_COLOURS = pg.ColorMap([0.0, 0.5, 1.0], [(214, 69, 65), (240, 240, 240), (46, 170, 90)])


def price_span(inputs: ProfitInputs) -> tuple[float, float]:
    """40 %..180 % of today's price, widened so today's break-even price is inside
    (a very profitable miner breaks even far below 40 %: the contour must show)."""
    price = inputs.market.btc_price_usd
    breakeven = compute_profitability(inputs).totals().breakeven_btc_price_usd
    low, high = PRICE_SPAN[0] * price, PRICE_SPAN[1] * price
    if math.isfinite(breakeven) and breakeven > 0:
        low, high = min(low, 0.7 * breakeven), max(high, 1.3 * breakeven)
    return low, min(high, MAX_BTC_PRICE_USD)


class SensitivityChart(QWidget):
    """Emits ``computed(SensitivityGrid)`` after each redraw."""

    computed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last: SensitivityGrid | None = None
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setLabel("bottom", self.tr("BTC price (USD)"))
        self.plot.setLabel("left", self.tr("difficulty (T)"))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.contour = self.plot.plot()
        self.now_marker = pg.ScatterPlotItem(size=11, symbol="o")
        self.plot.addItem(self.now_marker)
        self.colour_bar = pg.ColorBarItem(values=(-1.0, 1.0), colorMap=_COLOURS,
                                          interactive=False, label=self.tr("profit USD/day"))
        self.colour_bar.setImageItem(self.image, insert_in=self.plot.getPlotItem())
        self.caption = QLabel(self.tr("Line: break-even (profit = 0). Dot: today's market."))
        self.caption.setStyleSheet("color: #8a90a8;")
        self._style()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)

    def _style(self) -> None:
        colours = colours_from(self.palette())
        self.plot.setBackground(colours.background)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(colours.grid(0.35)))
            axis.setTextPen(pg.mkPen(colours.foreground))
        # Dark line: the cells around break-even are near-white.
        self.contour.setPen(pg.mkPen("#1a1d2e", width=3))
        self.now_marker.setBrush(pg.mkBrush(colours.accent))
        self.now_marker.setPen(pg.mkPen(colours.foreground, width=1.5))

    def set_inputs(self, inputs: ProfitInputs | None) -> None:
        if inputs is None:
            return
        price, difficulty = inputs.market.btc_price_usd, inputs.market.difficulty
        difficulties = np.linspace(*DIFFICULTY_SPAN, STEPS) * difficulty
        prices = np.linspace(*price_span(inputs), STEPS)
        grid = sensitivity_grid(inputs, prices, difficulties)
        # Symmetric levels: white is exactly break-even whatever the spread.
        extent = float(np.nanmax(np.abs(grid.values))) or 1.0
        self.image.setImage(grid.values, autoLevels=False)
        self.colour_bar.setLevels((-extent, extent))
        x0, x1 = prices[0], prices[-1]
        y0, y1 = difficulties[0] / TERA, difficulties[-1] / TERA
        dx, dy = (x1 - x0) / (STEPS - 1), (y1 - y0) / (STEPS - 1)
        # Cells are centred on the grid points.
        self.image.setRect(QRectF(x0 - dx / 2, y0 - dy / 2, x1 - x0 + dx, y1 - y0 + dy))
        visible = np.isfinite(grid.breakeven_price_usd)
        self.contour.setData(grid.breakeven_price_usd[visible], difficulties[visible] / TERA)
        self.now_marker.setData([price], [difficulty / TERA])
        self.plot.setRange(xRange=(x0 - dx / 2, x1 + dx / 2), yRange=(y0 - dy / 2, y1 + dy / 2),
                           padding=0)
        self.last = grid
        self.computed.emit(grid)
