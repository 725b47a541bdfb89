"""Avalon control through ``ascset``: ``softoff``/``softon`` (curtail/resume), ``reboot``,
``workmode`` (the nearest of the firmware's work modes to a power target)."""

from __future__ import annotations

import time

from hashinsight_desktop.core.miners import transport
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

# Work modes: 0 eco, 1 standard, 2 super.  Canaan documents modes, not watts, so a power
# target maps to a mode by its share of the model's nameplate power.
ECO_BELOW_SHARE = 0.85
SUPER_FROM_SHARE = 1.05


async def run(channel: Channel, action: ControlAction, nameplate_w: float | None
              ) -> ControlResult:
    if action.kind == SWITCH_POOL:
        return await cgminer_control.switch_pool(channel, action)
    if action.kind == SET_POOLS:
        return await cgminer_control.set_pools(channel, action)
    if action.kind == RESTART:
        try:
            await channel.command("ascset", "0,reboot,0")
        except transport.ProtocolError as exc:
            return ControlResult(DONE, f"reboot sent; no readable reply ({exc})")
        return ControlResult(DONE, "Avalon reboot acknowledged")
    if action.kind in (CURTAIL, RESUME):
        verb = "softoff" if action.kind == CURTAIL else "softon"
        # "1:<epoch>" = act at that time; a few seconds ahead lets the reply go out first.
        reply = await channel.command("ascset", f"0,{verb},1:{int(time.time()) + 5}")
        return ControlResult(DONE, f"Avalon {verb}: {_message(reply)}")
    if action.kind == POWER_TARGET:
        if not nameplate_w:
            return ControlResult(FAILED, "Avalon work mode needs the model's nameplate power "
                                         "to map a watt target; model unknown")
        share = (action.watts or 0) / nameplate_w
        mode = 0 if share < ECO_BELOW_SHARE else 2 if share >= SUPER_FROM_SHARE else 1
        await channel.command("ascset", f"0,workmode,{mode}")
        return ControlResult(DONE, f"Avalon work mode {mode} ({share:.0%} of nameplate "
                                   f"{nameplate_w:.0f} W); Avalon has modes, not watt targets")
    return ControlResult(FAILED, f"no Avalon handler for {action.kind}")


def _message(reply: dict) -> str:
    status = reply.get("STATUS")
    if isinstance(status, list) and status and isinstance(status[0], dict):
        return str(status[0].get("Msg", ""))
    return ""
