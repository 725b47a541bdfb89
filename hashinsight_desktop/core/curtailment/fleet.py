"""The fleet as the planner sees it: one numpy column per attribute, validated once.

Columns rather than a list of miner objects because the planner works on 100,000
miners and every step (eligibility, greedy ordering, matrix building) is vectorised.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np


@dataclasses.dataclass(frozen=True, slots=True)
class PowerMode:
    """A reduced power mode: ``power_fraction`` of full power gives ``hashrate_fraction``."""

    name: str
    power_fraction: float
    hashrate_fraction: float

    def __post_init__(self) -> None:
        if not self.name or any(c.isspace() for c in self.name):
            raise ValueError(f"power mode name {self.name!r} must be non-empty, without spaces")
        if not 0.0 < self.power_fraction < 1.0:
            raise ValueError(
                f"power mode {self.name!r}: power_fraction {self.power_fraction} must be in (0, 1)"
            )
        if not 0.0 <= self.hashrate_fraction <= 1.0:
            raise ValueError(
                f"power mode {self.name!r}: hashrate_fraction {self.hashrate_fraction} "
                "must be in [0, 1]"
            )


#: Defaults for ``--modes``: 85 % and 70 % power keep 88 % and 75 % of the hashrate.
#: Typical of underclocking profiles (LuxOS, Braiins): efficiency improves a little
#: as power drops, so a reduced mode loses fewer TH/s per kW than a shutdown.
DEFAULT_MODES: tuple[PowerMode, ...] = (
    PowerMode("p85", 0.85, 0.88),
    PowerMode("p70", 0.70, 0.75),
)


def _text_column(values: Sequence[str] | np.ndarray | None, n: int, name: str) -> np.ndarray:
    if values is None:
        return np.full(n, "", dtype=object)
    arr = np.asarray(["" if v is None else str(v) for v in values], dtype=object)
    if arr.shape != (n,):
        raise ValueError(f"{name}: expected {n} values, got {arr.shape[0]}")
    return arr


def _bool_column(values: Sequence[bool] | np.ndarray | None, n: int, default: bool,
                 name: str) -> np.ndarray:
    if values is None:
        return np.full(n, default, dtype=bool)
    arr = np.asarray(values, dtype=bool)
    if arr.shape != (n,):
        raise ValueError(f"{name}: expected {n} values, got {arr.shape[0]}")
    return arr


def _float_column(values: Sequence[float] | np.ndarray, n: int, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.shape != (n,):
        raise ValueError(f"{name}: expected {n} values, got {arr.shape[0]}")
    bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0))
    if bad.size:
        raise ValueError(f"{name}: value {float(arr[bad[0]])!r} at index {int(bad[0])} must be finite and >= 0")
    return arr


@dataclasses.dataclass(frozen=True, eq=False)
class Fleet:
    """Miners as columns.  Build with :meth:`build`, which fills defaults and validates.

    ``groups`` maps a group dimension ("container", "breaker", "transformer") to the
    label of each miner ("" for none).  ``mode_sets`` lists the reduced power modes a
    miner may use; ``mode_set_index[i]`` points into it (-1: only on or off).
    ``running`` is the current state: a miner already off draws nothing and cannot shed.
    """

    miner_ids: np.ndarray
    ips: np.ndarray
    hashrate_ths: np.ndarray
    power_w: np.ndarray
    site: np.ndarray
    client: np.ndarray
    pinned: np.ndarray
    online: np.ndarray
    running: np.ndarray
    groups: Mapping[str, np.ndarray]
    mode_sets: tuple[tuple[PowerMode, ...], ...]
    mode_set_index: np.ndarray

    @property
    def size(self) -> int:
        return int(self.miner_ids.shape[0])

    @classmethod
    def build(
        cls,
        miner_ids: Sequence[str | int] | np.ndarray,
        hashrate_ths: Sequence[float] | np.ndarray,
        power_w: Sequence[float] | np.ndarray,
        *,
        ips: Sequence[str] | np.ndarray | None = None,
        site: Sequence[str] | np.ndarray | None = None,
        client: Sequence[str] | np.ndarray | None = None,
        pinned: Sequence[bool] | np.ndarray | None = None,
        online: Sequence[bool] | np.ndarray | None = None,
        running: Sequence[bool] | np.ndarray | None = None,
        groups: Mapping[str, Sequence[str] | np.ndarray] | None = None,
        mode_sets: Sequence[Sequence[PowerMode]] = (),
        mode_set_index: Sequence[int] | np.ndarray | None = None,
    ) -> Fleet:
        ids = _text_column(miner_ids, len(miner_ids), "miner_ids")
        n = ids.shape[0]
        if any(not v for v in ids):
            raise ValueError("miner_ids: every miner needs a non-empty id")
        uniq, counts = np.unique(ids.astype(str), return_counts=True)
        if uniq.size != n:
            raise ValueError(f"miner_ids: duplicate id {str(uniq[np.argmax(counts > 1)])!r}")
        sets = tuple(tuple(s) for s in mode_sets)
        for s in sets:
            names = [m.name for m in s]
            if len(set(names)) != len(names):
                raise ValueError(f"mode set {names}: mode names must be unique")
        if mode_set_index is None:
            msi = np.full(n, -1, dtype=np.int64)
        else:
            msi = np.asarray(mode_set_index, dtype=np.int64)
            if msi.shape != (n,):
                raise ValueError(f"mode_set_index: expected {n} values, got {msi.shape[0]}")
            if msi.size and (msi.min() < -1 or msi.max() >= len(sets)):
                raise ValueError(f"mode_set_index: values must be -1 or < {len(sets)}")
        group_cols = {
            str(dim): _text_column(labels, n, f"groups[{dim!r}]")
            for dim, labels in (groups or {}).items()
        }
        return cls(
            miner_ids=ids,
            ips=_text_column(ips, n, "ips"),
            hashrate_ths=_float_column(hashrate_ths, n, "hashrate_ths"),
            power_w=_float_column(power_w, n, "power_w"),
            site=_text_column(site, n, "site"),
            client=_text_column(client, n, "client"),
            pinned=_bool_column(pinned, n, False, "pinned"),
            online=_bool_column(online, n, True, "online"),
            running=_bool_column(running, n, True, "running"),
            groups=MappingProxyType(group_cols),
            mode_sets=sets,
            mode_set_index=msi,
        )

    def with_modes(self, modes: Sequence[PowerMode] = DEFAULT_MODES) -> Fleet:
        """The same fleet where every miner may use ``modes`` (the ``--modes`` default)."""
        return dataclasses.replace(
            self,
            mode_sets=(tuple(modes),),
            mode_set_index=np.zeros(self.size, dtype=np.int64),
        )
