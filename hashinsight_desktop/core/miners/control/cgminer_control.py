"""Control over the plain cgminer RPC (Antminer stock, SealMiner, Avalon pools, generic).

``restart``, ``addpool``/``switchpool``/``removepool`` are cgminer privileged commands:
they work only where the firmware's ``api-allow`` grants write access, and a refusal
(``Code 45 Access denied``) is reported as ``failed`` with the firmware's message.
"""

from __future__ import annotations

from hashinsight_desktop.core.miners import transport
from hashinsight_desktop.core.miners import values as v
from hashinsight_desktop.core.miners.control.actions import (
    DONE,
    ControlAction,
    ControlResult,
    PoolConfig,
)
from hashinsight_desktop.core.miners.control.channel import Channel, escape_param


async def restart(channel: Channel) -> ControlResult:
    try:
        await channel.command("restart")
    except transport.ProtocolError as exc:
        # Many firmwares drop the connection while restarting instead of answering.
        return ControlResult(DONE, f"restart sent; no readable reply ({exc})")
    return ControlResult(DONE, "restart acknowledged")


async def switch_pool(channel: Channel, action: ControlAction) -> ControlResult:
    await channel.command("switchpool", str(action.pool_index))
    return ControlResult(DONE, f"switched to pool {action.pool_index}")


async def set_pools(channel: Channel, action: ControlAction) -> ControlResult:
    """Add the new pools, make the first one active, then remove the old ones."""
    before = v.section(await channel.command("pools"), "POOLS")
    old = sorted((v.integer(p.get("POOL")) for p in before), key=lambda n: -1 if n is None else n)
    old_indexes = [n for n in old if n is not None]
    for pool in action.pools:
        await channel.command("addpool", _pool_param(pool), log_as=_pool_param(pool, hide=True))
    after = v.section(await channel.command("pools"), "POOLS")
    new_indexes = sorted(
        n for n in (v.integer(p.get("POOL")) for p in after) if n is not None and n not in old
    )
    if new_indexes:
        await channel.command("switchpool", str(new_indexes[0]))
    for index in sorted(old_indexes, reverse=True):
        await channel.command("removepool", str(index))
    return ControlResult(DONE, f"{len(action.pools)} pool(s) set, {len(old_indexes)} removed")


def _pool_param(pool: PoolConfig, hide: bool = False) -> str:
    password = "***" if hide else escape_param(pool.password)
    return f"{escape_param(pool.url)},{escape_param(pool.user)},{password}"
