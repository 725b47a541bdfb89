"""Discovering miners in an address range: a staged scan.

Stage 1 is a bare TCP connect to ``port`` on every address with a short timeout and at
most ``concurrency`` sockets open at once (a semaphore around each attempt, so a /16
cannot exhaust file descriptors).  Stage 2 identifies only the hosts that accepted,
with a per-host deadline: ``version`` (+ ``devdetails``) and the family's summary.
Only addresses inside the network the caller gave are ever contacted.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import ipaddress
import time
from collections.abc import Callable

from hashinsight_desktop.core.miners.client import PollTimeouts, poll_miner
from hashinsight_desktop.core.miners.reading import STATUS_OFFLINE

MAX_SCAN_ADDRESSES = 65536  # a /16
IDENTIFY_CONCURRENCY = 256  # stage 2 sends several commands per host: keep it gentler

# progress(stage, done, total); stage is "probe" or "identify".
Progress = Callable[[str, int, int], None]


@dataclasses.dataclass(slots=True)
class ScanHit:
    ip: str
    port: int
    make: str | None = None
    model: str | None = None
    firmware: str | None = None
    family: str | None = None
    mac: str | None = None
    hostname: str | None = None
    hashrate_ths: float | None = None
    elapsed_ms: float | None = None


def scan_addresses(cidr: str) -> list[str]:
    """Host addresses of ``cidr`` (a single address is fine); ValueError when too large."""
    try:
        network = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError as exc:
        raise ValueError(f"not an IP network: {cidr!r} ({exc})") from None
    if network.num_addresses > MAX_SCAN_ADDRESSES:
        raise ValueError(
            f"{network} has {network.num_addresses} addresses; scans are limited to a /16 "
            f"({MAX_SCAN_ADDRESSES}): split the range"
        )
    hosts = list(network.hosts()) if network.num_addresses > 2 else list(network)
    return [str(host) for host in hosts]


async def probe_port(ip: str, port: int, timeout_s: float) -> bool:
    """True when a TCP connection to ip:port opens within ``timeout_s``."""
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(ip, port), timeout_s)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError, TimeoutError):
        await asyncio.wait_for(writer.wait_closed(), timeout_s)
    return True


async def scan_network(
    cidr: str,
    *,
    port: int = 4028,
    probe_timeout_s: float = 0.5,
    concurrency: int = 1024,
    identify_deadline_s: float = 3.0,
    progress: Progress | None = None,
) -> list[ScanHit]:
    """Find and identify the miners answering on ``port`` in ``cidr`` (at most a /16)."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    addresses = scan_addresses(cidr)
    open_hosts = await _probe_all(addresses, port, probe_timeout_s, concurrency, progress)
    timeouts = PollTimeouts(connect_s=max(probe_timeout_s, 0.5), deadline_s=identify_deadline_s)
    gate = asyncio.Semaphore(min(concurrency, IDENTIFY_CONCURRENCY))
    done = 0

    async def identify_one(ip: str) -> ScanHit | None:
        nonlocal done
        async with gate:
            started = time.perf_counter()
            reading = await poll_miner(ip, port, timeouts=timeouts)
        done += 1
        if progress is not None:
            progress("identify", done, len(open_hosts))
        if reading.status == STATUS_OFFLINE and reading.family is None:
            return None  # closed again between the stages
        return ScanHit(
            ip=ip, port=port, make=reading.make, model=reading.model,
            firmware=reading.firmware, family=reading.family, mac=reading.mac,
            hostname=reading.hostname, hashrate_ths=reading.hashrate_ths,
            elapsed_ms=round((time.perf_counter() - started) * 1000.0, 1),
        )

    hits = await asyncio.gather(*(identify_one(ip) for ip in open_hosts))
    return [hit for hit in hits if hit is not None]


async def _probe_all(addresses: list[str], port: int, timeout_s: float, concurrency: int,
                     progress: Progress | None) -> list[str]:
    gate = asyncio.Semaphore(concurrency)
    done = 0
    report_every = max(1, len(addresses) // 100)

    async def probe(ip: str) -> bool:
        nonlocal done
        async with gate:
            is_open = await probe_port(ip, port, timeout_s)
        done += 1
        if progress is not None and (done % report_every == 0 or done == len(addresses)):
            progress("probe", done, len(addresses))
        return is_open

    # Tasks are created in batches so a /16 does not hold 65,536 pending coroutines
    # each with its own frame at once; the semaphore bounds the open sockets.
    found: list[str] = []
    batch = max(concurrency * 4, 256)
    for start in range(0, len(addresses), batch):
        chunk = addresses[start : start + batch]
        results = await asyncio.gather(*(probe(ip) for ip in chunk))
        found += [ip for ip, is_open in zip(chunk, results, strict=True) if is_open]
    return found
