"""Braiins OS / BOS+ through its cgminer-compatible RPC (reads only).

``summary`` rates are in MH/s; ``devs`` carries per-board ``MHS 1m`` and ``Nominal MHS``;
``temps`` per-board ``Board``/``Chip`` temperatures; ``fans`` ``RPM``; ``tunerstatus``
``ApproximateMinerPowerConsumption`` (W).  The richer gRPC API (port 50051) is not used.
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
    devs = v.section(replies.get("devs"), "DEVS")
    temps = {v.integer(t.get("ID")): t for t in v.section(replies.get("temps"), "TEMPS")}
    boards = []
    nominal: list[float | None] = []
    for position, dev in enumerate(devs):
        slot = v.integer(v.first(dev, "ID", "ASC"))
        slot = position if slot is None else slot
        temp_row: dict[str, Any] = temps.get(slot, {})
        boards.append(
            Hashboard(
                slot=slot,
                hashrate_ths=v.rate_ths(v.first(dev, "MHS 1m", "MHS 5s", "MHS av"), "MH"),
                temp_c=v.temperature(v.first(temp_row, "Chip", "Board")) or
                v.temperature(dev.get("Temperature")),
            )
        )
        nominal.append(v.positive(dev.get("Nominal MHS")))
    if boards:
        reading.hashboards = boards
        reading.temp_avg_c = v.mean(b.temp_c for b in boards)
    chips = [v.temperature(t.get("Chip")) for t in temps.values()]
    reading.temp_max_c = v.maximum([*chips, *(b.temp_c for b in boards)])
    if nominal and all(n is not None for n in nominal):
        reading.nominal_ths = v.rate_ths(sum(n for n in nominal if n), "MH")
    fans = v.section(replies.get("fans"), "FANS")
    if fans:
        reading.fans_rpm = fans_from([f.get("RPM") for f in fans])
    tuner = v.first_section(replies.get("tunerstatus"), "TUNERSTATUS")
    power = v.positive(tuner.get("ApproximateMinerPowerConsumption"))
    if power is not None:
        reading.power_w = power
    if v.text(tuner.get("TunerState")) in ("Paused", "Stopped"):
        notes.curtailed = f"Braiins tuner {tuner.get('TunerState')}"
