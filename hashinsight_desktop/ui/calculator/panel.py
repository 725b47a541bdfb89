"""CalculatorPanel: a quote-sized profitability calculator that works offline.

Left, the inputs (catalog model or custom hashrate and power, quantity, terms and
market); right, the results, which follow every keystroke, and two chart tabs
(projection, price x difficulty sensitivity).  Market fields are prefilled from the
offline cache with their age; with an empty cache the panel asks for them.

Why this shape: results are recomputed synchronously on each edit (one fleet row
costs microseconds, well within a frame), while the charts, which cost more, are
redrawn after a short pause in typing and only for the visible tab.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.catalog import AsicModel, builtin_models
from hashinsight_desktop.core.economics.inputs import ProfitInputs
from hashinsight_desktop.core.economics.profitability import compute_profitability
from hashinsight_desktop.ui.calculator import form_inputs as f
from hashinsight_desktop.ui.calculator.market_prefill import (
    PREFILLED,
    CachedValue,
    read_cached_market,
)
from hashinsight_desktop.ui.calculator.model_picker import ModelPicker
from hashinsight_desktop.ui.calculator.number_field import NumberField
from hashinsight_desktop.ui.calculator.projection_chart import ProjectionChart
from hashinsight_desktop.ui.calculator.results_view import ResultsView, results_as_dict
from hashinsight_desktop.ui.calculator.sensitivity_chart import SensitivityChart

CHART_DELAY_MS = 120  # charts wait for a pause in typing; results do not
_DEFAULTS = {f.QUANTITY: 1, f.ELECTRICITY: 0.06, f.POOL_FEE: 2, f.UPTIME: 98}
_MUTED = "color: #8a90a8;"


class CalculatorPanel(QWidget):
    """Signals: ``results_changed(dict)`` after each valid recompute (the figures of
    :func:`results_as_dict`), ``inputs_invalid(dict)`` (field -> message) and
    ``quote_requested(dict)`` with ``model``, ``inputs``, ``market_sources``, ``results``.
    """

    results_changed = Signal(dict)
    inputs_invalid = Signal(dict)
    quote_requested = Signal(dict)

    def __init__(self, engine: Engine | None, parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.time,
                 models: tuple[AsicModel, ...] | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._clock = clock
        self._cached: dict[str, CachedValue] = {}
        self._inputs: ProfitInputs | None = None
        self._figures: dict[str, float] | None = None
        self._values: dict[str, float] = {}
        self._charts_dirty = {0: True, 1: True}

        self.picker = ModelPicker(models if models is not None else builtin_models())
        self.fields: dict[str, NumberField] = {
            f.HASHRATE: NumberField("TH/s"), f.POWER: NumberField("W"),
            f.QUANTITY: NumberField(), f.HARDWARE: NumberField(self.tr("USD per unit")),
            f.ELECTRICITY: NumberField("USD/kWh"), f.POOL_FEE: NumberField("%"),
            f.HOSTING: NumberField("0"), f.UPTIME: NumberField("%"),
            f.BTC_PRICE: NumberField("USD"), f.DIFFICULTY: NumberField("e.g. 1.27e14"),
            f.FEES: NumberField("0"), f.HEIGHT: NumberField("e.g. 900000"),
        }
        self.hosting_unit = QComboBox()
        self.hosting_unit.addItem(self.tr("USD/kWh"), f.HOSTING_PER_KWH)
        self.hosting_unit.addItem(self.tr("USD/miner/month"), f.HOSTING_PER_MONTH)
        self.market_notes: dict[str, QLabel] = {key: QLabel() for key in PREFILLED}
        self.cache_banner = QLabel(wordWrap=True)
        self.cache_banner.setStyleSheet(
            "background: #3a2a12; color: #f7c27a; padding: 6px; border-radius: 3px;")
        self.results = ResultsView()
        self.status = QLabel(wordWrap=True)
        self.status.setStyleSheet(_MUTED)
        self.quote_button = QPushButton(self.tr("Prepare quote…"))
        self.projection = ProjectionChart()
        self.sensitivity = SensitivityChart()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.projection, self.tr("Projection"))
        self.tabs.addTab(self.sensitivity, self.tr("Price × difficulty"))
        self._chart_timer = QTimer(self, singleShot=True, interval=CHART_DELAY_MS)

        self._build_layout()
        self._connect()
        for key, value in _DEFAULTS.items():
            self.fields[key].set_value(value)
        self.picker.setCurrentIndex(1 if self.picker.count() > 1 else 0)
        self.refresh_market()

    # ----------------------------------------------------------------- layout
    def _build_layout(self) -> None:
        miner = QFormLayout()
        miner.addRow(self.tr("Model"), self.picker)
        self._add_row(miner, self.tr("Hashrate (TH/s)"), f.HASHRATE)
        self._add_row(miner, self.tr("Power (W)"), f.POWER)
        self._add_row(miner, self.tr("Quantity"), f.QUANTITY)
        self._add_row(miner, self.tr("Hardware cost per unit (USD)"), f.HARDWARE)

        terms = QFormLayout()
        self._add_row(terms, self.tr("Electricity (USD/kWh)"), f.ELECTRICITY)
        self._add_row(terms, self.tr("Pool fee (%)"), f.POOL_FEE)
        hosting = QHBoxLayout()
        hosting.setContentsMargins(0, 0, 0, 0)
        hosting.addWidget(self.fields[f.HOSTING], 1)
        hosting.addWidget(self.hosting_unit, 0, Qt.AlignmentFlag.AlignTop)
        terms.addRow(self.tr("Hosting fee"), hosting)
        self._add_row(terms, self.tr("Uptime (%)"), f.UPTIME)

        market = QFormLayout()
        market.addRow(self.cache_banner)
        for label, key in ((self.tr("BTC price (USD)"), f.BTC_PRICE),
                           (self.tr("Difficulty"), f.DIFFICULTY),
                           (self.tr("Fees per block (BTC)"), f.FEES),
                           (self.tr("Block height"), f.HEIGHT)):
            column = QVBoxLayout()
            column.setSpacing(0)
            column.addWidget(self.fields[key])
            note = self.market_notes[key]
            note.setStyleSheet(_MUTED + " font-size: 11px;")
            column.addWidget(note)
            market.addRow(label, column)

        form = QWidget()
        form_layout = QVBoxLayout(form)
        for title, layout in ((self.tr("Miner"), miner), (self.tr("Operating terms"), terms),
                              (self.tr("Market"), market)):
            box = QGroupBox(title)
            box.setLayout(layout)
            form_layout.addWidget(box)
        form_layout.addStretch(1)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setWidget(form)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(380)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        header = QHBoxLayout()
        title = QLabel(self.tr("Results"))
        title.setStyleSheet("font-size: 15px; font-weight: 700; color: #f7931a;")
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.quote_button)
        right_layout.addLayout(header)
        right_layout.addWidget(self.results)
        right_layout.addWidget(self.status)
        right_layout.addWidget(self.tabs, 1)

        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(splitter)

    def _add_row(self, form: QFormLayout, label: str, key: str) -> None:
        form.addRow(label, self.fields[key])

    def _connect(self) -> None:
        self.picker.model_chosen.connect(self._on_model_chosen)
        for key, field in self.fields.items():
            field.edited.connect(self._on_edit_of(key))
        self.hosting_unit.currentIndexChanged.connect(self.recompute)
        self.quote_button.clicked.connect(self.request_quote)
        self._chart_timer.timeout.connect(self._refresh_visible_chart)
        self.tabs.currentChanged.connect(self._refresh_visible_chart)

    # ---------------------------------------------------------------- inputs
    def _on_edit_of(self, key: str) -> Callable[[], None]:
        def handler() -> None:
            if key in (f.HASHRATE, f.POWER):
                self.picker.set_custom()  # typed numbers are no longer the nameplate's
            if key in self._cached:
                self.market_notes[key].setText(
                    self.tr("typed in; %s") % self._cached[key].note())
            self.recompute()
        return handler

    def _on_model_chosen(self, model: AsicModel | None) -> None:
        if model is not None:
            self.fields[f.HASHRATE].set_value(model.hashrate_ths)
            self.fields[f.POWER].set_value(model.power_w)
        self.recompute()

    def refresh_market(self) -> None:
        """(Re)fill the market fields from the cache; offline this is all there is."""
        self._cached = read_cached_market(self._engine, now=self._clock())
        for key in PREFILLED:
            cached = self._cached.get(key)
            if cached is not None:
                # Difficulty in 6 significant digits ("1.27e+14"), not 15 of them.
                self.fields[key].set_value(
                    cached.value, significant=6 if key == f.DIFFICULTY else None)
                self.market_notes[key].setText(cached.note())
            else:
                self.market_notes[key].setText(self.tr("not cached: type a value"))
        missing = [f.FIELD_LABELS[k] for k in PREFILLED if k not in self._cached]
        if len(missing) == len(PREFILLED):
            self.cache_banner.setText(self.tr(
                "No cached market data on this computer. Type the BTC price, difficulty, "
                "fees per block and block height to calculate (no network needed)."))
        elif missing:
            self.cache_banner.setText(self.tr("Not in the cache, please type: %s")
                                      % ", ".join(missing))
        self.cache_banner.setVisible(bool(missing))
        self.recompute()

    @property
    def cache_is_empty(self) -> bool:
        return not self._cached

    @property
    def current_inputs(self) -> ProfitInputs | None:
        """The last valid inputs (None until the form has been valid once)."""
        return self._inputs

    @property
    def figures(self) -> dict[str, float] | None:
        """The figures shown (the last valid ones while the inputs are invalid)."""
        return self._figures

    # --------------------------------------------------------------- compute
    def recompute(self) -> None:
        """Validate the form and update the results now; charts follow after a pause."""
        outcome = f.build_inputs({k: w.text() for k, w in self.fields.items()},
                                 self.hosting_unit.currentData())
        for key, widget in self.fields.items():
            widget.show_error(outcome.errors.get(key))
        if outcome.inputs is None:
            self.results.set_stale(self._figures is not None)
            self.quote_button.setEnabled(False)
            self.status.setText(self.tr("Fix the highlighted field to update the results.")
                                if self._figures is not None else
                                self.tr("Fill in the highlighted fields to see results."))
            self.inputs_invalid.emit(outcome.errors)
            return
        result = compute_profitability(outcome.inputs)
        figures = results_as_dict(result.totals(), result.hashprice_usd_per_th_day)
        self.results.show_results(figures)
        self._inputs, self._figures, self._values = outcome.inputs, figures, outcome.values
        self.quote_button.setEnabled(True)
        self.status.setText(self._status_line(figures))
        self._charts_dirty = {0: True, 1: True}
        self._chart_timer.start()
        self.results_changed.emit(figures)

    def _status_line(self, figures: dict[str, float]) -> str:
        miners = int(figures["miners"])
        return (self.tr("%s miner(s) · %s PH/s · %s kW")
                % (f"{miners:,}", f"{figures['hashrate_ths'] / 1000:,.3f}",
                   f"{figures['power_w'] / 1000:,.1f}"))

    def _refresh_visible_chart(self) -> None:
        index = self.tabs.currentIndex()
        if self._inputs is None or not self._charts_dirty.get(index):
            return
        self._charts_dirty[index] = False
        (self.projection if index == 0 else self.sensitivity).set_inputs(self._inputs)

    def refresh_charts_now(self) -> None:
        """Redraw the visible chart without waiting for the typing pause."""
        self._chart_timer.stop()
        self._refresh_visible_chart()

    # ----------------------------------------------------------------- quote
    def quote_payload(self) -> dict | None:
        if self._inputs is None or self._figures is None or self.results.is_stale:
            return None
        model = self.picker.current_model()
        inputs: dict[str, object] = dict(self._values)
        inputs["hosting_unit"] = self.hosting_unit.currentData()
        return {
            "model": f"{model.make} {model.model}" if model is not None else None,
            "inputs": inputs,
            "market_sources": {k: self.market_notes[k].text() for k in PREFILLED},
            "results": {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                        for k, v in self._figures.items()},
        }

    def request_quote(self) -> None:
        payload = self.quote_payload()
        if payload is not None:
            self.quote_requested.emit(payload)
