"""Native vector time-series charts (reportlab.graphics LinePlot over Unix-second x values)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
from reportlab.graphics.charts.legends import LineLegend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from hashinsight_desktop.reports.pdf import palette
from hashinsight_desktop.reports.pdf.styles import Styles

# tick spacing candidates for the time axis, seconds
_STEPS = (3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400,
          30 * 86400)


def time_ticks(start: int, end: int, most: int = 8) -> list[int]:
    """Round tick positions (whole hours or UTC days) with at most ``most`` ticks."""
    span = max(end - start, 1)
    step = next((s for s in _STEPS if span / s <= most), _STEPS[-1])
    first = start - start % step + (step if start % step else 0)
    return list(range(first, end + 1, step))


def _tick_label(step: int):
    fmt = "%m-%d" if step >= 86400 else "%m-%d %H:%M"

    def label(value: float) -> str:
        return dt.datetime.fromtimestamp(value, dt.UTC).strftime(fmt)

    return label


def _value_labeller(top: float):
    """One style for the whole axis: all in thousands ("12k") once the top reaches 10,000."""

    def label(value: float) -> str:
        if top >= 10_000:
            return f"{value / 1000:,.0f}k" if value % 1000 == 0 else f"{value / 1000:,.1f}k"
        if abs(value) >= 100 or value == int(value):
            return f"{value:,.0f}"
        return f"{value:,.1f}"

    return label


def _nice_max(top: float) -> float:
    if not math.isfinite(top) or top <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(top))
    for k in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if k * magnitude >= top * 1.05:
            return k * magnitude
    return 10 * magnitude


def time_series_chart(ts: np.ndarray, lines: Sequence[tuple[str, np.ndarray, object]],
                      start: int, end: int, title: str, styles: Styles, width: float,
                      height: float = 55 * mm) -> Drawing:
    """A titled line chart of ``lines`` (label, values, colour) against ``ts``.

    NaN points are dropped (the line bridges them).  The caller shows a "no data" box
    instead when there is nothing to draw.
    """
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=styles.fonts.bold, fontSize=9,
                       fillColor=palette.BAND))
    plot = LinePlot()
    plot.x, plot.y = 34, 18
    plot.width, plot.height = width - plot.x - 22, height - plot.y - 30  # room for the last date
    data, top = [], 0.0
    for _label, values, _colour in lines:
        keep = np.isfinite(values)
        xs, ys = ts[keep].astype(float), values[keep].astype(float)
        if len(xs) == 1:  # a single sample still shows as a short flat segment
            xs, ys = np.array([xs[0], xs[0] + 1]), np.repeat(ys, 2)
        data.append(list(zip(xs.tolist(), ys.tolist(), strict=True)) or [(start, 0.0)])
        top = max(top, float(ys.max()) if len(ys) else 0.0)
    plot.data = data
    for i, (_label, _values, colour) in enumerate(lines):
        plot.lines[i].strokeColor = colour
        plot.lines[i].strokeWidth = 1.4 if i == 0 else 0.9
        if i > 0:
            plot.lines[i].strokeDashArray = [3, 2]
    ticks = time_ticks(start, end)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 86400
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = start, end
    plot.xValueAxis.valueSteps = ticks
    plot.xValueAxis.labelTextFormat = _tick_label(step)
    y_max = _nice_max(top)
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, y_max
    plot.yValueAxis.labelTextFormat = _value_labeller(y_max)
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = styles.fonts.regular
        axis.labels.fontSize = 7
        axis.labels.fillColor = palette.MUTED
        axis.strokeColor = palette.RULE
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = palette.RULE
    plot.yValueAxis.gridStrokeWidth = 0.3
    plot.xValueAxis.visibleGrid = True
    plot.xValueAxis.gridStrokeColor = colors.HexColor("#eeeff3")
    plot.xValueAxis.gridStrokeWidth = 0.3
    drawing.add(plot)
    if len(lines) > 1:
        legend = LineLegend()
        legend.x, legend.y = width - 8 - 70 * len(lines), height - 6
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.deltax = 70
        legend.fontName = styles.fonts.regular
        legend.fontSize = 7
        legend.colorNamePairs = [(colour, label) for label, _v, colour in lines]
        legend.dx, legend.dy = 14, 0
        legend.strokeWidth = 1.4
        drawing.add(legend)
    return drawing
