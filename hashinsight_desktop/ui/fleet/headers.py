"""Translatable header titles and tooltips of the fleet grid columns.

Strings are marked with QT_TRANSLATE_NOOP so pyside6-lupdate collects them, and
translated when asked for (a language switch needs only a header repaint).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from hashinsight_desktop.core.fleet.codes import MinerStatus
from hashinsight_desktop.core.fleet.columns import FleetColumn

CONTEXT = "FleetGrid"

_TITLES: dict[FleetColumn, str] = {
    FleetColumn.NAME: QT_TRANSLATE_NOOP("FleetGrid", "Name"),
    FleetColumn.IP: QT_TRANSLATE_NOOP("FleetGrid", "IP"),
    FleetColumn.SITE: QT_TRANSLATE_NOOP("FleetGrid", "Site"),
    FleetColumn.RACK_POSITION: QT_TRANSLATE_NOOP("FleetGrid", "Rack/Pos"),
    FleetColumn.MODEL: QT_TRANSLATE_NOOP("FleetGrid", "Model"),
    FleetColumn.FIRMWARE: QT_TRANSLATE_NOOP("FleetGrid", "Firmware"),
    FleetColumn.STATUS: QT_TRANSLATE_NOOP("FleetGrid", "Status"),
    FleetColumn.HASHRATE: QT_TRANSLATE_NOOP("FleetGrid", "Hashrate"),
    FleetColumn.PCT_NOMINAL: QT_TRANSLATE_NOOP("FleetGrid", "% Nom."),
    FleetColumn.TEMP_MAX: QT_TRANSLATE_NOOP("FleetGrid", "Max temp"),
    FleetColumn.FANS: QT_TRANSLATE_NOOP("FleetGrid", "Fans"),
    FleetColumn.POWER: QT_TRANSLATE_NOOP("FleetGrid", "Power"),
    FleetColumn.J_PER_TH: QT_TRANSLATE_NOOP("FleetGrid", "J/TH"),
    FleetColumn.UPTIME: QT_TRANSLATE_NOOP("FleetGrid", "Uptime"),
    FleetColumn.POOL: QT_TRANSLATE_NOOP("FleetGrid", "Pool"),
    FleetColumn.CLIENT: QT_TRANSLATE_NOOP("FleetGrid", "Client"),
    FleetColumn.LAST_SEEN: QT_TRANSLATE_NOOP("FleetGrid", "Last seen"),
    FleetColumn.ALERTS: QT_TRANSLATE_NOOP("FleetGrid", "Alerts"),
    FleetColumn.SERIAL: QT_TRANSLATE_NOOP("FleetGrid", "Serial"),
    FleetColumn.TAGS: QT_TRANSLATE_NOOP("FleetGrid", "Tags"),
}

_TOOLTIPS: dict[FleetColumn, str] = {
    FleetColumn.PCT_NOMINAL: QT_TRANSLATE_NOOP("FleetGrid", "Hashrate as a percentage of the model's nominal hashrate"),
    FleetColumn.TEMP_MAX: QT_TRANSLATE_NOOP("FleetGrid", "Hottest chip or board temperature (hot from 80 °C, critical from 90 °C)"),
    FleetColumn.FANS: QT_TRANSLATE_NOOP("FleetGrid", "Number of fans × slowest fan speed (rpm)"),
    FleetColumn.POWER: QT_TRANSLATE_NOOP("FleetGrid", "Power draw; ~ marks an estimate from the nameplate"),
    FleetColumn.J_PER_TH: QT_TRANSLATE_NOOP("FleetGrid", "Efficiency in joules per terahash (lower is better)"),
    FleetColumn.ALERTS: QT_TRANSLATE_NOOP("FleetGrid", "Active alerts (! warning, ‼ critical)"),
}

_STATUS_NAMES: dict[MinerStatus, str] = {
    MinerStatus.OK: QT_TRANSLATE_NOOP("FleetGrid", "OK"),
    MinerStatus.DEGRADED: QT_TRANSLATE_NOOP("FleetGrid", "Degraded"),
    MinerStatus.OFFLINE: QT_TRANSLATE_NOOP("FleetGrid", "Offline"),
    MinerStatus.ERROR: QT_TRANSLATE_NOOP("FleetGrid", "Error"),
    MinerStatus.CURTAILED: QT_TRANSLATE_NOOP("FleetGrid", "Curtailed"),
    MinerStatus.UNKNOWN: QT_TRANSLATE_NOOP("FleetGrid", "Unknown"),
}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def tr_n(text: str, n: int) -> str:
    """Plural-aware translation: "%n" is replaced by ``n`` (Qt's numerus form)."""
    return QCoreApplication.translate(CONTEXT, text, None, n)


def column_title(column: FleetColumn) -> str:
    return tr(_TITLES[column])


def column_tooltip(column: FleetColumn) -> str | None:
    source = _TOOLTIPS.get(column)
    return None if source is None else tr(source)


def status_title(status: MinerStatus) -> str:
    return tr(_STATUS_NAMES[MinerStatus(status)])
