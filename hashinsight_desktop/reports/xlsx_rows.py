"""A faster row path for large write-only sheets.

Without lxml (not a dependency), openpyxl serialises every cell through a pure-Python
ElementTree writer at ~35 µs a cell: 1.3 million cells (100,000 miners x 13 columns)
would take 45 s.  This sheet subclass accepts rows pre-rendered as the same SpreadsheetML
``<row>`` text openpyxl would write (inline strings, numbers, style ids registered
through openpyxl) and writes them straight to the sheet's stream; headers and
everything else still go through openpyxl.  With lxml installed openpyxl is fast on its
own, so the plain write-only sheet is used and rows are appended as values.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from openpyxl import LXML, Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FAST = not LXML


class FastRowSheet(WriteOnlyWorksheet):
    """A write-only sheet whose ``append`` also takes a pre-rendered ``<row>`` string."""

    def append(self, row) -> None:  # type: ignore[override]
        if isinstance(row, str):
            self._get_writer()
            if self._rows is None:
                self._rows = self._write_rows()
                next(self._rows)
            self._rows.send(row)
        else:
            super().append(row)

    def _write_rows(self):
        xf = self._writer.xf.send(True)
        raw = xf._file  # et_xmlfile's raw text sink (FAST is only used without lxml)
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if isinstance(row, str):
                        raw(row)
                    else:
                        self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


def large_sheet(workbook: Workbook, title: str) -> WriteOnlyWorksheet:
    if not FAST:
        return workbook.create_sheet(title)
    sheet = FastRowSheet(parent=workbook, title=title)
    workbook._add_sheet(sheet)
    return sheet


class RowRenderer:
    """Renders value tuples into ``<row>`` XML for a :class:`FastRowSheet`.

    ``formats`` gives a number format per column (None = General); each becomes an
    openpyxl style id once, as openpyxl would register it.
    """

    def __init__(self, sheet: WriteOnlyWorksheet, formats: Sequence[str | None]) -> None:
        self._sheet = sheet
        self._epoch = sheet.parent.epoch
        self._letters = [get_column_letter(i + 1) for i in range(len(formats))]
        self._styles: list[str] = []
        for fmt in formats:
            if fmt is None:
                self._styles.append("")
                continue
            probe = WriteOnlyCell(sheet)
            probe.number_format = fmt
            self._styles.append(f' s="{probe.style_id}"')
        self._formats = list(formats)

    def append(self, row_idx: int, values: Sequence[object]) -> None:
        if FAST:
            self._sheet.append(self.render(row_idx, values))
        else:
            self._sheet.append(self._cells(values))

    def _cells(self, values: Sequence[object]) -> list[object]:
        out: list[object] = []
        for value, fmt in zip(values, self._formats, strict=True):
            if value is None or fmt is None:
                out.append(value)
            else:
                cell = WriteOnlyCell(self._sheet, value)
                cell.number_format = fmt
                out.append(cell)
        return out

    def render(self, row_idx: int, values: Sequence[object]) -> str:
        parts = [f'<row r="{row_idx}">']
        for letter, style, value in zip(self._letters, self._styles, values, strict=True):
            if value is None:
                continue
            ref = f"{letter}{row_idx}"
            if isinstance(value, str):
                text = escape(ILLEGAL_CHARACTERS_RE.sub("", value))
                space = ' xml:space="preserve"' if text != text.strip() else ""
                parts.append(f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif isinstance(value, bool):
                parts.append(f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.datetime):
                parts.append(f'<c r="{ref}"{style} t="n"><v>{to_excel(value, self._epoch)}</v></c>')
            elif isinstance(value, float) and not math.isfinite(value):
                continue  # NaN/inf are not valid SpreadsheetML numbers: leave the cell empty
            else:
                parts.append(f'<c r="{ref}"{style} t="n"><v>{value!r}</v></c>')
        parts.append("</row>")
        return "".join(parts)
