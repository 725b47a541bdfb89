"""Sending control actions to miners: :func:`send_control` and the support matrix.

:data:`SUPPORTED` says which actions each firmware family accepts over its API; any
other combination returns ``status="unsupported"`` with the reason, never a pretend
success.  ``send_control`` never raises: transport problems become ``"failed"``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from hashinsight_desktop.core.catalog import lookup_model
from hashinsight_desktop.core.miners import identify as ident
from hashinsight_desktop.core.miners import transport
from hashinsight_desktop.core.miners.client import PollTimeouts, detect_family
from hashinsight_desktop.core.miners.control import (
    avalon_control,
    cgminer_control,
    luxos_control,
    whatsminer_control,
)
from hashinsight_desktop.core.miners.control.actions import (
    ACTION_KINDS,
    CURTAIL,
    FAILED,
    POWER_TARGET,
    RESTART,
    RESUME,
    SET_POOLS,
    SWITCH_POOL,
    UNSUPPORTED,
    ControlAction,
    ControlResult,
    MinerCredentials,
    PoolConfig,
    build_worker_name,
)
from hashinsight_desktop.core.miners.control.channel import Channel

__all__ = [
    "SUPPORTED",
    "ControlAction",
    "ControlResult",
    "MinerCredentials",
    "PoolConfig",
    "build_worker_name",
    "send_control",
]

_CGMINER = frozenset({RESTART, SET_POOLS, SWITCH_POOL})
SUPPORTED: dict[str, frozenset[str]] = {
    ident.ANTMINER_STOCK: _CGMINER,
    ident.SEALMINER: _CGMINER,
    ident.CGMINER: _CGMINER,
    ident.LUXOS: frozenset(ACTION_KINDS),
    ident.AVALON: frozenset(ACTION_KINDS),
    ident.WHATSMINER_V2: frozenset({RESTART, CURTAIL, RESUME, POWER_TARGET, SET_POOLS}),
    ident.WHATSMINER_V3: frozenset(),
    ident.BRAIINS: frozenset(),
    ident.AURADINE: frozenset(),
}
_WHY_NOT = {
    ident.BRAIINS: "Braiins OS control goes through its gRPC API (port 50051), "
    "which this client does not implement",
    ident.WHATSMINER_V3: "Whatsminer API v3 write commands are not implemented",
    ident.AURADINE: "Auradine FluxOS control needs its authenticated API, not implemented",
}

CONTROL_TIMEOUTS = PollTimeouts(connect_s=1.0, deadline_s=10.0)


async def send_control(
    ip: str,
    port: int,
    action: ControlAction,
    *,
    family: str | None,
    credentials: MinerCredentials | None = None,
    timeouts: PollTimeouts = CONTROL_TIMEOUTS,
    catalog_model: str | None = None,
    catalog_lookup: Callable[[str | None], Any] = lookup_model,
) -> ControlResult:
    """Apply ``action`` to one miner.  ``family`` from a previous poll skips detection.

    ``catalog_model`` (the fleet's model name) is only used by Avalon power targets.
    """
    channel = Channel(ip, port, timeouts.connect_s)
    try:
        async with asyncio.timeout(timeouts.deadline_s):
            if family is None:
                family = await detect_family(ip, port, timeouts=timeouts)
            result = await _dispatch(channel, action, family, credentials,
                                     catalog_lookup(catalog_model) if catalog_model else None)
    except TimeoutError:
        result = ControlResult(FAILED, f"timeout: no answer within {timeouts.deadline_s:g} s")
    except transport.TransportError as exc:
        result = ControlResult(FAILED, str(exc))
    except Exception as exc:  # never let one miner's odd reply break a batch
        result = ControlResult(FAILED, f"internal error: {type(exc).__name__}: {exc}"[:300])
    result.action, result.family = action.kind, family
    result.commands = list(channel.sent)
    return result


async def _dispatch(channel: Channel, action: ControlAction, family: str,
                    credentials: MinerCredentials | None, spec: Any) -> ControlResult:
    if action.kind not in SUPPORTED.get(family, frozenset()):
        why = _WHY_NOT.get(family, "unsupported on this firmware")
        return ControlResult(UNSUPPORTED, f"{action.kind}: {why} ({family})")
    if family == ident.LUXOS:
        return await luxos_control.run(channel, action)
    if family == ident.AVALON:
        nameplate = float(spec.power_w) if spec is not None else None
        return await avalon_control.run(channel, action, nameplate)
    if family == ident.WHATSMINER_V2:
        return await whatsminer_control.run(channel, action, credentials)
    if action.kind == RESTART:
        return await cgminer_control.restart(channel)
    if action.kind == SWITCH_POOL:
        return await cgminer_control.switch_pool(channel, action)
    return await cgminer_control.set_pools(channel, action)
