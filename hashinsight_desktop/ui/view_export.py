"""Export what the grid shows (the current view or the selection) to CSV or Excel."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt


def export_rows(model: QAbstractItemModel, rows: list[int], columns: list[int],
                path: Path) -> int:
    """Write the displayed text of ``rows`` x ``columns``; atomic (temporary file, rename)."""
    path = Path(path)
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns]
    fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if path.suffix.lower() == ".xlsx":
            import openpyxl
            from openpyxl.styles import Font

            book = openpyxl.Workbook(write_only=True)
            sheet = book.create_sheet("Fleet")
            sheet.freeze_panes = "A2"
            bold = Font(bold=True)
            header_cells = []
            for text in headers:
                cell = openpyxl.cell.WriteOnlyCell(sheet, value=text)
                cell.font = bold
                header_cells.append(cell)
            sheet.append(header_cells)
            for r in rows:
                sheet.append([model.index(r, c).data() for c in columns])
            book.save(tmp)
        else:
            with tmp.open("w", newline="", encoding="utf-8-sig") as fh:
                writer = csv.writer(fh)
                writer.writerow(headers)
                for r in rows:
                    writer.writerow([model.index(r, c).data() for c in columns])
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(rows)
