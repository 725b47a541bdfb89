"""``SimulatedFleet``: the in-process API for tests, benchmarks and the demo farm.

With ``workers=0`` the fleet runs one asyncio loop in a background thread.  With
``workers=K`` it starts K processes (spawned, so safe beside Qt), each serving a
contiguous slice of the fleet; the parent talks to them over pipes.  Either way
``start()`` returns once every listener is open (``ready`` is then set) and
``stop()`` closes every socket, thread and process it created.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import multiprocessing
import multiprocessing.connection
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from hashinsight_desktop.simulator.faults import (
    FaultAssignment,
    FaultProfile,
    assign_faults,
)
from hashinsight_desktop.simulator.layout import SimMinerSpec
from hashinsight_desktop.simulator.server import FleetServer, raise_fd_limit

T = TypeVar("T")
START_TIMEOUT_S = 300.0


@dataclasses.dataclass(frozen=True)
class MinerState:
    power_w: float
    hashrate_ths: float
    curtailed: bool
    power_target: float
    chip_temp_max_c: float
    fan_rpm: tuple[float, ...]


def _state_of(server: FleetServer, index: int) -> MinerState:
    dyn = server.dyn
    return MinerState(power_w=float(dyn.power_w[index]),
                      hashrate_ths=float(dyn.hashrate_ths[index]),
                      curtailed=bool(dyn.curtailed[index]),
                      power_target=float(dyn.power_target[index]),
                      chip_temp_max_c=float(dyn.chip_temp[index].max()),
                      fan_rpm=tuple(float(f) for f in dyn.fan_rpm[index, :dyn.n_fans[index]]))


def _slice(assignment: FaultAssignment, idx: np.ndarray) -> FaultAssignment:
    return FaultAssignment(net=assignment.net[idx], dead_board=assignment.dead_board[idx],
                           overheating=assignment.overheating[idx],
                           fan_failure=assignment.fan_failure[idx])


class _ThreadBackend:
    """One event loop in a daemon thread serving the whole fleet."""

    def __init__(self, server: FleetServer) -> None:
        self.server = server
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="sim-fleet", daemon=True)
        self._started: concurrent.futures.Future[int] = concurrent.futures.Future()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            count = self.loop.run_until_complete(self.server.start())
        except BaseException as exc:
            self.loop.close()
            self._started.set_exception(exc)
            return
        self._started.set_result(count)
        try:
            self.loop.run_forever()
        finally:
            self.loop.run_until_complete(self.server.stop())
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()

    def start(self, timeout: float) -> None:
        self.thread.start()
        try:
            self._started.result(timeout)
        except BaseException:
            self.stop()
            raise

    def call(self, fn: Callable[[FleetServer], T]) -> T:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(fn(self.server))
            except BaseException as exc:
                future.set_exception(exc)

        self.loop.call_soon_threadsafe(run)
        return future.result(30)

    def stop(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(30)


def _worker_main(conn: multiprocessing.connection.Connection, specs: list[SimMinerSpec],
                 assignment: FaultAssignment, faults: FaultProfile, seed: int,
                 realtime: bool, stream: int) -> None:
    """Entry point of a worker process: serve a slice until told to stop."""
    # Ctrl-C reaches the whole process group; the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise_fd_limit()
    server = FleetServer(specs, assignment, faults, seed=seed, realtime=realtime,
                         stream=stream)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        count = loop.run_until_complete(server.start())
    except OSError as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", count))
    handlers: dict[str, Callable[..., Any]] = {
        "state": lambda i: dataclasses.astuple(_state_of(server, i)),
        "power": lambda: float(server.dyn.power_w.sum()),
        "advance": lambda s: server.dyn.advance(s),
        "served": lambda: server.requests_served,
    }

    def on_message() -> None:
        try:
            name, *args = conn.recv()
        except EOFError:
            loop.stop()
            return
        if name == "stop":
            loop.stop()
            return
        conn.send(handlers[name](*args))

    loop.add_reader(conn.fileno(), on_message)
    try:
        loop.run_forever()
    finally:
        loop.remove_reader(conn.fileno())
        loop.run_until_complete(server.stop())
        loop.close()
        conn.send(("stopped",))
        conn.close()


class _ProcessBackend:
    def __init__(self, specs: list[SimMinerSpec], assignment: FaultAssignment,
                 faults: FaultProfile, seed: int, realtime: bool, workers: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.slices = [s for s in np.array_split(np.arange(len(specs)), workers) if s.size]
        self.pipes: list[multiprocessing.connection.Connection] = []
        self.procs: list[multiprocessing.process.BaseProcess] = []
        self.locks: list[threading.Lock] = []
        self._child_ends: list[multiprocessing.connection.Connection] = []
        for k, idx in enumerate(self.slices):
            parent, child = ctx.Pipe()
            proc = ctx.Process(
                target=_worker_main, name=f"sim-worker-{k}", daemon=True,
                args=(child, [specs[int(i)] for i in idx], _slice(assignment, idx), faults,
                      seed, realtime, k))
            self.pipes.append(parent)
            self.procs.append(proc)
            self.locks.append(threading.Lock())
            self._child_ends.append(child)
        # where each global index lives: (worker, local index)
        self.where = {int(g): (k, j) for k, idx in enumerate(self.slices)
                      for j, g in enumerate(idx)}

    def start(self, timeout: float) -> None:
        for proc in self.procs:
            proc.start()
        for child in self._child_ends:
            child.close()
        errors = []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                errors.append("a worker did not start in time")
                continue
            message = pipe.recv()
            if message[0] != "ready":
                errors.append(message[1])
        if errors:
            self.stop()
            raise OSError("simulated fleet failed to start: " + "; ".join(errors))

    def ask(self, worker: int, *message: Any) -> Any:
        with self.locks[worker]:
            self.pipes[worker].send(message)
            return self.pipes[worker].recv()

    def stop(self) -> None:
        for k, proc in enumerate(self.procs):
            if proc.is_alive():
                with self.locks[k]:
                    try:
                        self.pipes[k].send(("stop",))
                        if self.pipes[k].poll(30):
                            self.pipes[k].recv()
                    except (BrokenPipeError, EOFError, OSError):
                        pass
        for proc in self.procs:
            proc.join(30)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
        for pipe in self.pipes:
            pipe.close()


class SimulatedFleet:
    """N virtual miners on loopback; see the module docstring."""

    def __init__(
        self,
        specs: list[SimMinerSpec],
        faults: FaultProfile | None = None,
        seed: int = 1,
        *,
        workers: int = 0,
        realtime: bool = True,
    ) -> None:
        if not specs:
            raise ValueError("a simulated fleet needs at least one miner")
        if workers < 0:
            raise ValueError(f"workers must be >= 0, got {workers}")
        self.specs = list(specs)
        self.faults = faults or FaultProfile()
        self.seed = seed
        self.workers = workers
        self.realtime = realtime
        self.assignment = assign_faults(self.specs, self.faults, seed)
        self.ready = threading.Event()
        self._index = {spec.miner_id: i for i, spec in enumerate(self.specs)}
        self._thread: _ThreadBackend | None = None
        self._procs: _ProcessBackend | None = None

    # ---------------------------------------------------------------- lifecycle
    def start(self, timeout: float = START_TIMEOUT_S) -> SimulatedFleet:
        if self._thread or self._procs:
            raise RuntimeError("the simulated fleet is already running")
        raise_fd_limit()
        if self.workers == 0:
            server = FleetServer(self.specs, self.assignment, self.faults, seed=self.seed,
                                 realtime=self.realtime)
            self._thread = _ThreadBackend(server)
            try:
                self._thread.start(timeout)
            except BaseException:
                self._thread = None
                raise
        else:
            self._procs = _ProcessBackend(self.specs, self.assignment, self.faults,
                                          self.seed, self.realtime, self.workers)
            try:
                self._procs.start(timeout)
            except BaseException:
                self._procs = None
                raise
        self.ready.set()
        return self

    def stop(self) -> None:
        self.ready.clear()
        if self._thread is not None:
            self._thread.stop()
            self._thread = None
        if self._procs is not None:
            self._procs.stop()
            self._procs = None

    def __enter__(self) -> SimulatedFleet:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- queries
    def addresses(self) -> list[str]:
        """'ip:port' of every miner, offline ones included (a collector polls them all)."""
        return [spec.address for spec in self.specs]

    def faulty(self, kind: str) -> set[str]:
        """miner_ids with fault ``kind`` (a FaultProfile rate name)."""
        return {self.specs[i].miner_id for i in self.assignment.indices(kind)}

    def miner_state(self, miner_id: str) -> MinerState:
        index = self._require(miner_id)
        if self._thread is not None:
            return self._thread.call(lambda s: _state_of(s, index))
        assert self._procs is not None
        worker, local = self._procs.where[index]
        return MinerState(*self._procs.ask(worker, "state", local))

    def total_power_w(self) -> float:
        if self._thread is not None:
            return self._thread.call(lambda s: float(s.dyn.power_w.sum()))
        assert self._procs is not None
        return sum(self._procs.ask(k, "power") for k in range(len(self._procs.pipes)))

    def advance(self, seconds: float) -> None:
        """Move simulated time forward (deterministic when ``realtime=False``)."""
        if self._thread is not None:
            self._thread.call(lambda s: s.dyn.advance(seconds))
            return
        assert self._procs is not None
        for k in range(len(self._procs.pipes)):
            self._procs.ask(k, "advance", seconds)

    def requests_served(self) -> int:
        if self._thread is not None:
            return self._thread.call(lambda s: s.requests_served)
        assert self._procs is not None
        return sum(self._procs.ask(k, "served") for k in range(len(self._procs.pipes)))

    def _require(self, miner_id: str) -> int:
        if not self.ready.is_set():
            raise RuntimeError("the simulated fleet is not running: call start() first")
        try:
            return self._index[miner_id]
        except KeyError:
            raise KeyError(f"no simulated miner with id {miner_id!r}") from None
