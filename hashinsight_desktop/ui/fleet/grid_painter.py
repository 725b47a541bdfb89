"""Paint every visible cell of the fleet grid in one Python call.

Why not the item delegate: QTableView calls the delegate once per cell, and
each call from C++ into Python builds wrappers for the painter, the style
option and the index.  At 1600x900 (about 700 cells) that fixed cost alone was
~10 ms, before any text was drawn.  This painter walks the visible rows and
columns itself (rows have one fixed height, so geometry is arithmetic), draws
row backgrounds, selection and focus, and the cached static texts.

What it does not do (the grid does not need it): per-cell editors, spans,
grid lines, decorations (icons), check boxes, per-cell (non-row) selection.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QTableView

from hashinsight_desktop.ui.fleet.model import FleetTableModel
from hashinsight_desktop.ui.fleet.static_text_cache import StaticTextCache

_ROLE = QPalette.ColorRole
_GROUP = QPalette.ColorGroup


def paint_visible_cells(
    view: QTableView, model: FleetTableModel, texts: StaticTextCache, painter: QPainter, area: QRect
) -> None:
    """Paint the cells of ``view`` intersecting ``area`` (viewport coordinates)."""
    first = view.rowAt(area.top())
    if first < 0:
        return  # below the last row: the viewport's own background is enough
    last = view.rowAt(area.bottom())
    if last < 0:
        last = model.rowCount() - 1
    columns = _visible_columns(view, area)
    if not columns:
        return
    row_height = view.verticalHeader().defaultSectionSize()
    top = view.rowViewportPosition(first)
    row_left = columns[0][1]
    row_width = columns[-1][1] + columns[-1][2] - row_left

    palette = view.palette()
    group = _GROUP.Active if view.isActiveWindow() else _GROUP.Inactive
    text_color = palette.color(group, _ROLE.Text)
    selected_text = palette.color(group, _ROLE.HighlightedText)
    highlight = palette.brush(group, _ROLE.Highlight)
    alternate = palette.brush(group, _ROLE.AlternateBase) if view.alternatingRowColors() else None
    font = view.font()
    selection = view.selectionModel()
    paint_info = model.paint_info

    for row in range(first, last + 1):
        y = top + (row - first) * row_height
        selected = selection.isRowSelected(row)
        if selected:
            painter.fillRect(row_left, y, row_width, row_height, highlight)
        elif alternate is not None and row & 1:
            painter.fillRect(row_left, y, row_width, row_height, alternate)
        for column, x, width in columns:
            text, color, right = paint_info(row, column)
            if selected:
                color = selected_text
            elif color is None:
                color = text_color
            texts.draw(painter, font, x, y, width, row_height, text, right, color)

    current = view.currentIndex()
    if view.hasFocus() and current.isValid() and first <= current.row() <= last:
        rect = view.visualRect(current)
        painter.setPen(palette.color(group, _ROLE.Highlight))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))


def _visible_columns(view: QTableView, area: QRect) -> list[tuple[int, int, int]]:
    """(logical column, x, width) of the shown columns crossing ``area``, left to right."""
    header = view.horizontalHeader()
    first = header.visualIndexAt(area.left())
    last = header.visualIndexAt(area.right())
    if first < 0:
        first = 0
    if last < 0:
        last = header.count() - 1
    out = []
    for visual in range(first, last + 1):
        logical = header.logicalIndex(visual)
        if header.isSectionHidden(logical):
            continue
        out.append((logical, header.sectionViewportPosition(logical), header.sectionSize(logical)))
    return out
