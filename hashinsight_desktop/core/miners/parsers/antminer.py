"""Antminer stock firmware (bmminer / cgminer), and its clones (MSKminer, Hiveon, Hammer).

Per-board data lives in ``stats``: either the classic flat block with 16 slot-indexed
keys (``chain_rateN``, ``chain_acnN``, ``temp2_N``, packed ``temp_chipN`` strings; the
unused slots hold garbage) or, with ``"new_api": true``, a ``chain[]`` list.  ``devs``
on stock Antminer is useless (one ``BTM_SOC`` device at 0 MH/s) and is never read.
"""

from __future__ import annotations

from collections.abc import Mapping
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

_SLOTS = 16


def parse(replies: Replies, reading: MinerReading, notes: ParseNotes) -> None:
    parse_cgminer_summary(replies.get("summary"), reading)
    parse_stats(replies.get("stats"), reading, notes)
    parse_pools(replies.get("pools"), reading)


def stats_block(reply: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(version block, data block) of a ``stats`` reply; either may be empty."""
    blocks = v.section(reply, "STATS")
    info: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for block in blocks:
        if "chain" in block or any(k.startswith(("chain_", "GHS", "MHS")) for k in block):
            data = data or block
        elif "Type" in block or "CompileTime" in block:
            info = info or block
    return info, data


def parse_stats(reply: Any, reading: MinerReading, notes: ParseNotes) -> None:
    _, data = stats_block(reply)
    if not data:
        return
    if isinstance(data.get("chain"), list):
        _parse_new_api(data, reading)
        return
    unit = _block_unit(data)
    if reading.hashrate_ths is None:
        reading.hashrate_ths = v.rate_ths(v.first(data, "GHS 5s", "MHS 5s"), _key_unit(data))
    if reading.hashrate_avg_ths is None:
        reading.hashrate_avg_ths = v.rate_ths(v.first(data, "GHS av", "MHS av"), _key_unit(data))
    if reading.uptime_s is None:
        reading.uptime_s = v.integer(data.get("Elapsed"))
    nominal = v.positive(data.get("total_rateideal"))
    if nominal is not None:
        reading.nominal_ths = v.rate_ths(nominal, unit)
    notes.expected_boards = v.integer(data.get("miner_count")) or None
    reading.hashboards = _flat_boards(data, unit, notes.expected_boards)
    chip_temps = [t for n in range(1, _SLOTS + 1) for t in v.packed_temps(data.get(f"temp_chip{n}"))]
    board_temps = [b.temp_c for b in reading.hashboards]
    reading.temp_max_c = v.maximum(chip_temps) or v.maximum(board_temps)
    reading.temp_avg_c = v.mean(board_temps)
    fan_count = v.integer(data.get("fan_num"))
    if fan_count is None:
        fan_count = max((n for n in range(1, 9) if f"fan{n}" in data), default=0)
    reading.fans_rpm = fans_from([data.get(f"fan{n}") for n in range(1, fan_count + 1)])
    power = v.positive(data.get("total_power"))
    if power is None:
        per_chain = [v.positive(data.get(f"chain_power{n}")) for n in range(1, _SLOTS + 1)]
        present = [p for p in per_chain if p is not None]
        power = sum(present) if present else None
    if power is not None:
        reading.power_w = power
    psu = v.text(data.get("psu_status"))
    if psu and psu.upper() not in ("PSU OK", "OK"):
        notes.problems.append(f"PSU: {psu}")


def _key_unit(data: Mapping[str, Any]) -> str:
    return "MH" if "MHS 5s" in data and "GHS 5s" not in data else "GH"


def _block_unit(data: Mapping[str, Any]) -> str:
    """``rate_unit`` when given; else the unit the block's own summary keys are named in."""
    unit = v.text(data.get("rate_unit"))
    if unit and v.unit_factor(unit) is not None:
        return unit
    return _key_unit(data)


def _flat_boards(data: Mapping[str, Any], unit: str, expected: int | None) -> list[Hashboard]:
    boards: list[Hashboard] = []
    for n in range(1, _SLOTS + 1):
        chips = v.integer(data.get(f"chain_acn{n}"))
        rate = v.rate_ths(data.get(f"chain_rate{n}"), unit)
        in_use = (chips or 0) > 0 or (rate or 0) > 0 or (expected is not None and n <= expected)
        if not in_use:
            continue  # unused slot: its other keys hold garbage
        temp = v.maximum(v.packed_temps(data.get(f"temp_chip{n}")))
        if temp is None:
            temp = v.temperature(v.first(data, f"temp2_{n}", f"temp3_{n}", f"temp{n}"))
        boards.append(Hashboard(slot=n - 1, hashrate_ths=rate, temp_c=temp, chips=chips))
    return boards


def _parse_new_api(data: Mapping[str, Any], reading: MinerReading) -> None:
    unit = v.text(data.get("rate_unit")) or "GH"
    if reading.hashrate_ths is None:
        reading.hashrate_ths = v.rate_ths(data.get("rate_5s"), unit)
    if reading.hashrate_avg_ths is None:
        reading.hashrate_avg_ths = v.rate_ths(data.get("rate_avg"), unit)
    nominal = v.positive(data.get("rate_ideal"))
    if nominal is not None:
        reading.nominal_ths = v.rate_ths(nominal, unit)
    if reading.uptime_s is None:
        reading.uptime_s = v.integer(data.get("elapsed"))
    boards = []
    chip_temps: list[float] = []
    for position, chain in enumerate(c for c in data["chain"] if isinstance(c, dict)):
        temps = v.packed_temps(chain.get("temp_chip"))
        chip_temps += temps
        slot = v.integer(chain.get("index"))
        boards.append(
            Hashboard(
                slot=position if slot is None else slot,
                hashrate_ths=v.rate_ths(chain.get("rate_real"), unit),
                temp_c=v.maximum(temps),
                chips=v.integer(chain.get("asic_num")),
            )
        )
    reading.hashboards = boards
    reading.temp_max_c = v.maximum(chip_temps)
    reading.temp_avg_c = v.mean(b.temp_c for b in boards)
    fans = data.get("fan")
    if isinstance(fans, list):
        reading.fans_rpm = fans_from(fans)
    watt = v.positive(data.get("watt"))
    if watt is not None:
        reading.power_w = watt
