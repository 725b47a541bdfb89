"""The in-process API: reproducible dynamics, worker processes, clean shutdown."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from hashinsight_desktop.simulator import FaultProfile, SimulatedFleet, build_fleet


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _states(fleet: SimulatedFleet) -> list[tuple[float, float]]:
    return [(round(s.power_w, 6), round(s.hashrate_ths, 6))
            for s in (fleet.miner_state(spec.miner_id) for spec in fleet.specs[:40])]


def test_same_seed_same_dynamics() -> None:
    specs = build_fleet(60, seed=41, bind="127.214.0.0/24")
    runs = []
    for _ in range(2):
        with SimulatedFleet(specs, seed=41, realtime=False) as fleet:
            fleet.advance(300.0)
            fleet.advance(45.0)
            runs.append(_states(fleet))
    assert runs[0] == runs[1]
    with SimulatedFleet(specs, seed=42, realtime=False) as other:
        other.advance(345.0)
        assert _states(other) != runs[0]


def test_clean_shutdown_leaves_no_socket_or_thread() -> None:
    specs = build_fleet(150, seed=43, bind="127.215.0.0/16")
    threads_before = threading.active_count()
    fds_before = _open_fds()
    fleet = SimulatedFleet(specs, FaultProfile(hanging=0.1), seed=43, realtime=True)
    fleet.start()
    assert fleet.ready.is_set() and _open_fds() >= fds_before + 130
    hanging = next(s for s in specs if s.miner_id in fleet.faulty("hanging"))
    held = socket.create_connection((hanging.ip, hanging.port), timeout=2)
    held.sendall(b'{"command":"summary"}')
    fleet.stop()
    held.close()
    assert not fleet.ready.is_set()
    assert threading.active_count() == threads_before
    assert _open_fds() <= fds_before
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((specs[0].ip, specs[0].port), timeout=2).close()
    with pytest.raises(RuntimeError, match="not running"):
        fleet.miner_state(specs[0].miner_id)


def test_address_in_use_is_reported_and_cleaned_up() -> None:
    specs = build_fleet(20, seed=44, bind="127.216.0.0/24")
    with SimulatedFleet(specs, seed=44):
        fds = _open_fds()
        second = SimulatedFleet(specs, seed=44)
        with pytest.raises(OSError):
            second.start()
        assert _open_fds() <= fds


@pytest.mark.slow
def test_worker_processes_serve_slices_and_exit(rpc_json) -> None:
    specs = build_fleet(120, seed=45, bind="127.217.0.0/16")
    fleet = SimulatedFleet(specs, FaultProfile(offline=0.05), seed=45, workers=2,
                           realtime=False)
    with fleet:
        procs = list(fleet._procs.procs)  # type: ignore[union-attr]
        assert len(procs) == 2 and all(p.is_alive() for p in procs)
        online = [s for s in specs if s.miner_id not in fleet.faulty("offline")]
        for spec in (online[0], online[-1]):
            assert "STATUS" in rpc_json(spec, "version")
        luxos = next(s for s in reversed(online) if s.family == "luxos")
        sid = rpc_json(luxos, "logon")["SESSION"][0]["SessionID"]
        before = fleet.total_power_w()
        rpc_json(luxos, "curtail", f"{sid},sleep")
        state = fleet.miner_state(luxos.miner_id)
        assert state.curtailed and state.power_w < 40
        assert fleet.total_power_w() < before - 1000
        fleet.advance(60.0)
        assert fleet.requests_served() >= 4
    assert all(not p.is_alive() and p.exitcode == 0 for p in procs)


def test_bad_construction_arguments() -> None:
    with pytest.raises(ValueError, match="at least one"):
        SimulatedFleet([])
    with pytest.raises(ValueError, match="workers"):
        SimulatedFleet(build_fleet(1), workers=-1)
    with SimulatedFleet(build_fleet(2, bind="127.218.0.0/24")) as fleet, pytest.raises(
            KeyError, match="nope"):
        fleet.miner_state("nope")


def test_running_out_of_descriptors_backs_off_and_recovers() -> None:
    """accept() failing with EMFILE must not spin the loop; serving resumes later."""
    import asyncio
    import errno

    from hashinsight_desktop.simulator import assign_faults
    from hashinsight_desktop.simulator.server import FleetServer

    specs = build_fleet(1, seed=46, bind="127.218.2.0/24")
    server = FleetServer(specs, assign_faults(specs, FaultProfile()), FaultProfile())

    class Exhausted:
        """The real listener, except that accept() fails while ``full`` is set."""

        def __init__(self, real: socket.socket) -> None:
            self.real, self.full, self.calls = real, True, 0

        def fileno(self) -> int:
            return self.real.fileno()

        def accept(self) -> tuple[socket.socket, object]:
            self.calls += 1
            if self.full:
                raise OSError(errno.EMFILE, "Too many open files")
            return self.real.accept()

    async def scenario() -> bytes:
        loop = asyncio.get_running_loop()
        await server.start()
        real = server._listeners[0]
        fake = Exhausted(real)
        loop.remove_reader(real.fileno())
        loop.add_reader(real.fileno(), server._accept, fake, 0)
        reader, writer = await asyncio.open_connection(specs[0].ip, specs[0].port)
        writer.write(b'{"command":"version"}')
        await asyncio.sleep(0.35)
        assert 1 <= fake.calls <= 6  # backing off, not spinning
        fake.full = False
        body = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        await server.stop()
        return body

    assert asyncio.run(scenario()).endswith(b"\x00")
