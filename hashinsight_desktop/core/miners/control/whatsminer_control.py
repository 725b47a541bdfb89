"""Whatsminer API v2 privileged commands (token from ``get_token``, AES-encrypted).

Only works after the admin password was changed once with MicroBT's tool, and needs
that password in :class:`MinerCredentials`.
"""

from __future__ import annotations

from typing import Any

from hashinsight_desktop.core.miners import transport
from hashinsight_desktop.core.miners.control.actions import (
    CURTAIL,
    DONE,
    FAILED,
    POWER_TARGET,
    RESTART,
    RESUME,
    SET_POOLS,
    ControlAction,
    ControlResult,
    MinerCredentials,
)
from hashinsight_desktop.core.miners.control.channel import Channel
from hashinsight_desktop.core.miners.control.whatsminer_crypto import (
    decrypt_payload,
    encrypt_command,
    make_token,
)
from hashinsight_desktop.core.miners.parsers.common import reply_error


def privileged_request(action: ControlAction) -> tuple[str, dict[str, Any]]:
    """The btminer command name and parameters for ``action``."""
    if action.kind == RESTART:
        return "restart_btminer", {}
    if action.kind == CURTAIL:
        return "power_off", {"respbefore": "true"}
    if action.kind == RESUME:
        return "power_on", {}
    if action.kind == POWER_TARGET:
        return "adjust_power_limit", {"power_limit": str(action.watts)}
    if action.kind == SET_POOLS:
        params: dict[str, Any] = {}
        for n in range(1, 4):
            pool = action.pools[n - 1] if n <= len(action.pools) else None
            params[f"pool{n}"] = pool.url if pool else ""
            params[f"worker{n}"] = pool.user if pool else ""
            params[f"passwd{n}"] = pool.password if pool else ""
        return "update_pools", params
    raise ValueError(f"Whatsminer has no privileged command for {action.kind}")


async def run(channel: Channel, action: ControlAction, credentials: MinerCredentials | None
              ) -> ControlResult:
    if credentials is None or not credentials.password:
        return ControlResult(FAILED, "Whatsminer write commands need the admin password "
                                     "(changed once with MicroBT's tool)")
    token_reply = await channel.command("get_token")
    msg = token_reply.get("Msg")
    if not isinstance(msg, dict) or not {"time", "salt", "newsalt"} <= msg.keys():
        return ControlResult(FAILED, f"get_token gave no token: {str(msg)[:80]}")
    token = make_token(credentials.password, msg)
    cmd, params = privileged_request(action)
    body = await channel.raw(encrypt_command(token, cmd, **params), f"enc:{cmd}")
    reply = transport.decode_reply(body)
    if isinstance(reply.get("enc"), str):
        reply = decrypt_payload(token, reply["enc"])
    error = reply_error(reply)
    if error is not None:
        return ControlResult(FAILED, f"{cmd}: {error}")
    return ControlResult(DONE, f"{cmd}: {reply.get('Msg', 'ok')}")
