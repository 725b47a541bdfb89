"""Fake miners for the protocol tests: small asyncio TCP servers on 127.0.0.1.

Imported by the test modules as ``miner_fakes`` (this folder is on sys.path)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "miner_responses"


def load_reply(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / name).read_text(encoding="utf-8"))


def wire(reply: dict[str, Any] | bytes | str) -> bytes:
    """A reply as cgminer sends it: compact JSON followed by one NUL byte."""
    if isinstance(reply, bytes):
        return reply
    body = reply if isinstance(reply, str) else json.dumps(reply, separators=(",", ":"))
    return body.encode() + b"\x00"


Responder = Callable[[dict[str, Any]], dict[str, Any] | bytes | str | None]


@dataclasses.dataclass
class FakeMiner:
    """A cgminer-style server: one JSON request per connection, one reply.

    ``mode``: "close" (reply, NUL, close), "keep_open" (reply, NUL, keep the socket),
    "no_nul" (reply then EOF), "hang" (accept, never answer), "slow" (dribble bytes),
    "v3" (4-byte little-endian length framing both ways).
    """

    responder: Responder
    mode: str = "close"
    slow_delay_s: float = 0.05
    requests: list[bytes] = dataclasses.field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None
    _writers: list[asyncio.StreamWriter] = dataclasses.field(default_factory=list)
    _tasks: set[asyncio.Task[Any]] = dataclasses.field(default_factory=set)

    async def start(self) -> FakeMiner:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        for writer in self._writers:
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def __aenter__(self) -> FakeMiner:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def commands(self) -> list[dict[str, Any]]:
        return [json.loads(r) for r in self.requests if r[:1] == b"{"]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            if self.mode == "v3":
                (length,) = struct.unpack("<I", await reader.readexactly(4))
                raw = await reader.readexactly(length)
            else:
                raw = await reader.read(65536)
            self.requests.append(raw)
            if self.mode == "hang":
                await asyncio.sleep(3600)
                return
            try:
                request = json.loads(raw)
            except ValueError:
                request = {"raw": raw}
            reply = self.responder(request)
            if reply is None:
                return  # close without answering
            data = wire(reply)
            if self.mode == "v3":
                body = data.rstrip(b"\x00")
                writer.write(struct.pack("<I", len(body)) + body)
            elif self.mode == "no_nul":
                writer.write(data.rstrip(b"\x00"))
            elif self.mode == "slow":
                for i in range(0, len(data), 7):
                    writer.write(data[i : i + 7])
                    await writer.drain()
                    await asyncio.sleep(self.slow_delay_s)
            else:
                writer.write(data)
            await writer.drain()
            if self.mode == "keep_open":
                await asyncio.sleep(3600)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            writer.close()
            return
        finally:
            if task is not None:
                self._tasks.discard(task)
            if self.mode not in ("keep_open", "hang"):
                writer.close()


def by_command(table: dict[str, Any]) -> Responder:
    """Answer each command name from ``table``; unknown commands get cgminer's error."""

    def respond(request: dict[str, Any]) -> Any:
        command = request.get("command") or request.get("cmd")
        key = command if command in table else f"{command}|{request.get('param')}"
        if key in table:
            value = table[key]
            return value(request) if callable(value) else value
        if isinstance(command, str) and "+" in command and not table.get("__no_multi__"):
            parts = command.split("+")
            if all(p in table for p in parts):
                return {p: [table[p]] for p in parts}
        return {"STATUS": [{"STATUS": "E", "Code": 14, "Msg": "Invalid command"}], "id": 1}

    return respond
