"""The painted rack map of one site: batched fills, hover tooltip, click, highlight.

Thousands of cells are drawn in one ``paintEvent`` with one ``drawRects`` per
colour bucket over QRect lists prepared when the layout or the colours change,
never one item per miner.  ``recolor`` after a collector cycle only re-buckets
the values with numpy and regroups the prepared rects.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.rackmap.color_scales import ColorScale, scale_for
from hashinsight_desktop.ui.rackmap.geometry import RACK_GAP, RackGeometry, fit_geometry
from hashinsight_desktop.ui.rackmap.metrics import RackMetric, metric_values
from hashinsight_desktop.ui.rackmap.site_racks import SiteRacks, site_racks
from hashinsight_desktop.ui.rackmap.texts import (
    MISSING,
    metric_name,
    metric_value_text,
    no_rack_name,
    status_name,
)

#: "No reading" cells: a dark grey base under a lighter hatch, visible on both themes.
NAN_BASE = QColor("#3d4156")
NAN_HATCH = QColor("#9aa0b8")
ACCENT = QColor("#f7931a")
_LABEL_MAX_W = 64


class RackMapCanvas(QWidget):
    """Paints one site (see module docstring); the surrounding widget owns the controls."""

    miner_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self._table: FleetTable | None = None
        self._racks: SiteRacks | None = None
        self._geometry: RackGeometry | None = None
        self._metric = RackMetric.TEMPERATURE
        self._scale: ColorScale = scale_for(self._metric)
        self._buckets = np.empty(0, dtype=np.int64)
        self._cell_rects: list[QRect] = []
        self._bucket_rects: list[tuple[int, list[QRect]]] = []
        self._rack_rects: list[QRect] = []
        self._labels: list[str] = []
        self._selected = -1  # cell index
        self._hovered = -1
        self._label_font = QFont(self.font())
        self._label_font.setPointSizeF(max(6.0, self.font().pointSizeF() - 2))
        #: Duration of the last paintEvent, for the demo's measurement.
        self.last_paint_ms = float("nan")

    # ------------------------------------------------------------ binding
    def show_site(self, table: FleetTable | None, site_code: int) -> None:
        """Lay out ``site_code``'s racks of ``table`` (None: nothing to show)."""
        self._table = table
        self._racks = None if table is None else site_racks(table.arrays, site_code)
        self._selected = self._hovered = -1
        self._labels = [] if self._racks is None else [
            no_rack_name() if n is None else n for n in self._racks.rack_names
        ]
        self._relayout()
        self.recolor()

    def set_metric(self, metric: RackMetric) -> None:
        self._metric = metric
        self.recolor()

    def recolor(self) -> None:
        """Re-bucket the live values (after a cycle) and repaint."""
        racks, table = self._racks, self._table
        if racks is None or table is None:
            self._scale = scale_for(self._metric)
            self._buckets = np.empty(0, dtype=np.int64)
        else:
            values = metric_values(table.arrays, self._metric, racks.rows)
            self._scale = scale_for(self._metric, values)
            self._buckets = self._scale.buckets(values)
        self._group_rects()
        self.update()

    # ------------------------------------------------------------- queries
    @property
    def color_metric(self) -> RackMetric:
        return self._metric

    @property
    def scale(self) -> ColorScale:
        return self._scale

    @property
    def racks(self) -> SiteRacks | None:
        return self._racks

    @property
    def geometry_info(self) -> RackGeometry | None:
        return self._geometry

    def cell_buckets(self) -> np.ndarray:
        """Bucket of each cell, in ``racks.rows`` order (tests, legend counts)."""
        return self._buckets

    def cell_rect(self, miner_id: int) -> QRect | None:
        cell = self._cell_of_miner(miner_id)
        return None if cell < 0 else QRect(self._cell_rects[cell])

    def miner_at(self, pos: QPoint) -> int | None:
        cell = self._cell_at(pos)
        if cell < 0 or self._racks is None or self._table is None:
            return None
        return int(self._table.arrays.miner_id[self._racks.rows[cell]])

    def selected_miner(self) -> int | None:
        if self._selected < 0 or self._racks is None or self._table is None:
            return None
        return int(self._table.arrays.miner_id[self._racks.rows[self._selected]])

    def select(self, miner_id: int | None) -> bool:
        """Highlight ``miner_id`` if it is on this site; None clears. True when shown."""
        cell = -1 if miner_id is None else self._cell_of_miner(miner_id)
        self._selected = cell
        self.update()
        return cell >= 0

    def tooltip_text(self, pos: QPoint) -> str | None:
        cell = self._cell_at(pos)
        if cell < 0 or self._racks is None or self._table is None:
            return None
        table, row = self._table, int(self._racks.rows[cell])
        a = table.arrays
        rack = a.rack[row] or MISSING
        position = MISSING if a.position[row] is None else str(a.position[row])
        model = table.models.label(int(a.model[row])) or MISSING
        value = metric_values(a, self._metric, np.array([row]))[0]
        value_text = metric_value_text(self._metric, value, bool(a.power_estimated[row]))
        lines = [
            f"<b>{_escape(str(a.name[row]))}</b>",
            self.tr("Rack {rack}, position {position}").format(
                rack=_escape(rack), position=_escape(position)
            ),
            self.tr("Model: {model}").format(model=_escape(model)),
            f"{metric_name(self._metric)}: {value_text}",
        ]
        if self._metric is not RackMetric.STATUS:
            lines.append(self.tr("Status: {status}").format(status=status_name(int(a.status[row]))))
        return "<br>".join(lines)

    # -------------------------------------------------------------- events
    def sizeHint(self) -> QSize:
        return QSize(900, 700)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 150)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()
        self._group_rects()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_text(event.pos())
            if text:
                # The cell rect makes Qt hide the tip as soon as the mouse leaves the cell.
                cell_rect = self._cell_rects[self._cell_at(event.pos())]
                QToolTip.showText(event.globalPos(), text, self, cell_rect)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self._cell_at(event.position().toPoint())
        if cell != self._hovered:
            for old_or_new in (self._hovered, cell):
                if old_or_new >= 0:
                    self.update(self._cell_rects[old_or_new].adjusted(-3, -3, 3, 3))
            self._hovered = cell
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hovered >= 0:
            self.update(self._cell_rects[self._hovered].adjusted(-3, -3, 3, 3))
        self._hovered = -1
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            miner = self.miner_at(event.position().toPoint())
            if miner is not None:
                self.select(miner)
                self.miner_clicked.emit(miner)
                return
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        started = time.perf_counter()
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()
        self.last_paint_ms = (time.perf_counter() - started) * 1e3

    # ------------------------------------------------------------ painting
    def _paint(self, painter: QPainter) -> None:
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Window))
        if self._geometry is None or not self._cell_rects:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No miners on this site"))
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_blend(palette.color(QPalette.ColorRole.Window),
                                palette.color(QPalette.ColorRole.WindowText), 0.10))
        painter.drawRects(self._rack_rects)
        colors = self._scale.colors
        for bucket, rects in self._bucket_rects:
            if bucket == self._scale.nan_bucket:
                painter.setBrush(NAN_BASE)
                painter.drawRects(rects)
                painter.setBrush(QBrush(NAN_HATCH, Qt.BrushStyle.BDiagPattern))
            else:
                painter.setBrush(QColor(colors[bucket]))
            painter.drawRects(rects)
        self._paint_labels(painter, palette)
        self._paint_marks(painter, palette)

    def _paint_labels(self, painter: QPainter, palette: QPalette) -> None:
        geometry = self._geometry
        assert geometry is not None
        painter.setFont(self._label_font)
        selected_rack = -1 if self._selected < 0 or self._racks is None else int(
            self._racks.rack_index[self._selected])
        text_color = palette.color(QPalette.ColorRole.WindowText)
        fm = QFontMetrics(self._label_font)
        # Vertical names of racks narrower than a text line would overlap: label
        # every n-th rack then (R001, R004, ...), plus the selected one.
        pitch = geometry.cell_w + RACK_GAP
        every = max(1, -(-fm.height() // pitch)) if geometry.vertical_labels else 1
        for index, (x, y) in enumerate(zip(geometry.rack_x.tolist(), geometry.rack_y.tolist(),
                                           strict=True)):
            column = index % geometry.racks_per_row
            if column % every and index != selected_rack:
                continue
            painter.setPen(ACCENT if index == selected_rack else text_color)
            text = fm.elidedText(self._labels[index], Qt.TextElideMode.ElideMiddle, _LABEL_MAX_W)
            if geometry.vertical_labels:
                painter.save()
                painter.translate(x + (geometry.cell_w + fm.ascent() - fm.descent()) / 2, y - 2)
                painter.rotate(-90)
                painter.drawText(0, 0, text)
                painter.restore()
            else:
                box = QRect(x - 1, y - geometry.label_h, geometry.cell_w + 2, geometry.label_h)
                painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                                 text)

    def _paint_marks(self, painter: QPainter, palette: QPalette) -> None:
        """Hovered cell: a thin ring; selected cell: a contrasting ring plus accent ring."""
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if 0 <= self._hovered < len(self._cell_rects) and self._hovered != self._selected:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.WindowText), 1))
            painter.drawRect(self._cell_rects[self._hovered].adjusted(-1, -1, 0, 0))
        if 0 <= self._selected < len(self._cell_rects):
            rect = self._cell_rects[self._selected]
            painter.setPen(QPen(palette.color(QPalette.ColorRole.WindowText), 2))
            painter.drawRect(rect.adjusted(-3, -3, 2, 2))
            painter.setPen(QPen(ACCENT, 2))
            painter.drawRect(rect.adjusted(-1, -1, 0, 0))

    # ------------------------------------------------------------- helpers
    def _relayout(self) -> None:
        racks = self._racks
        if racks is None or len(racks) == 0:
            self._geometry, self._cell_rects, self._rack_rects = None, [], []
            return
        fm = QFontMetrics(self._label_font)
        label_w = min(_LABEL_MAX_W, max(fm.horizontalAdvance(t) for t in self._labels) + 2)
        g = fit_geometry(racks, self.width(), self.height(), label_w, fm.height())
        self._geometry = g
        # One pixel between stacked cells once they are tall enough to spare it.
        h = g.cell_h - 1 if g.cell_h >= 4 else g.cell_h
        self._cell_rects = [QRect(x, y, g.cell_w, h)
                            for x, y in zip(g.cell_x.tolist(), g.cell_y.tolist(), strict=True)]
        self._rack_rects = [
            QRect(x, y, g.cell_w, int(s) * g.cell_h)
            for x, y, s in zip(g.rack_x.tolist(), g.rack_y.tolist(), racks.rack_slots.tolist(),
                               strict=True)
        ]

    def _group_rects(self) -> None:
        """One QRect list per colour bucket, for one drawRects call each."""
        if len(self._buckets) != len(self._cell_rects) or len(self._buckets) == 0:
            self._bucket_rects = []
            return
        order = np.argsort(self._buckets, kind="stable")
        sorted_buckets = self._buckets[order]
        starts = np.flatnonzero(np.r_[True, sorted_buckets[1:] != sorted_buckets[:-1]])
        ends = np.r_[starts[1:], len(order)]
        rects = self._cell_rects
        order_list = order.tolist()
        self._bucket_rects = [
            (int(sorted_buckets[s]), [rects[i] for i in order_list[s:e]])
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
        ]

    def _cell_at(self, pos: QPoint) -> int:
        if self._geometry is None:
            return -1
        return self._geometry.hit(pos.x(), pos.y())

    def _cell_of_miner(self, miner_id: int) -> int:
        if self._racks is None or self._table is None:
            return -1
        row = self._table.row_of(int(miner_id))
        if row is None:
            return -1
        hits = np.flatnonzero(self._racks.rows == row)
        return int(hits[0]) if len(hits) else -1


def _blend(base: QColor, other: QColor, t: float) -> QColor:
    return QColor(
        round(base.red() + (other.red() - base.red()) * t),
        round(base.green() + (other.green() - base.green()) * t),
        round(base.blue() + (other.blue() - base.blue()) * t),
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
