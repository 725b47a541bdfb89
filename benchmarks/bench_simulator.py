"""Fleet simulator throughput: requests/s served to a plain asyncio client.

The simulator runs in one worker process (as ``hashinsight simulate`` would) and the
client polls every one of 6,000 miners with ``summary`` from this process, at most
``CONCURRENCY`` connections at a time, each with a deadline.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from typing import Any

from benchmarks.harness import case
from hashinsight_desktop.simulator import SimulatedFleet, build_fleet
from hashinsight_desktop.simulator.server import raise_fd_limit

MINERS = 6_000
CONCURRENCY = 1_000
BIND = "127.230.0.0/16"  # away from the 127.1-127.25 networks tests use
REQUEST = json.dumps({"command": "summary"}).encode()


async def _ask(host: str, port: int, gate: asyncio.Semaphore) -> bool:
    async with gate:
        try:
            async with asyncio.timeout(5):
                reader, writer = await asyncio.open_connection(host, port)
                try:
                    writer.write(REQUEST)
                    body = await reader.read()
                finally:
                    writer.close()
        except (OSError, TimeoutError):
            return False
        return body.endswith(b"\x00") and b'"SUMMARY"' in body


async def poll_all(addresses: list[tuple[str, int]]) -> int:
    gate = asyncio.Semaphore(CONCURRENCY)
    results = await asyncio.gather(*(_ask(h, p, gate) for h, p in addresses))
    return sum(results)


def _setup() -> dict[str, Any]:
    raise_fd_limit()
    specs = build_fleet(MINERS, seed=1, bind=BIND)
    fleet = SimulatedFleet(specs, seed=1, workers=1).start()
    return {"fleet": fleet, "addresses": [(s.ip, s.port) for s in specs]}


def _teardown(ctx: dict[str, Any]) -> None:
    ctx["fleet"].stop()


@case("simulator, summary requests/s to 6,000 miners (1 worker, 1,000 in flight)",
      unit="req/s", target=">= 4000", repeat=5, setup=_setup, teardown=_teardown)
def summary_6k(ctx: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    ok = asyncio.run(poll_all(ctx["addresses"]))
    elapsed = time.perf_counter() - t0
    if ok != MINERS:
        raise RuntimeError(f"only {ok} of {MINERS} miners answered")
    return ok / elapsed


COMMANDS = [json.dumps({"command": c}).encode() for c in ("summary", "stats", "pools")]


async def _ask_raw(loop: asyncio.AbstractEventLoop, host: str, port: int, request: bytes,
                   gate: asyncio.Semaphore) -> bool:
    """The leanest asyncio client: a non-blocking socket and loop.sock_* calls."""
    async with gate:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            async with asyncio.timeout(5):
                await loop.sock_connect(sock, (host, port))
                await loop.sock_sendall(sock, request)
                chunks = []
                while chunk := await loop.sock_recv(sock, 65536):
                    chunks.append(chunk)
        except (OSError, TimeoutError):
            return False
        finally:
            sock.close()
        return b"".join(chunks).endswith(b"\x00")


async def poll_three(addresses: list[tuple[str, int]]) -> int:
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(CONCURRENCY)
    results = await asyncio.gather(*(_ask_raw(loop, h, p, req, gate)
                                     for h, p in addresses for req in COMMANDS))
    return sum(results)


@case("simulator, 6,000 miners x 3 commands polled (1 worker, raw asyncio client)",
      unit="s", target="<= 5", repeat=5, setup=_setup, teardown=_teardown)
def three_commands_6k(ctx: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    ok = asyncio.run(poll_three(ctx["addresses"]))
    elapsed = time.perf_counter() - t0
    if ok != 3 * MINERS:
        raise RuntimeError(f"only {ok} of {3 * MINERS} requests answered")
    return elapsed
