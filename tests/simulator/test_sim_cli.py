"""``hashinsight simulate``: ready line, serving, SIGINT exits 0, clear errors."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from hashinsight_desktop.cli.main import main

REPO = Path(__file__).resolve().parents[2]


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "hashinsight_desktop", "simulate", *args],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _free_base_port(count: int) -> int:
    """A run of ``count`` free ports below the ephemeral range (other tests run too)."""
    for base in range(23000, 32000, 37):
        socks = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                socks.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError("no free port range")


def _stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    try:
        _out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, err


def test_ready_line_then_serves_until_sigint(rpc_json) -> None:
    proc = _start("--miners", "40", "--bind", "127.219.0.0/24", "--seed", "5",
                  "--offline", "10")
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line == "ready 40\n"
        from hashinsight_desktop.simulator import build_fleet

        specs = build_fleet(40, seed=5, bind="127.219.0.0/24")
        answered = 0
        for spec in specs:
            try:
                rpc_json(spec, "version")
                answered += 1
            except ConnectionRefusedError:
                pass
        assert answered == 36  # 10 % offline
    finally:
        code, err = _stop(proc)
    assert code == 0, err


def test_json_ready_object_lists_addresses() -> None:
    base = _free_base_port(5)
    proc = _start("--miners", "5", "--base-port", str(base), "--json")
    try:
        lines = []
        while True:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line, "simulate exited before printing its ready object"
            lines.append(line)
            if line.startswith("}"):
                break
        payload = json.loads("".join(lines))
        assert payload["ready"] == 5
        assert payload["addresses"][0] == f"127.0.0.1:{base}"
    finally:
        code, err = _stop(proc)
    assert code == 0, err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--miners", "0"], "--miners"),
        (["--miners", "5", "--offline", "150"], "--offline"),
        (["--miners", "5", "--profile", "nope"], "profile"),
        (["--miners", "5", "--bind", "10.0.0.0/8"], "127.0.0.0/8"),
        (["--miners", "5", "--hanging", "60", "--slow", "60"], "100 %"),
    ],
)
def test_bad_input_is_one_clear_line(argv: list[str], fragment: str, capsys) -> None:
    assert main(["simulate", *argv]) != 0
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_populate_without_database_layer_says_so(capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "hashinsight_desktop.services.fleet_populate", None)
    base = str(_free_base_port(3))
    assert main(["simulate", "--miners", "3", "--base-port", base, "--populate"]) != 0
    assert "--populate needs the database layer" in capsys.readouterr().err
