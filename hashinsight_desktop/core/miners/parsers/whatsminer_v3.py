"""Whatsminer API v3 (firmware after 2024-11, TCP 4433, length-prefixed frames).

Replies are ``{"code": 0, "msg": {...}}``; keys are hyphenated; rates are already in
TH/s (``hash-realtime``, ``factory-hash``); power in W (``power-realtime``).
"""

from __future__ import annotations

from typing import Any

from hashinsight_desktop.core.miners import values as v
from hashinsight_desktop.core.miners.parsers.common import ParseNotes, Replies, fans_from
from hashinsight_desktop.core.miners.reading import Hashboard, MinerReading

# The client stores each "get.miner.status" sub-reply under these names.
SUMMARY, EDEVS, POOLS, DEVICE_INFO = "summary", "edevs", "pools", "get.device.info"


def _msg(reply: Any) -> dict[str, Any]:
    msg = reply.get("msg") if isinstance(reply, dict) else None
    return msg if isinstance(msg, dict) else {}


def parse(replies: Replies, reading: MinerReading, notes: ParseNotes) -> None:
    summary = _msg(replies.get(SUMMARY)).get("summary")
    if isinstance(summary, dict):
        reading.hashrate_ths = v.rate_ths(summary.get("hash-realtime"), "TH")
        reading.hashrate_avg_ths = v.rate_ths(summary.get("hash-average"), "TH")
        reading.nominal_ths = v.rate_ths(v.positive(summary.get("factory-hash")), "TH")
        reading.power_w = v.positive(summary.get("power-realtime"))
        reading.uptime_s = v.integer(v.first(summary, "elapsed", "bootup-time"))
        reading.temp_max_c = v.temperature(summary.get("chip-temp-max"))
        fans = [summary[k] for k in ("fan-speed-in", "fan-speed-out") if k in summary]
        if fans:
            reading.fans_rpm = fans_from(fans)
    edevs = _msg(replies.get(EDEVS)).get("edevs")
    if isinstance(edevs, list):
        boards = []
        for position, dev in enumerate(d for d in edevs if isinstance(d, dict)):
            slot = v.integer(dev.get("id"))
            boards.append(
                Hashboard(
                    slot=position if slot is None else slot,
                    hashrate_ths=v.rate_ths(dev.get("hash-realtime"), "TH"),
                    temp_c=v.temperature(dev.get("chip-temp-avg")),
                    chips=v.integer(dev.get("effective-chips")),
                )
            )
            if str(dev.get("status", "alive")).lower() != "alive":
                notes.problems.append(f"board {slot} {dev.get('status')}")
        reading.hashboards = boards
        reading.temp_avg_c = v.mean(b.temp_c for b in boards)
    pools = _msg(replies.get(POOLS)).get("pools")
    if isinstance(pools, list) and pools:
        items = [p for p in pools if isinstance(p, dict)]
        active = [p for p in items if v.truthy(p.get("stratum-active"))] or items
        if active:
            reading.pool_url = v.text(active[0].get("url"))
            reading.pool_user = v.text(active[0].get("account"))
    info = _msg(replies.get(DEVICE_INFO))
    apply_device_info(info, reading, notes)


def apply_device_info(info: dict[str, Any], reading: MinerReading, notes: ParseNotes) -> None:
    miner = info.get("miner") if isinstance(info.get("miner"), dict) else {}
    network = info.get("network") if isinstance(info.get("network"), dict) else {}
    system = info.get("system") if isinstance(info.get("system"), dict) else {}
    assert isinstance(miner, dict) and isinstance(network, dict) and isinstance(system, dict)
    reading.serial = v.text(miner.get("miner-sn")) or reading.serial
    reading.mac = v.text(network.get("mac")) or reading.mac
    reading.hostname = v.text(network.get("hostname")) or reading.hostname
    reading.firmware = v.text(system.get("fwversion")) or reading.firmware
    if v.truthy(miner.get("working")) is False:
        notes.curtailed = "miner reports working=false"
    errors = info.get("error-code")
    if isinstance(errors, list) and errors:
        codes = [k for e in errors if isinstance(e, dict) for k in e if k != "reason"]
        if codes:
            notes.problems.append("firmware error codes " + ", ".join(codes))
