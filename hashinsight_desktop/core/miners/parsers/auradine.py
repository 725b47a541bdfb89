"""Auradine Teraflux (GCMiner / FluxOS): cgminer-like RPC with its own commands.

``summary``/``devs`` in MH/s; ``fan`` ``Fan[].Speed``; ``psu`` values with units inside
strings (``"58.94W"``, ``"4052.00 RPM"``); ``temperature`` per-board ``ChipTemp`` lists;
``mode`` ``Sleep: on`` when mining is paused; ``ipreport`` model/serial/MAC/hostname.
"""

from __future__ import annotations

from typing import Any

from hashinsight_desktop.core.miners import values as v
from hashinsight_desktop.core.miners.parsers.common import (
    ParseNotes,
    Replies,
    fans_from,
    parse_cgminer_summary,
    parse_pools,
)
from hashinsight_desktop.core.miners.reading import Hashboard, MinerReading


def parse(replies: Replies, reading: MinerReading, notes: ParseNotes) -> None:
    parse_cgminer_summary(replies.get("summary"), reading)
    parse_pools(replies.get("pools"), reading)
    chip_temps = _board_chip_temps(replies.get("temperature"))
    boards = []
    for position, dev in enumerate(v.section(replies.get("devs"), "DEVS")):
        slot = v.integer(v.first(dev, "ID", "DEV"))
        slot = position if slot is None else slot
        temps = chip_temps.get(slot, [])
        boards.append(
            Hashboard(
                slot=slot,
                hashrate_ths=v.rate_ths(v.first(dev, "MHS 1m", "MHS 5s", "MHS av"), "MH"),
                temp_c=v.maximum(temps) or v.temperature(dev.get("Temperature")),
            )
        )
    if boards:
        reading.hashboards = boards
        reading.temp_avg_c = v.mean(b.temp_c for b in boards)
        all_chips = [t for temps in chip_temps.values() for t in temps]
        reading.temp_max_c = v.maximum([*all_chips, *(b.temp_c for b in boards)])
    fans = v.section(replies.get("fan"), "Fan")
    if fans:
        reading.fans_rpm = fans_from([f.get("Speed") for f in fans])
    psu = v.first_section(replies.get("psu"), "PSU")
    power = v.positive(psu.get("PowerIn"))
    if power is not None:
        reading.power_w = power
    mode = v.first_section(replies.get("mode"), "Mode")
    if v.truthy(mode.get("Sleep")):
        notes.curtailed = "Auradine sleep mode"
    report = v.first_section(replies.get("ipreport"), "IPReport")
    if report:
        reading.mac = v.text(report.get("mac")) or reading.mac
        reading.hostname = v.text(report.get("hostname")) or reading.hostname
        reading.serial = v.text(report.get("SerialNo")) or reading.serial


def _board_chip_temps(reply: Any) -> dict[int, list[float]]:
    """Board ID -> chip temperatures from a FluxOS ``temperature`` reply."""
    out: dict[int, list[float]] = {}
    for board in v.section(reply, "Temperature"):
        chips = board.get("ChipTemp")
        board_id = v.integer(board.get("ID"))
        if board_id is None or not isinstance(chips, list):
            continue  # the control board has "ChipTemp": null
        temps = [v.temperature(c.get("Temperature")) for c in chips if isinstance(c, dict)]
        out[board_id] = [t for t in temps if t is not None]
    return out
