"""LuxOS control: privileged commands carry a session id from ``logon`` (or ``session``)."""

from __future__ import annotations

import contextlib

from hashinsight_desktop.core.miners import transport
from hashinsight_desktop.core.miners import values as v
from hashinsight_desktop.core.miners.control import cgminer_control
from hashinsight_desktop.core.miners.control.actions import (
    CURTAIL,
    DONE,
    FAILED,
    POWER_TARGET,
    RESTART,
    RESUME,
    SET_POOLS,
    SWITCH_POOL,
    ControlAction,
    ControlResult,
)
from hashinsight_desktop.core.miners.control.channel import Channel


async def run(channel: Channel, action: ControlAction) -> ControlResult:
    if action.kind == SWITCH_POOL:
        return await cgminer_control.switch_pool(channel, action)
    if action.kind == SET_POOLS:
        return await cgminer_control.set_pools(channel, action)
    session = await _session_id(channel)
    try:
        if action.kind == RESTART:
            await channel.command("resetminer", session)
            return ControlResult(DONE, "LuxOS miner reset")
        if action.kind in (CURTAIL, RESUME):
            mode = "sleep" if action.kind == CURTAIL else "wakeup"
            await channel.command("curtail", f"{session},{mode}")
            return ControlResult(DONE, f"LuxOS curtail {mode}")
        if action.kind == POWER_TARGET:
            return await _power_target(channel, session, action.watts or 0)
        return ControlResult(FAILED, f"no LuxOS handler for {action.kind}")
    finally:
        with contextlib.suppress(transport.TransportError):  # it times out on its own
            await channel.command("logoff", session)


async def _session_id(channel: Channel) -> str:
    try:
        reply = await channel.command("logon")
    except transport.CommandRejected:
        reply = await channel.command("session")  # a session is already open: reuse it
    session = v.text(v.first_section(reply, "SESSION").get("SessionID"))
    if not session:
        raise transport.CommandRejected("LuxOS gave no session id", reply)
    return session


async def _power_target(channel: Channel, session: str, watts: int) -> ControlResult:
    """Pick the highest-power LuxOS profile at or under ``watts`` (else the lowest)."""
    profiles = v.section(await channel.command("profiles"), "PROFILES")
    rated = [(v.num(p.get("Watts")), v.text(p.get("Profile Name"))) for p in profiles]
    usable = sorted((w, name) for w, name in rated if w is not None and name)
    if not usable:
        return ControlResult(FAILED, "LuxOS returned no tuning profiles")
    fitting = [item for item in usable if item[0] <= watts]
    chosen_watts, chosen = fitting[-1] if fitting else usable[0]
    await channel.command("profileset", f"{session},{chosen}")
    note = "" if fitting else f" (no profile fits {watts} W: lowest used)"
    return ControlResult(DONE, f"LuxOS profile {chosen} (~{chosen_watts:.0f} W){note}")
