"""Staged scans over 127.x addresses only."""

from __future__ import annotations

import asyncio
import resource

import pytest
from miner_fakes import FakeMiner, by_command, load_reply

from hashinsight_desktop.core.miners import scanner
from hashinsight_desktop.core.miners.scanner import scan_addresses, scan_network

S19 = "antminer-s19pro-stock49.0.1.3"
TABLE = {name: load_reply(f"{S19}_{name}.json") for name in ("version", "summary", "stats",
                                                               "pools")}


def test_networks_larger_than_a_slash_16_are_refused() -> None:
    with pytest.raises(ValueError, match="limited to a /16"):
        scan_addresses("10.0.0.0/15")
    with pytest.raises(ValueError, match="not an IP network"):
        scan_addresses("10.0.0.300/24")
    assert len(scan_addresses("10.0.0.0/16")) == 65534
    assert scan_addresses("127.0.0.5") == ["127.0.0.5"]


def test_scan_finds_and_identifies_the_miner() -> None:
    progress: list[tuple[str, int, int]] = []

    async def scenario():
        async with FakeMiner(by_command(TABLE)) as miner:
            # The fake listens on 127.0.0.1 only: the rest of 127.0.0.0/29 refuses.
            return await scan_network("127.0.0.0/29", port=miner.port, probe_timeout_s=0.3,
                                      progress=lambda *a: progress.append(a)), miner.port

    hits, port = asyncio.run(scenario())
    assert [(h.ip, h.port, h.family, h.model) for h in hits] == [
        ("127.0.0.1", port, "antminer_stock", "Antminer S19 Pro")]
    assert hits[0].hashrate_ths == pytest.approx(110.56689)
    assert progress[-1] == ("identify", 1, 1)
    assert ("probe", 6, 6) in progress


def test_probe_concurrency_is_bounded(monkeypatch) -> None:
    """Never more than ``concurrency`` probe sockets at once, even for a /20."""
    in_flight = peak = 0

    async def fake_probe(ip: str, port: int, timeout_s: float) -> bool:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0)
        in_flight -= 1
        return False

    monkeypatch.setattr(scanner, "probe_port", fake_probe)
    hits = asyncio.run(scan_network("127.1.0.0/20", port=9, concurrency=64))
    assert hits == [] and 1 <= peak <= 64


def test_real_sockets_stay_under_the_fd_limit() -> None:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    concurrency = min(256, soft // 4)

    async def scenario():
        return await scan_network("127.2.0.0/22", port=9, probe_timeout_s=0.2,
                                  concurrency=concurrency)

    assert asyncio.run(scenario()) == []  # 1022 refused probes, no EMFILE
