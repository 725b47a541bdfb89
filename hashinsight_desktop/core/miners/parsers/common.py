"""Pieces shared by the family parsers: reply status, pools, cgminer summary, notes."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from hashinsight_desktop.core.miners import values as v
from hashinsight_desktop.core.miners.reading import MinerReading

Replies = Mapping[str, Any]  # command name -> parsed reply (a dict)


@dataclasses.dataclass(slots=True)
class ParseNotes:
    """What a parser learned beyond the reading's fields; used to decide the status."""

    curtailed: str | None = None  # firmware says mining is paused: why
    problems: list[str] = dataclasses.field(default_factory=list)  # degradations seen
    expected_boards: int | None = None  # firmware's own idea of the board count


def reply_error(reply: Any) -> str | None:
    """None when the reply reports success (or has no status at all), else the reason.

    Status shapes: a list of objects (cgminer), the string ``"S"`` (Whatsminer), an
    object (Bitmain web API), lower-case ``code`` (Whatsminer API v3).  ``S`` and ``I``
    are success; ``E``, ``W``, ``F`` failures.
    """
    if not isinstance(reply, Mapping):
        return "reply is not a JSON object"
    status: Any = reply.get("STATUS")
    if isinstance(status, list):
        status = status[0] if status else None
    if isinstance(status, Mapping):
        code = str(status.get("STATUS", "")).strip().upper()
        if code in ("S", "I", ""):
            return None
        msg = v.text(status.get("Msg")) or "no message"
        return f"{code} Code {status.get('Code', '?')}: {msg}"
    if isinstance(status, str):
        code = status.strip().upper()
        if code in ("S", "I"):
            return None
        msg = reply.get("Msg")
        return f"{code or 'unknown status'}: {v.text(msg) or msg!r}"[:200]
    if "code" in reply and "STATUS" not in reply:
        code = v.integer(reply.get("code"))
        if code == 0:
            return None
        return f"code {reply.get('code')}: {v.text(reply.get('msg')) or 'error'}"[:200]
    return None


def parse_pools(reply: Any, reading: MinerReading) -> None:
    """Active pool URL and user from a cgminer ``pools`` reply."""
    pools = v.section(reply, "POOLS")
    if not pools:
        return
    active = [p for p in pools if v.truthy(p.get("Stratum Active")) is True]
    if not active:
        alive = [p for p in pools if str(p.get("Status", "")).lower() == "alive"]
        active = sorted(alive or pools, key=lambda p: v.num(p.get("Priority")) or 0.0)
    pool = active[0]
    reading.pool_url = v.text(pool.get("URL"))
    reading.pool_user = v.text(pool.get("User"))
    if reading.accepted is None:
        reading.accepted = _sum_ints(p.get("Accepted") for p in pools)
    if reading.rejected is None:
        reading.rejected = _sum_ints(p.get("Rejected") for p in pools)


def _sum_ints(items: Any) -> int | None:
    numbers = [v.integer(item) for item in items]
    present = [n for n in numbers if n is not None]
    return sum(present) if present else None


# Realtime windows, shortest meaningful first; the unit comes from the key name.
_REALTIME_KEYS = (
    ("GHS 5s", "GH"),
    ("GHS 1m", "GH"),
    ("MHS 1m", "MH"),
    ("MHS 30s", "MH"),
    ("MHS 5s", "MH"),
    ("MHS 5m", "MH"),
)
_AVERAGE_KEYS = (("GHS av", "GH"), ("MHS av", "MH"))


def rate_from(block: Mapping[str, Any], keys: tuple[tuple[str, str], ...]) -> float | None:
    for key, unit in keys:
        if key in block:
            rate = v.rate_ths(block[key], unit)
            if rate is not None:
                return rate
    return None


def parse_cgminer_summary(
    reply: Any,
    reading: MinerReading,
    realtime_keys: tuple[tuple[str, str], ...] = _REALTIME_KEYS,
) -> dict[str, Any]:
    """Hash rates, shares and uptime from a cgminer ``summary``; returns SUMMARY[0]."""
    summary = v.first_section(reply, "SUMMARY")
    if not summary:
        return {}
    reading.hashrate_ths = rate_from(summary, realtime_keys)
    reading.hashrate_avg_ths = rate_from(summary, _AVERAGE_KEYS)
    reading.accepted = v.integer(summary.get("Accepted"))
    reading.rejected = v.integer(summary.get("Rejected"))
    reading.uptime_s = v.integer(v.first(summary, "Elapsed", "Uptime"))
    return summary


def fans_from(values: list[Any]) -> list[int] | None:
    fans = [v.integer(x) for x in values]
    present = [f for f in fans if f is not None and f >= 0]
    return present if values else None
