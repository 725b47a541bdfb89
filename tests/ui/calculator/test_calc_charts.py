"""Projection and sensitivity tabs: redrawn from the panel's valid inputs."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from hashinsight_desktop.core.economics.inputs import DAYS_PER_MONTH
from hashinsight_desktop.ui.calculator.projection_chart import halving_months


def test_halving_months() -> None:
    # 145,000 blocks to block 1,050,000 at 144 a day.
    assert halving_months(905_000, 60) == pytest.approx([145_000 / 144 / DAYS_PER_MONTH])
    assert halving_months(905_000, 30) == []
    # A height on a halving counts the next one, 210,000 blocks (~47.9 months) later.
    assert halving_months(840_000, 60) == pytest.approx([210_000 / 144 / DAYS_PER_MONTH])
    assert halving_months(839_999, 60)[0] == pytest.approx(1 / 144 / DAYS_PER_MONTH)


def test_projection_follows_typing_after_a_pause(qtbot, make_panel, full_cache) -> None:
    panel = make_panel(full_cache)
    with qtbot.waitSignal(panel.projection.projected, timeout=3000) as first:
        pass  # the initial recompute schedules it
    with qtbot.waitSignal(panel.projection.projected, timeout=3000) as second:
        edit = panel.fields["quantity"].edit
        edit.selectAll()
        qtbot.keyClicks(edit, "10")
    one, ten = first.args[0], second.args[0]
    assert ten.total_profit_usd == pytest.approx(10 * one.total_profit_usd)
    x, y = panel.projection.curve.getData()
    assert x[-1] == pytest.approx(ten.n_days / DAYS_PER_MONTH)
    assert y[-1] == pytest.approx(ten.total_profit_usd)
    assert len(panel.projection._halving_lines) == 1  # block 905,000 + 36 months


def test_projection_controls_change_the_curve(qtbot, make_panel, full_cache) -> None:
    panel = make_panel(full_cache)
    panel.refresh_charts_now()
    flat = panel.projection.last.total_profit_usd
    with qtbot.waitSignal(panel.projection.projected, timeout=2000):
        panel.projection.growth.setValue(0.0)
    no_growth = panel.projection.last.total_profit_usd
    assert no_growth > flat
    with qtbot.waitSignal(panel.projection.projected, timeout=2000):
        panel.projection.price_mode.setCurrentIndex(1)  # growth at 2 %/month
    assert panel.projection.last.total_profit_usd > no_growth


def test_sensitivity_heatmap_and_breakeven_contour(qtbot, make_panel, full_cache) -> None:
    panel = make_panel(full_cache)
    with qtbot.waitSignal(panel.sensitivity.computed, timeout=2000) as blocker:
        panel.tabs.setCurrentIndex(1)
    grid = blocker.args[0]
    assert panel.sensitivity.image.image.shape == (len(grid.difficulties), len(grid.prices_usd))
    # At today's difficulty the contour passes at the panel's break-even BTC price.
    middle = int(np.argmin(np.abs(grid.difficulties - panel.current_inputs.market.difficulty)))
    figures = panel.quote_payload()["results"]
    assert grid.difficulties[middle] == pytest.approx(panel.current_inputs.market.difficulty)
    assert grid.breakeven_price_usd[middle] == pytest.approx(figures["breakeven_btc_price_usd"])
    # The price axis was widened so that the contour is inside the picture.
    assert grid.prices_usd[0] <= grid.breakeven_price_usd[middle] <= grid.prices_usd[-1]
    xs, _ys = panel.sensitivity.contour.getData()
    assert len(xs) == len(grid.difficulties)
    low, high = panel.sensitivity.colour_bar.levels()
    assert low == pytest.approx(-high)


def test_invalid_inputs_keep_the_last_chart(qtbot, make_panel, full_cache) -> None:
    panel = make_panel(full_cache)
    panel.refresh_charts_now()
    shown = panel.projection.last
    edit = panel.fields["btc_price_usd"].edit
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    panel.refresh_charts_now()
    assert panel.projection.last is shown
