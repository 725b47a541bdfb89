"""Canaan AvalonMiner (cgminer 4.11 with the Avalon driver).

Everything interesting is inside one string per module in ``stats``/``estats``:
``"MM ID0"`` (or ``"MM ID0:Summary"``) holds ``KEY[v v v]`` tokens: ``MGHS`` per-board
GH/s, ``MTmax``/``MTavg`` per-board temperatures, ``GHSmm`` nominal GH/s, ``Fan1..N``,
``WALLPOWER`` / ``PS[...]`` power, ``SYSTEMSTATU[Work: In Idle ...]`` when soft-off.
``summary``/``devs`` rates are in MH/s (``MHS av`` ~1.9e8 is 190 TH/s).
"""

from __future__ import annotations

import re
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

_TOKEN = re.compile(r"([A-Za-z_][\w ]*?)\[([^\[\]]*)\]")
_REALTIME = (("MHS 1m", "MH"), ("MHS 30s", "MH"), ("MHS 5s", "MH"), ("MHS 5m", "MH"))


def parse_mm_id(text: str) -> dict[str, str]:
    """``"Ver[15-194] Temp[31] MGHS[1 2 3]"`` -> {"Ver": "15-194", "Temp": "31", ...}."""
    return {key.strip(): value.strip() for key, value in _TOKEN.findall(text)}


def mm_modules(reply: Any) -> list[dict[str, str]]:
    """Every ``MM IDn`` string of a stats/estats reply, decoded."""
    modules = []
    for block in v.section(reply, "STATS"):
        for key, value in block.items():
            if key.startswith("MM ID") and isinstance(value, str):
                modules.append(parse_mm_id(value))
    return modules


def _numbers(value: str | None) -> list[float | None]:
    return [v.num(part) for part in value.split()] if value else []


def parse(replies: Replies, reading: MinerReading, notes: ParseNotes) -> None:
    parse_cgminer_summary(replies.get("summary"), reading, _REALTIME)
    if reading.hashrate_ths is None:  # summary missing: the single ASC in devs is the machine
        dev = v.first_section(replies.get("devs"), "DEVS")
        reading.hashrate_ths = v.rate_ths(v.first(dev, "MHS 1m", "MHS 30s", "MHS 5s"), "MH")
        reading.hashrate_avg_ths = v.rate_ths(dev.get("MHS av"), "MH")
    parse_pools(replies.get("pools"), reading)
    modules = mm_modules(replies.get("estats")) or mm_modules(replies.get("stats"))
    boards: list[Hashboard] = []
    nominal = power = 0.0
    has_nominal = has_power = False
    fans: list[Any] = []
    temps_max: list[float | None] = []
    for module in modules:
        rates = _numbers(module.get("MGHS"))
        tmax = _numbers(module.get("MTmax"))
        for index, rate in enumerate(rates):
            temp = v.temperature(tmax[index]) if index < len(tmax) else None
            boards.append(
                Hashboard(slot=len(boards), hashrate_ths=v.rate_ths(rate, "GH"), temp_c=temp)
            )
        temps_max.append(v.temperature(module.get("TMax")))
        ghsmm = v.positive(module.get("GHSmm"))
        if ghsmm is not None:
            nominal, has_nominal = nominal + ghsmm, True
        watts = _module_power(module)
        if watts is not None:
            power, has_power = power + watts, True
        fans += [module[k] for k in sorted(module) if re.fullmatch(r"Fan\d+", k)]
        status = module.get("SYSTEMSTATU", "")
        if "idle" in status.lower():
            notes.curtailed = f"Avalon {status.strip()}"
        board_count = re.search(r"Hash Board:\s*(\d+)", status)
        if board_count:
            notes.expected_boards = int(board_count.group(1))
    if modules:
        reading.hashboards = boards
        reading.temp_max_c = v.maximum([*temps_max, *(b.temp_c for b in boards)])
        reading.temp_avg_c = v.mean(b.temp_c for b in boards) or v.mean(
            v.temperature(m.get("TAvg")) for m in modules
        )
        reading.fans_rpm = fans_from(fans) if fans else None
    if reading.uptime_s is None and modules:
        reading.uptime_s = v.integer(modules[0].get("Elapsed"))
    if has_nominal:
        reading.nominal_ths = v.rate_ths(nominal, "GH")
    if has_power:
        reading.power_w = power
    if reading.model is None and modules:
        ver = modules[0].get("Ver", "")
        series = ver.split("-")[0] if ver else ""
        reading.model = f"Avalon {series}" if series else None
    version = v.first_section(replies.get("version"), "VERSION")
    if version:
        reading.mac = v.text(version.get("MAC")) or reading.mac
        reading.serial = v.text(version.get("DNA")) or reading.serial


def _module_power(module: dict[str, str]) -> float | None:
    wall = v.positive(module.get("WALLPOWER"))
    if wall is not None:
        return wall
    supply = _numbers(module.get("PS"))
    return v.positive(supply[6]) if len(supply) > 6 else None  # PS[6] is the wall power
