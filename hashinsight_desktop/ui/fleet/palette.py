"""Colours of the fleet grid's status, temperature and alert cells.

Mid-lightness, saturated colours used as text colour: they stay readable on
both the dark theme (#1a1d2e) and a light theme, so the grid does not need to
know the active theme.  Temperature thresholds follow the old platform (80 °C).
"""

from __future__ import annotations

import math

from PySide6.QtGui import QColor

from hashinsight_desktop.core.fleet.codes import AlertSeverity, MinerStatus

TEMP_HOT_C = 80.0
TEMP_CRITICAL_C = 90.0
#: Below this share of nominal hashrate the % cell is highlighted.
LOW_PCT_OF_NOMINAL = 90.0

GREEN = QColor("#2ea043")
AMBER = QColor("#f7931a")  # the brand accent doubles as "warning"
RED = QColor("#e5534b")
PURPLE = QColor("#a371f7")
BLUE = QColor("#4493f8")
GREY = QColor("#8b949e")

STATUS_COLORS: dict[int, QColor] = {
    MinerStatus.OK: GREEN,
    MinerStatus.DEGRADED: AMBER,
    MinerStatus.OFFLINE: RED,
    MinerStatus.ERROR: PURPLE,
    MinerStatus.CURTAILED: BLUE,
    MinerStatus.UNKNOWN: GREY,
}

SEVERITY_COLORS: dict[int, QColor] = {
    AlertSeverity.INFO: BLUE,
    AlertSeverity.WARNING: AMBER,
    AlertSeverity.CRITICAL: RED,
}


def temperature_color(temp_c: float) -> QColor | None:
    if math.isnan(temp_c) or temp_c < TEMP_HOT_C:
        return None
    return RED if temp_c >= TEMP_CRITICAL_C else AMBER


def pct_color(pct: float) -> QColor | None:
    if math.isnan(pct) or pct >= LOW_PCT_OF_NOMINAL:
        return None
    return AMBER
