"""Draw short cell texts fast: QStaticText laid out once per (text, cell width).

A grid shows the same strings over and over ("OK", site and model names) and
the same numbers between two repaints; laying the glyphs out once and reusing
the layout is what makes a full 1600x900 repaint fit in a frame.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QStaticText

#: Horizontal padding inside a cell, in pixels.
PADDING = 5
#: Layouts kept; cleared wholesale when full (one screen shows < 1,000 cells).
CACHE_SIZE = 8000


class StaticTextCache:
    """Elided, prepared QStaticText per (text, available width)."""

    def __init__(self) -> None:
        self._texts: dict[tuple[str, int], tuple[QStaticText, int, int]] = {}

    def clear(self) -> None:
        """Call when the font changes (elision was measured with the old one)."""
        self._texts.clear()

    def draw(
        self, painter: QPainter, font: QFont, x: int, y: int, width: int, height: int,
        text: str, right: bool, color: QColor,
    ) -> None:
        """Draw ``text`` in the cell (x, y, width, height), vertically centred."""
        room = width - 2 * PADDING
        if room <= 0 or not text:
            return
        entry = self._texts.get((text, room))
        if entry is None:
            entry = self._layout(font, text, room)
        static, text_width, text_height = entry
        left = x + width - PADDING - text_width if right else x + PADDING
        painter.setPen(color)
        painter.drawStaticText(left, y + (height - text_height) // 2, static)

    def _layout(self, font: QFont, text: str, room: int) -> tuple[QStaticText, int, int]:
        metrics = QFontMetrics(font)
        shown = text
        if metrics.horizontalAdvance(text) > room:
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        static = QStaticText(shown)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(font=font)
        size = static.size()
        entry = (static, int(size.width()), int(size.height()))
        if len(self._texts) >= CACHE_SIZE:
            self._texts.clear()
        self._texts[(text, room)] = entry
        return entry
