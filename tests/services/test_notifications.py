import threading

import psycopg
from sqlalchemy.engine import make_url

from hashinsight_desktop.services.notifications import CHANNEL, CycleListener, conninfo_from_url


def test_listener_receives_cycle_notifications(pg_url: str) -> None:
    got: list[str] = []
    arrived = threading.Event()

    def on_cycle(payload: str) -> None:
        got.append(payload)
        arrived.set()

    url = make_url(pg_url)
    listener = CycleListener(url, on_cycle).start()
    try:
        assert listener.listening.wait(10)
        with psycopg.connect(conninfo_from_url(url), autocommit=True) as conn:
            conn.execute(f"NOTIFY {CHANNEL}, '1800000060'")
        assert arrived.wait(10)
        assert got == ["1800000060"]
    finally:
        listener.stop()
