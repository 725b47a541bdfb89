"""The collector's one database writer: a thread draining a queue of write jobs.

Polling hands each finished cycle over as a job and goes on; the database is never
waited for on the polling loop, and writes stay ordered (one connection at a time,
which SQLite wants anyway).  ``submit`` returns a Future so ``--once`` and tests can
wait for the write and see its errors.
"""

from __future__ import annotations

import concurrent.futures
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_STOP = object()


class DbWriter:
    def __init__(self, name: str = "collector-writer") -> None:
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], T]) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._queue.put((job, future))
        return future

    def pending(self) -> int:
        return self._queue.qsize()

    def close(self, timeout: float = 60.0) -> None:
        """Finish queued writes, then stop the thread."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            job, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as exc:  # reported through the future, thread lives on
                future.set_exception(exc)

    def __enter__(self) -> DbWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
