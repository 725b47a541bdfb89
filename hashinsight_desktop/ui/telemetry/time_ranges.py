"""The time windows offered above charts, as (label, seconds) pairs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

HOUR = 3600
DAY = 86400

FLEET_RANGES_S = (HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY)
MINER_RANGES_S = (HOUR, DAY, 7 * DAY, 30 * DAY)


def range_label(seconds: int) -> str:
    """"1 h", "6 h", "24 h", "7 d", "30 d" (translated units)."""
    tr = QCoreApplication.translate
    if seconds < 2 * DAY:
        return tr("TimeRanges", "%n h", "", seconds // HOUR)
    return tr("TimeRanges", "%n d", "", seconds // DAY)
