"""``hashinsight probe`` against a fake miner."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from miner_fakes import FakeMiner, by_command, load_reply

from hashinsight_desktop.cli.main import main
from hashinsight_desktop.core.miners.reading import PROBE_KEYS

S19 = "antminer-s19pro-stock49.0.1.3"
TABLE = {name: load_reply(f"{S19}_{name}.json") for name in ("version", "summary", "stats",
                                                               "pools")}


@pytest.fixture
def fake_miner_port():
    """A fake S19 Pro on its own event loop thread (the CLI runs asyncio.run itself)."""
    loop = asyncio.new_event_loop()
    miner = FakeMiner(by_command(TABLE))
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(miner.start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(5)
    yield miner.port
    asyncio.run_coroutine_threadsafe(miner.stop(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def test_probe_json_has_exactly_the_21_keys(fake_miner_port, capsys) -> None:
    assert main(["probe", f"127.0.0.1:{fake_miner_port}", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == list(PROBE_KEYS)
    assert payload["status"] == "ok" and payload["model"] == "Antminer S19 Pro"
    assert len(payload["hashboards"]) == 3


def test_probe_human_summary(fake_miner_port, capsys) -> None:
    assert main(["probe", f"127.0.0.1:{fake_miner_port}"]) == 0
    out = capsys.readouterr().out
    assert "Antminer S19 Pro" in out and "110.57 TH/s" in out and "(estimated)" in out


def test_probe_offline_exits_1_with_one_line(capsys) -> None:
    assert main(["probe", "127.0.0.1:1", "--timeout", "1"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "offline" in err[0] and "refused" in err[0]


@pytest.mark.parametrize("target", ["127.0.0.1:99999", "127.0.0.1:abc", ":4028", "bad host!"])
def test_probe_bad_target_names_the_problem(target, capsys) -> None:
    assert main(["probe", target]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("hashinsight: error:")
    assert "port" in err[0] or "HOST" in err[0]
