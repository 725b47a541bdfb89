"""A small recorder around the transport: every command a control action sends."""

from __future__ import annotations

import dataclasses
from typing import Any

from hashinsight_desktop.core.miners import transport
from hashinsight_desktop.core.miners.parsers.common import reply_error


def escape_param(value: str) -> str:
    """cgminer splits parameters on ',' and treats '\\' as escape: protect both."""
    return value.replace("\\", "\\\\").replace(",", "\\,")


@dataclasses.dataclass(slots=True)
class Channel:
    ip: str
    port: int
    connect_s: float
    sent: list[str] = dataclasses.field(default_factory=list)

    async def command(self, command: str, parameter: str | None = None,
                      *, log_as: str | None = None) -> dict[str, Any]:
        """Send one command; raise transport.CommandRejected on a failure status.

        ``log_as`` replaces the parameter in :attr:`sent` (to keep passwords out of logs).
        """
        shown = log_as if log_as is not None else parameter
        self.sent.append(command if shown is None else f"{command}|{shown}")
        reply = await transport.rpc_command(self.ip, self.port, command, parameter,
                                            connect_timeout=self.connect_s, check=False)
        error = reply_error(reply)
        if error is not None and not _is_restart_ack(reply):
            raise transport.CommandRejected(f"{command}: {error}", reply)
        return reply

    async def raw(self, payload: bytes, label: str) -> bytes:
        self.sent.append(label)
        return await transport.rpc_raw(self.ip, self.port, payload, connect_timeout=self.connect_s)


def _is_restart_ack(reply: dict[str, Any]) -> bool:
    """cgminer answers ``restart``/``quit`` with ``STATUS: "RESTART"`` / ``"BYE"``."""
    status = reply.get("STATUS")
    if isinstance(status, list) and status and isinstance(status[0], dict):
        status = status[0].get("STATUS")
    return isinstance(status, str) and status.upper() in ("RESTART", "BYE")
