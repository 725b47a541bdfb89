"""Realistic synthetic fleets for benchmarks, tests and demonstrations.

Mixed catalog models with hashrate and power noise, containers of ~300 miners,
a few hosting clients, ~1 % pinned and a few miners offline.  Seeded: the same
arguments always give the same fleet.
"""

from __future__ import annotations

import numpy as np

from hashinsight_desktop.core.catalog import builtin_models
from hashinsight_desktop.core.curtailment.fleet import DEFAULT_MODES, Fleet
from hashinsight_desktop.core.curtailment.request import GroupLimit


def synthetic_fleet(n: int, *, seed: int = 0, container_size: int = 300, sites: int = 1,
                    clients: int = 8, pinned_share: float = 0.01, offline_share: float = 0.01,
                    modes: bool = False) -> Fleet:
    rng = np.random.default_rng(seed)
    catalog = builtin_models()
    model = rng.integers(0, len(catalog), n)
    nameplate_ths = np.array([m.hashrate_ths for m in catalog])[model]
    nameplate_w = np.array([m.power_w for m in catalog])[model]
    hashrate = nameplate_ths * rng.normal(1.0, 0.04, n).clip(0.8, 1.15)
    power = nameplate_w * rng.normal(1.0, 0.02, n).clip(0.9, 1.1)
    container = np.arange(n) // container_size
    site = container % sites
    fleet = Fleet.build(
        [f"m{i:06d}" for i in range(n)],
        hashrate.round(2),
        power.round(0),
        ips=[f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}" for i in range(n)],
        site=[f"site{s}" for s in site],
        client=[f"client{c}" for c in rng.integers(0, clients, n)],
        pinned=rng.random(n) < pinned_share,
        online=rng.random(n) >= offline_share,
        groups={"container": [f"c{c:04d}" for c in container]},
    )
    return fleet.with_modes(DEFAULT_MODES) if modes else fleet


def container_limits(fleet: Fleet, *, max_off_share: float = 0.6,
                     max_shed_share: float = 0.7) -> tuple[GroupLimit, ...]:
    """Per container: at most 60 % of its miners off and 70 % of its load shed."""
    labels, code = np.unique(fleet.groups["container"].astype(str), return_inverse=True)
    load_kw = np.bincount(code, weights=fleet.power_w) / 1000
    size = np.bincount(code)
    return tuple(
        GroupLimit("container", str(label), max_shed_kw=round(float(load_kw[g]) * max_shed_share, 1),
                   max_off=int(size[g] * max_off_share))
        for g, label in enumerate(labels)
    )
