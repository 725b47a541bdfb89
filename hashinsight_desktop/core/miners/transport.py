"""Talking to a miner's socket: CGMiner-family RPC (TCP 4028) and Whatsminer API v3 (4433).

One command per TCP connection.  Every connection has a connect timeout and is closed in
``finally``; the caller wraps a whole poll in an overall deadline (``asyncio.timeout``),
so a slow or hanging miner costs at most that deadline.  Replies are read until the
first NUL byte or EOF (some firmwares keep the socket open after answering) and are
bounded in size.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import json
import socket
import struct
from collections.abc import Mapping, Sequence
from typing import Any

from hashinsight_desktop.core.miners.json_repair import JsonRepairError, parse_reply
from hashinsight_desktop.core.miners.parsers.common import reply_error

MAX_REPLY_BYTES = 4 * 1024 * 1024  # the largest real reply (LuxOS healthchipget) is ~30 KB
_CHUNK = 65536

__all__ = [
    "MAX_REPLY_BYTES",
    "CommandRejected",
    "MinerUnreachable",
    "ProtocolError",
    "TransportError",
    "multi_command",
    "rpc_command",
    "rpc_raw",
    "v3_command",
]


class TransportError(Exception):
    """Base class; ``reason`` is a short machine-friendly word, ``str()`` a sentence."""

    reason = "error"


class MinerUnreachable(TransportError):
    """No TCP connection: ``reason`` is ``refused``, ``timeout`` or ``unreachable``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}{': ' + detail if detail else ''}")
        self.reason = reason


class ProtocolError(TransportError):
    """Connected, but the reply is unusable (garbage, plain text, too large, truncated)."""

    reason = "protocol"


