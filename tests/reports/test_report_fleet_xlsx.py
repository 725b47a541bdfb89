"""The fleet Excel export read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from report_farm import DAY, START, Farm

from hashinsight_desktop.reports.errors import ReportWriteError
from hashinsight_desktop.reports.fleet_xlsx import MINER_COLUMNS, build_fleet_xlsx
from hashinsight_desktop.reports.i18n import EN
from hashinsight_desktop.reports.period import Period


def test_miner_sheet_layout_and_values(farm: Farm, tmp_path: Path) -> None:
    out = tmp_path / "fleet.xlsx"
    result = build_fleet_xlsx(farm.engine, out, farm.period)
    assert result.rows == len(farm.miner_ids)
    book = openpyxl.load_workbook(out)
    sheet = book["Miners"]
    header = [c.value for c in sheet[1]]
    assert header == [EN[key] for key, _w, _f in MINER_COLUMNS]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:M{len(farm.miner_ids) + 1}"
    assert sheet.max_row == len(farm.miner_ids) + 1
    assert sheet["A1"].font.bold
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    offline = rows["127.1.0.1"]
    assert offline[5] == "offline" and offline[6] is None and offline[12] is None
    degraded = rows["127.1.0.3"]
    assert degraded[5] == "degraded" and degraded[6] == 80.0 and degraded[9] == 3050
    assert degraded[10] == pytest.approx(3050 / 80, abs=0.01)
    assert degraded[12] == dt.datetime.fromtimestamp(farm.last_ts, dt.UTC).replace(tzinfo=None)
    hot = rows["127.1.0.4"]
    assert hot[8] >= 85.0 and hot[5] == "ok"
    assert sheet.cell(row=2, column=7).number_format in ("General", "#,##0.0")
    numbers = [c for c in sheet["G"][1:] if c.value is not None]
    assert numbers and all(c.number_format == "#,##0.0" for c in numbers)
    rules = [r for rng in sheet.conditional_formatting for r in rng.rules]
    assert len(rules) >= 5  # status colours + two temperature bands
    assert result.figures["online"] == len(farm.miner_ids) - (863 % 3)


def test_daily_sheet_has_one_row_per_day_and_a_line_chart(farm: Farm, tmp_path: Path) -> None:
    out = tmp_path / "fleet.xlsx"
    build_fleet_xlsx(farm.engine, out, farm.period, lang="zh_CN")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["矿机", "每日汇总"]
    daily = book["每日汇总"]
    rows = [r for r in daily.iter_rows(min_row=2, max_col=7, values_only=True) if r[0]]
    assert len(rows) == 3 * len(farm.site_ids)
    assert rows[0][0] == dt.datetime(2026, 11, 1)
    assert rows[0][4] == pytest.approx(3500 * (len(farm.miner_ids) - 1) / 1000, rel=0.01)
    assert len(daily._charts) == 1
    assert book["矿机"]["F2"].value == "离线"


def test_empty_period_and_site_filter(farm: Farm, tmp_path: Path) -> None:
    empty = Period(START - 40 * DAY, START - 10 * DAY)
    result = build_fleet_xlsx(farm.engine, tmp_path / "e.xlsx", empty)
    assert not result.has_data and result.rows == len(farm.miner_ids)
    book = openpyxl.load_workbook(result.path)
    assert {r[5] for r in book["Miners"].iter_rows(min_row=2, values_only=True)} == {"unknown"}
    site = next(iter(farm.site_ids))
    only = build_fleet_xlsx(farm.engine, tmp_path / "s.xlsx", farm.period, site=site)
    assert only.rows == len(farm.miner_ids)  # the small farm has one site


def test_unwritable_xlsx_path_leaves_no_file(farm: Farm, tmp_path: Path) -> None:
    with pytest.raises(ReportWriteError, match="does not exist"):
        build_fleet_xlsx(farm.engine, tmp_path / "nope" / "f.xlsx", farm.period)
    assert not (tmp_path / "nope").exists()


def test_fast_rows_and_plain_openpyxl_rows_read_back_the_same(farm: Farm, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from hashinsight_desktop.reports import xlsx_rows

    fast = build_fleet_xlsx(farm.engine, tmp_path / "fast.xlsx", farm.period)
    monkeypatch.setattr(xlsx_rows, "FAST", False)  # the path taken when lxml is installed
    plain = build_fleet_xlsx(farm.engine, tmp_path / "plain.xlsx", farm.period)

    def cells(path: Path) -> list[tuple]:
        sheet = openpyxl.load_workbook(path)["Miners"]
        return [tuple((c.value, c.number_format) for c in row) for row in sheet.iter_rows()]

    assert cells(fast.path) == cells(plain.path)


def test_awkward_text_survives(farm: Farm, tmp_path: Path) -> None:
    from sqlalchemy import update

    from hashinsight_desktop.store.schema.fleet import miners

    with farm.engine.begin() as conn:
        conn.execute(update(miners).where(miners.c.id == farm.miner_ids[0])
                     .values(name=" <A&B> \x01矿机 "))
    out = build_fleet_xlsx(farm.engine, tmp_path / "odd.xlsx", farm.period)
    names = [r[0] for r in openpyxl.load_workbook(out.path)["Miners"].iter_rows(
        min_row=2, values_only=True)]
    assert " <A&B> 矿机 " in names
