"""Paragraph styles for one language (the font differs, the look does not)."""

from __future__ import annotations

import dataclasses

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from hashinsight_desktop.reports.pdf import palette
from hashinsight_desktop.reports.pdf.fonts import FontSet, fonts_for


@dataclasses.dataclass(frozen=True)
class Styles:
    fonts: FontSet
    body: ParagraphStyle
    small: ParagraphStyle
    small_centred: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    header_cell: ParagraphStyle
    header_cell_right: ParagraphStyle
    kpi_value: ParagraphStyle
    kpi_label: ParagraphStyle
    notice: ParagraphStyle


def make_styles(lang: str) -> Styles:
    fonts = fonts_for(lang)
    # CJK lines break between any two characters: wordWrap="CJK" lets reportlab do so
    wrap = "CJK" if lang == "zh_CN" else None
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=9.5, leading=13,
                          textColor=palette.INK, wordWrap=wrap)
    return Styles(
        fonts=fonts,
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10,
                             textColor=palette.MUTED),
        small_centred=ParagraphStyle("small_centred", parent=body, fontSize=8, leading=10,
                                     textColor=palette.MUTED, alignment=TA_CENTER),
        heading=ParagraphStyle("heading", parent=body, fontName=fonts.bold, fontSize=13,
                               leading=17, spaceBefore=10, spaceAfter=6,
                               textColor=palette.BAND, keepWithNext=1),
        subheading=ParagraphStyle("subheading", parent=body, fontName=fonts.bold,
                                  spaceBefore=2, spaceAfter=1, keepWithNext=1),
        cell=ParagraphStyle("cell", parent=body, fontSize=8, leading=10),
        cell_right=ParagraphStyle("cell_right", parent=body, fontSize=8, leading=10,
                                  alignment=TA_RIGHT),
        header_cell=ParagraphStyle("header_cell", parent=body, fontName=fonts.bold,
                                   fontSize=8, leading=10, textColor=palette.BAND_TEXT),
        header_cell_right=ParagraphStyle("header_cell_right", parent=body, fontName=fonts.bold,
                                         fontSize=8, leading=10, alignment=TA_RIGHT,
                                         textColor=palette.BAND_TEXT),
        kpi_value=ParagraphStyle("kpi_value", parent=body, fontName=fonts.bold, fontSize=15,
                                 leading=19, alignment=TA_CENTER, textColor=palette.BAND),
        kpi_label=ParagraphStyle("kpi_label", parent=body, fontSize=8, leading=10,
                                 alignment=TA_CENTER, textColor=palette.MUTED),
        notice=ParagraphStyle("notice", parent=body, fontName=fonts.bold, fontSize=11,
                              leading=15, alignment=TA_CENTER, textColor=palette.MUTED),
    )
