"""Deterministic synthetic fleets and cycles, for the grid demo, tests and benchmarks.

Not a miner simulator (that is ``hashinsight_desktop.simulator``): it only fills
the grid's arrays with plausible, reproducible numbers.
"""

from __future__ import annotations

import numpy as np

from hashinsight_desktop.core.fleet.codes import AlertSeverity, MinerStatus
from hashinsight_desktop.core.fleet.records import CycleUpdate, MinerRecord

_MODELS = (
    ("Antminer S19 XP", 141.0, 3010.0),
    ("Antminer S21", 200.0, 3500.0),
    ("Antminer S19j Pro", 104.0, 3068.0),
    ("WhatsMiner M50S", 126.0, 3276.0),
    ("WhatsMiner M60", 172.0, 3344.0),
    ("Avalon A1466", 150.0, 3230.0),
)
_FIRMWARE = ("2024.03.1", "2024.07.2", "LuxOS 2024.9", "Braiins OS 24.06")
_CLIENTS = (None, "Northwind Hosting", "Blue Ridge Capital", "Contoso Mining", "Fabrikam")
_POOLS = ("stratum+tcp://btc.f2pool.com:1314", "stratum+tcp://ss.antpool.com:3333",
          "stratum+tcp://stratum.braiins.com:3333")
_TAGS = ("immersion", "hydro", "warranty", "watch", "new")


def synthetic_records(n: int, sites: int = 5, seed: int = 7) -> list[MinerRecord]:
    rng = np.random.default_rng(seed)
    model_idx = rng.integers(0, len(_MODELS), n)
    records = []
    for i in range(n):
        model, nominal, _ = _MODELS[model_idx[i]]
        site = i % sites
        rack, slot = divmod(i // sites, 40)
        tags = frozenset(t for t in _TAGS if rng.random() < 0.08)
        records.append(
            MinerRecord(
                miner_id=100_000 + i,
                name=f"S{site + 1}-R{rack + 1:03d}-{slot + 1:02d}",
                ip=f"10.{site + 1}.{(i // sites) // 250}.{(i // sites) % 250 + 2}",
                site=f"Site {site + 1}",
                rack=f"R{rack + 1:03d}",
                position=slot + 1,
                model=model,
                firmware=_FIRMWARE[(i * 7) % len(_FIRMWARE)],
                serial=f"SN{(i * 2654435761) % 10**10:010d}",
                client=_CLIENTS[(i // 97) % len(_CLIENTS)],
                tags=tags,
                nominal_ths=nominal,
            )
        )
    return records


def synthetic_cycle(
    records: list[MinerRecord], cycle: int, now: float = 1.7e9, fraction: float = 1.0
) -> CycleUpdate:
    """Readings for a ``fraction`` of the miners (taken in a rotating window)."""
    n = len(records)
    rng = np.random.default_rng(cycle)
    count = max(1, int(n * fraction)) if n else 0
    start = (cycle * count) % n if n else 0
    picks = (np.arange(count) + start) % n if n else np.empty(0, dtype=np.int64)
    nominal = np.array([records[i].nominal_ths or np.nan for i in picks])
    watts = np.array([_nameplate_watts(records[i].model) for i in picks])
    roll = rng.random(count)
    status = np.select(
        [roll < 0.015, roll < 0.025, roll < 0.06, roll < 0.08],
        [MinerStatus.OFFLINE, MinerStatus.ERROR, MinerStatus.DEGRADED, MinerStatus.CURTAILED],
        MinerStatus.OK,
    ).astype(np.int8)
    offline = status == MinerStatus.OFFLINE
    factor = np.where(status == MinerStatus.DEGRADED, rng.uniform(0.55, 0.85, count),
                      rng.normal(1.0, 0.025, count))
    factor = np.where(status == MinerStatus.CURTAILED, 0.0, factor)
    hashrate = np.round(nominal * factor, 1)
    temp = np.round(rng.normal(71.0, 6.0, count), 1)
    power = np.round(watts * np.clip(factor, 0.05, None) * rng.normal(1.0, 0.01, count), 0)
    fans = np.round(rng.normal(5200, 500, count), -1)
    severity = np.where(temp >= 90, AlertSeverity.CRITICAL,
                        np.where(temp >= 80, AlertSeverity.WARNING, AlertSeverity.NONE))
    severity = np.where(offline | (status == MinerStatus.ERROR), AlertSeverity.CRITICAL, severity)
    return CycleUpdate(
        miner_ids=np.array([records[i].miner_id for i in picks], dtype=np.int64),
        status=status,
        hashrate_ths=np.where(offline, np.nan, hashrate),
        temp_max_c=np.where(offline, np.nan, temp),
        fan_min_rpm=np.where(offline, np.nan, fans),
        fan_count=np.where(offline, np.nan, 4.0),
        power_w=np.where(offline, np.nan, power),
        power_estimated=(picks % 11) == 0,
        uptime_s=np.where(offline, np.nan, (picks * 977 + cycle * 60) % 2_000_000.0),
        pool=np.array([_POOLS[i % len(_POOLS)] for i in picks], dtype=object),
        last_seen=np.where(offline, now - 3600.0, now),
        alert_count=(severity > 0).astype(np.int32) + (offline & (picks % 3 == 0)),
        alert_max_severity=severity.astype(np.int8),
    )


def _nameplate_watts(model: str | None) -> float:
    for name, _ths, watts in _MODELS:
        if name == model:
            return watts
    return np.nan
