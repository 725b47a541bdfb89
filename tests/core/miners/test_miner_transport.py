"""Transport and client against fake miners on 127.0.0.1 with the real wire framing."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time

import pytest
from miner_fakes import FakeMiner, by_command, load_reply

from hashinsight_desktop.core.miners import identify as ident
from hashinsight_desktop.core.miners import transport
from hashinsight_desktop.core.miners.client import PollTimeouts, poll_miner

S19 = "antminer-s19pro-stock49.0.1.3"
STOCK_TABLE = {
    "version": load_reply(f"{S19}_version.json"),
    "summary": load_reply(f"{S19}_summary.json"),
    "stats": load_reply(f"{S19}_stats.json"),
    "pools": load_reply(f"{S19}_pools.json"),
    "__no_multi__": True,  # stock S19 rejects "summary+stats+pools"
}


def run(coro):
    return asyncio.run(coro)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("mode", ["close", "keep_open", "no_nul", "slow"])
def test_reply_framings(mode: str) -> None:
    async def scenario():
        async with FakeMiner(by_command(STOCK_TABLE), mode=mode, slow_delay_s=0.001) as miner:
            started = time.perf_counter()
            reply = await transport.rpc_command("127.0.0.1", miner.port, "version")
            return reply, time.perf_counter() - started, miner.requests

    reply, elapsed, requests = run(scenario())
    assert reply["VERSION"][0]["Type"] == "Antminer S19 Pro"
    assert requests == [b'{"command": "version"}']
    assert elapsed < 2.0  # keep_open: stopped at the NUL, did not wait for EOF


def test_full_poll_of_stock_antminer_and_multi_command_memory() -> None:
    async def scenario():
        async with FakeMiner(by_command(STOCK_TABLE)) as miner:
            first = await poll_miner("127.0.0.1", miner.port)
            sent_first = [c["command"] for c in miner.commands]
            miner.requests.clear()
            second = await poll_miner("127.0.0.1", miner.port, family_hint=first.family)
            sent_second = [c["command"] for c in miner.commands]
            return first, second, sent_first, sent_second

    first, second, sent_first, sent_second = run(scenario())
    assert first.family == ident.ANTMINER_STOCK and first.status == "ok"
    assert first.hashrate_ths == pytest.approx(110.56689)
    assert sent_first == ["version", "summary+stats+pools", "summary", "stats", "pools"]
    # The family hint skips identification; the rejected multi-command is remembered.
    assert sent_second == ["summary", "stats", "pools"]
    assert second.model == "Antminer S19 Pro"  # from the stats version block
    assert second.as_probe_dict() | {"elapsed_ms": 0} == first.as_probe_dict() | {"elapsed_ms": 0}
    assert set(first.raw) == {"version", "summary", "stats", "pools"}


def test_multi_command_partly_answered_falls_back_for_the_missing_part() -> None:
    table = dict(STOCK_TABLE, __no_multi__=False)

    def partial(request):
        if request["command"] == "summary+stats+pools":
            return {"summary": [table["summary"]], "pools": [table["pools"]]}
        return by_command(table)(request)

    async def scenario():
        async with FakeMiner(partial) as miner:
            reading = await poll_miner("127.0.0.1", miner.port, family_hint="antminer_stock")
            return reading, [c["command"] for c in miner.commands]

    reading, sent = run(scenario())
    assert sent == ["summary+stats+pools", "stats"]
    assert len(reading.hashboards) == 3 and reading.status == "ok"


def test_refused_is_offline_with_reason() -> None:
    reading = run(poll_miner("127.0.0.1", free_port()))
    assert reading.status == "offline" and reading.error.startswith("refused")


def test_hanging_miner_costs_at_most_the_deadline() -> None:
    async def scenario():
        async with FakeMiner(by_command(STOCK_TABLE), mode="hang") as miner:
            started = time.perf_counter()
            reading = await poll_miner("127.0.0.1", miner.port,
                                       timeouts=PollTimeouts(connect_s=0.5, deadline_s=0.4))
            return reading, time.perf_counter() - started

    reading, elapsed = run(scenario())
    assert reading.status == "offline" and reading.error.startswith("timeout")
    assert elapsed < 0.4 + 0.5


def test_200_concurrent_polls_of_a_hanging_server() -> None:
    deadline = 1.0

    async def scenario():
        before = open_fds()
        async with FakeMiner(by_command(STOCK_TABLE), mode="hang") as miner:
            started = time.perf_counter()
            readings = await asyncio.gather(*(
                poll_miner("127.0.0.1", miner.port,
                           timeouts=PollTimeouts(connect_s=1.0, deadline_s=deadline))
                for _ in range(200)))
            elapsed = time.perf_counter() - started
        await asyncio.sleep(0.05)  # let closed transports release their sockets
        return readings, elapsed, before, open_fds()

    readings, elapsed, before, after = run(scenario())
    assert all(r.status == "offline" and "timeout" in r.error for r in readings)
    assert elapsed < deadline + 2.0
    assert after <= before + 5  # no leaked client sockets


def test_slow_but_steady_reply_within_deadline() -> None:
    async def scenario():
        async with FakeMiner(by_command(STOCK_TABLE), mode="slow", slow_delay_s=0.0005) as miner:
            return await poll_miner("127.0.0.1", miner.port, family_hint="antminer_stock",
                                    timeouts=PollTimeouts(deadline_s=10.0))

    reading = run(scenario())
    assert reading.status == "ok" and len(reading.hashboards) == 3


def test_plain_text_body_is_an_error_with_reason() -> None:
    async def scenario():
        async with FakeMiner(lambda _: b"Socket connect failed: Connection refused\n") as miner:
            return await poll_miner("127.0.0.1", miner.port)

    reading = run(scenario())
    assert reading.status == "error" and "not JSON" in reading.error


def test_non_utf8_and_quirky_json_body_still_reads() -> None:
    summary = json.dumps(STOCK_TABLE["summary"]).replace('"id": 1}', '"id": 1,}')
    body = summary.replace("cgminer 1.0.0", "cgminer \xff").encode("latin-1") + b"\x00"

    async def scenario():
        async with FakeMiner(lambda _: body) as miner:
            return await transport.rpc_command("127.0.0.1", miner.port, "summary")

    reply = run(scenario())
    assert reply["SUMMARY"][0]["GHS 5s"] == 110566.89


def test_oversized_reply_is_refused() -> None:
    async def scenario():
        async with FakeMiner(lambda _: b'{"a":"' + b"x" * 300_000) as miner:
            with pytest.raises(transport.ProtocolError, match="larger than"):
                await transport.rpc_command("127.0.0.1", miner.port, "stats", max_bytes=100_000)

    run(scenario())


def test_truncated_reply_is_error_not_data() -> None:
    cut = json.dumps(STOCK_TABLE["summary"])[:120].encode()

    async def scenario():
        async with FakeMiner(lambda _: cut, mode="no_nul") as miner:
            return await poll_miner("127.0.0.1", miner.port, family_hint="antminer_stock")

    reading = run(scenario())
    assert reading.status == "error" and "truncated" in reading.error
    assert reading.hashrate_ths is None


def test_whatsminer_v3_length_prefixed_framing() -> None:
    info = load_reply("whatsminer-m60s-vk40-apiv3_get-device-info.json")
    table = {
        "get.device.info|None": info,
        "get.miner.status|summary": load_reply("whatsminer-apiv3_get-miner-status-summary.json"),
        "get.miner.status|edevs": load_reply("whatsminer-apiv3_get-miner-status-edevs.json"),
        "get.miner.status|pools": load_reply("whatsminer-apiv3_get-miner-status-pools.json"),
    }

    async def scenario():
        async with FakeMiner(by_command(table), mode="v3") as miner:
            reading = await poll_miner("127.0.0.1", miner.port, family_hint="whatsminer_v3")
            return reading, miner.requests

    reading, requests = run(scenario())
    assert reading.family == "whatsminer_v3" and reading.status == "ok"
    assert reading.hashrate_ths == pytest.approx(171.259)
    assert requests[0] == b'{"cmd": "get.device.info"}'
    assert requests[1] == b'{"cmd": "get.miner.status", "param": "summary"}'


def test_miner_closing_without_answer_is_error() -> None:
    async def scenario():
        async with FakeMiner(lambda _: None) as miner:
            return await poll_miner("127.0.0.1", miner.port)

    reading = run(scenario())
    assert reading.status == "error" and "empty reply" in reading.error
