"""What a control request asks for, and what came of it."""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Sequence

RESTART = "restart"
CURTAIL = "curtail"  # pause mining
RESUME = "resume"
POWER_TARGET = "power_target"
SET_POOLS = "set_pools"
SWITCH_POOL = "switch_pool"
ACTION_KINDS = (RESTART, CURTAIL, RESUME, POWER_TARGET, SET_POOLS, SWITCH_POOL)

DONE, FAILED, UNSUPPORTED = "done", "failed", "unsupported"
MAX_POOLS = 3


@dataclasses.dataclass(frozen=True, slots=True)
class PoolConfig:
    url: str
    user: str
    password: str = "x"


@dataclasses.dataclass(frozen=True, slots=True)
class MinerCredentials:
    """Login for firmwares with privileged APIs (Whatsminer admin password, LuxOS)."""

    password: str
    username: str = "admin"


@dataclasses.dataclass(frozen=True, slots=True)
class ControlAction:
    kind: str
    watts: int | None = None  # power_target
    pools: tuple[PoolConfig, ...] = ()  # set_pools, 1..3 in priority order
    pool_index: int | None = None  # switch_pool, 0-based as the firmware numbers them

    def __post_init__(self) -> None:
        if self.kind not in ACTION_KINDS:
            raise ValueError(f"action must be one of {', '.join(ACTION_KINDS)}, not {self.kind!r}")
        if self.kind == POWER_TARGET and (self.watts is None or not 100 <= self.watts <= 20000):
            raise ValueError(f"power_target needs watts between 100 and 20000, got {self.watts}")
        if self.kind == SET_POOLS and not 1 <= len(self.pools) <= MAX_POOLS:
            raise ValueError(f"set_pools needs 1 to {MAX_POOLS} pools, got {len(self.pools)}")
        if self.kind == SET_POOLS:
            for pool in self.pools:
                if not pool.url.strip() or not pool.user.strip():
                    raise ValueError("every pool needs a url and a user")
        if self.kind == SWITCH_POOL and (self.pool_index is None or self.pool_index < 0):
            raise ValueError(f"switch_pool needs a pool index >= 0, got {self.pool_index}")

    @classmethod
    def restart(cls) -> ControlAction:
        return cls(RESTART)

    @classmethod
    def curtail(cls) -> ControlAction:
        return cls(CURTAIL)

    @classmethod
    def resume(cls) -> ControlAction:
        return cls(RESUME)

    @classmethod
    def power_target(cls, watts: int) -> ControlAction:
        return cls(POWER_TARGET, watts=int(watts))

    @classmethod
    def set_pools(cls, pools: Sequence[PoolConfig]) -> ControlAction:
        return cls(SET_POOLS, pools=tuple(pools))

    @classmethod
    def switch_pool(cls, index: int) -> ControlAction:
        return cls(SWITCH_POOL, pool_index=int(index))


@dataclasses.dataclass(slots=True)
class ControlResult:
    status: str  # "done", "failed" or "unsupported"
    detail: str
    action: str = ""
    family: str | None = None
    commands: list[str] = dataclasses.field(default_factory=list)  # what was sent, in order


_UNSAFE = re.compile(r"[^A-Za-z0-9_\-]")


def build_worker_name(pattern: str, **fields: object) -> str:
    """Fill a worker-name pattern such as ``"{site}.{rack}x{position}"`` or ``"acct.{ip}"``.

    Dots in field values would add account/worker separators pools do not expect, so
    the ``ip`` field's dots become ``x`` (``10.0.1.5`` -> ``10x0x1x5``) and dots and
    spaces in every other field become ``_``.  Characters other than letters, digits,
    ``_`` and ``-`` in field values become ``_`` too.  Dots written in the pattern itself
    are kept (``account.worker``).  A field named in the pattern but not given raises
    ``ValueError`` naming it.
    """
    cleaned: dict[str, str] = {}
    for name, value in fields.items():
        text = str(value).strip()
        text = text.replace(".", "x") if name == "ip" else text.replace(".", "_")
        cleaned[name] = _UNSAFE.sub("_", text)
    needed = {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
    missing = sorted(needed - cleaned.keys())
    if missing:
        raise ValueError(f"worker name pattern {pattern!r} needs field(s): {', '.join(missing)}")
    try:
        return pattern.format_map(cleaned)
    except (ValueError, IndexError) as exc:
        raise ValueError(f"bad worker name pattern {pattern!r}: {exc}") from None
