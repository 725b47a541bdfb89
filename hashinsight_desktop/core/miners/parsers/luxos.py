"""LuxOS (Luxor firmware on Antminers): Bitmain-compatible ``stats`` plus its own commands.

``power`` gives the power draw (``Watts``), ``config`` the MAC, hostname, serial number
and the curtailment state (``CurtailMode``), ``summary`` the rates in GH/s.
"""

from __future__ import annotations

from hashinsight_desktop.core.miners import values as v
from hashinsight_desktop.core.miners.parsers import antminer
from hashinsight_desktop.core.miners.parsers.common import (
    ParseNotes,
    Replies,
    parse_cgminer_summary,
    parse_pools,
)
from hashinsight_desktop.core.miners.reading import MinerReading


def parse(replies: Replies, reading: MinerReading, notes: ParseNotes) -> None:
    parse_cgminer_summary(replies.get("summary"), reading)
    antminer.parse_stats(replies.get("stats"), reading, notes)
    parse_pools(replies.get("pools"), reading)
    power = v.first_section(replies.get("power"), "POWER")
    watts = v.positive(power.get("Watts"))
    if watts is not None:
        reading.power_w = watts
    config = v.first_section(replies.get("config"), "CONFIG")
    if config:
        reading.mac = v.text(config.get("MACAddr")) or reading.mac
        reading.hostname = v.text(config.get("Hostname")) or reading.hostname
        reading.serial = v.text(config.get("SerialNumber")) or reading.serial
        curtail = v.text(config.get("CurtailMode"))
        if curtail and curtail.lower() not in ("none", "off", "disabled"):
            notes.curtailed = f"LuxOS curtail mode {curtail}"
        system = v.text(config.get("SystemStatus"))
        if system and system.lower() not in ("normal", "ok"):
            notes.problems.append(f"LuxOS system status {system}")
