"""Cell text formats of the fleet grid."""

from __future__ import annotations

import math

import pytest

from hashinsight_desktop.ui.fleet.formatters import (
    MISSING,
    format_alerts,
    format_fans,
    format_last_seen,
    format_power,
    format_uptime,
    short_pool,
)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(math.nan, MISSING), (0, "0s"), (59, "59s"), (61, "1m"), (3600 * 5 + 720, "5h 12m"),
     (86400 * 3 + 3600 * 4 + 5, "3d 04h")],
)
def test_uptime(seconds: float, text: str) -> None:
    assert format_uptime(seconds) == text


def test_other_formats() -> None:
    assert format_fans(4.0, 5200.0) == "4× 5,200"
    assert format_fans(math.nan, 5200.0) == "5,200 rpm"
    assert format_fans(4.0, math.nan) == MISSING
    assert format_power(3010.4, False) == "3,010 W"
    assert format_power(3010.4, True) == "~3,010 W"
    assert format_power(math.nan, True) == MISSING
    assert format_alerts(0, 0) == ""
    assert format_alerts(2, 3) == "2 ‼"
    assert short_pool("stratum+tcp://ss.antpool.com:3333") == "ss.antpool.com:3333"
    assert short_pool(None) == MISSING
    assert format_last_seen(math.nan) == MISSING
    assert len(format_last_seen(1_000_000.0, now=1_000_030.0)) == 8  # HH:MM:SS
    assert len(format_last_seen(1_000_000.0, now=3_000_000.0)) == 10  # YYYY-MM-DD


def test_status_tooltip_counts_alerts(make_model) -> None:
    from PySide6.QtCore import Qt

    from hashinsight_desktop.core.fleet import FleetColumn

    model = make_model(20)
    a = model.table.arrays
    a.alert_count[0], a.alert_max_severity[0] = 2, 3
    tip = model.index(0, model.column_index(FleetColumn.STATUS)).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.endswith("2 active alert(s), highest: critical")
