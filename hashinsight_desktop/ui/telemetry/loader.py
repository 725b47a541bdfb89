"""Run database reads on one worker thread and hand the results back to the GUI thread.

Each panel owns one ``BackgroundLoader``: a single-worker executor (one reader at a
time, as Anki's task manager does) whose results travel to the GUI thread through a
queued signal.  Requests are grouped in channels ("series", "sites", ...); only the
newest request of a channel is delivered, so a slow answer to an old range never
overwrites the chart of the range the user picked since.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)


class BackgroundLoader(QObject):
    """``request(channel, fn)`` runs ``fn()`` on the worker; ``loaded`` brings its result."""

    loaded = Signal(str, int, object)  # channel, request id, result
    failed = Signal(str, int, str)  # channel, request id, one-line error
    _finished = Signal(str, int, object, object)  # from the worker: result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="chart-loader")
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._in_flight: dict[str, int] = {}
        self._closed = False
        # Queued: the worker thread emits, the slot runs on the thread owning self (GUI).
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def request(self, channel: str, fn: Callable[[], Any]) -> int:
        """Start ``fn`` on the worker; returns the request id (newer ids win)."""
        request_id = next(self._ids)
        self._latest[channel] = request_id
        if self._closed:
            return request_id
        self._in_flight[channel] = self._in_flight.get(channel, 0) + 1
        self._executor.submit(self._run, channel, request_id, fn)
        return request_id

    def is_busy(self, channel: str | None = None) -> bool:
        """True while a request (of ``channel``, or any) has not been delivered yet."""
        if channel is None:
            return any(self._in_flight.values())
        return self._in_flight.get(channel, 0) > 0

    def shutdown(self) -> None:
        """Stop accepting work, drop queued requests and wait for the running one."""
        self._closed = True
        self._executor.shutdown(wait=True, cancel_futures=True)

    # --- worker side ---------------------------------------------------------------------

    def _run(self, channel: str, request_id: int, fn: Callable[[], Any]) -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = fn()
        except Exception as exc:  # reported to the GUI, never raised in the worker
            log.exception("background load %s failed", channel)
            error = exc
        if self._closed:
            return
        with contextlib.suppress(RuntimeError):  # the QObject was deleted while we worked
            self._finished.emit(channel, request_id, result, error)

    # --- GUI side ------------------------------------------------------------------------

    def _deliver(self, channel: str, request_id: int, result: object, error: object) -> None:
        self._in_flight[channel] -= 1
        if request_id != self._latest.get(channel):
            return  # stale: a newer request of this channel is on its way
        if error is not None:
            self.failed.emit(channel, request_id, str(error) or type(error).__name__)
        else:
            self.loaded.emit(channel, request_id, result)
