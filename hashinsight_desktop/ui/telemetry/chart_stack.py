"""Charts stacked vertically on one shared time axis, with a crosshair readout.

One ``pg.GraphicsLayoutWidget`` holds a ``PlotItem`` per chart; every plot's X is
linked to the first so pan and zoom move them together.  Downsampling ("peak", so
spikes survive) and clip-to-view are set on the PlotItems: ``addItem`` would
overwrite them if they were set on the curves.  When there is nothing to draw, a
text message replaces the axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from hashinsight_desktop.ui.telemetry.chart_specs import ChartSpec, Overlay
from hashinsight_desktop.ui.telemetry.chart_style import ChartColours, colours_from
from hashinsight_desktop.ui.telemetry.overlay_bundle import GROUPS, OverlayBundle
from hashinsight_desktop.ui.telemetry.readout import format_time, format_value, nearest_index

LEFT_AXIS_WIDTH = 64  # equal widths keep the stacked plots aligned
RIGHT_AXIS_WIDTH = 52  # every plot has a right axis, so the overlay one does not shift
# pyqtgraph's auto-downsampling keeps ~5 samples per pixel, so a month at 5 minutes
# (8,640 points) is never reduced on a 1,500 px chart; "peak" keeps min and max per
# bin, so 1 bin per pixel loses no spike and draws 5x fewer segments.
SAMPLES_PER_PIXEL = 1.0
# Qt's raster engine draws 1 px cosmetic pens as one path; wider pens go through a
# per-segment path (~7 ms per 8,640-point curve), too slow for 60 fps panning.
PEN_WIDTH = 1
# No grid: pyqtgraph draws grid lines inside the axis items' pictures, which are redrawn
# on every pan frame; measured on the 5-chart stack, the grid alone cost 14-25 ms of a
# frame (more than 56 curves of 8,640 points).  Tick labels and the crosshair readout
# give the values instead.  The axis line and ticks use a faint opaque colour.
AXIS_MIX = 0.35


def _optimise(item: pg.PlotDataItem) -> None:
    item.opts["autoDownsampleFactor"] = SAMPLES_PER_PIXEL  # no setter in pyqtgraph 0.14


class ChartStack(QWidget):
    """``set_series`` draws a Series-like (ts, values) on the charts of ``specs``."""

    def __init__(self, specs: Sequence[ChartSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs = tuple(specs)
        self._ts = np.empty(0, dtype=np.int64)
        self._values: dict[str, np.ndarray] = {}
        self._resolution = 60
        self._overlays: list[Overlay] = []
        self._bundle: OverlayBundle | None = None
        self._legend_labels: list[str] = []
        self.readout = QLabel(" ", objectName="chartReadout")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plot_widget = pg.GraphicsLayoutWidget()
        self.no_data_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.no_data_label.setObjectName("chartNoData")
        self._pages = QStackedLayout()
        self._pages.addWidget(self.plot_widget)
        self._pages.addWidget(self.no_data_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.readout)
        layout.addLayout(self._pages, 1)
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._vlines: list[pg.InfiniteLine] = []
        self._build_plots()
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.apply_palette()

    # --- construction ---------------------------------------------------------------------

    def _build_plots(self) -> None:
        first: pg.PlotItem | None = None
        colours = colours_from(self.palette())
        legend_brush = QColor(colours.background)
        legend_brush.setAlpha(190)
        right_axes = any(spec.overlay_target for spec in self.specs)
        # Two columns when there are many charts: a docked panel is wider than tall.
        columns = 2 if len(self.specs) > 3 else 1
        last_row = (len(self.specs) - 1) // columns
        for index, spec in enumerate(self.specs):
            row, column = divmod(index, columns)
            plot = self.plot_widget.addPlot(row=row, col=column,
                                            axisItems={"bottom": pg.DateAxisItem()})
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            plot.setMenuEnabled(False)
            plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.setTitle(spec.title, size="9pt", justify="left")
            if right_axes:
                # Only the overlay chart has a right axis; the others keep its width as an
                # empty layout column so the plots stay aligned (a hidden-value axis would
                # still cost a tick pass per pan frame).
                plot.layout.setColumnFixedWidth(2, RIGHT_AXIS_WIDTH)
            plot.vb.setMouseEnabled(x=True, y=False)  # time pans and zooms; Y follows data
            plot.enableAutoRange(axis="y")
            plot.setAutoVisible(y=True)
            if row != last_row and index + columns < len(self.specs):
                plot.hideAxis("bottom")  # one time axis under each column is enough
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            if len(spec.curves) > 1 or spec.overlay_target:
                plot.addLegend(offset=(8, 4), labelTextSize="8pt", brush=legend_brush,
                               labelTextColor=colours.foreground)
            for curve in spec.curves:
                item = pg.PlotDataItem(connect="finite", name=curve.label if len(spec.curves) > 1
                                       else None)
                plot.addItem(item)
                _optimise(item)
                self.curves[curve.key] = item
            if spec.overlay_target:
                self._bundle = OverlayBundle(self._add_overlay_axis(plot))
            vline = pg.InfiniteLine(angle=90, movable=False)
            vline.setVisible(False)
            plot.addItem(vline, ignoreBounds=True)
            self._vlines.append(vline)
            self.plots[spec.key] = plot

    def _add_overlay_axis(self, plot: pg.PlotItem) -> pg.ViewBox:
        """A second view box on the right axis: one miner's TH/s is ~1/1000 of the fleet's."""
        plot.showAxis("right")
        plot.getAxis("right").setWidth(RIGHT_AXIS_WIDTH)
        box = pg.ViewBox(enableMenu=False)
        plot.scene().addItem(box)
        box.setZValue(plot.vb.zValue() - 1)  # miners behind the aggregate, not over it
        plot.getAxis("right").linkToView(box)
        plot.getAxis("right").enableAutoSIPrefix(False)
        plot.setLabel("right", QCoreApplication.translate("ChartStack", "Miners (TH/s)"))
        plot.getAxis("right").showLabel(False)  # shown once miners are overlaid
        box.setXLink(plot)
        box.setMouseEnabled(x=False, y=False)
        box.enableAutoRange(x=False, y=True)  # X follows the plot; clip-to-view needs this
        # Y fits all of the miners' data, not just the visible part: refitting 50 curves
        # to the visible range costs a bounds pass over each on every pan frame.
        box.setAutoVisible(y=False)

        def follow_geometry() -> None:
            box.setGeometry(plot.vb.sceneBoundingRect())

        plot.vb.sigResized.connect(follow_geometry)
        return box

    def apply_palette(self) -> None:
        """Re-colour from the current palette (call after a theme switch)."""
        colours = colours_from(self.palette())
        self.plot_widget.setBackground(colours.background)
        for spec in self.specs:
            plot = self.plots[spec.key]
            for name in ("left", "bottom", "right"):
                axis = plot.getAxis(name)  # a hidden axis still exists; colour it too
                axis.setPen(pg.mkPen(colours.grid(AXIS_MIX)))
                axis.setTextPen(pg.mkPen(colours.foreground))
            for index, curve in enumerate(spec.curves):
                self.curves[curve.key].setPen(pg.mkPen(colours.series(index), width=PEN_WIDTH))
            if plot.legend is not None:
                plot.legend.setLabelTextColor(colours.foreground)
                for _sample, label in plot.legend.items:
                    label.setText(label.text, color=colours.foreground)
        for vline in self._vlines:
            vline.setPen(pg.mkPen(colours.muted, style=Qt.PenStyle.DashLine))
        self._recolour_overlays(colours)

    def _recolour_overlays(self, colours: ChartColours) -> None:
        if self._bundle is not None:
            self._bundle.set_colours([colours.overlay(i) for i in range(GROUPS)], PEN_WIDTH)

    # --- data -----------------------------------------------------------------------------

    def set_series(self, ts: np.ndarray, values: Mapping[str, np.ndarray], resolution_s: int,
                   window: tuple[float, float] | None = None) -> None:
        """Draw the curves; ``window`` (start, end) sets the visible time range."""
        self._ts = np.asarray(ts, dtype=np.int64)
        self._values = dict(values)
        self._resolution = int(resolution_s)
        x = self._ts.astype(np.float64)
        for spec in self.specs:
            for curve in spec.curves:
                y = self._values.get(curve.key)
                if y is None or len(x) == 0:
                    self.curves[curve.key].setData([], [])
                else:
                    self.curves[curve.key].setData(x, np.asarray(y, dtype=np.float64) * curve.scale)
            self._limit_flat_range(spec)
        if window is not None:
            self.set_x_range(*window)

    def _limit_flat_range(self, spec: ChartSpec) -> None:
        """A nearly constant series must not zoom into its noise (ticks like 450371.8,
        450372.0, ...): keep the Y span at least 2 % of the values' magnitude."""
        peaks = [np.nanmax(np.abs(self._values[c.key] * c.scale)) for c in spec.curves
                 if c.key in self._values and np.isfinite(self._values[c.key]).any()]
        magnitude = max(peaks, default=0.0)
        self.plots[spec.key].setLimits(minYRange=max(magnitude * 0.02, 1e-6))

    def set_overlays(self, overlays: Sequence[Overlay]) -> None:
        """Replace the overlaid series on the chart marked ``overlay_target``."""
        target = next((s for s in self.specs if s.overlay_target), None)
        if target is None or self._bundle is None:
            return
        plot = self.plots[target.key]
        self._overlays = list(overlays)
        self._bundle.set_overlays(self._overlays)
        self._update_overlay_legend(plot)
        plot.getAxis("right").setStyle(showValues=bool(self._overlays))
        plot.getAxis("right").showLabel(bool(self._overlays))

    def _update_overlay_legend(self, plot: pg.PlotItem) -> None:
        """Name each colour while every colour is one miner; beyond that colours repeat."""
        legend = plot.legend
        assert self._bundle is not None
        labels = ([o.label for o in self._overlays] if len(self._overlays) <= GROUPS else [])
        if legend is None or labels == self._legend_labels:
            return
        legend.clear()
        for item, label in zip(self._bundle.items, labels, strict=False):
            legend.addItem(item, label)
        self._legend_labels = labels

    @property
    def overlay_count(self) -> int:
        return len(self._overlays)

    @property
    def has_data(self) -> bool:
        return len(self._ts) > 0 or any(len(o.ts) for o in self._overlays)

    def show_message(self, text: str | None) -> None:
        """Show ``text`` instead of the charts, or the charts again with None."""
        if text:
            self.no_data_label.setText(text)
            self._pages.setCurrentWidget(self.no_data_label)
        else:
            self._pages.setCurrentWidget(self.plot_widget)

    @property
    def showing_message(self) -> bool:
        return self._pages.currentWidget() is self.no_data_label

    # --- view -----------------------------------------------------------------------------

    def set_x_range(self, start: float, end: float) -> None:
        first = self.plots[self.specs[0].key]
        first.setXRange(float(start), float(end), padding=0)

    def x_range(self) -> tuple[float, float]:
        first = self.plots[self.specs[0].key]
        x0, x1 = first.vb.viewRange()[0]
        return float(x0), float(x1)

    def visible_columns(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """(header, ts, values) of every drawn series inside the visible time range."""
        x0, x1 = self.x_range()
        columns = []
        keep = (self._ts >= x0) & (self._ts <= x1)
        for spec in self.specs:
            for curve in spec.curves:
                y = self._values.get(curve.key)
                if y is not None and len(self._ts):
                    header = f"{curve.label} ({spec.unit})" if spec.unit else curve.label
                    columns.append((header, self._ts[keep],
                                    np.asarray(y, dtype=np.float64)[keep] * curve.scale))
        for overlay in self._overlays:
            ts = np.asarray(overlay.ts, dtype=np.int64)
            inside = (ts >= x0) & (ts <= x1)
            columns.append((overlay.label, ts[inside], np.asarray(overlay.values)[inside]))
        return columns

    # --- crosshair ------------------------------------------------------------------------

    def _on_mouse_moved(self, scene_pos) -> None:
        for plot in self.plots.values():
            if plot.sceneBoundingRect().contains(scene_pos):
                self.move_crosshair(plot.vb.mapSceneToView(scene_pos).x())
                return

    def move_crosshair(self, x: float) -> str:
        """Put the crosshair at time ``x`` and return the readout text it shows."""
        for vline in self._vlines:
            vline.setPos(x)
            vline.setVisible(True)
        text = self.readout_text(x)
        self.readout.setText(text)
        return text

    def readout_text(self, x: float) -> str:
        index = nearest_index(self._ts, x, max_gap=self._resolution)
        if index is None:
            return format_time(x)
        parts = [format_time(float(self._ts[index]))]
        for spec in self.specs:
            for curve in spec.curves:
                y = self._values.get(curve.key)
                if y is not None:
                    value = float(y[index]) * curve.scale
                    parts.append(f"{curve.label} {format_value(value, spec.decimals, spec.unit)}")
        return "   ".join(parts)
