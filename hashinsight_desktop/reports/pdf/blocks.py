"""Reusable flowables: section headings, KPI tiles, the "no data" box, data tables."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from hashinsight_desktop.reports.pdf import palette
from hashinsight_desktop.reports.pdf.styles import Styles
from hashinsight_desktop.reports.pdf.template import content_width


def escape(text: str) -> str:
    """Paragraph text is mini-HTML: a miner named "<A&B>" must not break the layout."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def heading(text: str, styles: Styles) -> Paragraph:
    return Paragraph(escape(text), styles.heading)


def no_data_box(message: str, detail: str, styles: Styles, height: float = 30 * mm) -> Table:
    """Shown instead of an empty chart or table, so a blank area is never ambiguous."""
    box = Table([[Paragraph(escape(message), styles.notice)],
                 [Paragraph(escape(detail), styles.small_centred)]],
                colWidths=[content_width()], rowHeights=[height * 0.6, height * 0.4])
    box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, palette.RULE),
        ("BACKGROUND", (0, 0), (-1, -1), palette.ZEBRA),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, 1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ]))
    return box


def kpi_tiles(items: Sequence[tuple[str, str, str]], styles: Styles) -> Table:
    """One row of tiles: (label, value, note) each; the note may be empty."""
    cells = [[Paragraph(escape(value), styles.kpi_value),
              Paragraph(escape(label), styles.kpi_label),
              Paragraph(escape(note), styles.kpi_label)] for label, value, note in items]
    width = content_width() / len(items)
    table = Table([[c[0] for c in cells], [c[1] for c in cells], [c[2] for c in cells]],
                  colWidths=[width] * len(items))
    table.setStyle(TableStyle([
        ("LINEABOVE", (0, 0), (-1, 0), 2, palette.ACCENT),
        ("BACKGROUND", (0, 0), (-1, -1), palette.ZEBRA),
        ("LINEAFTER", (0, 0), (-2, -1), 1.5, colors.white),
        ("TOPPADDING", (0, 0), (-1, 0), 6),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
        ("TOPPADDING", (0, 1), (-1, -1), 0),
    ]))
    return table


def data_table(header: Sequence[str], rows: Sequence[Sequence[str]], styles: Styles,
               col_widths: Sequence[float], numeric: Sequence[int] = (),
               row_colours: dict[int, object] | None = None) -> Table:
    """A zebra table whose header row repeats on every page it spans.

    Cells are Paragraphs so long names wrap inside their column instead of overflowing.
    ``numeric`` columns are right-aligned; ``row_colours`` maps a data row index to a
    text colour (e.g. red for offline).
    """
    head = [Paragraph(escape(h), styles.header_cell_right if i in numeric else styles.header_cell)
            for i, h in enumerate(header)]
    colours = row_colours or {}
    tinted: dict[object, tuple[ParagraphStyle, ParagraphStyle]] = {}
    body = []
    for r, row in enumerate(rows):
        left, right = styles.cell, styles.cell_right
        colour = colours.get(r)
        if colour is not None:
            if colour not in tinted:
                tinted[colour] = (ParagraphStyle("cell_t", parent=left, textColor=colour),
                                  ParagraphStyle("cell_rt", parent=right, textColor=colour))
            left, right = tinted[colour]
        body.append([Paragraph(escape(v), right if i in numeric else left)
                     for i, v in enumerate(row)])
    table = Table([head, *body], colWidths=list(col_widths), repeatRows=1, splitByRow=1)
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), palette.BAND),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 1, palette.ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, palette.RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), palette.ZEBRA)
                 for r in range(2, len(body) + 1, 2)]
    table.setStyle(TableStyle(commands))
    return table


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))
