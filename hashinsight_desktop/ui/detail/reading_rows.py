"""Label/value rows for the identity and live-reading forms (plain text, no Qt widgets)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from hashinsight_desktop.ui.detail.miner_detail import MinerDetail, MinerIdentity

MISSING = "—"
Tr = Callable[[str], str]


def _num(value: Any, fmt: str, unit: str = "") -> str:
    if value is None:
        return MISSING
    return f"{float(value):{fmt}}{unit}"


def format_uptime(seconds: Any) -> str:
    if seconds is None:
        return MISSING
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    return f"{days}d {hours:02d}h {rest // 60:02d}m" if days else f"{hours}h {rest // 60:02d}m"


def location_text(identity: MinerIdentity) -> str:
    parts = [identity.site or MISSING]
    if identity.rack:
        parts.append(identity.rack)
    if identity.position is not None:
        parts.append(f"#{identity.position}")
    return " / ".join(parts)


def identity_rows(identity: MinerIdentity, tr: Tr) -> list[tuple[str, str]]:
    return [
        (tr("Name"), identity.name or MISSING),
        (tr("Address"), f"{identity.ip}:{identity.port}"),
        (tr("Model"), identity.model or MISSING),
        (tr("Firmware"), identity.firmware or MISSING),
        (tr("Site / rack / position"), location_text(identity)),
        (tr("Client"), identity.client or MISSING),
        (tr("MAC / serial"), f"{identity.mac or MISSING} / {identity.serial or MISSING}"),
    ]


def hashrate_text(reading: dict[str, Any], catalog_nominal: float | None) -> str:
    """"95.2 / 100.0 TH/s (95 %)" against the firmware's nominal, else the catalog's."""
    rate = reading.get("hashrate_ths")
    nominal = reading.get("nominal_ths") or catalog_nominal
    if rate is None:
        return MISSING
    if not nominal:
        return f"{rate:,.1f} TH/s"
    return f"{rate:,.1f} / {nominal:,.1f} TH/s ({100 * rate / nominal:.0f} %)"


def reading_rows(detail: MinerDetail, tr: Tr) -> list[tuple[str, str]]:
    """The live reading, or a single row saying there is none yet."""
    reading = detail.snapshot
    if reading is None or detail.snapshot_ts is None:
        return [(tr("Reading"), tr("No reading yet"))]
    status = reading.get("status") or MISSING
    if reading.get("error"):
        status = f"{status}: {reading['error']}"
    power = _num(reading.get("power_w"), ",.0f", " W")
    if reading.get("power_w") is not None and reading.get("power_estimated"):
        power += " " + tr("(estimated)")
    fans = reading.get("fans_rpm")
    pool = reading.get("pool_url") or MISSING
    if reading.get("pool_user"):
        pool += f"  ({reading['pool_user']})"
    when = dt.datetime.fromtimestamp(detail.snapshot_ts).strftime("%Y-%m-%d %H:%M:%S")
    return [
        (tr("Status"), status),
        (tr("Hashrate"), hashrate_text(reading, detail.identity.nominal_ths)),
        (tr("Power"), power),
        (tr("Temperature max / avg"), f"{_num(reading.get('temp_max_c'), '.1f', ' °C')} / "
                                      f"{_num(reading.get('temp_avg_c'), '.1f', ' °C')}"),
        (tr("Fans"), ", ".join(f"{int(f):,}" for f in fans) + " rpm" if fans else MISSING),
        (tr("Pool"), pool),
        (tr("Shares accepted / rejected"),
         f"{_num(reading.get('accepted'), ',.0f')} / {_num(reading.get('rejected'), ',.0f')}"),
        (tr("Uptime"), format_uptime(reading.get("uptime_s"))),
        (tr("Read at"), when),
    ]


def hashboard_rows(detail: MinerDetail) -> list[tuple[str, ...]]:
    """(slot, hashrate, temperature, chips/expected) per board."""
    boards = (detail.snapshot or {}).get("hashboards") or []
    rows = []
    for board in boards:
        expected = board.get("expected_chips") or detail.identity.chips_per_board
        chips = board.get("chips")
        chip_text = MISSING if chips is None else (f"{chips}/{expected}" if expected
                                                   else str(chips))
        rows.append((str(board.get("slot", MISSING)), _num(board.get("hashrate_ths"), ",.2f", " TH/s"),
                     _num(board.get("temp_c"), ".1f", " °C"), chip_text))
    return rows
