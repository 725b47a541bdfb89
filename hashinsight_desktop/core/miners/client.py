"""Polling one miner: identify (unless told), send the family's commands, normalize.

:func:`poll_miner` never raises: an unreachable miner becomes ``status="offline"`` with
the reason (``refused``, ``timeout``, ``unreachable``), garbage becomes ``"error"`` with
the reason, and a whole poll never outlives ``PollTimeouts.deadline_s``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable
from typing import Any

from hashinsight_desktop.core.catalog import lookup_model
from hashinsight_desktop.core.miners import identify as ident
from hashinsight_desktop.core.miners.parsers import PARSERS, ParseNotes
from hashinsight_desktop.core.miners.parsers import whatsminer_v3 as wm3
from hashinsight_desktop.core.miners.parsers.common import reply_error
from hashinsight_desktop.core.miners.reading import (
    STATUS_ERROR,
    STATUS_OFFLINE,
    MinerReading,
)
from hashinsight_desktop.core.miners.status import finalize
from hashinsight_desktop.core.miners.transport import (
    CommandRejected,
    MinerUnreachable,
    ProtocolError,
    TransportError,
    multi_command,
    rpc_command,
    v3_command,
)

WHATSMINER_V3_PORT = 4433


@dataclasses.dataclass(frozen=True, slots=True)
class PollTimeouts:
    connect_s: float = 1.0  # per TCP connection
    deadline_s: float = 3.0  # for the whole poll of one miner, identification included


# The commands each family's poll sends, tried first as one "a+b+c" multi-command.
POLL_COMMANDS: dict[str, tuple[str, ...]] = {
    ident.ANTMINER_STOCK: ("summary", "stats", "pools"),
    ident.LUXOS: ("summary", "stats", "pools", "power", "config"),
    ident.BRAIINS: ("summary", "devs", "temps", "fans", "pools", "tunerstatus"),
    ident.WHATSMINER_V2: ("summary", "devs", "pools", "devdetails"),
    ident.AVALON: ("version", "summary", "estats", "pools"),
    ident.AURADINE: ("summary", "devs", "pools", "fan", "psu", "temperature", "mode"),
    ident.SEALMINER: ("summary", "stats", "pools"),
    ident.CGMINER: ("summary", "stats", "pools"),
}
# Sent one by one after the multi-command: firmwares refuse them inside one
# (Whatsminer: ``status`` and ``get_*``), or they only exist on some builds.
SINGLE_COMMANDS: dict[str, tuple[str, ...]] = {
    ident.WHATSMINER_V2: ("status",),
    ident.AURADINE: ("ipreport",),
}
# Whatsminer API v3 reads: (cmd, param, name the reply is stored under).
V3_COMMANDS: tuple[tuple[str, str | None, str], ...] = (
    ("get.device.info", None, wm3.DEVICE_INFO),
    ("get.miner.status", "summary", wm3.SUMMARY),
    ("get.miner.status", "edevs", wm3.EDEVS),
    ("get.miner.status", "pools", wm3.POOLS),
)

# Families whose firmware rejected the multi-command once: they get single commands.
# Process-wide on purpose: one S19 stock answering "invalid command" speaks for all.
_MULTI_REJECTED: set[str] = set()


def reset_multi_command_memory() -> None:
    """Forget which families rejected multi-commands (tests, firmware upgrades)."""
    _MULTI_REJECTED.clear()


async def poll_miner(
    ip: str,
    port: int = 4028,
    *,
    timeouts: PollTimeouts = PollTimeouts(),  # frozen: sharing the default is safe
    family_hint: str | None = None,
    catalog_lookup: Callable[[str | None], Any] | None = lookup_model,
) -> MinerReading:
    """Poll one miner and return a normalized :class:`MinerReading`; never raises."""
    started = time.perf_counter()
    reading = MinerReading(ip=ip, port=port)
    replies: dict[str, Any] = {}
    state = _PollState()
    try:
        async with asyncio.timeout(timeouts.deadline_s):
            await _poll(ip, port, timeouts, family_hint, replies, state)
        _normalize(reading, replies, state, catalog_lookup)
    except TimeoutError:
        if replies and state.family:
            _normalize(reading, replies, state, catalog_lookup)
            reading.error = (f"{reading.error}; " if reading.error else "") + (
                f"deadline of {timeouts.deadline_s:g} s reached: partial reading")
        else:
            reading.status = STATUS_OFFLINE
            reading.error = f"timeout: no answer within {timeouts.deadline_s:g} s"
    except MinerUnreachable as exc:
        reading.status, reading.error = STATUS_OFFLINE, str(exc)
    except TransportError as exc:
        reading.status, reading.error = STATUS_ERROR, str(exc)
    except Exception as exc:  # a parser bug must not take down a fleet poll
        reading.status = STATUS_ERROR
        reading.error = f"internal error: {type(exc).__name__}: {exc}"[:300]
    reading.raw = dict(replies)
    reading.elapsed_ms = round((time.perf_counter() - started) * 1000.0, 1)
    return reading


@dataclasses.dataclass(slots=True)
class _PollState:
    family: str | None = None
    forced_family: bool = False
    port: int = 4028


async def _poll(
    ip: str,
    port: int,
    timeouts: PollTimeouts,
    family_hint: str | None,
    replies: dict[str, Any],
    state: _PollState,
) -> None:
    connect = timeouts.connect_s
    state.port = port
    if family_hint in PARSERS:
        state.family, state.forced_family = family_hint, True
    if state.family == ident.WHATSMINER_V3 or (state.family is None and port == WHATSMINER_V3_PORT):
        state.family = ident.WHATSMINER_V3
        v3_port = WHATSMINER_V3_PORT if port == 4028 else port
        await _poll_v3(ip, v3_port, connect, replies)
        return
    if state.family is None:
        try:
            state.family = await _identify(ip, port, connect, replies)
        except MinerUnreachable as exc:
            if exc.reason != "refused" or port != 4028:
                raise
            # 4028 closed: a Whatsminer with API v3 only listens on 4433.
            try:
                await _poll_v3(ip, WHATSMINER_V3_PORT, connect, replies)
            except TransportError:
                replies.clear()
                raise exc from None
            state.family = ident.WHATSMINER_V3
            return
    family = state.family
    commands = POLL_COMMANDS[family]
    results, multi_ok = await multi_command(
        ip, port, commands, connect_timeout=connect, try_multi=family not in _MULTI_REJECTED
    )
    if not multi_ok and len(commands) > 1:
        _MULTI_REJECTED.add(family)
    replies.update(results)
    if family == ident.AVALON and "estats" not in replies:
        await _optional(ip, port, "stats", connect, replies)
    for command in SINGLE_COMMANDS.get(family, ()):
        await _optional(ip, port, command, connect, replies)


async def detect_family(
    ip: str,
    port: int = 4028,
    *,
    timeouts: PollTimeouts = PollTimeouts(),  # frozen: sharing the default is safe
) -> str:
    """The firmware family id of the miner at ``ip`` (see ``identify.FAMILIES``).

    Raises :class:`TransportError` (``MinerUnreachable`` when there is no connection).
    """
    replies: dict[str, Any] = {}
    async with asyncio.timeout(timeouts.deadline_s):
        if port == WHATSMINER_V3_PORT:
            await _poll_v3(ip, port, timeouts.connect_s, replies)
            return ident.WHATSMINER_V3
        return await _identify(ip, port, timeouts.connect_s, replies)


async def _optional(ip: str, port: int, command: str, connect: float, replies: dict[str, Any]
                    ) -> None:
    # Optional: without it the reading is simply less complete.
    with contextlib.suppress(CommandRejected, ProtocolError):
        replies[command] = await rpc_command(ip, port, command, connect_timeout=connect)


async def _identify(ip: str, port: int, connect: float, replies: dict[str, Any]) -> str:
    """Send ``version`` (then ``get_version`` / ``devdetails`` when needed); the family."""
    try:
        replies["version"] = await rpc_command(ip, port, "version", connect_timeout=connect)
    except CommandRejected:
        replies["get_version"] = await rpc_command(ip, port, "get_version",
                                                   connect_timeout=connect)
    if "version" in replies and ident.needs_devdetails(replies["version"]):
        await _optional(ip, port, "devdetails", connect, replies)
    return ident.identify(replies).family


async def _poll_v3(ip: str, port: int, connect: float, replies: dict[str, Any]) -> None:
    for cmd, param, name in V3_COMMANDS:
        try:
            replies[name] = await v3_command(ip, port, cmd, param, connect_timeout=connect)
        except CommandRejected:
            if name == wm3.DEVICE_INFO:
                raise


def reading_from_replies(
    ip: str,
    port: int,
    replies: dict[str, Any],
    *,
    family: str | None = None,
    catalog_lookup: Callable[[str | None], Any] | None = lookup_model,
) -> MinerReading:
    """Build a reading from already-parsed replies ({command: reply}); never raises.

    What :func:`poll_miner` does after the network part: for tests, replays and the
    simulator's self-check.  Whatsminer v3 replies go under ``get.device.info``,
    ``summary``, ``edevs`` and ``pools``.
    """
    reading = MinerReading(ip=ip, port=port)
    state = _PollState(family=family, forced_family=family is not None, port=port)
    try:
        _normalize(reading, dict(replies), state, catalog_lookup)
    except Exception as exc:
        reading.status = STATUS_ERROR
        reading.error = f"internal error: {type(exc).__name__}: {exc}"[:300]
    reading.raw = dict(replies)
    return reading


def _normalize(
    reading: MinerReading,
    replies: dict[str, Any],
    state: _PollState,
    catalog_lookup: Callable[[str | None], Any] | None,
) -> None:
    identity = ident.identify(replies)
    errors = [f"{name}: {error}" for name, reply in replies.items()
              if (error := reply_error(reply)) is not None]
    if state.family is not None and (state.forced_family or identity.family != state.family):
        identity.family = state.family
        identity.make = ident.MAKES.get(state.family) or identity.make
    notes = ParseNotes()
    PARSERS[identity.family](replies, reading, notes)
    finalize(reading, identity, notes, catalog_lookup)
    if errors and reading.status == STATUS_ERROR and reading.error:
        reading.error = f"{reading.error} ({'; '.join(errors)[:200]})"
