"""A lean item delegate for views other than FleetGridView over a FleetTableModel.

QStyledItemDelegate asks each cell for 7 roles through QVariant and lays the
text out anew each time (~35 ms for a 1600x900 repaint at 100,000 rows).  This
delegate asks the model once per cell for (text, colour, alignment) as plain
Python values and draws cached QStaticText (~18 ms).  FleetGridView goes
further and paints all visible cells in one Python call (see grid_painter.py).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from hashinsight_desktop.ui.fleet.model import FleetTableModel
from hashinsight_desktop.ui.fleet.static_text_cache import StaticTextCache

_ACTIVE_GROUP = QPalette.ColorGroup.Active
_INACTIVE_GROUP = QPalette.ColorGroup.Inactive
_HIGHLIGHT = QPalette.ColorRole.Highlight
_HIGHLIGHTED_TEXT = QPalette.ColorRole.HighlightedText
_TEXT = QPalette.ColorRole.Text
_SELECTED = QStyle.StateFlag.State_Selected.value
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus.value
_ACTIVE = QStyle.StateFlag.State_Active.value


class FleetCellDelegate(QStyledItemDelegate):
    """Paints fleet cells from ``FleetTableModel.paint_info`` (see module docstring)."""

    def __init__(self, model: FleetTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._texts = StaticTextCache()
        self._text_color: QColor | None = None

    def clear_cache(self) -> None:
        """Call when the view's font or palette changes."""
        self._texts.clear()
        self._text_color = None

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        # The view has already drawn the row background (alternate colour) through
        # PE_PanelItemViewRow; only selection, text and focus are left.  Every
        # attribute read from ``option`` builds a Python wrapper, so read few.
        rect = option.rect
        state = option.state.value
        text, color, right = self._model.paint_info(index.row(), index.column())
        if state & _SELECTED:
            palette = option.palette
            group = _ACTIVE_GROUP if state & _ACTIVE else _INACTIVE_GROUP
            painter.fillRect(rect, palette.brush(group, _HIGHLIGHT))
            color = palette.color(group, _HIGHLIGHTED_TEXT)
        elif color is None:
            color = self._text_color
            if color is None:  # first paint, or the palette changed (see clear_cache)
                color = self._text_color = option.palette.color(_TEXT)
        self._texts.draw(painter, option.font, rect.x(), rect.y(), rect.width(), rect.height(),
                         text, right, color)
        if state & _HAS_FOCUS:
            painter.setPen(option.palette.color(_HIGHLIGHT))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
