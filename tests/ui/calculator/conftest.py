"""Fixtures for the calculator panel: a panel factory and a SQLite market cache."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from calc_market_seed import MARKET, NOW, fetch_at

from hashinsight_desktop.services.market_cache import store_fetch
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.ui.calculator import CalculatorPanel


@pytest.fixture
def cache_engine(sqlite_url: str) -> Iterator:
    """A migrated SQLite file, its market cache empty."""
    engine = open_for_use(resolve(sqlite_url))
    yield engine
    engine.dispose()


@pytest.fixture
def full_cache(cache_engine):
    """Every prefilled metric cached 3 h 1 min before NOW by mempool.space."""
    store_fetch(cache_engine, fetch_at(NOW - 3 * 3600 - 60, "mempool.space", **MARKET))
    return cache_engine


@pytest.fixture
def make_panel(qtbot) -> Callable[..., CalculatorPanel]:
    def make(engine=None) -> CalculatorPanel:
        panel = CalculatorPanel(engine, clock=lambda: NOW)
        qtbot.addWidget(panel)
        panel.resize(1300, 850)
        panel.show()
        return panel

    return make
