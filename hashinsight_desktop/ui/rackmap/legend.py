"""The colour legend under the map: a scale bar with ticks, or status swatches with counts."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from hashinsight_desktop.ui.rackmap.canvas import NAN_BASE, NAN_HATCH
from hashinsight_desktop.ui.rackmap.color_scales import ColorScale
from hashinsight_desktop.ui.rackmap.metrics import RackMetric
from hashinsight_desktop.ui.rackmap.texts import status_name

_BAR_W = 260
_SWATCH = 12
_PAD = 6


class RackMapLegend(QWidget):
    """Shows the active scale; ``set_scale`` after every recolour (power's top moves)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._scale: ColorScale | None = None
        self._metric = RackMetric.TEMPERATURE
        self._counts = np.zeros(0, dtype=np.int64)

    def set_scale(self, scale: ColorScale, metric: RackMetric, buckets: np.ndarray) -> None:
        """``buckets``: the bucket of every cell shown, to count cells per colour."""
        self._scale, self._metric = scale, metric
        self._counts = np.bincount(buckets, minlength=scale.nan_bucket + 1)
        self.update()

    def entries(self) -> list[tuple[str, str]]:
        """(colour, text) of every swatch as drawn, the "no reading" one last (tests)."""
        scale = self._scale
        if scale is None:
            return []
        out = []
        if scale.categorical:
            for i, code in enumerate(scale.categories):
                out.append((scale.colors[i], f"{status_name(code)} {self._count(i):,}"))
        else:
            out.extend((c, self.tick_text(scale.bucket_range(i)[0]))
                       for i, c in enumerate(scale.colors))
        out.append((NAN_BASE.name(), self.tr("No reading {count}").format(
            count=f"{self._count(scale.nan_bucket):,}")))
        return out

    def tick_text(self, value: float, with_unit: bool = True) -> str:
        """Tick label; only the last tick carries the unit, to keep ticks narrow."""
        if self._metric is RackMetric.TEMPERATURE:
            number = f"{value:.0f}"
            return self.tr("{value} °C").format(value=number) if with_unit else number
        if self._metric is RackMetric.PCT_NOMINAL:
            return f"{value:.0f} %" if with_unit else f"{value:.0f}"
        if value >= 1000:
            return self.tr("{value} kW").format(value=f"{value / 1000:.1f}")
        return f"{value:.0f} W"

    def sizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        return QSize(_BAR_W * 2, _SWATCH + fm.height() + 3 * _PAD)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._scale is None:
            return
        painter = QPainter(self)
        try:
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            if self._scale.categorical:
                x = self._paint_swatches(painter)
            else:
                x = self._paint_bar(painter)
            self._paint_nan(painter, x + 3 * _PAD)
        finally:
            painter.end()

    def _paint_bar(self, painter: QPainter) -> int:
        scale = self._scale
        assert scale is not None
        fm = QFontMetrics(self.font())
        left = _PAD + fm.horizontalAdvance(self.tick_text(scale.ticks[0])) // 2
        span = scale.high - scale.low

        def to_x(value: float) -> float:
            return left + (min(max(value, scale.low), scale.high) - scale.low) / span * _BAR_W

        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        for i, color in enumerate(scale.colors):
            lo, hi = scale.bucket_range(i)
            painter.setBrush(QColor(color))
            painter.drawRect(QRectF(to_x(lo), _PAD, to_x(hi) - to_x(lo) + 0.5, _SWATCH))
        painter.restore()
        baseline = _PAD + _SWATCH + 2 + fm.ascent()
        free_from = -1.0  # first x not covered by the previous tick label
        for i, tick in enumerate(scale.ticks):
            text = self.tick_text(tick, with_unit=i == len(scale.ticks) - 1)
            x = to_x(tick)
            painter.drawLine(round(x), _PAD + _SWATCH, round(x), _PAD + _SWATCH + 2)
            text_x = x - fm.horizontalAdvance("0" * len(f"{tick:.0f}")) / 2
            if text_x >= free_from:  # a label that would overlap the previous one is dropped
                painter.drawText(round(text_x), baseline, text)
                free_from = text_x + fm.horizontalAdvance(text) + 4
        return round(left + _BAR_W + fm.horizontalAdvance(self.tick_text(scale.ticks[-1])) / 2)

    def _paint_swatches(self, painter: QPainter) -> int:
        scale = self._scale
        assert scale is not None
        fm = QFontMetrics(self.font())
        x = _PAD
        baseline = _PAD + (_SWATCH + fm.ascent() - fm.descent()) // 2
        for i, code in enumerate(scale.categories):
            painter.fillRect(QRect(x, _PAD, _SWATCH, _SWATCH), QColor(scale.colors[i]))
            text = f"{status_name(code)} {self._count(i):,}"
            painter.drawText(x + _SWATCH + 4, baseline, text)
            x += _SWATCH + 4 + fm.horizontalAdvance(text) + 2 * _PAD
        return x - 2 * _PAD

    def _paint_nan(self, painter: QPainter, x: int) -> None:
        assert self._scale is not None
        fm = QFontMetrics(self.font())
        swatch = QRect(x, _PAD, _SWATCH, _SWATCH)
        painter.fillRect(swatch, NAN_BASE)
        painter.fillRect(swatch, QBrush(NAN_HATCH, Qt.BrushStyle.BDiagPattern))
        text = self.tr("No reading {count}").format(count=f"{self._count(self._scale.nan_bucket):,}")
        painter.drawText(x + _SWATCH + 4, _PAD + (_SWATCH + fm.ascent() - fm.descent()) // 2, text)

    def _count(self, bucket: int) -> int:
        return int(self._counts[bucket]) if bucket < len(self._counts) else 0
