"""Request coalescing: concurrent callers of the same fetch share one in-flight call.

When the collector, a calculator refresh and a dashboard all want mempool.space's
hashrate at the same moment, only the first caller goes to the network; the others
wait for its result (or its exception).  Once the call finishes the key is forgotten,
so the next caller fetches afresh: this is not a cache.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any


class Coalescer:
    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._in_flight: dict[Hashable, tuple[Future[Any], list[int]]] = {}

    def run(self, key: Hashable, fn: Callable[[], Any]) -> Any:
        with self._changed:
            entry = self._in_flight.get(key)
            if entry is not None:
                future, followers = entry
                followers[0] += 1
                self._changed.notify_all()
            else:
                future = Future()
                self._in_flight[key] = (future, [0])
        if entry is not None:
            return future.result()
        try:
            result = fn()
        except BaseException as exc:
            future.set_exception(exc)
            raise
        else:
            future.set_result(result)
            return result
        finally:
            with self._changed:
                self._in_flight.pop(key, None)
                self._changed.notify_all()

    def wait_for_followers(self, key: Hashable, count: int, timeout_s: float) -> bool:
        """Block until ``count`` callers are waiting on ``key``'s in-flight call.

        For observers and tests: lets them prove callers joined without sleeping.
        """
        def joined() -> bool:
            entry = self._in_flight.get(key)
            return entry is not None and entry[1][0] >= count

        with self._changed:
            return self._changed.wait_for(joined, timeout=timeout_s)
