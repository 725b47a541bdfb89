"""Report periods and atomic writes, without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from hashinsight_desktop.reports.atomic import atomic_output
from hashinsight_desktop.reports.errors import ReportError
from hashinsight_desktop.reports.i18n import EN, ZH_CN, Translator
from hashinsight_desktop.reports.period import date_period, last_days, month_period


def test_month_and_day_periods_are_half_open_utc() -> None:
    dec = month_period("2026-12")
    assert dec.start == 1_796_083_200 and dec.end == 1_798_761_600  # into January 2027
    assert dec.caption() == "2026-12-01 – 2026-12-31 (UTC)"
    days = date_period("2026-11-01", "2026-11-01")
    assert days.seconds == 86400
    assert last_days(30, now=1_800_000_000).start == 1_800_000_000 - 30 * 86400
    with pytest.raises(ReportError, match="YYYY-MM-DD"):
        date_period("2026-02-30", "2026-03-01")


def test_atomic_output_replaces_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "r.bin"
    with atomic_output(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    with pytest.raises(ValueError), atomic_output(target) as tmp:
        tmp.write_bytes(b"partial")
        raise ValueError("fail")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["r.bin"]


def test_catalogues_cover_the_same_keys_with_the_same_fields() -> None:
    assert set(EN) == set(ZH_CN)
    for key, text in EN.items():
        assert sorted(_fields(text)) == sorted(_fields(ZH_CN[key])), key
    assert Translator("zh_CN")("footer.page", page=1, pages=3) == "第 1 页，共 3 页"
    with pytest.raises(ReportError, match="language"):
        Translator("de")


def _fields(text: str) -> list[str]:
    import string

    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name]
