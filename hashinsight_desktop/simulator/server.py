"""The asyncio server: one listening socket per simulated miner, one event loop.

``FleetServer`` owns a slice of the fleet (all of it in-process, or one worker's
share); it creates the listeners, turns each request into the firmware's reply bytes
and applies the network faults.  It must be driven from its own event loop thread.

Connections are handled on raw non-blocking sockets with ``loop.add_reader`` rather
than asyncio transports: a miner conversation is one short request and one reply,
and skipping the per-connection Task, Transport and Protocol objects roughly halves
the CPU cost per request (what decides how many miners one core can serve).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import resource
import socket
import struct

from hashinsight_desktop.simulator import templates
from hashinsight_desktop.simulator.dynamics import FleetDynamics
from hashinsight_desktop.simulator.families import Farm, build_firmwares
from hashinsight_desktop.simulator.faults import FaultAssignment, FaultProfile, NetFault
from hashinsight_desktop.simulator.layout import SimMinerSpec
from hashinsight_desktop.simulator.wire import (
    BadRequest,
    Request,
    garble,
    parse_request,
    to_pipe_format,
)

log = logging.getLogger(__name__)
IDLE_TIMEOUT_S = 15.0  # cgminer drops a client that sends nothing
TICK_S = 1.0
LISTEN_BACKLOG = 256
ACCEPT_BACKOFF_S = 0.1


def raise_fd_limit() -> int:
    """Raise the soft open-files limit to the hard one; return the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        return hard
    return soft


