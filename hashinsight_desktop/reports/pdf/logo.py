"""The HashInsight mark drawn with reportlab vectors (same shapes as the app's SVG icon)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Group, PolyLine, Rect

from hashinsight_desktop.reports.pdf import palette


def draw_logo(canvas, x: float, y: float, size: float) -> None:
    """Paint the mark at (x, y) (lower-left corner), ``size`` points square."""
    from reportlab.graphics import renderPDF

    renderPDF.draw(logo_drawing(size), canvas, x, y)


def logo_drawing(size: float) -> Drawing:
    """The 256-unit SVG scaled to ``size``; SVG y grows down, PDF y grows up."""
    k = size / 256.0

    def pt(x: float, y: float) -> tuple[float, float]:
        return x * k, (256 - y) * k

    group = Group()
    group.add(Rect(0, 0, size, size, rx=48 * k, ry=48 * k, fillColor=palette.BAND,
                   strokeColor=None))
    for points in (((48, 184), (96, 128), (136, 156), (208, 72)),
                   ((168, 72), (208, 72), (208, 112))):
        flat = [c for p in points for c in pt(*p)]
        group.add(PolyLine(flat, strokeColor=palette.ACCENT, strokeWidth=16 * k,
                           strokeLineCap=1, strokeLineJoin=1))
    for x in (48, 92, 136, 180):
        left, top = pt(x, 212)
        group.add(Rect(left, top, 32 * k, 12 * k, rx=3 * k, ry=3 * k,
                       fillColor=palette.BAND_TEXT, strokeColor=None))
    drawing = Drawing(size, size)
    drawing.add(group)
    return drawing
