"""The results grid: revenue, cost and profit per day/month/year and the key ratios.

Labels are created once and only their text changes on each keystroke (a
``setText`` per label), which keeps an update well inside one frame.  When the inputs
turn invalid the last valid figures stay, greyed, so the user still sees where they
were while fixing a field.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from hashinsight_desktop.core.economics.inputs import DAYS_PER_MONTH, DAYS_PER_YEAR
from hashinsight_desktop.core.economics.profitability import FleetTotals

PERIODS = (("day", 1.0), ("month", DAYS_PER_MONTH), ("year", DAYS_PER_YEAR))
# Colours through palettes, not style sheets: a style-sheeted label paints several
# times slower, and these repaint on every keystroke.
_TEXT = "#e6e8f0"
_MUTED = "#8a90a8"
_STALE = "#5c6180"
_NEGATIVE = "#ff6b6b"


def money(value: float) -> str:
    if not math.isfinite(value):
        return "—"
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.0f}" if abs(value) >= 1000 else f"{sign}${abs(value):,.2f}"


def results_as_dict(totals: FleetTotals, hashprice: float) -> dict[str, float]:
    """Every figure the panel shows, as plain numbers (the quote payload's "results")."""
    out = {"miners": totals.miners, "hashrate_ths": totals.hashrate_ths,
           "power_w": totals.power_w, "btc_per_day": totals.btc_per_day,
           "hashprice_usd_per_th_day": hashprice,
           "breakeven_power_usd_per_kwh": totals.breakeven_power_usd_per_kwh,
           "breakeven_btc_price_usd": totals.breakeven_btc_price_usd,
           "payback_days": totals.payback_days,
           "efficiency_j_per_th": totals.efficiency_j_per_th,
           "hardware_cost_usd": totals.hardware_cost_usd}
    for name, days in PERIODS:
        out[f"revenue_usd_per_{name}"] = totals.revenue_usd_per_day * days
        out[f"cost_usd_per_{name}"] = totals.cost_usd_per_day * days
        out[f"profit_usd_per_{name}"] = totals.profit_usd_per_day * days
    return out


class ResultsView(QWidget):
    """Shows :func:`results_as_dict` figures; ``value_text(key)`` for tests and quotes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: dict[str, QLabel] = {}
        self._stale = False
        self._loss = False
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        for column, (name, _days) in enumerate(PERIODS, start=1):
            grid.addWidget(self._header(self.tr("per %s") % self.tr(name)), 0, column)
        for row, (kind, label) in enumerate((("revenue", self.tr("Revenue")),
                                             ("cost", self.tr("Cost")),
                                             ("profit", self.tr("Profit"))), start=1):
            grid.addWidget(self._header(label), row, 0)
            for column, (name, _days) in enumerate(PERIODS, start=1):
                grid.addWidget(self._value(f"{kind}_usd_per_{name}"), row, column)
        ratios = (("btc_per_day", self.tr("BTC per day")),
                  ("hashprice_usd_per_th_day", self.tr("Hashprice ($/TH/day)")),
                  ("breakeven_power_usd_per_kwh", self.tr("Break-even power price")),
                  ("breakeven_btc_price_usd", self.tr("Break-even BTC price")),
                  ("payback_days", self.tr("Payback")),
                  ("efficiency_j_per_th", self.tr("Efficiency")))
        for i, (key, label) in enumerate(ratios):
            row, column = 5 + i // 2, (i % 2) * 2
            grid.addWidget(self._header(label), row, column)
            grid.addWidget(self._value(key), row, column + 1)
        grid.setRowMinimumHeight(4, 10)
        grid.setColumnStretch(4, 1)

    def _header(self, text: str) -> QLabel:
        label = QLabel(text)
        _set_colour(label, _MUTED)
        return label

    def _value(self, key: str) -> QLabel:
        label = QLabel("—")
        font = QFont(label.font())
        font.setWeight(QFont.Weight.DemiBold)
        label.setFont(font)
        _set_colour(label, _TEXT)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setMinimumWidth(96)
        self._values[key] = label
        return label

    def value_text(self, key: str) -> str:
        return self._values[key].text()

    @property
    def is_stale(self) -> bool:
        return self._stale

    def show_results(self, figures: dict[str, float]) -> None:
        for key, label in self._values.items():
            label.setText(_format(key, figures[key]))
        self._set_loss(figures["profit_usd_per_day"] < 0)
        self.set_stale(False)

    def _set_loss(self, loss: bool) -> None:
        """Profit in red while losing money; restyled only when the sign flips (cheap)."""
        if loss == self._loss:
            return
        self._loss = loss
        self._recolour()

    def _recolour(self) -> None:
        for key, label in self._values.items():
            if self._stale:
                colour = _STALE
            elif self._loss and key.startswith("profit_usd_per_"):
                colour = _NEGATIVE
            else:
                colour = _TEXT
            _set_colour(label, colour)

    def set_stale(self, stale: bool) -> None:
        """Grey the figures (inputs invalid) or bring them back; a no-op when unchanged."""
        if stale == self._stale:
            return
        self._stale = stale
        self._recolour()


def _set_colour(label: QLabel, colour: str) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    label.setPalette(palette)


def _format(key: str, value: float) -> str:
    if key == "btc_per_day":
        return f"{value:.8f} BTC" if math.isfinite(value) else "—"
    if key == "hashprice_usd_per_th_day":
        return f"${value:.4f}" if math.isfinite(value) else "—"
    if key == "breakeven_power_usd_per_kwh":
        return f"${value:.4f}/kWh" if math.isfinite(value) else "—"
    if key == "payback_days":
        return f"{value:,.0f} days" if math.isfinite(value) else "never"
    if key == "efficiency_j_per_th":
        return f"{value:.1f} J/TH" if math.isfinite(value) else "—"
    if key == "breakeven_btc_price_usd":
        return money(value) if math.isfinite(value) else "none"
    return money(value)
