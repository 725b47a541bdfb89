"""Everything about one miner: identity, live reading, hashboards, charts, raw JSON, alerts.

``show_miner`` asks the worker for the miner's rows and its history at the chosen
range (``miner_series`` picks raw, 5-minute or hourly data); the answers come back
through the loader's queued signal and stale ones (an earlier miner) are dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from hashinsight_desktop.services.alerts import AlertRecord
from hashinsight_desktop.store.telemetry_queries import Series, miner_series
from hashinsight_desktop.ui.detail.miner_detail import MinerDetail, load_miner_detail
from hashinsight_desktop.ui.detail.reading_rows import hashboard_rows, identity_rows, reading_rows
from hashinsight_desktop.ui.detail.rows_model import RowsTableModel
from hashinsight_desktop.ui.telemetry.chart_specs import ChartSpec, CurveSpec
from hashinsight_desktop.ui.telemetry.chart_stack import ChartStack
from hashinsight_desktop.ui.telemetry.loader import BackgroundLoader
from hashinsight_desktop.ui.telemetry.time_ranges import DAY, MINER_RANGES_S, range_label

SEVERITY_COLOURS = {"critical": "#e5484d", "warning": "#f7931a", "watch": "#d4a72c"}


def miner_chart_specs() -> tuple[ChartSpec, ...]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("MinerDetailPanel", text)

    return (
        ChartSpec("hashrate", tr("Hashrate (TH/s)"), "TH/s",
                  (CurveSpec("hashrate_ths", tr("Hashrate")),), decimals=2),
        ChartSpec("temperature", tr("Temperature (°C)"), "°C",
                  (CurveSpec("temp_max_c", tr("Maximum")), CurveSpec("temp_avg_c", tr("Average")))),
        ChartSpec("power", tr("Power (W)"), "W", (CurveSpec("power_w", tr("Power")),), decimals=0),
        ChartSpec("fans", tr("Slowest fan (rpm)"), "rpm",
                  (CurveSpec("fan_min_rpm", tr("Fan")),), decimals=0),
    )


def _form(rows: list[tuple[str, str]], form: QFormLayout) -> None:
    while form.rowCount():
        form.removeRow(0)
    for label, value in rows:
        text = QLabel(value)
        text.setWordWrap(True)
        form.addRow(label, text)


class MinerDetailPanel(QWidget):
    """Call ``show_miner(id)``; ``detail_loaded``/``series_loaded`` fire when drawn."""

    detail_loaded = Signal()
    series_loaded = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._engine = engine
        self._clock = clock
        self._miner_id: int | None = None
        self._range_s = DAY
        self.detail: MinerDetail | None = None
        self.series: Series | None = None
        self._loader = BackgroundLoader(self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)

        self.title = QLabel(self.tr("No miner selected"), objectName="kpiValue")
        self.identity_form = QFormLayout()
        self.reading_form = QFormLayout()
        identity_box = QGroupBox(self.tr("Identity"))
        identity_box.setLayout(self.identity_form)
        reading_box = QGroupBox(self.tr("Live reading"))
        reading_box.setLayout(self.reading_form)
        top = QHBoxLayout()
        top.addWidget(identity_box, 1)
        top.addWidget(reading_box, 1)

        self.range_combo = QComboBox()
        for seconds in MINER_RANGES_S:
            self.range_combo.addItem(range_label(seconds), seconds)
        self.range_combo.setCurrentIndex(MINER_RANGES_S.index(self._range_s))
        self.range_combo.currentIndexChanged.connect(
            lambda i: self.set_range(self.range_combo.itemData(i)))
        self.charts = ChartStack(miner_chart_specs())
        charts_page = QWidget()
        charts_layout = QVBoxLayout(charts_page)
        range_bar = QHBoxLayout()
        range_bar.addWidget(QLabel(self.tr("Range")))
        range_bar.addWidget(self.range_combo)
        range_bar.addStretch(1)
        charts_layout.addLayout(range_bar)
        charts_layout.addWidget(self.charts, 1)

        self.hashboards = RowsTableModel([self.tr("Slot"), self.tr("Hashrate"),
                                          self.tr("Temperature"), self.tr("Chips / expected")])
        self.alerts = RowsTableModel([self.tr("Started"), self.tr("Severity"), self.tr("Kind"),
                                      self.tr("Message"), self.tr("State")])
        self.raw_json = QPlainTextEdit(readOnly=True)
        self.raw_json.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw_json.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        self.tabs = QTabWidget()
        self.tabs.addTab(charts_page, self.tr("Charts"))
        self.tabs.addTab(self._table(self.hashboards), self.tr("Hashboards"))
        self.tabs.addTab(self._table(self.alerts), self.tr("Alerts"))
        self.tabs.addTab(self.raw_json, self.tr("Raw reading"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.charts.show_message(self.tr("Select a miner to see its history"))

    @staticmethod
    def _table(model: RowsTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.verticalHeader().hide()
        view.setAlternatingRowColors(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    # --- public API -----------------------------------------------------------------------

    @property
    def miner_id(self) -> int | None:
        return self._miner_id

    @property
    def range_s(self) -> int:
        return self._range_s

    def show_miner(self, miner_id: int) -> None:
        self._miner_id = int(miner_id)
        engine, mid = self._engine, self._miner_id
        self._loader.request("detail", lambda: load_miner_detail(engine, mid))
        self._request_series()

    def set_range(self, seconds: int) -> None:
        if seconds not in MINER_RANGES_S:
            raise ValueError(f"range {seconds} s is not one of {MINER_RANGES_S}")
        self._range_s = int(seconds)
        self.range_combo.setCurrentIndex(MINER_RANGES_S.index(self._range_s))
        self._request_series()

    def is_loading(self) -> bool:
        return self._loader.is_busy()

    def shutdown(self) -> None:
        self._loader.shutdown()

    # --- loading --------------------------------------------------------------------------

    def _request_series(self) -> None:
        if self._miner_id is None:
            return
        end = int(self._clock())
        start, engine, mid = end - self._range_s, self._engine, self._miner_id
        self._window = (start, end)
        self._loader.request("series", lambda: miner_series(engine, mid, start, end))

    def _on_loaded(self, channel: str, _request_id: int, result: object) -> None:
        if channel == "detail":
            self._draw_detail(result)  # type: ignore[arg-type]
        elif channel == "series":
            self._draw_series(result)  # type: ignore[arg-type]

    def _on_failed(self, channel: str, _request_id: int, message: str) -> None:
        self.title.setText(self.tr("Could not load miner {0}: {1}").format(self._miner_id,
                                                                          message))
        (self.detail_loaded if channel == "detail" else self.series_loaded).emit()

    def _draw_detail(self, detail: MinerDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.title.setText(self.tr("Miner {0} does not exist").format(self._miner_id))
            _form([], self.identity_form)
            _form([], self.reading_form)
            self.hashboards.set_rows([])
            self.alerts.set_rows([])
            self.raw_json.setPlainText("")
        else:
            identity = detail.identity
            self.title.setText(identity.name or identity.ip)
            _form(identity_rows(identity, self.tr), self.identity_form)
            _form(reading_rows(detail, self.tr), self.reading_form)
            self.hashboards.set_rows(hashboard_rows(detail))
            self._fill_alerts(detail.alerts)
            self.raw_json.setPlainText(detail.raw_json or self.tr("No reading yet"))
        self.detail_loaded.emit()

    def _fill_alerts(self, records: list[AlertRecord]) -> None:
        rows, colours = [], []
        for record in records:
            state = self.tr("active") if record.active else self.tr("cleared")
            if record.acknowledged_at is not None:
                state += ", " + self.tr("acknowledged")
            rows.append((record.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                         record.severity, record.kind, record.message, state))
            colour = SEVERITY_COLOURS.get(record.severity) if record.active else None
            colours.append(QColor(colour) if colour else None)
        self.alerts.set_rows(rows, colours)

    def _draw_series(self, series: Series) -> None:
        self.series = series
        self.charts.set_series(series.ts, series.values, series.resolution_s, self._window)
        self.charts.show_message(None if len(series)
                                 else self.tr("No data for this period"))
        self.series_loaded.emit()
