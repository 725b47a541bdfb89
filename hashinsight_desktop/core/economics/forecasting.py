"""ARIMA forecasts of daily BTC price, difficulty and hashprice with 80/95 % bands.

All three series are strictly positive and grow multiplicatively, so models are fit
to their logarithm (d = 1: daily log returns) and the bands are exponentiated back,
which keeps them positive and skewed the right way.  The order is chosen by AIC over
a small grid (p + q <= 2, with drift): larger orders never won on 2019-2025 data and
each one costs a state-space fit.  Parameter uncertainty is not added to the bands
(statsmodels' forecast intervals come from the innovations only).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import norm
from statsmodels.tsa.arima_process import arma2ma
from statsmodels.tsa.statespace.sarimax import SARIMAX

from hashinsight_desktop.core.economics.blas_threads import single_threaded_blas
from hashinsight_desktop.core.economics.errors import InputError, NotEnoughHistoryError
from hashinsight_desktop.core.economics.market_history import DailyMarket

Array = NDArray[np.float64]
Series = Literal["price", "difficulty", "hashprice"]
SERIES: tuple[Series, ...] = ("price", "difficulty", "hashprice")
Order = tuple[int, int, int]
DEFAULT_GRID: tuple[Order, ...] = ((0, 1, 0), (1, 1, 0), (0, 1, 1), (1, 1, 1), (2, 1, 0), (0, 1, 2))
MIN_FIT_DAYS = 60
MAX_HORIZON_DAYS = 730


@dataclasses.dataclass(frozen=True, eq=False)
class Forecast:
    series: str
    order: Order
    aic: float
    candidates: tuple[tuple[Order, float], ...]  # every order tried, with its AIC
    history_days: int
    dates: NDArray[np.datetime64] | None  # the forecast days, when history had dates
    point: Array  # median in level terms (exp of the log forecast)
    lower80: Array
    upper80: Array
    lower95: Array
    upper95: Array

    def rows(self) -> list[dict[str, object]]:
        out = []
        for i in range(self.point.shape[0]):
            out.append({
                "day": i + 1,
                "date": None if self.dates is None else str(self.dates[i]),
                "point": float(self.point[i]),
                "lower80": float(self.lower80[i]), "upper80": float(self.upper80[i]),
                "lower95": float(self.lower95[i]), "upper95": float(self.upper95[i]),
            })
        return out


def series_values(history: DailyMarket, series: Series) -> Array:
    if series == "price":
        return history.price_usd
    if series == "difficulty":
        return history.difficulty
    if series == "hashprice":
        return history.hashprice_usd_per_th_day()
    raise InputError("series", f"must be one of {', '.join(SERIES)}, got {series!r}")


def log_series(values: ArrayLike, needed: int, purpose: str) -> Array:
    y = np.asarray(values, dtype=np.float64)
    if y.ndim != 1:
        raise InputError("history", f"must be a 1-D series, got shape {y.shape}")
    if y.shape[0] < needed:
        raise NotEnoughHistoryError("history", needed, int(y.shape[0]), purpose)
    if not np.isfinite(y).all() or y.min() <= 0:
        raise InputError("history", "needs finite values > 0 (they are modelled in logs)")
    return np.log(y)


def fit_order(log_y: Array, order: Order) -> object:
    """One maximum-likelihood fit with drift on the differenced log series.

    ``simple_differencing`` fits the ARMA to the differences directly (no diffuse
    state for the unit root) and ``cov_type='none'`` skips the numerical Hessian the
    forecast bands do not use.  The optimiser tolerances are looser than statsmodels'
    defaults: on 2019-2025 data AICs moved by < 0.2 and every series kept its order,
    at half the time (the defaults often end in line-search failures at the optimum).
    A random walk with drift has a closed-form fit: mean and variance of the steps.
    """
    if order == (0, 1, 0):
        steps = np.diff(log_y)
        model = SARIMAX(log_y, order=order, trend="c", simple_differencing=True)
        with single_threaded_blas():
            return model.filter([float(steps.mean()), float(steps.var())])
    model = SARIMAX(log_y, order=order, trend="c", simple_differencing=True,
                    concentrate_scale=True)
    with warnings.catch_warnings(), single_threaded_blas():
        # Convergence chatter on some orders is expected; AIC judges the result.
        warnings.simplefilter("ignore")
        return model.fit(disp=False, cov_type="none", factr=1e10, pgtol=1e-3)


def select_order(log_y: Array, grid: Sequence[Order] = DEFAULT_GRID) -> tuple[object, list]:
    """Fit every order in ``grid``; return the lowest-AIC fit and (order, AIC) pairs."""
    best, best_aic, tried = None, np.inf, []
    for order in grid:
        try:
            fitted = fit_order(log_y, order)
        except (ValueError, np.linalg.LinAlgError):
            continue  # an order that cannot be fitted on this series just drops out
        aic = float(fitted.aic)
        tried.append((order, aic))
        if np.isfinite(aic) and aic < best_aic:
            best, best_aic = fitted, aic
    if best is None:
        raise InputError("history", "no ARIMA order could be fitted to this series")
    return best, tried


def level_forecast(fitted: object, last_log: float, horizon: int) -> tuple[Array, Array]:
    """Mean and standard deviation of the log LEVEL ``1..horizon`` days ahead.

    The model was fit to daily differences (``simple_differencing``), so its own
    forecasts and bands are for single days.  The level is the last value plus the
    sum of the forecast differences; its error is the sum of the future shocks
    weighted by the cumulative MA(inf) weights Psi_j = psi_0 + ... + psi_j, hence
    ``var_h = sigma2 * sum_{j<h} Psi_j**2`` (parameter uncertainty left out).
    """
    prediction = fitted.get_forecast(horizon)  # type: ignore[attr-defined]
    diffs = np.asarray(prediction.predicted_mean)
    sigma2 = float(np.asarray(prediction.var_pred_mean)[0])  # one-step variance
    psi = arma2ma(fitted.polynomial_ar, fitted.polynomial_ma, lags=horizon)  # type: ignore[attr-defined]
    cumulative_psi = np.cumsum(psi)
    return last_log + np.cumsum(diffs), np.sqrt(sigma2 * np.cumsum(cumulative_psi**2))


def forecast_values(
    values: ArrayLike,
    horizon: int,
    *,
    series: str = "series",
    last_date: dt.date | np.datetime64 | None = None,
    grid: Sequence[Order] = DEFAULT_GRID,
) -> Forecast:
    """Fit the best order by AIC and forecast ``horizon`` days with 80/95 % bands."""
    if int(horizon) != horizon or not 1 <= horizon <= MAX_HORIZON_DAYS:
        raise InputError("horizon", f"must be 1..{MAX_HORIZON_DAYS} days, got {horizon!r}")
    log_y = log_series(values, MIN_FIT_DAYS, f"a {series} forecast")
    with single_threaded_blas():
        fitted, tried = select_order(log_y, grid)
        mean, sd = level_forecast(fitted, float(log_y[-1]), int(horizon))
    z80, z95 = norm.ppf(0.90), norm.ppf(0.975)
    dates = None
    if last_date is not None:
        dates = np.datetime64(last_date, "D") + np.arange(1, int(horizon) + 1)
    return Forecast(
        series=series,
        order=tuple(fitted.model.order),  # type: ignore[attr-defined]
        aic=float(fitted.aic),
        candidates=tuple(tried),
        history_days=int(log_y.shape[0]),
        dates=dates,
        point=np.exp(mean),
        lower80=np.exp(mean - z80 * sd), upper80=np.exp(mean + z80 * sd),
        lower95=np.exp(mean - z95 * sd), upper95=np.exp(mean + z95 * sd),
    )


def forecast_series(history: DailyMarket, series: Series, horizon: int) -> Forecast:
    """Forecast one of ``SERIES`` from a daily market history."""
    values = series_values(history, series)
    last = history.dates[-1] if len(history) else None
    return forecast_values(values, horizon, series=series, last_date=last)