def _listening_socket(ip: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((ip, port))
        sock.listen(LISTEN_BACKLOG)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


class FleetServer:
    def __init__(
        self,
        specs: list[SimMinerSpec],
        assignment: FaultAssignment,
        faults: FaultProfile,
        seed: int = 1,
        realtime: bool = True,
        stream: int = 0,
    ) -> None:
        self.specs = specs
        self.faults = faults
        self.assignment = assignment
        self.realtime = realtime
        self.dyn = FleetDynamics(specs, assignment, seed=seed, stream=stream)
        self.farm = Farm(specs, self.dyn)
        self.firmwares = build_firmwares(self.farm)
        templates.preload()
        self.requests_served = 0
        self.stopping = False
        self._listeners: list[socket.socket] = []
        self._conns: set[_Conn] = set()
        self._garble_count: dict[int, int] = {}
        self._tick: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # ---------------------------------------------------------------- lifecycle
    async def start(self) -> int:
        """Open every listener (offline miners get none); return how many listen."""
        loop = self._loop = asyncio.get_running_loop()
        try:
            for index, spec in enumerate(self.specs):
                if self.assignment.net[index] == NetFault.OFFLINE:
                    continue
                sock = _listening_socket(spec.ip, spec.port)
                self._listeners.append(sock)
                loop.add_reader(sock.fileno(), self._accept, sock, index)
        except OSError:
            await self.stop()
            raise
        self._tick = loop.call_later(TICK_S, self._on_tick)
        return len(self._listeners)

    async def stop(self) -> None:
        self.stopping = True
        if self._tick is not None:
            self._tick.cancel()
            self._tick = None
        loop = asyncio.get_running_loop()
        for sock in self._listeners:
            loop.remove_reader(sock.fileno())
            sock.close()
        self._listeners.clear()
        for conn in list(self._conns):
            self._close(conn, reset=True)

    @property
    def open_connections(self) -> int:
        return len(self._conns)

    def _on_tick(self) -> None:
        if self.realtime:
            self.dyn.sync_wall_clock()
        assert self._loop is not None
        self._tick = self._loop.call_later(TICK_S, self._on_tick)

    # ---------------------------------------------------------------- behaviour
    def net_fault(self, index: int) -> NetFault:
        fault = _NET_FAULTS[self.assignment.net[index]]
        if fault == NetFault.FLAPPING:
            period = self.faults.flap_period_s
            phase = (self.dyn.now + (index * 7919) % period) / period
            return NetFault.REFUSING if int(phase) % 2 else NetFault.NONE
        return fault

    def reply_bytes(self, index: int, request: Request | None) -> bytes:
        firmware = self.firmwares[self.specs[index].family]
        self.requests_served += 1
        if request is None:
            return firmware.encode(firmware.message(23, "Invalid JSON", "E"))
        if request.encrypted:
            reply = firmware.encrypted(index, request.payload or {})
        else:
            reply = firmware.answer(index, request.command, request.parameter)
        if not request.is_json and isinstance(reply.get("STATUS"), list):
            return to_pipe_format(reply)
        return firmware.encode(reply)

    def garbled(self, index: int, body: bytes) -> bytes:
        count = self._garble_count.get(index, index)
        self._garble_count[index] = count + 1
        return garble(body, count)

    # ---------------------------------------------------------------- sockets
    def _accept(self, listener: socket.socket, index: int) -> None:
        assert self._loop is not None
        for _ in range(LISTEN_BACKLOG):
            try:
                sock, _addr = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                # Out of file descriptors (or similar): the listener stays readable, so
                # stop watching it for a moment instead of spinning; clients wait.
                self._loop.remove_reader(listener.fileno())
                self._loop.call_later(ACCEPT_BACKOFF_S, self._rewatch, listener, index)
                return
            sock.setblocking(False)
            if self.stopping or self.net_fault(index) == NetFault.REFUSING:
                _reset(sock)
                continue
            conn = _Conn(sock, index, self.net_fault(index))
            self._conns.add(conn)
            conn.timer = self._loop.call_later(IDLE_TIMEOUT_S, self._close, conn, True)
            self._on_readable(conn)  # the request has often arrived already

    def _rewatch(self, listener: socket.socket, index: int) -> None:
        if not self.stopping and self._loop is not None and listener.fileno() >= 0:
            self._loop.add_reader(listener.fileno(), self._accept, listener, index)

    def _on_readable(self, conn: _Conn) -> None:
        try:
            data = conn.sock.recv(MAX_READ)
        except (BlockingIOError, InterruptedError):
            self._watch_reads(conn)
            return
        except OSError:
            self._close(conn)
            return
        if not data:
            try:
                request = parse_request(conn.buffer, final=True)
            except BadRequest:
                if not conn.buffer:
                    self._close(conn)
                    return
                request = None
            self._respond(conn, request)
            return
        conn.buffer += data
        try:
            request = parse_request(conn.buffer)
        except BadRequest:
            request = None
        else:
            if request is None:
                self._watch_reads(conn)
                return
        self._respond(conn, request)

    def _watch_reads(self, conn: _Conn) -> None:
        if not conn.reading:
            assert self._loop is not None
            self._loop.add_reader(conn.sock.fileno(), self._on_readable, conn)
            conn.reading = True

    def _unwatch_reads(self, conn: _Conn) -> None:
        if conn.reading:
            assert self._loop is not None
            self._loop.remove_reader(conn.sock.fileno())
            conn.reading = False

    def _respond(self, conn: _Conn, request: Request | None) -> None:
        assert self._loop is not None
        self._unwatch_reads(conn)
        if conn.timer is not None:
            conn.timer.cancel()
            conn.timer = None
        fault = conn.fault
        if fault == NetFault.HANGING:
            # Never answer; only notice when the client gives up, to free the socket.
            self._loop.add_reader(conn.sock.fileno(), self._on_hanging_readable, conn)
            conn.reading = True
            return
        if fault == NetFault.SLOW:
            conn.timer = self._loop.call_later(self.faults.slow_delay_s, self._send, conn,
                                               request)
            return
        self._send(conn, request)

    def _on_hanging_readable(self, conn: _Conn) -> None:
        try:
            data = conn.sock.recv(MAX_READ)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(conn)

    def _send(self, conn: _Conn, request: Request | None) -> None:
        conn.timer = None
        try:
            body = self.reply_bytes(conn.index, request)
        except Exception:
            # A simulator bug must not leave the client hanging: log it, reset the
            # connection (a crashed miner API looks the same from outside).
            log.exception("simulated miner %s failed to answer %r",
                          self.specs[conn.index].miner_id, request)
            self._close(conn, reset=True)
            return
        if conn.fault == NetFault.GARBAGE:
            body = self.garbled(conn.index, body)
        conn.out = body
        self._flush(conn)

    def _flush(self, conn: _Conn) -> None:
        assert self._loop is not None
        try:
            sent = conn.sock.send(conn.out)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            self._close(conn)
            return
        conn.out = conn.out[sent:]
        if not conn.out:
            self._close(conn)
        elif not conn.writing:
            self._loop.add_writer(conn.sock.fileno(), self._flush, conn)
            conn.writing = True

    def _close(self, conn: _Conn, reset: bool = False) -> None:
        if conn not in self._conns:
            return
        self._conns.discard(conn)
        loop = self._loop
        if conn.timer is not None:
            conn.timer.cancel()
        if loop is not None:
            if conn.reading:
                loop.remove_reader(conn.sock.fileno())
            if conn.writing:
                loop.remove_writer(conn.sock.fileno())
        if reset:
            _reset(conn.sock)
        else:
            conn.sock.close()  # like cgminer: one request read, reply sent, socket closed


MAX_READ = 65536
_NET_FAULTS = tuple(NetFault)  # index -> member, cheaper than NetFault(value)


@dataclasses.dataclass(eq=False, slots=True)
class _Conn:
    """One client connection to one simulated miner."""

    sock: socket.socket
    index: int
    fault: NetFault
    buffer: bytearray = dataclasses.field(default_factory=bytearray)
    timer: asyncio.TimerHandle | None = None
    out: bytes = b""
    reading: bool = False
    writing: bool = False


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a crashed or disabled miner API does."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
