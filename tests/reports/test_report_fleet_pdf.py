"""The fleet status PDF: figures read back from the file match the database."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_farm import DAY, START, Farm
from sqlalchemy import text

from hashinsight_desktop.reports.errors import ReportError, ReportWriteError
from hashinsight_desktop.reports.fleet_status import build_fleet_status_pdf
from hashinsight_desktop.reports.pdf.fonts import CJK_FONT_NAME
from hashinsight_desktop.reports.period import Period


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _db_kpis(farm: Farm) -> dict[str, float]:
    with farm.engine.connect() as conn:
        ghs, nominal, power, online, total = conn.execute(text(
            "SELECT AVG(hashrate_ghs), AVG(nominal_ghs), AVG(power_w), SUM(online), SUM(miners) "
            "FROM cycle_aggregates WHERE site_id = 0 AND ts >= :a AND ts < :b"),
            {"a": farm.period.start, "b": farm.period.end}).one()
    return {"ths": ghs / 1000, "pct": 100 * ghs / nominal, "kw": power / 1000,
            "jth": power / (ghs / 1000), "uptime": 100 * online / total}


def test_english_pdf_kpis_match_the_database(farm: Farm, tmp_path: Path) -> None:
    out = tmp_path / "fleet.pdf"
    result = build_fleet_status_pdf(farm.engine, out, farm.period, lang="en")
    assert result.has_data and result.pages >= 2
    body = _text(out)
    kpi = _db_kpis(farm)
    assert "Fleet status report" in body
    assert f"{kpi['ths']:,.1f} TH/s" in body
    assert f"{kpi['kw']:,.1f} kW" in body
    assert f"{kpi['jth']:,.1f} J/TH" in body
    assert f"{kpi['uptime']:.2f}%" in body
    assert f"{kpi['pct']:.1f}%" in body
    assert f"{len(farm.miner_ids):,}" in body
    assert f"Page 1 of {result.pages}" in body
    # problem tables name the seeded miners, with their counts
    assert "Offline or in error (2)" in body and "Degraded (1)" in body
    assert "Hot (max temperature ≥ 80 °C) (2)" in body
    assert "127.1.0.1" in body and "85.4" in body
    assert result.figures["online"] == len(farm.miner_ids) - (863 % 3)


def test_chinese_pdf_embeds_the_cjk_font_and_text_extracts(farm: Farm, tmp_path: Path) -> None:
    out = tmp_path / "fleet_zh.pdf"
    result = build_fleet_status_pdf(farm.engine, out, farm.period, lang="zh_CN")
    reader = PdfReader(out)
    fonts = set()
    embedded = False
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            for desc in font.get("/DescendantFonts", []) or [font]:
                descriptor = desc.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    embedded = True
    assert any(CJK_FONT_NAME in f for f in fonts), fonts
    assert embedded, "the CJK TrueType font must be embedded"
    body = _text(out)
    assert "矿机集群状态报告" in body
    assert "关键指标" in body and "问题矿机" in body
    assert f"第 1 页，共 {result.pages} 页" in body


def test_period_without_data_says_so(farm: Farm, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    empty = Period(START - 40 * DAY, START - 10 * DAY)
    result = build_fleet_status_pdf(farm.engine, out, empty, lang="en")
    assert not result.has_data and result.pages == 1
    body = _text(out)
    assert "No data for this period" in body
    zh = build_fleet_status_pdf(farm.engine, tmp_path / "empty_zh.pdf", empty, lang="zh_CN")
    assert "此期间没有数据" in _text(zh.path)


def test_one_site_and_unknown_site(farm: Farm, tmp_path: Path) -> None:
    name = next(iter(farm.site_ids))
    result = build_fleet_status_pdf(farm.engine, tmp_path / "site.pdf", farm.period,
                                    site=name.lower())
    assert f"Site {name}" in _text(result.path)
    with pytest.raises(ReportError, match="site 'Nowhere' not found"):
        build_fleet_status_pdf(farm.engine, tmp_path / "x.pdf", farm.period, site="Nowhere")
    assert not (tmp_path / "x.pdf").exists()


def test_unwritable_path_is_a_clear_error_and_leaves_nothing(farm: Farm, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    with pytest.raises(ReportWriteError, match="does not exist"):
        build_fleet_status_pdf(farm.engine, tmp_path / "missing" / "r.pdf", farm.period)
    (tmp_path / "plain").write_text("x")
    with pytest.raises(ReportWriteError, match="is a file, not a folder"):
        build_fleet_status_pdf(farm.engine, tmp_path / "plain" / "r.pdf", farm.period)
    with pytest.raises(ReportWriteError, match="it is a folder"):
        build_fleet_status_pdf(farm.engine, tmp_path, farm.period)
    locked = tmp_path / "locked"
    locked.mkdir()
    # root may write anywhere, so the permission answer is faked at the one seam used
    monkeypatch.setattr("hashinsight_desktop.reports.atomic.os.access", lambda *_a: False)
    with pytest.raises(ReportWriteError, match="no permission"):
        build_fleet_status_pdf(farm.engine, locked / "r.pdf", farm.period)
    assert list(locked.iterdir()) == []


def test_failure_midway_keeps_the_old_file_and_no_temp(farm: Farm, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "fleet.pdf"
    out.write_bytes(b"old report")

    def boom(*_args, **_kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("hashinsight_desktop.reports.fleet_status.build_pdf", boom)
    with pytest.raises(RuntimeError):
        build_fleet_status_pdf(farm.engine, out, farm.period)
    assert out.read_bytes() == b"old report"
    assert [p.name for p in folder.iterdir()] == ["fleet.pdf"]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler) not installed")
def test_every_page_renders_in_both_languages(farm: Farm, tmp_path: Path) -> None:
    for lang in ("en", "zh_CN"):
        result = build_fleet_status_pdf(farm.engine, tmp_path / f"{lang}.pdf", farm.period,
                                        lang=lang)
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(result.path),
                        str(tmp_path / lang)], check=True, capture_output=True, timeout=60)
        pngs = sorted(tmp_path.glob(f"{lang}-*.png"))
        assert len(pngs) == result.pages
        assert all(p.stat().st_size > 2000 for p in pngs)
