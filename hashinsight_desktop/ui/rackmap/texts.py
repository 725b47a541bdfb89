"""Translated names shared by the map, its legend and its tooltips.

Several widgets show the same metric and status names, so they are translated
once here under the "RackMap" context (``QCoreApplication.translate`` with
literal strings, which pyside6-lupdate extracts like ``self.tr``).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from hashinsight_desktop.core.fleet.codes import MinerStatus
from hashinsight_desktop.ui.rackmap.metrics import RackMetric

MISSING = "—"


def metric_name(metric: RackMetric) -> str:
    names = {
        RackMetric.TEMPERATURE: QCoreApplication.translate("RackMap", "Max temperature"),
        RackMetric.PCT_NOMINAL: QCoreApplication.translate("RackMap", "Hashrate % of nominal"),
        RackMetric.STATUS: QCoreApplication.translate("RackMap", "Status"),
        RackMetric.POWER: QCoreApplication.translate("RackMap", "Power"),
    }
    return names[metric]


def status_name(code: int) -> str:
    names = {
        MinerStatus.OK: QCoreApplication.translate("RackMap", "OK"),
        MinerStatus.CURTAILED: QCoreApplication.translate("RackMap", "Curtailed"),
        MinerStatus.DEGRADED: QCoreApplication.translate("RackMap", "Degraded"),
        MinerStatus.ERROR: QCoreApplication.translate("RackMap", "Error"),
        MinerStatus.OFFLINE: QCoreApplication.translate("RackMap", "Offline"),
        MinerStatus.UNKNOWN: QCoreApplication.translate("RackMap", "Unknown"),
    }
    try:
        return names[MinerStatus(int(code))]
    except ValueError:
        return names[MinerStatus.UNKNOWN]


def no_rack_name() -> str:
    return QCoreApplication.translate("RackMap", "no rack")


def no_site_name() -> str:
    return QCoreApplication.translate("RackMap", "(no site)")


def metric_value_text(metric: RackMetric, value: float, estimated: bool = False) -> str:
    """The metric's value with its unit, "—" when there is no reading."""
    if metric is RackMetric.STATUS:
        return status_name(int(value))
    value = float(value)
    if math.isnan(value):
        return MISSING
    if metric is RackMetric.TEMPERATURE:
        return f"{value:.1f} °C"
    if metric is RackMetric.PCT_NOMINAL:
        return f"{value:.0f} %"
    return f"{'~' if estimated else ''}{value:,.0f} W"
