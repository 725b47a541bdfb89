"""Fixtures for the telemetry chart tests: a seeded SQLite farm and shown panels."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from telemetry_seed import END, seed_farm

from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.ui.telemetry.panel import TelemetryPanel


@pytest.fixture
def farm_engine(sqlite_url: str) -> Iterator:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    engine.miner_ids = seed_farm(engine)  # type: ignore[attr-defined]
    yield engine
    engine.dispose()


@pytest.fixture
def make_panel(qtbot, farm_engine) -> Iterator[Callable[[], TelemetryPanel]]:
    """Factory: a shown TelemetryPanel over the seeded farm, its first load finished."""
    panels: list[TelemetryPanel] = []

    def make() -> TelemetryPanel:
        panel = TelemetryPanel(farm_engine, clock=lambda: END)
        qtbot.addWidget(panel)
        panels.append(panel)
        panel.resize(1000, 800)
        panel.show()
        qtbot.waitUntil(lambda: panel.fleet is not None and not panel.is_loading())
        return panel

    yield make
    for panel in panels:
        panel.shutdown()
