"""``hashinsight forecast``: ARIMA forecast of daily BTC price, difficulty or hashprice.

Prints the per-day point forecast with 80 % and 95 % intervals, the order chosen by
AIC, and (unless ``--no-backtest``) a rolling-origin backtest against the naive
forecast at horizons 7 and 30 days.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit
from hashinsight_desktop.core.economics.backtest import BacktestResult, backtest, needed_days
from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.forecasting import (
    MAX_HORIZON_DAYS,
    SERIES,
    Forecast,
    forecast_series,
    series_values,
)
from hashinsight_desktop.core.economics.market_history import (
    COLUMNS,
    DailyMarket,
    read_daily_csv,
)

BACKTEST_HORIZONS = (7, 30)
BACKTEST_ORIGINS = 24
BACKTEST_STEP_DAYS = 30
BACKTEST_MIN_TRAIN_DAYS = 365


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "forecast", parents=[common],
        help="ARIMA forecast of BTC price, difficulty or hashprice with 80/95 %% bands",
        description="Fit ARIMA models (order by AIC) to the daily series in logs, forecast "
        "DAYS ahead with 80 %% and 95 %% intervals, and backtest against a naive forecast.",
    )
    p.add_argument("--series", choices=SERIES, required=True)
    p.add_argument("--horizon", type=int, default=30, metavar="DAYS",
                   help=f"days ahead, 1..{MAX_HORIZON_DAYS} (default 30)")
    p.add_argument("--history-file", metavar="CSV",
                   help=f"daily history with columns {','.join(COLUMNS)} "
                   "(default: the market history in the database)")
    p.add_argument("--no-backtest", action="store_true", help="skip the backtest")
    p.set_defaults(handler=_run)


def load_history(args: argparse.Namespace) -> DailyMarket:
    if args.history_file:
        try:
            return read_daily_csv(args.history_file)
        except InputError as exc:
            raise CliError(f"--history-file: {exc.message}") from None
    try:
        from hashinsight_desktop.services.market_cache import daily_history
    except ImportError:
        raise CliError("no market history in this build: pass --history-file CSV "
                       f"(columns {','.join(COLUMNS)})") from None
    history = daily_history(args.db)
    if history is None or len(history) == 0:
        raise CliError("the database holds no daily market history yet: run the market "
                       "collector or pass --history-file CSV")
    if isinstance(history, DailyMarket):
        return history
    try:
        return DailyMarket.from_columns(history)
    except InputError as exc:
        raise CliError(f"market history from the database: {exc}") from None


def run_backtest(values: Any, series: str, quiet: bool) -> dict[str, Any]:
    """The backtest block of the payload; fewer origins when history is short."""
    origins = BACKTEST_ORIGINS
    while origins > 1 and len(values) < needed_days(
            BACKTEST_HORIZONS, origins, BACKTEST_STEP_DAYS, BACKTEST_MIN_TRAIN_DAYS):
        origins -= 1
    need = needed_days(BACKTEST_HORIZONS, 1, BACKTEST_STEP_DAYS, BACKTEST_MIN_TRAIN_DAYS)
    if len(values) < need:
        return {"skipped": f"a backtest needs at least {need} days of history, got {len(values)}"}

    def progress(done: int, total: int) -> None:
        if not quiet:
            print(f"\rbacktest {done}/{total}", end="" if done < total else "\n",
                  file=sys.stderr, flush=True)

    result: BacktestResult = backtest(
        values, series=series, horizons=BACKTEST_HORIZONS, origins=origins,
        step_days=BACKTEST_STEP_DAYS, min_train_days=BACKTEST_MIN_TRAIN_DAYS, progress=progress)
    return {"order": list(result.order), "origins": result.origins,
            "naive": result.naive_kind, "elapsed_s": result.elapsed_s,
            "horizons": result.rows()}


def format_text(payload: dict[str, Any]) -> str:
    lines = [
        f"{payload['series']} forecast, ARIMA{tuple(payload['order'])} with drift on logs, "
        f"AIC {payload['aic']:.1f}, {payload['history_days']} days of history",
        f"{'day':>4} {'date':<10} {'point':>14} {'80% low':>14} {'80% high':>14} "
        f"{'95% low':>14} {'95% high':>14}",
    ]
    for row in payload["forecast"]:
        lines.append(
            f"{row['day']:>4} {row['date'] or '':<10} {row['point']:>14.6g} "
            f"{row['lower80']:>14.6g} {row['upper80']:>14.6g} "
            f"{row['lower95']:>14.6g} {row['upper95']:>14.6g}")
    bt = payload.get("backtest")
    if bt is None:
        return "\n".join(lines)
    if "skipped" in bt:
        lines.append(f"backtest skipped: {bt['skipped']}")
        return "\n".join(lines)
    lines.append(f"backtest: {bt['origins']} origins, ARIMA{tuple(bt['order'])} vs "
                 f"{bt['naive']}, {bt['elapsed_s']:.1f} s")
    for row in bt["horizons"]:
        verdict = "model better" if row["model_beats_naive"] else "naive better or equal"
        lines.append(f"  {row['horizon_days']:>2} days: MAPE model {row['model_mape_pct']:.2f} %"
                     f"  naive {row['naive_mape_pct']:.2f} %  ({verdict})")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    if not 1 <= args.horizon <= MAX_HORIZON_DAYS:
        raise CliError(f"--horizon must be 1..{MAX_HORIZON_DAYS} days, got {args.horizon}")
    history = load_history(args)
    try:
        fc: Forecast = forecast_series(history, args.series, args.horizon)
    except InputError as exc:
        raise CliError(f"{args.series} forecast: {exc.message}") from None
    payload: dict[str, Any] = {
        "series": fc.series, "order": list(fc.order), "aic": fc.aic,
        "history_days": fc.history_days,
        "candidates": [{"order": list(o), "aic": a} for o, a in fc.candidates],
        "forecast": fc.rows(),
    }
    if not args.no_backtest:
        values = series_values(history, args.series)
        payload["backtest"] = run_backtest(values, args.series, quiet=args.json)
    emit(args, payload, lambda: format_text(payload))
    return 0
