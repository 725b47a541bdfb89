"""Fixtures for the simulator tests: a tiny blocking RPC client and shared fleets.

Each module binds its own 127.21x network so parallel test runs (and other helpers'
simulators on 127.1-127.25) never collide.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hashinsight_desktop.simulator import SimMinerSpec, SimulatedFleet, build_fleet

Rpc = Callable[..., bytes]


def _raw_request(spec: SimMinerSpec, payload: bytes, timeout: float = 5.0) -> bytes:
    """Send ``payload`` to the miner and read until the miner closes the socket."""
    with socket.create_connection((spec.ip, spec.port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(payload)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def _rpc(spec: SimMinerSpec, command: str, parameter: str | None = None,
        timeout: float = 5.0, **extra: Any) -> bytes:
    request: dict[str, Any] = {"command": command, **extra}
    if parameter is not None:
        request["parameter"] = parameter
    return _raw_request(spec, json.dumps(request).encode(), timeout)


def _rpc_json(spec: SimMinerSpec, command: str, parameter: str | None = None,
             **extra: Any) -> dict[str, Any]:
    body = _rpc(spec, command, parameter, **extra)
    assert body.endswith(b"\x00"), body[-40:]
    return json.loads(body.rstrip(b"\x00"))


@pytest.fixture(scope="module")
def mixed_fleet() -> Iterator[SimulatedFleet]:
    """240 healthy miners of all four families, deterministic (no wall clock)."""
    specs = build_fleet(240, seed=11, bind="127.211.0.0/16")
    fleet = SimulatedFleet(specs, seed=11, realtime=False).start()
    try:
        yield fleet
    finally:
        fleet.stop()


def _first_of(fleet: SimulatedFleet, family: str, start: int = 0) -> SimMinerSpec:
    return next(s for s in fleet.specs[start:] if s.family == family)


@pytest.fixture(scope="session")
def raw_request() -> Callable[..., bytes]:
    return _raw_request


@pytest.fixture(scope="session")
def rpc() -> Callable[..., bytes]:
    return _rpc


@pytest.fixture(scope="session")
def rpc_json() -> Callable[..., dict[str, Any]]:
    return _rpc_json


@pytest.fixture(scope="session")
def first_of() -> Callable[..., SimMinerSpec]:
    return _first_of
