"""Fault injection: which simulated miners misbehave, and how.

Rates are fractions of the fleet (0.02 = 2 %).  The number of faulty miners of a kind
is ``round(rate * n)`` exactly, and which miners they are is a function of the seed
only, so a test can ask :func:`assign_faults` for the very set the server uses.

Network faults are exclusive (a miner has at most one way of failing on the wire);
hardware faults (dead board, overheating, fan failure) are independent of them.
"""

from __future__ import annotations

import dataclasses
import enum

import numpy as np

from hashinsight_desktop.simulator.layout import SimMinerSpec


class NetFault(enum.IntEnum):
    NONE = 0
    OFFLINE = 1    # nothing listens: connection refused by the kernel
    REFUSING = 2   # the TCP handshake completes, then the API resets the connection
    HANGING = 3    # accepts, reads the request, never answers
    SLOW = 4       # answers correctly after ``slow_delay_s``
    GARBAGE = 5    # answers truncated or malformed JSON
    FLAPPING = 6   # alternates answering and resetting every ``flap_period_s``


NET_FAULTS = ("offline", "refusing", "hanging", "slow", "garbage", "flapping")
HW_FAULTS = ("dead_board", "overheating", "fan_failure")


@dataclasses.dataclass(frozen=True)
class FaultProfile:
    offline: float = 0.0
    refusing: float = 0.0
    hanging: float = 0.0
    slow: float = 0.0
    garbage: float = 0.0
    dead_board: float = 0.0
    overheating: float = 0.0
    fan_failure: float = 0.0
    flapping: float = 0.0
    slow_delay_s: float = 3.0
    flap_period_s: float = 60.0

    def __post_init__(self) -> None:
        for name in (*NET_FAULTS, *HW_FAULTS):
            rate = getattr(self, name)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"fault rate {name}={rate} must be between 0 and 1")
        if sum(getattr(self, name) for name in NET_FAULTS) > 1.0 + 1e-9:
            raise ValueError("network fault rates (offline, refusing, hanging, slow, "
                             "garbage, flapping) add up to more than 100 %")
        if self.slow_delay_s < 0 or self.flap_period_s <= 0:
            raise ValueError("slow_delay_s must be >= 0 and flap_period_s > 0")


@dataclasses.dataclass(frozen=True)
class FaultAssignment:
    """Per-miner fault flags, index-aligned with the fleet's spec list."""

    net: np.ndarray          # int8 NetFault per miner
    dead_board: np.ndarray   # bool
    overheating: np.ndarray  # bool
    fan_failure: np.ndarray  # bool (only ever set on air-cooled miners)

    def indices(self, kind: str) -> set[int]:
        """Miner indices with fault ``kind`` (a FaultProfile field name)."""
        if kind in NET_FAULTS:
            return {int(i) for i in np.flatnonzero(self.net == NetFault[kind.upper()])}
        if kind in HW_FAULTS:
            return {int(i) for i in np.flatnonzero(getattr(self, kind))}
        raise ValueError(f"unknown fault kind {kind!r}")


def assign_faults(
    specs: list[SimMinerSpec], faults: FaultProfile, seed: int = 1
) -> FaultAssignment:
    n = len(specs)
    rng = np.random.default_rng([seed, 0xFA17])
    net = np.zeros(n, dtype=np.int8)
    order = rng.permutation(n)
    cursor = 0
    for name in NET_FAULTS:
        count = round(getattr(faults, name) * n)
        net[order[cursor:cursor + count]] = NetFault[name.upper()]
        cursor += count

    def pick(rate: float, eligible: np.ndarray, salt: int) -> np.ndarray:
        flags = np.zeros(n, dtype=bool)
        candidates = np.flatnonzero(eligible)
        count = min(round(rate * n), candidates.size)
        chosen = np.random.default_rng([seed, salt]).permutation(candidates)[:count]
        flags[chosen] = True
        return flags

    everyone = np.ones(n, dtype=bool)
    air = np.array([spec.catalog_model.cooling == "air" for spec in specs], dtype=bool)
    return FaultAssignment(
        net=net,
        dead_board=pick(faults.dead_board, everyone, 0xB0A2),
        overheating=pick(faults.overheating, everyone, 0x4EA7),
        fan_failure=pick(faults.fan_failure, air, 0xFA45),
    )
