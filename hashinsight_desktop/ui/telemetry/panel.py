"""Fleet and per-site telemetry charts: range and site selectors, live refresh, export.

All reads run on the panel's ``BackgroundLoader``; the GUI thread only draws.  Each
range or site change issues a new request and the loader drops answers to older ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from hashinsight_desktop.store.telemetry_queries import Series
from hashinsight_desktop.ui.telemetry import fleet_data
from hashinsight_desktop.ui.telemetry.chart_specs import ChartSpec, CurveSpec, Overlay
from hashinsight_desktop.ui.telemetry.chart_stack import ChartStack
from hashinsight_desktop.ui.telemetry.csv_export import write_series_csv
from hashinsight_desktop.ui.telemetry.loader import BackgroundLoader
from hashinsight_desktop.ui.telemetry.time_ranges import DAY, FLEET_RANGES_S, range_label

FLEET_SITE = 0


def fleet_chart_specs() -> tuple[ChartSpec, ...]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("TelemetryPanel", text)

    return (
        ChartSpec("hashrate", tr("Hashrate (TH/s)"), "TH/s",
                  (CurveSpec("hashrate_ths", tr("Hashrate")),), overlay_target=True),
        ChartSpec("power", tr("Power (kW)"), "kW", (CurveSpec("power_kw", tr("Power")),)),
        ChartSpec("efficiency", tr("Efficiency (J/TH)"), "J/TH",
                  (CurveSpec("efficiency_j_th", tr("Efficiency")),)),
        ChartSpec("online", tr("Online miners"), "", (CurveSpec("online", tr("Online")),),
                  decimals=0),
        ChartSpec("temperature", tr("Temperature (°C)"), "°C",
                  (CurveSpec("temp_avg_c", tr("Average")), CurveSpec("temp_max_c", tr("Maximum")))),
    )


class TelemetryPanel(QWidget):
    """Fleet or site aggregate charts with overlays of selected miners' hashrate."""

    series_loaded = Signal()  # the aggregate charts were redrawn (or the no-data text shown)
    overlays_loaded = Signal()
    sites_loaded = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._engine = engine
        self._clock = clock
        self._range_s = DAY
        self._site_id = FLEET_SITE
        self._last_cycle_ts = 0
        self._overlay_ids: list[int] = []
        self._window = (0, 0)
        self._fleet: Series | None = None
        self._loader = BackgroundLoader(self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)
        self.charts = ChartStack(fleet_chart_specs())
        self.range_combo = QComboBox()
        for seconds in FLEET_RANGES_S:
            self.range_combo.addItem(range_label(seconds), seconds)
        self.range_combo.setCurrentIndex(FLEET_RANGES_S.index(self._range_s))
        self.range_combo.currentIndexChanged.connect(
            lambda i: self.set_range(self.range_combo.itemData(i)))
        self.site_combo = QComboBox()
        self.site_combo.addItem(self.tr("Whole fleet"), FLEET_SITE)
        self.site_combo.currentIndexChanged.connect(
            lambda i: self.set_site(self.site_combo.itemData(i)))
        self.status_label = QLabel()
        png = QPushButton(self.tr("Export PNG…"))
        png.clicked.connect(self._ask_export_png)
        csv_button = QPushButton(self.tr("Export CSV…"))
        csv_button.clicked.connect(self._ask_export_csv)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Range")))
        bar.addWidget(self.range_combo)
        bar.addWidget(QLabel(self.tr("Site")))
        bar.addWidget(self.site_combo)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(png)
        bar.addWidget(csv_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.charts, 1)
        self.charts.show_message(self.tr("Loading…"))
        self._loader.request("sites", lambda: fleet_data.load_sites(engine))
        self.reload()

    # --- public API -----------------------------------------------------------------------

    @property
    def range_s(self) -> int:
        return self._range_s

    @property
    def site_id(self) -> int:
        return self._site_id

    @property
    def fleet(self) -> Series | None:
        """The aggregate series on screen (None before the first load)."""
        return self._fleet

    def set_range(self, seconds: int) -> None:
        if seconds not in FLEET_RANGES_S:
            raise ValueError(f"range {seconds} s is not one of {FLEET_RANGES_S}")
        self._range_s = int(seconds)
        self.range_combo.setCurrentIndex(FLEET_RANGES_S.index(self._range_s))
        self.reload()

    def set_site(self, site_id: int) -> None:
        """Show one site's aggregates (0 = the whole fleet)."""
        self._site_id = int(site_id)
        index = self.site_combo.findData(self._site_id)
        if index >= 0:
            self.site_combo.setCurrentIndex(index)
        self.reload()

    def on_new_cycle(self, ts: int) -> None:
        """A collector cycle at ``ts`` was stored: move the window's end and redraw."""
        self._last_cycle_ts = max(self._last_cycle_ts, int(ts))
        self.reload(keep_view=True)

    def set_overlay_miners(self, miner_ids: Sequence[int]) -> None:
        """Draw these miners' hashrate over the hashrate chart (the first 50)."""
        self._overlay_ids = list(dict.fromkeys(int(i) for i in miner_ids))[
            :fleet_data.MAX_OVERLAYS]
        self._request_overlays()

    def reload(self, *, keep_view: bool = False) -> None:
        end = int(max(self._clock(), self._last_cycle_ts + 1))
        previous_end = self._window[1]
        self._window = (end - self._range_s, end)
        self._keep_view = keep_view and previous_end > 0
        self._view_shift = end - previous_end
        start, site = self._window[0], self._site_id
        self._loader.request("series", lambda: fleet_data.load_fleet(self._engine, start, end, site))
        self._request_overlays()
        self.status_label.setText(self.tr("Loading…"))

    def export_png(self, path: str | Path) -> bool:
        """Save the charts as they are on screen."""
        return self.charts.grab().save(str(path))

    def export_csv(self, path: str | Path) -> int:
        """Save the series in the visible time range; returns the number of rows."""
        return write_series_csv(path, self.charts.visible_columns())

    def is_loading(self) -> bool:
        return self._loader.is_busy()

    def shutdown(self) -> None:
        """Stop the worker (call before the engine is disposed)."""
        self._loader.shutdown()

    # --- loading --------------------------------------------------------------------------

    def _request_overlays(self) -> None:
        ids, (start, end) = list(self._overlay_ids), self._window
        self._loader.request("overlays",
                             lambda: fleet_data.load_overlays(self._engine, ids, start, end))

    def _on_loaded(self, channel: str, _request_id: int, result: object) -> None:
        if channel == "sites":
            self._fill_sites(result)  # type: ignore[arg-type]
        elif channel == "series":
            self._draw_fleet(result)  # type: ignore[arg-type]
        elif channel == "overlays":
            self._draw_overlays(result)  # type: ignore[arg-type]

    def _on_failed(self, channel: str, _request_id: int, message: str) -> None:
        self.status_label.setText(self.tr("Could not load {0}: {1}").format(channel, message))
        if channel == "series":
            self.series_loaded.emit()

    def _fill_sites(self, site_rows: list[tuple[int, str]]) -> None:
        self.site_combo.blockSignals(True)
        while self.site_combo.count() > 1:
            self.site_combo.removeItem(1)
        for site_id, name in site_rows:
            self.site_combo.addItem(name, site_id)
        index = self.site_combo.findData(self._site_id)
        self.site_combo.setCurrentIndex(max(index, 0))
        self.site_combo.blockSignals(False)
        self.sites_loaded.emit()

    def _draw_fleet(self, series: Series) -> None:
        self._fleet = series
        x0, x1 = self.charts.x_range()
        follow = self._keep_view and x1 >= self._window[1] - self._view_shift - series.resolution_s
        if not self._keep_view or follow:
            window = ((x0 + self._view_shift, x1 + self._view_shift) if follow
                      else self._window)
        else:
            window = None  # the user zoomed into the past: leave the view alone
        self.charts.set_series(series.ts, series.values, series.resolution_s, window)
        self.status_label.setText(self.tr("{0:,} points at {1} s").format(
            len(series), series.resolution_s))
        self._update_message()
        self.series_loaded.emit()

    def _draw_overlays(self, overlays: list[Overlay]) -> None:
        self.charts.set_overlays(overlays)
        self._update_message()
        self.overlays_loaded.emit()

    def _update_message(self) -> None:
        if self._fleet is None:
            return
        self.charts.show_message(None if self.charts.has_data
                                 else self.tr("No data for this period"))

    # --- dialogs --------------------------------------------------------------------------

    def _ask_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export chart image"),
                                              "telemetry.png", self.tr("PNG images (*.png)"))
        if path:
            self.export_png(path)

    def _ask_export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export visible series"),
                                              "telemetry.csv", self.tr("CSV files (*.csv)"))
        if path:
            self.export_csv(path)
