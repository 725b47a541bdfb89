"""Rolling-origin backtest of the ARIMA forecasts against naive baselines.

At each origin the model sees only the days before it (expanding window), is refit
(parameters re-estimated, order fixed), and is scored at horizons such as 7 and 30
days by MAPE.  The order is chosen once, by AIC, on the data before the FIRST origin:
choosing it on all the data would leak the future into the test.

Baselines: a random walk (tomorrow = today) for price and hashprice; a random walk
with drift (the mean daily log change of the training window) for difficulty, which
mostly goes up.

It runs in a worker: ``progress(done, total)`` is called after every origin and
``cancel()`` (or ``cancel.is_set()``) is checked before each one.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from hashinsight_desktop.core.economics.blas_threads import single_threaded_blas
from hashinsight_desktop.core.economics.errors import CancelledError, InputError
from hashinsight_desktop.core.economics.forecasting import (
    DEFAULT_GRID,
    MIN_FIT_DAYS,
    Order,
    fit_order,
    level_forecast,
    log_series,
    select_order,
)

ProgressCallback = Callable[[int, int], None]
DRIFT_SERIES = frozenset({"difficulty"})


@dataclasses.dataclass(frozen=True)
class BacktestResult:
    series: str
    order: Order
    horizons: tuple[int, ...]
    origins: int
    model_mape_pct: dict[int, float]
    naive_mape_pct: dict[int, float]
    naive_kind: str  # "random walk" or "random walk with drift"
    elapsed_s: float

    def model_beats_naive(self, horizon: int) -> bool:
        return self.model_mape_pct[horizon] < self.naive_mape_pct[horizon]

    def rows(self) -> list[dict[str, object]]:
        return [
            {"series": self.series, "horizon_days": h, "model_mape_pct": self.model_mape_pct[h],
             "naive_mape_pct": self.naive_mape_pct[h], "naive": self.naive_kind,
             "model_beats_naive": self.model_beats_naive(h), "origins": self.origins,
             "order": list(self.order)}
            for h in self.horizons
        ]


def _is_cancelled(cancel: object) -> bool:
    if cancel is None:
        return False
    is_set = getattr(cancel, "is_set", None)
    return bool(is_set() if callable(is_set) else cancel())  # type: ignore[operator]


def needed_days(horizons: Sequence[int], origins: int, step_days: int, min_train_days: int) -> int:
    return min_train_days + max(horizons) + step_days * (origins - 1)


def backtest(
    values: ArrayLike,
    *,
    series: str = "series",
    horizons: Sequence[int] = (7, 30),
    origins: int = 24,
    step_days: int = 30,
    min_train_days: int = 365,
    grid: Sequence[Order] = DEFAULT_GRID,
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | object | None = None,
) -> BacktestResult:
    """Score the model and the naive baseline over ``origins`` forecast origins spaced
    ``step_days`` apart, ending so the last origin's longest horizon is the last day."""
    horizons = tuple(sorted({int(h) for h in horizons}))
    if not horizons or horizons[0] < 1:
        raise InputError("horizons", "need at least one horizon >= 1 day")
    if origins < 1 or step_days < 1 or min_train_days < MIN_FIT_DAYS:
        raise InputError("origins", f"need origins >= 1, step >= 1, training >= {MIN_FIT_DAYS} days")
    need = needed_days(horizons, origins, step_days, min_train_days)
    log_y = log_series(values, need, f"a {series} backtest ({origins} origins)")
    n = log_y.shape[0]
    origin_idx = [n - horizons[-1] - step_days * k for k in range(origins)][::-1]

    started = time.perf_counter()
    with single_threaded_blas():  # once for all the fits, not per fit
        return _score_origins(log_y, series, horizons, origin_idx, grid, progress, cancel, started)


def _score_origins(
    log_y: np.ndarray,
    series: str,
    horizons: tuple[int, ...],
    origin_idx: list[int],
    grid: Sequence[Order],
    progress: ProgressCallback | None,
    cancel: object,
    started: float,
) -> BacktestResult:
    h_max = horizons[-1]
    if _is_cancelled(cancel):
        raise CancelledError("backtest cancelled")
    chosen, _ = select_order(log_y[: origin_idx[0]], grid)
    order: Order = tuple(chosen.model.order)  # type: ignore[attr-defined]
    drift = series in DRIFT_SERIES

    model_err = {h: [] for h in horizons}
    naive_err = {h: [] for h in horizons}
    for done, o in enumerate(origin_idx, start=1):
        if _is_cancelled(cancel):
            raise CancelledError("backtest cancelled")
        train = log_y[:o]
        fitted = chosen if done == 1 else fit_order(train, order)
        path, _ = level_forecast(fitted, float(train[-1]), h_max)
        slope = (train[-1] - train[0]) / (train.shape[0] - 1) if drift else 0.0
        for h in horizons:
            actual = np.exp(log_y[o + h - 1])
            model_err[h].append(abs(np.exp(path[h - 1]) - actual) / actual)
            naive_err[h].append(abs(np.exp(train[-1] + slope * h) - actual) / actual)
        if progress is not None:
            progress(done, len(origin_idx))

    return BacktestResult(
        series=series,
        order=order,
        horizons=horizons,
        origins=len(origin_idx),
        model_mape_pct={h: 100.0 * float(np.mean(model_err[h])) for h in horizons},
        naive_mape_pct={h: 100.0 * float(np.mean(naive_err[h])) for h in horizons},
        naive_kind="random walk with drift" if drift else "random walk",
        elapsed_s=time.perf_counter() - started,
    )
