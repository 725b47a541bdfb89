"""The fleet Excel export: one row per miner with its latest values, plus a daily summary.

openpyxl's write-only mode streams rows to the file as they come, and the miner rows
are read from the database in chunks, so memory stays flat at 100,000 miners.  In that
mode every cell is written once and styles go on ``WriteOnlyCell`` objects, so the
few styles used are built once and shared.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy.engine import Engine

from hashinsight_desktop.reports import fleet_queries as q
from hashinsight_desktop.reports.atomic import atomic_output, check_writable
from hashinsight_desktop.reports.fleet_figures import fleet_figures
from hashinsight_desktop.reports.i18n import Translator
from hashinsight_desktop.reports.period import Period
from hashinsight_desktop.reports.result import ReportResult
from hashinsight_desktop.reports.xlsx_rows import RowRenderer, large_sheet

HEADER_FILL = PatternFill("solid", fgColor="1A1D2E")
HEADER_FONT = Font(bold=True, color="F7931A")
BAD_FILL = PatternFill("solid", fgColor="F8D7DA")
WARN_FILL = PatternFill("solid", fgColor="FDEBD0")
HOT_FILL = PatternFill("solid", fgColor="F5B7B1")

# (catalogue key, width, number format or None)
MINER_COLUMNS = (
    ("col.miner", 22, None), ("col.ip", 15, None), ("col.site", 12, None),
    ("col.rack", 18, None), ("col.model", 22, None), ("col.status", 11, None),
    ("col.hashrate", 10, "#,##0.0"), ("col.nominal_pct", 11, "0.0"),
    ("col.temp_max", 9, "0.0"), ("col.power", 10, "#,##0"), ("col.efficiency", 8, "0.0"),
    ("col.client", 22, None), ("col.last_seen", 18, "yyyy-mm-dd hh:mm"),
)
STATUS_COL, TEMP_COL = 6, 9  # 1-based, for conditional formatting
DAILY_COLUMNS = (
    ("col.date", 12, "yyyy-mm-dd"), ("col.site", 14, None), ("col.avg_hashrate", 12, "#,##0.0"),
    ("col.nominal_pct", 11, "0.0"), ("col.avg_power", 11, "#,##0.0"),
    ("col.energy_kwh", 13, "#,##0"), ("col.uptime", 10, "0.00"),
)


def build_fleet_xlsx(engine: Engine, path: Path, period: Period, *, site: str | None = None,
                     lang: str = "en") -> ReportResult:
    """Write the miner list (latest values in ``period``) and daily summary to ``path``."""
    tr = Translator(lang)
    check_writable(path)  # fail before minutes of work, not after
    site_ref = q.resolve_site(engine, site)
    site_id = site_ref.id if site_ref else None
    figures = fleet_figures(engine, period, site_ref)
    source = q.sample_source(engine, period)
    workbook = Workbook(write_only=True)
    try:
        sheet = large_sheet(workbook, tr("xlsx.sheet.miners"))
        rows = _write_miners(sheet, q.iter_miner_rows(engine, source, site_id), tr)
        daily = workbook.create_sheet(tr("xlsx.sheet.daily"))
        _write_daily(daily, q.daily_summary(engine, period, site_id), q.site_names(engine), tr)
        with atomic_output(path) as tmp:
            workbook.save(tmp)
    finally:
        _discard(workbook)
    return ReportResult(Path(path), "xlsx", figures.has_data, rows=rows,
                        figures=figures.as_dict())


def _discard(workbook: Workbook) -> None:
    """Close unsaved write-only sheets (their row streams are open temp files)."""
    for sheet in workbook.worksheets:
        if not sheet.closed:
            with contextlib.suppress(Exception):
                sheet.close()
            out = getattr(sheet._writer, "out", None)
            if out:
                with contextlib.suppress(OSError):
                    os.remove(out)


def _header(sheet: WriteOnlyWorksheet, columns: tuple, tr: Translator) -> list[WriteOnlyCell]:
    """Column widths must be set before the first row is written in write-only mode."""
    cells = []
    for index, (key, width, _fmt) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = WriteOnlyCell(sheet, tr(key))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def _utc(ts: int | None) -> dt.datetime | None:
    # Excel has no time zones: naive UTC, and the header says "(UTC)"
    return None if ts is None else dt.datetime.fromtimestamp(ts, dt.UTC).replace(tzinfo=None)


def _write_miners(sheet: WriteOnlyWorksheet, chunks, tr: Translator) -> int:
    sheet.freeze_panes = "B2"  # header row and the miner name column stay visible
    sheet.append(_header(sheet, MINER_COLUMNS, tr))
    statuses = {name: tr(f"status.{name}") for name in
                ("ok", "curtailed", "degraded", "error", "offline", "unknown")}
    renderer = RowRenderer(sheet, [fmt for _k, _w, fmt in MINER_COLUMNS])
    count = 0
    for chunk in chunks:
        for r in chunk:
            count += 1
            renderer.append(count + 1, (
                r.name, r.ip, r.site, r.rack_position, r.model, statuses[r.status],
                _round(r.hashrate_ths, 3), _round(r.pct_nominal, 2), r.temp_max_c, r.power_w,
                _round(r.j_per_th, 2), r.client, _utc(r.last_seen)))
    last_col = get_column_letter(len(MINER_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last_col}{count + 1}"
    if count:
        _status_colours(sheet, count, statuses)
    return count


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _status_colours(sheet: WriteOnlyWorksheet, count: int, statuses: dict[str, str]) -> None:
    status = get_column_letter(STATUS_COL)
    temp = get_column_letter(TEMP_COL)
    status_range, temp_range = f"{status}2:{status}{count + 1}", f"{temp}2:{temp}{count + 1}"
    for name, fill in (("offline", BAD_FILL), ("error", BAD_FILL), ("degraded", WARN_FILL),
                       ("curtailed", WARN_FILL)):
        label = statuses[name].replace('"', '""')
        sheet.conditional_formatting.add(status_range, FormulaRule(
            formula=[f'${status}2="{label}"'], fill=fill, stopIfTrue=True))
    sheet.conditional_formatting.add(temp_range, CellIsRule(
        operator="greaterThanOrEqual", formula=[str(q.HOT_LIMIT_DC / 10)], fill=HOT_FILL))
    sheet.conditional_formatting.add(temp_range, CellIsRule(
        operator="between", formula=["75", str(q.HOT_LIMIT_DC / 10 - 0.01)], fill=WARN_FILL))


def _write_daily(sheet: WriteOnlyWorksheet, rows: list[q.DailyRow], names: dict[int, str],
                 tr: Translator) -> None:
    """A long table (day x site) and, beside it, hashrate pivoted by site for the chart."""
    sheet.freeze_panes = "A2"
    header = _header(sheet, DAILY_COLUMNS, tr)
    site_ids = sorted({r.site_id for r in rows}, key=lambda s: names.get(s, str(s)))
    days = sorted({r.day_ts for r in rows})
    pivot_col = len(DAILY_COLUMNS) + 2  # one blank column between the tables
    sheet.column_dimensions[get_column_letter(pivot_col)].width = 12
    header += [None, WriteOnlyCell(sheet, tr("col.date"))]
    for sid in site_ids:
        cell = WriteOnlyCell(sheet, names.get(sid, tr("site.none")))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        header.append(cell)
    header[-len(site_ids) - 1].fill = HEADER_FILL
    header[-len(site_ids) - 1].font = HEADER_FONT
    sheet.append(header)
    by_day = {(r.day_ts, r.site_id): r for r in rows}
    table_rows = [[_dated(sheet, _utc(r.day_ts)), names.get(r.site_id, tr("site.none")),
                   round(r.avg_hashrate_ths, 3),
                   round(100 * r.avg_hashrate_ths / r.avg_nominal_ths, 2)
                   if r.avg_nominal_ths else None,
                   round(r.avg_power_kw, 3), round(r.energy_kwh, 1),
                   None if r.uptime is None else round(100 * r.uptime, 3)] for r in rows]
    pivot_rows = [[_dated(sheet, _utc(d)), *[
        round(by_day[(d, s)].avg_hashrate_ths, 3) if (d, s) in by_day else None
        for s in site_ids]] for d in days]
    for i in range(max(len(table_rows), len(pivot_rows))):
        left = table_rows[i] if i < len(table_rows) else [None] * len(DAILY_COLUMNS)
        right = pivot_rows[i] if i < len(pivot_rows) else []
        sheet.append([*left, None, *right])
    if days and site_ids:
        chart = LineChart()
        chart.title = tr("xlsx.chart.daily")
        chart.y_axis.title = "TH/s"
        chart.height, chart.width = 9, 22
        data = Reference(sheet, min_col=pivot_col + 1, max_col=pivot_col + len(site_ids),
                         min_row=1, max_row=len(days) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=pivot_col, min_row=2,
                                       max_row=len(days) + 1))
        chart.x_axis.number_format = "yyyy-mm-dd"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        sheet.add_chart(chart, f"{get_column_letter(pivot_col + len(site_ids) + 2)}2")


def _dated(sheet: WriteOnlyWorksheet, value: dt.datetime | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = "yyyy-mm-dd"
    return cell
