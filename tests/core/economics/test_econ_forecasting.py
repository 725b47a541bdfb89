import threading

import numpy as np
import pytest
from econ_helpers import BTC_DAILY

from hashinsight_desktop.core.economics.backtest import backtest
from hashinsight_desktop.core.economics.errors import CancelledError, NotEnoughHistoryError
from hashinsight_desktop.core.economics.forecasting import (
    DEFAULT_GRID,
    forecast_series,
    forecast_values,
    series_values,
)
from hashinsight_desktop.core.economics.market_history import read_daily_csv


@pytest.fixture(scope="module")
def recent():
    return read_daily_csv(BTC_DAILY).tail(420)


@pytest.mark.parametrize("series", ["price", "difficulty", "hashprice"])
def test_forecast_bands_are_nested_and_widen(recent, series):
    fc = forecast_series(recent, series, 30)
    assert fc.order in DEFAULT_GRID
    assert {order for order, _ in fc.candidates} <= set(DEFAULT_GRID)
    assert fc.aic == min(aic for _, aic in fc.candidates)
    assert fc.point.shape == (30,)
    assert (fc.lower95 < fc.lower80).all() and (fc.lower80 < fc.point).all()
    assert (fc.point < fc.upper80).all() and (fc.upper80 < fc.upper95).all()
    width = np.log(fc.upper95) - np.log(fc.lower95)
    assert (np.diff(width) > 0).all()
    assert str(fc.dates[0]) == "2025-12-30" and str(fc.dates[-1]) == "2026-01-28"
    last = series_values(recent, series)[-1]
    assert fc.lower95[0] < last < fc.upper95[0]  # tomorrow is near today


def test_level_bands_match_an_integrated_state_space_model(recent):
    """Our bands integrate a differenced fit; statsmodels' d=1 model must agree."""
    import warnings

    from statsmodels.tsa.statespace.sarimax import SARIMAX

    fc = forecast_values(recent.price_usd, 20, grid=[(1, 1, 0)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = SARIMAX(np.log(recent.price_usd), order=(1, 1, 0), trend="c").fit(disp=False)
    band = np.exp(full.get_forecast(20).conf_int(alpha=0.05))
    np.testing.assert_allclose(fc.upper95, band[:, 1], rtol=2e-3)
    np.testing.assert_allclose(fc.lower95, band[:, 0], rtol=2e-3)


def test_too_little_history_says_how_many_days(recent):
    with pytest.raises(NotEnoughHistoryError, match=r"needs at least 60 days of history, got 30"):
        forecast_values(recent.price_usd[:30], 7, series="price")
    with pytest.raises(NotEnoughHistoryError, match=r"needs at least 425 days of history, got 420"):
        backtest(recent.price_usd, series="price", origins=2)


def test_backtest_reports_mape_and_progress(recent):
    calls = []
    result = backtest(recent.difficulty, series="difficulty", origins=3, step_days=15,
                      min_train_days=300, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert result.origins == 3 and result.horizons == (7, 30)
    assert result.naive_kind == "random walk with drift"
    for h in (7, 30):
        assert 0 < result.model_mape_pct[h] < 50 and 0 < result.naive_mape_pct[h] < 50
    assert result.rows()[0]["horizon_days"] == 7


def test_backtest_naive_is_a_random_walk_for_price():
    # A steady 1 % a day rise: the naive MAPE is exactly 1 - exp(-0.07).
    values = np.exp(np.cumsum(np.r_[np.log(100.0), np.full(499, 0.01)]))
    result = backtest(values, series="price", horizons=[7], origins=2, step_days=10,
                      min_train_days=200, grid=[(0, 1, 0)])
    assert result.naive_mape_pct[7] == pytest.approx(100 * (1 - np.exp(-0.07)))
    assert result.model_mape_pct[7] < 0.05  # the drift model finds the constant drift


def test_backtest_cancel_flag(recent):
    done = []

    def progress(step, total):
        done.append(step)

    with pytest.raises(CancelledError):
        backtest(recent.price_usd, series="price", origins=3, step_days=15, min_train_days=300,
                 progress=progress, cancel=lambda: len(done) >= 1)
    assert done == [1]
    stop = threading.Event()
    stop.set()
    with pytest.raises(CancelledError):
        backtest(recent.price_usd, series="price", origins=3, step_days=15, min_train_days=300,
                 cancel=stop)
