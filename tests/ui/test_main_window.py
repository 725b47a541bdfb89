"""The console window: opens on the database, follows cycles, keeps its layout."""

import pytest
from PySide6.QtCore import QRect
from sqlalchemy import insert

from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.store.schema.fleet import miners, sites
from hashinsight_desktop.store.schema.telemetry import collector_cycles
from hashinsight_desktop.store.telemetry_writer import write_raw
from hashinsight_desktop.ui.main_window import MainWindow

TS = 1_800_000_000 - 1_800_000_000 % 60


@pytest.fixture
def engine_and_target(sqlite_url):
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = admin.open_for_use(target)
    yield engine, target
    engine.dispose()


def _window(qtbot, engine, target) -> MainWindow:
    window = MainWindow(engine, target, feed_interval_ms=50)
    qtbot.addWidget(window)
    window.show()
    return window


def test_status_bar_names_the_database(qtbot, engine_and_target) -> None:
    engine, target = engine_and_target
    window = _window(qtbot, engine, target)
    assert str(target.sqlite_path) in window.status.database.text()
    qtbot.waitUntil(lambda: "No collection yet" in window.status.cycle.text(), timeout=20_000)
    assert window.catalog.model.rowCount() >= 30
    window.close()


def test_window_follows_new_miners_and_cycles(qtbot, engine_and_target) -> None:
    engine, target = engine_and_target
    window = _window(qtbot, engine, target)
    with engine.begin() as conn:
        conn.execute(insert(sites), [{"id": 1, "name": "North"}])
        conn.execute(insert(miners), [
            {"id": i, "ip": f"10.0.0.{i}", "name": f"m{i}", "site_id": 1} for i in (1, 2, 3)])
    qtbot.waitUntil(lambda: len(window.table) == 3, timeout=20_000)
    write_raw(engine, [(TS, 1, 0, 0, 100_000, 3000, 700, 650, 5000, 60),
                       (TS, 2, 0, 0, 90_000, 3100, 810, 700, 5000, 60),
                       (TS, 3, 4, 0, None, None, None, None, None, None)])
    with engine.begin() as conn:
        conn.execute(insert(collector_cycles), [{"ts": TS, "started_at_ms": TS * 1000,
                                                 "duration_ms": 812, "lag_ms": 3, "polled": 3,
                                                 "ok": 2, "failed": 1}])
    qtbot.waitUntil(lambda: window.kpis.values["online"].text() == "2 / 3", timeout=20_000)
    assert window.kpis.values["hashrate_phs"].text() == "0.19"
    assert "812 ms" in window.status.cycle.text()
    window.close()


def test_geometry_and_docks_are_restored(qtbot, engine_and_target) -> None:
    engine, target = engine_and_target
    first = _window(qtbot, engine, target)
    first.setGeometry(QRect(40, 50, 1500, 900))
    qtbot.waitUntil(lambda: first.width() == 1500, timeout=20_000)
    first.docks["catalog"].hide()
    first.close()
    second = _window(qtbot, engine, target)
    assert (second.width(), second.height()) == (1500, 900)
    assert not second.docks["catalog"].isVisible()
    second.reset_layout()
    assert second.docks["catalog"].isVisible()
    second.close()


def test_catalog_filter(qtbot, engine_and_target) -> None:
    engine, target = engine_and_target
    window = _window(qtbot, engine, target)
    panel = window.catalog
    panel.search.setText("whatsminer")
    visible = [r for r in range(panel.model.rowCount()) if not panel.view.isRowHidden(r)]
    assert visible and all("Whatsminer" in panel.model.index(r, 0).data() for r in visible)
    window.close()


def test_follower_on_postgresql_wakes_on_notify(qtbot, pg_url) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    from hashinsight_desktop.services.notifications import conninfo_from_url

    target = resolve(pg_url)
    admin.upgrade(target)
    engine = admin.open_for_use(target)
    window = _window(qtbot, engine, target)
    assert window.feed._timer.interval() >= 15_000  # polling is only the safety net
    qtbot.waitUntil(lambda: window.feed._listener.listening.is_set(), timeout=10_000)
    qtbot.waitUntil(lambda: "No collection yet" in window.status.cycle.text(), timeout=10_000)
    with engine.begin() as conn:
        conn.execute(insert(sites), [{"id": 1, "name": "North"}])
        conn.execute(insert(miners), [{"id": 1, "ip": "10.0.0.1", "name": "m1", "site_id": 1}])
        conn.execute(insert(collector_cycles), [{"ts": TS, "started_at_ms": TS * 1000,
                                                 "duration_ms": 100, "polled": 1, "ok": 1}])
    write_raw(engine, [(TS, 1, 0, 0, 100_000, 3000, 700, 650, 5000, 60)])
    with psycopg.connect(conninfo_from_url(make_url(pg_url)), autocommit=True) as conn:
        conn.execute(f"NOTIFY hashinsight_cycle, '{TS}'")
    qtbot.waitUntil(lambda: window.kpis.values["online"].text() == "1 / 1", timeout=10_000)
    window.close()
    engine.dispose()


def test_export_view_writes_visible_rows(qtbot, engine_and_target, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    engine, target = engine_and_target
    with engine.begin() as conn:
        conn.execute(insert(sites), [{"id": 1, "name": "North"}])
        conn.execute(insert(miners), [
            {"id": i, "ip": f"10.0.0.{i}", "name": f"m{i}", "site_id": 1} for i in (1, 2)])
    window = _window(qtbot, engine, target)
    qtbot.waitUntil(lambda: len(window.table) == 2, timeout=20_000)
    out = tmp_path / "view.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.export_view()
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[0].startswith("Name") and "m1" in lines[1]
    window.close()


def test_theme_switch_is_applied_and_saved(qtbot, engine_and_target) -> None:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from hashinsight_desktop.config.registry import load_settings

    engine, target = engine_and_target
    window = _window(qtbot, engine, target)
    window.set_theme("light")
    window_colour = QApplication.instance().palette().color(QPalette.ColorRole.Window).name()
    assert window_colour == "#f4f5f9"
    assert load_settings().get("ui.theme") == "light"
    window.set_theme("dark")
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).name() == "#1a1d2e"
    window.close()
