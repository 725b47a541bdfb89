"""Whatsminer (MicroBT btminer) API v1/v2 on TCP 4028.

Rates are in MH/s (``MHS 1m``, per board ``MHS 1m``/``MHS av``) except ``Factory GHS``
(GH/s).  ``status``/``get_*`` replies carry ``STATUS: "S"`` as a string and the data in
``Msg``.  ``status.Msg.mineroff == "true"`` means mining was powered off (curtailed).
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

_REALTIME = (("MHS 1m", "MH"), ("MHS 5s", "MH"), ("HS RT", "MH"), ("MHS 5m", "MH"))


def parse(replies: Replies, reading: MinerReading, notes: ParseNotes) -> None:
    summary = parse_cgminer_summary(replies.get("summary"), reading, _REALTIME)
    if summary:
        _summary_extras(summary, reading, notes)
    _parse_devs(replies.get("devs"), reading)
    parse_pools(replies.get("pools"), reading)
    _parse_status(replies.get("status"), reading, notes)


def _summary_extras(summary: dict[str, Any], reading: MinerReading, notes: ParseNotes) -> None:
    reading.nominal_ths = v.rate_ths(v.positive(summary.get("Factory GHS")), "GH")
    power = v.positive(v.first(summary, "Power", "Power_RT"))
    if power is not None:
        reading.power_w = power
    fans = [summary[k] for k in ("Fan Speed In", "Fan Speed Out") if k in summary]
    if fans:
        reading.fans_rpm = fans_from(fans)
    reading.temp_max_c = v.temperature(summary.get("Chip Temp Max"))
    reading.mac = v.text(summary.get("MAC")) or reading.mac
    reading.firmware = v.text(summary.get("Firmware Version")) or reading.firmware
    if reading.uptime_s is None:
        reading.uptime_s = v.integer(summary.get("Uptime"))
    count = v.integer(summary.get("Error Code Count")) or 0
    codes = [v.text(summary.get(f"Error Code {i}")) for i in range(count)]
    codes_present = [c for c in codes if c]
    if codes_present:
        notes.problems.append("firmware error codes " + ", ".join(codes_present))


def _parse_devs(reply: Any, reading: MinerReading) -> None:
    devs = v.section(reply, "DEVS")
    if not devs:
        return
    boards = []
    for position, dev in enumerate(devs):
        slot = v.integer(v.first(dev, "Slot", "ASC", "ID"))
        boards.append(
            Hashboard(
                slot=position if slot is None else slot,
                hashrate_ths=v.rate_ths(v.first(dev, "MHS 1m", "MHS 5s", "MHS av"), "MH"),
                temp_c=v.temperature(v.first(dev, "Chip Temp Avg", "Temperature")),
                chips=v.integer(dev.get("Effective Chips")),
            )
        )
    reading.hashboards = boards
    reading.temp_avg_c = v.mean(b.temp_c for b in boards)
    hottest = v.maximum(v.temperature(d.get("Chip Temp Max")) for d in devs)
    reading.temp_max_c = v.maximum([reading.temp_max_c, hottest, *(b.temp_c for b in boards)])
    if reading.nominal_ths is None:
        factory = [v.positive(d.get("Factory GHS")) for d in devs]
        if all(f is not None for f in factory):
            reading.nominal_ths = v.rate_ths(sum(f for f in factory if f), "GH")
    if reading.fans_rpm is None:
        first = devs[0]
        fans = [first[k] for k in ("Fan Speed In", "Fan Speed Out") if k in first]
        if fans:
            reading.fans_rpm = fans_from(fans)


def _parse_status(reply: Any, reading: MinerReading, notes: ParseNotes) -> None:
    msg = reply.get("Msg") if isinstance(reply, dict) else None
    if not isinstance(msg, dict):
        return
    reading.firmware = v.text(v.first(msg, "FirmwareVersion", "Firmware Version")) or reading.firmware
    off = v.truthy(v.first(msg, "mineroff", "btmineroff"))
    if off:
        reason = v.text(msg.get("mineroff_reason"))
        notes.curtailed = "mining powered off" + (f" ({reason})" if reason else "")
