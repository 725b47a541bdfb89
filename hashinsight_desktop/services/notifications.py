"""PostgreSQL LISTEN/NOTIFY: followers learn of a new cycle without polling the tables.

The collector sends ``NOTIFY hashinsight_cycle, '<ts>'`` when a cycle commits; a
``CycleListener`` on each workstation calls back on its own thread, reconnecting after
an outage.  SQLite has no such channel: there the console polls a cheap query instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import URL

log = logging.getLogger(__name__)

CHANNEL = "hashinsight_cycle"


def conninfo_from_url(url: URL) -> str:
    return psycopg.conninfo.make_conninfo(
        host=url.host or "localhost", port=url.port or 5432, dbname=url.database,
        user=url.username or None, password=url.password or None, connect_timeout=5,
        application_name="hashinsight-listener")


class CycleListener:
    def __init__(self, url: URL, callback: Callable[[str], None], *,
                 retry_s: float = 5.0) -> None:
        self._conninfo = conninfo_from_url(url)
        self._callback = callback
        self._retry_s = retry_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)
        self.listening = threading.Event()

    def start(self) -> CycleListener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            self._callback(note.payload)
            except psycopg.Error as exc:
                self.listening.clear()
                log.warning("notification channel lost (%s); retrying", exc)
                self._stop.wait(self._retry_s)
