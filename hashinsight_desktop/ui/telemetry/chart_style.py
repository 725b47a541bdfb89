"""Chart colours taken from the widget palette, so charts read well on dark and light.

The accent (palette Highlight, the brand orange) draws each chart's main series;
secondary series and overlays get hues spaced around the colour wheel, darker on a
light background and brighter on a dark one.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtGui import QColor, QPalette


@dataclasses.dataclass(frozen=True)
class ChartColours:
    background: QColor
    foreground: QColor
    muted: QColor
    accent: QColor
    is_dark: bool

    def series(self, index: int) -> QColor:
        """Colour of a chart's ``index``-th series (0 = the accent)."""
        if index == 0:
            return QColor(self.accent)
        # second series: a cool blue that contrasts with the orange accent
        hue = (210 + (index - 1) * 140) % 360
        return QColor.fromHsv(hue, 170 if self.is_dark else 220, 235 if self.is_dark else 170)

    def grid(self, mix: float) -> QColor:
        """An opaque colour ``mix`` of the way from the background to the text colour."""
        b, f = self.background, self.foreground
        return QColor.fromRgbF(*(b_c + (f_c - b_c) * mix for b_c, f_c in
                                 ((b.redF(), f.redF()), (b.greenF(), f.greenF()),
                                  (b.blueF(), f.blueF()))))

    def overlay(self, index: int) -> QColor:
        """Colour of the ``index``-th overlaid miner: golden-angle hues, muted a little."""
        hue = int((index * 137.508) % 360)
        colour = QColor.fromHsv(hue, 140 if self.is_dark else 200, 225 if self.is_dark else 150)
        colour.setAlpha(200)
        return colour


def colours_from(palette: QPalette) -> ChartColours:
    background = palette.color(QPalette.ColorRole.Base)
    foreground = palette.color(QPalette.ColorRole.Text)
    muted = palette.color(QPalette.ColorRole.PlaceholderText)
    accent = palette.color(QPalette.ColorRole.Highlight)
    return ChartColours(background, foreground, muted, accent, background.lightness() < 128)