class CommandRejected(TransportError):
    """The miner answered with a failure status (``Invalid command``, ``Access denied``)."""

    reason = "rejected"

    def __init__(self, message: str, reply: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.reply = reply


def _address(host: str, port: int) -> tuple[int, tuple[Any, ...]] | None:
    """(family, sockaddr) for a numeric IPv4/IPv6 host, None when it needs resolving."""
    try:
        socket.inet_pton(socket.AF_INET, host)
        return socket.AF_INET, (host, port)
    except OSError:
        pass
    try:
        socket.inet_pton(socket.AF_INET6, host)
        return socket.AF_INET6, (host, port, 0, 0)
    except OSError:
        return None


async def _resolve(host: str, port: int) -> tuple[int, tuple[Any, ...]]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise MinerUnreachable("unreachable", exc.strerror or str(exc)) from None
    if not infos:
        raise MinerUnreachable("unreachable", f"{host!r} does not resolve")
    family, _type, _proto, _name, sockaddr = infos[0]
    return family, sockaddr


async def _connect(host: str, port: int, connect_timeout: float) -> socket.socket:
    """A connected non-blocking socket (the caller closes it).

    Plain ``loop.sock_*`` calls on a raw socket instead of asyncio streams: a miner
    conversation is one request and one reply, and skipping the Transport, Protocol,
    StreamReader/Writer and ``wait_for`` task per connection cuts the client's CPU per
    request by more than half (what decides how many miners one core can poll).
    """
    target = _address(host, port) or await _resolve(host, port)
    sock = socket.socket(target[0], socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        async with asyncio.timeout(connect_timeout):
            await asyncio.get_running_loop().sock_connect(sock, target[1])
    except TimeoutError:
        sock.close()
        raise MinerUnreachable("timeout", f"no TCP connection within {connect_timeout:g} s") from None
    except OSError as exc:
        sock.close()
        if isinstance(exc, ConnectionRefusedError) or exc.errno == errno.ECONNREFUSED:
            raise MinerUnreachable("refused", f"port {port} refused the connection") from None
        raise MinerUnreachable("unreachable", exc.strerror or str(exc)) from None
    except BaseException:  # cancelled by the poll deadline: never leak the socket
        sock.close()
        raise
    return sock


def _dropped(exc: OSError) -> ProtocolError:
    return ProtocolError(f"connection dropped: {exc.__class__.__name__}")


async def _read_until_nul(sock: socket.socket, max_bytes: int) -> bytes:
    loop = asyncio.get_running_loop()
    buffer = bytearray()
    while True:
        chunk = await loop.sock_recv(sock, _CHUNK)
        if not chunk:
            return bytes(buffer)
        nul = chunk.find(b"\x00")
        if nul >= 0:
            buffer += chunk[:nul]
            return bytes(buffer)
        buffer += chunk
        if len(buffer) > max_bytes:
            raise ProtocolError(f"reply larger than {max_bytes} bytes")


async def _read_exactly(sock: socket.socket, size: int) -> bytes:
    loop = asyncio.get_running_loop()
    buffer = bytearray()
    while len(buffer) < size:
        chunk = await loop.sock_recv(sock, min(_CHUNK, size - len(buffer)))
        if not chunk:
            raise ProtocolError(f"v3 frame truncated after {len(buffer)} bytes")
        buffer += chunk
    return bytes(buffer)


async def rpc_raw(
    host: str,
    port: int,
    payload: bytes,
    *,
    connect_timeout: float = 1.0,
    max_bytes: int = MAX_REPLY_BYTES,
) -> bytes:
    """Send ``payload`` on a fresh connection; return the reply bytes (NUL excluded)."""
    sock = await _connect(host, port, connect_timeout)
    try:
        await asyncio.get_running_loop().sock_sendall(sock, payload)
        return await _read_until_nul(sock, max_bytes)
    except OSError as exc:  # reset, broken pipe, or the network went away mid-reply
        raise _dropped(exc) from None
    finally:
        sock.close()  # like the firmware does after its reply: one command per connection


def encode_command(command: str, parameter: str | None = None, **extra: Any) -> bytes:
    if not extra:  # the poll's handful of read commands: encode each once
        return _encode_plain(command, parameter)
    request: dict[str, Any] = {"command": command}
    if parameter is not None:
        request["parameter"] = parameter
    request.update(extra)
    return json.dumps(request).encode()


@functools.lru_cache(maxsize=256)
def _encode_plain(command: str, parameter: str | None) -> bytes:
    request: dict[str, Any] = {"command": command}
    if parameter is not None:
        request["parameter"] = parameter
    return json.dumps(request).encode()


def decode_reply(body: bytes) -> dict[str, Any]:
    """Bytes -> dict, repairing known firmware JSON quirks; ProtocolError when hopeless."""
    if not body.strip(b" \t\r\n\x00"):
        raise ProtocolError("empty reply")
    try:
        return parse_reply(body)
    except JsonRepairError as exc:
        preview = body[:60].decode("utf-8", errors="replace").strip()
        if body[:1] not in (b"{", b"[", b","):
            raise ProtocolError(f"not JSON: {preview!r}") from None
        raise ProtocolError(f"malformed JSON ({exc})") from None


async def rpc_command(
    host: str,
    port: int,
    command: str,
    parameter: str | None = None,
    *,
    connect_timeout: float = 1.0,
    max_bytes: int = MAX_REPLY_BYTES,
    check: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """One cgminer-style JSON command; with ``check`` a failure status raises CommandRejected."""
    body = await rpc_raw(
        host, port, encode_command(command, parameter, **extra),
        connect_timeout=connect_timeout, max_bytes=max_bytes,
    )
    reply = decode_reply(body)
    if check:
        error = reply_error(reply)
        if error is not None:
            raise CommandRejected(f"{command}: {error}", reply)
    return reply


async def multi_command(
    host: str,
    port: int,
    commands: Sequence[str],
    *,
    connect_timeout: float = 1.0,
    try_multi: bool = True,
) -> tuple[dict[str, dict[str, Any]], bool]:
    """Run ``commands``; return ({command: reply}, whether the joined form worked).

    ``summary+pools+stats`` is tried first (one connection).  The reply wraps each part
    in a one-element list; parts that are missing or failed are fetched one by one.  A
    rejected or unreadable multi-command falls back to single commands entirely.
    Commands that fail individually are left out of the result (never raised), except
    when every command failed: then the last error is raised.
    """
    results: dict[str, dict[str, Any]] = {}
    multi_ok = False
    if try_multi and len(commands) > 1:
        try:
            reply = await rpc_command(host, port, "+".join(commands),
                                      connect_timeout=connect_timeout, check=False)
        except (ProtocolError, CommandRejected):
            reply = {}
        for command in commands:
            part = reply.get(command)
            if isinstance(part, list) and part and isinstance(part[0], dict):
                part = part[0]
            if isinstance(part, dict) and reply_error(part) is None:
                results[command] = part
        multi_ok = bool(results)
    last_error: TransportError | None = None
    for command in commands:
        if command in results:
            continue
        try:
            results[command] = await rpc_command(host, port, command,
                                                 connect_timeout=connect_timeout)
        except (CommandRejected, ProtocolError) as exc:
            last_error = exc
    if not results and last_error is not None:
        raise last_error
    return results, multi_ok


async def v3_command(
    host: str,
    port: int,
    cmd: str,
    param: Any = None,
    *,
    connect_timeout: float = 1.0,
    max_bytes: int = MAX_REPLY_BYTES,
) -> dict[str, Any]:
    """Whatsminer API v3: ``<u32 little-endian length><JSON>`` both ways (reads only)."""
    request: dict[str, Any] = {"cmd": cmd}
    if param is not None:
        request["param"] = param
    body = json.dumps(request).encode()
    sock = await _connect(host, port, connect_timeout)
    try:
        await asyncio.get_running_loop().sock_sendall(sock, struct.pack("<I", len(body)) + body)
        (length,) = struct.unpack("<I", await _read_exactly(sock, 4))
        if length > max_bytes:
            raise ProtocolError(f"v3 frame of {length} bytes exceeds {max_bytes}")
        payload = await _read_exactly(sock, length)
    except OSError as exc:
        raise _dropped(exc) from None
    finally:
        sock.close()
    reply = decode_reply(payload)
    error = reply_error(reply)
    if error is not None:
        raise CommandRejected(f"{cmd}: {error}", reply)
    return reply
