"""The report page: dark header band with the logo and title, a footer with page X of Y.

"Page X of Y" needs the page count before the first page is final: the canvas below
keeps each page's state and paints every footer when the document is saved (the usual
reportlab two-pass trick, without re-running the layout).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from hashinsight_desktop.reports.i18n import Translator
from hashinsight_desktop.reports.pdf import palette
from hashinsight_desktop.reports.pdf.logo import draw_logo
from hashinsight_desktop.reports.pdf.styles import Styles

PAGE = A4
MARGIN = 15 * mm
BAND_H = 24 * mm
FOOTER_H = 12 * mm


@dataclasses.dataclass(frozen=True)
class PageDecor:
    """What every page shows around the content."""

    title: str
    subtitle: str
    generated: str  # already formatted
    data_range: str


def _numbered_canvas(decor: PageDecor, styles: Styles, tr: Translator) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _paint_footer(self, decor, styles, tr, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _paint_header(canvas: Canvas, decor: PageDecor, styles: Styles, tr: Translator) -> None:
    width, height = PAGE
    canvas.saveState()
    canvas.setFillColor(palette.BAND)
    canvas.rect(0, height - BAND_H, width, BAND_H, stroke=0, fill=1)
    canvas.setFillColor(palette.ACCENT)
    canvas.rect(0, height - BAND_H - 1.2 * mm, width, 1.2 * mm, stroke=0, fill=1)
    logo = 14 * mm
    draw_logo(canvas, MARGIN, height - BAND_H + (BAND_H - logo) / 2, logo)
    text_x = MARGIN + logo + 4 * mm
    canvas.setFillColor(palette.BAND_TEXT)
    canvas.setFont(styles.fonts.bold, 15)
    canvas.drawString(text_x, height - BAND_H / 2 + 1 * mm, decor.title)
    canvas.setFont(styles.fonts.regular, 9)
    canvas.setFillColor(palette.ACCENT)
    canvas.drawString(text_x, height - BAND_H / 2 - 5 * mm, decor.subtitle)
    canvas.setFillColor(palette.BAND_TEXT)
    canvas.setFont(styles.fonts.bold, 10)
    canvas.drawRightString(width - MARGIN, height - BAND_H / 2 - 1.5 * mm, tr("brand"))
    canvas.restoreState()


def _paint_footer(canvas: Canvas, decor: PageDecor, styles: Styles, tr: Translator,
                  total: int) -> None:
    width, _ = PAGE
    y = FOOTER_H / 2 + 2 * mm
    canvas.saveState()
    canvas.setStrokeColor(palette.RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y + 4 * mm, width - MARGIN, y + 4 * mm)
    canvas.setFont(styles.fonts.regular, 7.5)
    canvas.setFillColor(palette.MUTED)
    canvas.drawString(MARGIN, y, tr("footer.generated", when=decor.generated))
    canvas.drawCentredString(width / 2, y, tr("footer.range", period=decor.data_range))
    canvas.drawRightString(width - MARGIN, y,
                           tr("footer.page", page=canvas.getPageNumber(), pages=total))
    canvas.restoreState()


def build_pdf(path: Path, story: list[Flowable], decor: PageDecor, styles: Styles,
              tr: Translator) -> int:
    """Lay ``story`` out into ``path``; returns the number of pages."""
    width, height = PAGE
    frame = Frame(MARGIN, FOOTER_H + 6 * mm, width - 2 * MARGIN,
                  height - BAND_H - FOOTER_H - 14 * mm, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = BaseDocTemplate(str(path), pagesize=PAGE, title=decor.title,
                          author="HashInsight Desktop", subject=decor.subtitle,
                          creator="HashInsight Desktop reports")
    doc.addPageTemplates([PageTemplate(
        id="report", frames=[frame],
        onPage=lambda canvas, _doc: _paint_header(canvas, decor, styles, tr))])
    doc.build(story, canvasmaker=_numbered_canvas(decor, styles, tr))
    return doc.page


def content_width() -> float:
    return PAGE[0] - 2 * MARGIN


def generated_label(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y-%m-%d %H:%M UTC")
