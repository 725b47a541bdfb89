"""Bitdeer SealMiner (bdminer, a cgminer 4.11 fork).

``summary`` is in MH/s.  ``stats`` is one flat block whose per-board keys are prefixed
by the board index (``"0 Chip Count"``, ``"0 MHS(Sample)"``, ``"0 Temp 2"``), fans by the
fan index (``"3 Speed"``); ``PSU Input Power`` is the wall power, ``MHS(Ideal)`` nominal.
"""

from __future__ import annotations

from hashinsight_desktop.core.miners import values as v
from hashinsight_desktop.core.miners.parsers.common import (
    ParseNotes,
    Replies,
    fans_from,
    parse_cgminer_summary,
    parse_pools,
)
from hashinsight_desktop.core.miners.reading import Hashboard, MinerReading

_REALTIME = (("MHS 1m", "MH"), ("MHS 5m", "MH"), ("MHS 5s", "MH"))


def parse(replies: Replies, reading: MinerReading, notes: ParseNotes) -> None:
    parse_cgminer_summary(replies.get("summary"), reading, _REALTIME)
    parse_pools(replies.get("pools"), reading)
    stats = v.first_section(replies.get("stats"), "STATS")
    if not stats:
        return
    board_count = v.integer(stats.get("Board Count"))
    notes.expected_boards = board_count
    boards = []
    chip_temps: list[float] = []
    for n in range(board_count if board_count is not None else 0):
        temps = [v.temperature(stats.get(f"{n} Temp {i}")) for i in range(8)]
        present = [t for t in temps if t is not None]
        chip_temps += present
        online = v.truthy(stats.get(f"{n} Online"))
        if online is False:
            notes.problems.append(f"board {n} offline")
        boards.append(
            Hashboard(
                slot=n,
                hashrate_ths=v.rate_ths(stats.get(f"{n} MHS(Sample)"), "MH"),
                temp_c=v.maximum(present),
                chips=v.integer(stats.get(f"{n} Chip Count")),
            )
        )
    reading.hashboards = boards
    reading.temp_max_c = v.maximum(chip_temps)
    reading.temp_avg_c = v.mean(b.temp_c for b in boards)
    nominal = v.positive(stats.get("MHS(Ideal)"))
    if nominal is not None:
        reading.nominal_ths = v.rate_ths(nominal, "MH")
    fan_count = v.integer(stats.get("Fan Count")) or 0
    if fan_count:
        reading.fans_rpm = fans_from([stats.get(f"{n} Speed") for n in range(fan_count)])
    power = v.positive(v.first(stats, "PSU Input Power", "Power"))
    if power is not None:
        reading.power_w = power
    reading.mac = v.text(stats.get("MAC")) or reading.mac
    reading.serial = v.text(stats.get("Ctrl Board SN")) or reading.serial
    reading.firmware = v.text(stats.get("Firmware")) or reading.firmware
    state = v.text(stats.get("PM State"))
    if state and state.lower() in ("sleep", "sleeping", "idle", "stop", "stopped", "standby"):
        notes.curtailed = f"SealMiner power state {state}"
    error = v.text(stats.get("Error Code"))
    if error:
        notes.problems.append(f"firmware error code {error}")
